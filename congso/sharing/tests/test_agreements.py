"""Data-sharing agreements: what an agency's API client may read, what it may not, and the record of
both (ADR 0155)."""

import pytest
from django.utils import timezone

from congso.core.errors import InvalidFields
from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.sharing import services
from congso.sharing.models import Agreement, DataRead
from congso.sharing.testing import api_client, bearer

from .conftest import make_agreement

pytestmark = pytest.mark.django_db

POPULATION = "/api/v1/datastore/registries/population/lookup"
BUSINESS = "/api/v1/datastore/registries/business/lookup"


def lookup(client, application, cccd="064090001234"):
    return client.post(
        POPULATION, {"cccd": cccd}, content_type="application/json", headers=bearer(application)
    )


def test_a_read_under_an_agreement_is_answered_and_recorded(client, world, application, agreement):
    response = lookup(client, application)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["found"] and body["data"]["full_name"] == "Nguyễn Văn An"
    read = DataRead.objects.get()
    assert read.outcome == DataRead.Outcome.ALLOWED and read.agreement == agreement
    assert read.subject == world.users["citizen"]  # found by the CCCD: the citizen will see it
    assert read.agency.code == "000.00.40.H21" and read.category == "registry.population"
    lookup_entry = AuditEntry.objects.get(action="datastore.registry_lookup")
    assert lookup_entry.data["basis"] == "agreement" and lookup_entry.data["agreement"] == agreement.pk
    assert lookup_entry.data["purpose"].startswith("Xác minh nhân thân")
    assert AuditEntry.objects.filter(action="sharing.data_read").count() == 1


def test_a_kind_of_data_the_agreement_does_not_grant_is_refused_and_recorded(
    client, world, application, agreement
):
    response = client.post(
        BUSINESS, {"tax_code": "5900181213"}, content_type="application/json", headers=bearer(application)
    )
    assert response.status_code == 403
    assert "không cho phép" in response.json()["detail"]
    read = DataRead.objects.get()
    assert read.outcome == DataRead.Outcome.NO_SCOPE and read.agreement == agreement
    assert AuditEntry.objects.filter(action="sharing.read_refused").count() == 1
    assert not AuditEntry.objects.filter(action="datastore.registry_lookup").exists()


def test_an_expired_agreement_is_refused_and_recorded(client, world, application, bhxh):
    make_agreement(world, application, bhxh, days=(-400, -1))
    response = lookup(client, application)
    assert response.status_code == 403 and "đã hết hạn" in response.json()["detail"]
    read = DataRead.objects.get()
    assert read.outcome == DataRead.Outcome.EXPIRED and read.subject == world.users["citizen"]


def test_an_agreement_not_yet_in_force_is_refused(client, world, application, bhxh):
    make_agreement(world, application, bhxh, days=(3, 200))
    assert lookup(client, application).status_code == 403
    assert DataRead.objects.get().outcome == DataRead.Outcome.NOT_YET


def test_a_revoked_agreement_is_refused_and_recorded(client, world, application, agreement):
    assert lookup(client, application).status_code == 200
    services.revoke_agreement(world.users["sysadmin"], agreement.pk, reason="Hết nhu cầu xác minh")
    response = lookup(client, application)
    assert response.status_code == 403 and "thu hồi" in response.json()["detail"]
    outcomes = list(DataRead.objects.order_by("at", "pk").values_list("outcome", flat=True))
    assert outcomes == [DataRead.Outcome.ALLOWED, DataRead.Outcome.REVOKED]
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.REVOKED and agreement.revoked_by == world.users["sysadmin"]
    assert AuditEntry.objects.filter(action="sharing.agreement_revoked").exists()


def test_a_newer_agreement_in_force_wins_over_an_expired_one(client, world, application, bhxh):
    make_agreement(world, application, bhxh, days=(-400, -1), number="01/TT-BHXH")
    current = make_agreement(world, application, bhxh, days=(-1, 30), number="02/TT-BHXH")
    assert lookup(client, application).status_code == 200
    assert DataRead.objects.get().agreement == current


def test_a_client_without_any_agreement_keeps_the_ordinary_rules(client, world):
    stranger = api_client("ung-dung-khac", "Ứng dụng không có thỏa thuận")
    response = lookup(client, stranger)
    assert response.status_code == 403  # the registry's own rule: not a clerk, not the citizen
    assert not DataRead.objects.exists()


def test_the_agreement_narrows_even_a_powerful_service_account(client, world, application, bhxh):
    """A profile read by a client bound by agreements needs the agreement's scope, whatever the account."""
    Membership.objects.create(
        user=application.user, agency=world.agencies["province_pc"], role=Role.SYSADMIN, include_subtree=True
    )
    make_agreement(world, application, bhxh)  # population only
    url = f"/api/v1/accounts/citizens/{world.users['citizen'].pk}"
    assert client.get(url, headers=bearer(application)).status_code == 403
    make_agreement(world, application, bhxh, scopes=("citizen.profile",), number="13/TT-BHXH")
    response = client.get(url, headers=bearer(application))
    assert response.status_code == 200 and response.json()["cccd"] == "064090001234"
    assert list(DataRead.objects.order_by("pk").values_list("outcome", "category")) == [
        ("no_scope", "citizen.profile"),
        ("allowed", "citizen.profile"),
    ]


def test_bad_terms_are_refused_and_nothing_is_written(world, application, bhxh):
    import datetime

    with pytest.raises(InvalidFields) as refused:
        services.create_agreement(
            world.users["sysadmin"],
            application=application,
            agency="000.99.99.H99",
            number="",
            scopes=["registry.everything"],
            purpose="x",
            legal_basis="",
            valid_from=datetime.date(2027, 5, 1),
            valid_until=datetime.date(2027, 4, 1),
        )
    assert set(refused.value.errors) == {
        "agency",
        "number",
        "scopes",
        "purpose",
        "legal_basis",
        "valid_until",
    }
    assert (
        not Agreement.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="sharing").exists()
    )


def test_only_a_system_administrator_manages_agreements(world, application, bhxh, agreement):
    from django.core.exceptions import PermissionDenied

    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.create_agreement(
            world.users["agency_admin"],
            application=application,
            agency=bhxh,
            number="1/TT",
            scopes=["dossier"],
            purpose="Mục đích đủ dài để hợp lệ",
            legal_basis="Nghị định 13/2023/NĐ-CP",
            valid_from=today,
            valid_until=today,
        )
    with pytest.raises(PermissionDenied):
        services.revoke_agreement(world.users["leader"], agreement.pk, reason="Không còn cần")
    assert Agreement.objects.get().state == Agreement.State.ACTIVE
