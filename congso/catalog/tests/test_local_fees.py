"""Local fees per submission channel, each in its currency, only where the law lets the province set the
fee — the record's guess, or what a system administrator states (audited)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from congso.catalog import services
from congso.catalog.models import Offering
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.models import Role
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db

PATERNITY = "1.000080"  # commune; the record: "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh … quyết định"
# the record gives "7" without a unit: the agency sets its limit (ADR 0143)
LIMIT = {"local_time_value": "5", "local_time_unit": "working_days"}
COPIES = "1.002755"  # commune; online 5,000 đồng, in person 10,000 đồng, set nationally by the record


@pytest.fixture
def sysadmin(make_official, agencies):
    return make_official("hoang.quoc.bao", Role.SYSADMIN, agencies["province_pc"], full_name="Hoàng Quốc Bảo")


def test_a_fee_per_channel_with_its_currency(pleiku_admin, agencies, imported):
    procedure = services.get_procedure(PATERNITY)
    assert procedure.local_fee_allowed
    services.save_offering(
        pleiku_admin,
        agencies["pleiku"],
        procedure,
        {
            **LIMIT,
            "local_fee_in_person": "8000",
            "local_fee_online": "0",
            "local_fee_post": "2.5",
            "local_fee_post_currency": "USD",
            "local_fee_note": "Nghị quyết 15/2026/NQ-HĐND tỉnh Gia Lai",
        },
    )
    terms = services.effective_terms(procedure, agencies["pleiku"])
    in_person, online, post = terms.channel("in_person"), terms.channel("online"), terms.channel("post")
    assert (in_person.fee_kind, in_person.fee_amount, in_person.fee_currency) == (
        "amount",
        Decimal(8000),
        "VND",
    )
    assert (online.fee_kind, online.fee_amount) == ("free", Decimal(0))
    assert (post.fee_amount, post.fee_currency) == (Decimal("2.5"), "USD")
    assert all(c.fee_is_local for c in (in_person, online, post))
    assert in_person.fee_description == "Nghị quyết 15/2026/NQ-HĐND tỉnh Gia Lai"
    # the national terms (no agency) are the record's
    assert services.effective_terms(procedure).channel("in_person").fee_kind == "free"
    entry = AuditEntry.objects.filter(action="catalog.offering.create").latest("id")
    assert entry.data["after"]["local_fee_post_currency"] == "USD"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"local_fee_in_person": "8000.5"}, "local_fee_in_person", "số nguyên"),
        ({"local_fee_post": "2.555", "local_fee_post_currency": "USD"}, "local_fee_post", "hai chữ số"),
        (
            {"local_fee_online": "1000", "local_fee_online_currency": "JPY"},
            "local_fee_online_currency",
            "VND",
        ),
        ({"local_fee_online": "-1"}, "local_fee_online", "không được âm"),
        ({"local_fee_online": "NaN"}, "local_fee_online", "một số"),
        ({"local_fee_online": "mười nghìn"}, "local_fee_online", "một số"),
    ],
)
def test_bad_fees_are_refused_and_nothing_is_written(pleiku_admin, agencies, imported, data, field, message):
    with pytest.raises(ServiceError) as exc:
        services.save_offering(pleiku_admin, agencies["pleiku"], services.get_procedure(PATERNITY), data)
    assert message in exc.value.errors[field][0]
    assert not Offering.objects.exists()


def test_the_law_decides_and_an_administrator_may_state_it(pleiku_admin, sysadmin, agencies, imported):
    copies = services.get_procedure(COPIES)
    assert not copies.local_fee_allowed
    with pytest.raises(ServiceError) as exc:
        services.save_offering(pleiku_admin, agencies["pleiku"], copies, {"local_fee_in_person": "8000"})
    assert "do trung ương quy định" in exc.value.errors["local_fee_in_person"][0]
    with pytest.raises(PermissionDenied):
        services.set_local_fee_allowed(pleiku_admin, copies, True)  # not the agency's to decide

    services.set_local_fee_allowed(sysadmin, copies, True)
    copies.refresh_from_db()
    assert copies.local_fee_allowed and copies.local_fee_allowed_override is True
    entry = AuditEntry.objects.get(action="catalog.procedure.local_fee_allowed")
    assert entry.data["before"] == {"override": None, "allowed": False} and entry.data["record_says"] is False
    services.save_offering(pleiku_admin, agencies["pleiku"], copies, {"local_fee_in_person": "8000"})
    terms = services.effective_terms(copies, agencies["pleiku"])
    assert (terms.channel("in_person").fee_amount, terms.channel("in_person").fee_is_local) == (
        Decimal(8000),
        True,
    )
    assert (terms.channel("online").fee_amount, terms.channel("online").fee_is_local) == (
        Decimal(5000),
        False,
    )

    # the administrator says the law no longer allows it: the agency's fee goes (and is recorded)
    services.set_local_fee_allowed(sysadmin, copies, False)
    copies.refresh_from_db()
    assert not services.effective_terms(copies, agencies["pleiku"]).channel("in_person").fee_is_local
    assert Offering.objects.get(procedure=copies).local_fee_in_person is None
    entry = AuditEntry.objects.filter(action="catalog.procedure.local_fee_allowed").latest("id")
    assert entry.data["cleared_local_fees"] == [{"agency": "H21.23575", "in_person": "8000.00 VND"}]
    services.set_local_fee_allowed(sysadmin, copies, None)  # back to the record's guess
    copies.refresh_from_db()
    assert copies.local_fee_allowed_override is None and not copies.local_fee_allowed


def test_no_fee_for_a_channel_the_procedure_lacks(pleiku_admin, sysadmin, agencies, imported):
    paternity = services.get_procedure(PATERNITY)
    services.save_offering(pleiku_admin, agencies["pleiku"], paternity, LIMIT)
    copies = services.get_procedure("2.000815")  # in person only
    services.set_local_fee_allowed(sysadmin, copies, True)
    copies.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.save_offering(pleiku_admin, agencies["pleiku"], copies, {"local_fee_online": "1000"})
    assert "không có hình thức nộp trực tuyến" in exc.value.errors["local_fee_online"][0]


def test_one_fee_for_every_channel_as_before(pleiku_admin, agencies, imported):
    """``local_fee_amount`` (one fee in đồng) still works: for every channel the procedure has."""
    procedure = services.get_procedure(PATERNITY)
    offering = services.save_offering(
        pleiku_admin, agencies["pleiku"], procedure, {"local_fee_amount": "6000", **LIMIT}
    )
    assert (offering.local_fee_in_person, offering.local_fee_online, offering.local_fee_post) == (
        6000,
        6000,
        6000,
    )
    assert offering.local_fee_amount == 6000
    legacy = Offering(agency=agencies["iagrai"], procedure=procedure, local_fee_amount=7000)
    assert (legacy.local_fee_online, legacy.local_fee_online_currency) == (7000, "VND")
    legacy.local_fee_post_currency = "USD"
    assert legacy.local_fee_amount is None  # no longer one fee in đồng


def test_the_offering_page_and_api(client, pleiku_admin, sysadmin, agencies, imported):
    login_verified(client, pleiku_admin)
    page = client.get(f"/thu-tuc/quan-ly/H21.23575/{PATERNITY}/").content.decode()
    for name in ("local_fee_in_person", "local_fee_online", "local_fee_post", "local_fee_post_currency"):
        assert f'name="{name}"' in page
    national = client.get(f"/thu-tuc/quan-ly/H21.23575/{COPIES}/").content.decode()
    assert 'name="local_fee_in_person"' not in national and "cơ quan không đặt mức thu riêng" in national
    response = client.post(
        f"/thu-tuc/quan-ly/H21.23575/{PATERNITY}/",
        {
            "is_active": "on",
            **LIMIT,
            "local_fee_in_person": "8000",
            "local_fee_in_person_currency": "VND",
            "local_fee_online_currency": "VND",
            "local_fee_post": "3",
            "local_fee_post_currency": "EUR",
        },
    )
    assert response.status_code == 302
    offering = Offering.objects.get(agency=agencies["pleiku"])
    assert (offering.local_fee_in_person, offering.local_fee_online, offering.local_fee_post_currency) == (
        8000,
        None,
        "EUR",
    )
    html = client.get(f"/thu-tuc/{PATERNITY}/", {"co-quan": "H21.23575"}).content.decode()
    assert (
        ("8.000 đồng" in html or "8000 đồng" in html) and "3 EUR" in html and "mức thu tại địa phương" in html
    )

    api = client.put(
        f"/api/v1/offerings/H21.23575/{COPIES}",
        {"local_fee_in_person": 9000},
        content_type="application/json",
    )
    assert api.status_code == 400 and "local_fee_in_person" in api.json()["errors"]
    api = client.put(
        f"/api/v1/offerings/H21.23575/{PATERNITY}",
        {"local_fee_online": "1.5", "local_fee_online_currency": "USD", **LIMIT},
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    assert (Decimal(api.json()["local_fee_online"]), api.json()["local_fee_online_currency"]) == (
        Decimal("1.5"),
        "USD",
    )
    terms = client.get(f"/api/v1/procedures/{PATERNITY}/terms", {"agency": "H21.23575"}).json()
    online = next(c for c in terms["channels"] if c["channel"] == "online")
    assert (Decimal(online["fee_amount"]), online["fee_currency"], online["fee_is_local"]) == (
        Decimal("1.5"),
        "USD",
        True,
    )

    assert (
        client.put(
            f"/api/v1/procedures/{COPIES}/local-fee-allowed",
            {"local_fee_allowed": True},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.logout()
    login_verified(client, sysadmin)
    body = client.put(
        f"/api/v1/procedures/{COPIES}/local-fee-allowed",
        {"local_fee_allowed": True},
        content_type="application/json",
    ).json()
    assert (
        body["local_fee_allowed"],
        body["record_fee_set_locally"],
        body["local_fee_allowed_override"],
    ) == (
        True,
        False,
        True,
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_the_one_local_fee(agencies, imported):
    """0006: an offering's single fee in đồng becomes that fee for each channel its procedure has."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("catalog", "0005_administrator_overrides")],
        [("catalog", "0006_local_fees_per_channel")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Procedure, Offering_ = old.get_model("catalog", "Procedure"), old.get_model("catalog", "Offering")
        Offering_.objects.create(
            agency_id=agencies["pleiku"].pk,
            procedure_id=Procedure.objects.get(code=COPIES).pk,  # online and in person
            local_fee_amount=Decimal(8000),
        )
        Offering_.objects.create(
            agency_id=agencies["iagrai"].pk, procedure_id=Procedure.objects.get(code=PATERNITY).pk
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert after[0] in MigrationExecutor(connection).loader.applied_migrations
    split = Offering.objects.get(agency=agencies["pleiku"])
    assert (split.local_fee_in_person, split.local_fee_online, split.local_fee_post) == (8000, 8000, None)
    assert (split.local_fee_in_person_currency, split.local_fee_online_currency) == ("VND", "VND")
    none = Offering.objects.get(agency=agencies["iagrai"])
    assert (none.local_fee_in_person, none.local_fee_online, none.local_fee_post) == (None, None, None)
