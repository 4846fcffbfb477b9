"""Issue 15: every free-text parameter of a dossier action has a length limit, with a Vietnamese
message, for the page and the API alike (both go through actions.resolve)."""

import dataclasses

import pytest

from congso.core.errors import ServiceError
from congso.core.text import MAX_LIST_ITEM, MAX_REASON
from congso.dossiers import actions, services
from congso.dossiers.models import Channel, Dossier


def test_a_two_megabyte_reason_is_refused():
    with pytest.raises(ServiceError, match="quá dài") as err:
        actions.resolve(actions.get("refuse"), {"reason": "x" * 2_000_000, "expected_version": 1}, via="api")
    assert err.value.field == "reason"


def test_a_reason_at_the_limit_passes():
    values = actions.resolve(
        actions.get("refuse"), {"reason": "x" * MAX_REASON, "expected_version": 1}, via="api"
    )
    assert len(values["reason"]) == MAX_REASON


def test_a_list_item_and_a_long_list_are_refused():
    action = actions.get("request_supplement")
    with pytest.raises(ServiceError, match="quá dài"):
        actions.resolve(action, {"missing": ["y" * (MAX_LIST_ITEM + 1)], "expected_version": 1}, via="api")
    with pytest.raises(ServiceError, match="quá nhiều"):
        actions.resolve(
            action, {"missing": [f"Giấy {i}" for i in range(1000)], "expected_version": 1}, via="api"
        )


def test_a_result_number_is_bounded_by_its_column():
    action = next(a for a in actions.ACTIONS.values() if a.param("number"))
    with pytest.raises(ServiceError, match="100"):
        actions.resolve(
            action, {"number": "1" * 101, "title": "Giấy khai sinh", "expected_version": 1}, via="api"
        )


def test_page_form_has_the_same_limit():
    field = actions._form_field(actions.REASON)
    assert field.max_length == MAX_REASON


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Nguyễn Văn An " * 100),
        ("address", "Tổ 3 " * 200),
        ("phone", "0" * 50),
        ("email", "a" * 300 + "@example.vn"),
        ("on_behalf_of", "x" * 1000),
    ],
)
def test_receive_refuses_over_long_applicant_fields(
    staff, agencies, procedure_version, applicant, field, value
):
    with pytest.raises(ServiceError, match="quá dài") as err:
        services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=dataclasses.replace(applicant, **{field: value}),
        )
    assert err.value.field.startswith("applicant") or err.value.field == "on_behalf_of"
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_receive_refuses_an_over_long_note(staff, agencies, procedure_version, applicant):
    with pytest.raises(ServiceError, match="quá dài"):
        services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            note="x" * (MAX_REASON + 1),
        )
    assert not Dossier.objects.exists()
