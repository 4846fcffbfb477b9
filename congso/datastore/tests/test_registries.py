"""Registry look-ups: the built-in providers answer from the platform's own records and say so; an
unconnected registry says so; a look-up is permission-checked and audited when it is about someone else."""

import pytest
from django.core.exceptions import PermissionDenied

from congso.accounts import services as account_services
from congso.accounts.models import AssistedAction, Organisation, Representative
from congso.accounts.testing import build_world
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.core.permissions import can
from congso.datastore import registries
from congso.directory.testing import login_verified
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel

pytestmark = pytest.mark.django_db
BASE = "/api/v1/datastore/registries"
AN = "064090001234"
THOI = "064050002468"
TAX = "5901234563"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def business(world):
    org = Organisation.objects.create(
        name="Công ty TNHH Cà phê Phố Núi",
        tax_code=TAX,
        address="45 Trần Hưng Đạo",
        commune=world.units["pleiku"],
    )
    Representative.objects.create(
        organisation=org, user=world.users["citizen"], kind=Representative.Kind.LEGAL
    )
    return org


def lookups():
    return AuditEntry.objects.filter(action="datastore.registry_lookup")


def test_a_citizen_looks_themselves_up_from_platform_records(world):
    answer = registries.lookup_person(world.users["citizen"], "064 090 001 234")
    assert answer.connected and answer.found and not answer.authoritative
    assert "không phải CSDL quốc gia" in answer.source
    assert answer.data["full_name"] == "Nguyễn Văn An"
    assert str(answer.data["date_of_birth"]) == "1990-05-12"
    assert "25 Hùng Vương" in answer.data["permanent_address"]
    assert "Phường Pleiku" in answer.data["permanent_address"]
    assert not lookups().exists()  # one's own data: no audit entry


def test_business_lookup_names_the_legal_representative(world, business):
    answer = registries.lookup_business(world.users["citizen"], TAX)
    assert answer.found and answer.data["name"] == "Công ty TNHH Cà phê Phố Núi"
    assert answer.data["legal_representative"] == "Nguyễn Văn An"
    assert "đăng ký doanh nghiệp" in answer.source and "congso" in answer.source


def test_unconnected_registry_says_so_and_gives_no_data(world, business, settings):
    settings.CONGSO_REGISTRIES = {"population": "none", "business": ""}
    person = registries.lookup_person(world.users["citizen"], AN)
    org = registries.lookup_business(world.users["citizen"], TAX)
    for answer in (person, org):
        assert not answer.connected and not answer.found and answer.data == {}
        assert "chưa kết nối" in answer.message and answer.source == "Chưa kết nối"
    assert [row["connected"] for row in registries.status()] == [False, False]


def test_forbidden_lookups_are_refused(world, business):
    citizen, elder, helper = world.users["citizen"], world.users["elder"], world.users["helper"]
    with pytest.raises(PermissionDenied):
        registries.lookup_person(elder, AN)  # another citizen
    with pytest.raises(PermissionDenied):
        registries.lookup_business(elder, TAX)  # not a representative
    with pytest.raises(PermissionDenied, match="đã đồng ý"):
        registries.lookup_person(helper, THOI)  # helper without consent
    with pytest.raises(PermissionDenied):
        registries.lookup_person(world.users["officer"], AN)  # a specialist is not at the counter
    with pytest.raises(PermissionDenied):
        registries.lookup_person(
            world.users["clerk"], AN, agency=world.agencies["justice"]
        )  # not their agency
    with pytest.raises(ServiceError, match="12 chữ số"):
        registries.lookup_person(citizen, "12345")
    assert not lookups().exists()


def test_a_clerk_looks_up_an_applicant_for_their_agency_and_it_is_audited(world):
    clerk = world.users["clerk"]
    answer = registries.lookup_person(clerk, THOI, purpose="Tiếp nhận hồ sơ đăng ký khai sinh")
    assert answer.found and answer.data["full_name"] == "Rah Lan Thơi"
    entry = lookups().get()
    assert entry.actor_id == clerk.pk and entry.object_id == THOI
    assert entry.data["basis"] == "clerk" and entry.data["agency"] == world.agencies["province_centre"].code


def test_a_helper_looks_up_with_consent_and_it_is_audited_and_counted(world):
    elder, helper = world.users["elder"], world.users["helper"]
    consent = account_services.grant_consent(
        elder, citizen=elder, helper=helper, purpose="Khai hồ sơ đăng ký khai sinh cho cháu"
    )
    answer = registries.lookup_person(helper, THOI)
    assert answer.found and answer.data["full_name"] == "Rah Lan Thơi"
    entry = lookups().get()
    assert entry.data["basis"] == "consent" and entry.data["consent"] == consent.pk
    assert AssistedAction.objects.filter(consent=consent, action="datastore.registry_lookup").exists()
    account_services.revoke_consent(elder, consent)
    with pytest.raises(PermissionDenied):
        registries.lookup_person(helper, THOI)


def test_built_in_answers_from_an_earlier_dossier(world, procedure_version):
    dossier = dossier_services.receive(
        actor=world.users["clerk"],
        agency=world.agencies["province_centre"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=dossier_services.Applicant(
            name="Trần Thị Bình", id_number="052195004321", address="112 Nguyễn Huệ, phường Quy Nhơn"
        ),
        accept_now=True,
    )
    answer = registries.lookup_person(world.users["clerk"], "052195004321")
    assert answer.found and answer.data["full_name"] == "Trần Thị Bình"
    assert answer.data["permanent_address"] == "112 Nguyễn Huệ, phường Quy Nhơn"
    assert answer.data["date_of_birth"] is None
    assert "không phải CSDL quốc gia" in answer.source
    assert dossier.submitted_at.astimezone().strftime("%Y") in answer.origin
    missing = registries.lookup_person(world.users["clerk"], "052195009999")
    assert not missing.found and "chưa có thông tin" in missing.message


def test_api_lookups_and_my_data(client, world, business):
    client.force_login(world.users["citizen"])
    mine = client.get(f"{BASE}/me").json()
    assert mine["cccd"] == AN and mine["person"]["data"]["full_name"] == "Nguyễn Văn An"
    assert mine["organisations"][0]["data"]["name"] == "Công ty TNHH Cà phê Phố Núi"
    ok = client.post(f"{BASE}/business/lookup", {"tax_code": TAX}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["found"]
    refused = client.post(f"{BASE}/population/lookup", {"cccd": THOI}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    bad = client.post(f"{BASE}/population/lookup", {"cccd": "abc"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "cccd"
    assert {row["registry"] for row in client.get(BASE).json()} == {"population", "business"}

    client.logout()
    login_verified(client, world.users["clerk"])
    response = client.post(
        f"{BASE}/population/lookup",
        {"cccd": AN, "agency": world.agencies["province_centre"].code},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["data"]["full_name"] == "Nguyễn Văn An"
    assert lookups().filter(actor_id=world.users["clerk"].pk).count() == 1


def test_my_data_page(client, world, business, settings):
    client.force_login(world.users["citizen"])
    body = client.get("/kho-du-lieu/co-so-du-lieu/").content.decode()
    assert "Dữ liệu của tôi từ các cơ sở dữ liệu" in body
    assert "không phải CSDL quốc gia về dân cư" in body and "Nguyễn Văn An" in body
    assert "Công ty TNHH Cà phê Phố Núi" in body
    settings.CONGSO_REGISTRIES = {"population": "none", "business": "none"}
    body = client.get("/kho-du-lieu/co-so-du-lieu/").content.decode()
    assert "chưa kết nối" in body and "12/05/1990" not in body


class BrokenConnector(registries.Registry):
    registry = "population"
    authoritative = True
    source = "CSDL quốc gia về dân cư (thử nghiệm)"

    def lookup(self, identifier):
        raise ConnectionError("timeout")


def test_a_failing_connector_is_a_clear_error_not_an_empty_answer(world, settings):
    settings.CONGSO_REGISTRIES = {
        "population": "congso.datastore.tests.test_registries.BrokenConnector",
        "business": "none",
    }
    with pytest.raises(ServiceError) as exc:
        registries.lookup_person(world.users["clerk"], AN)
    assert exc.value.code == "registry_unavailable" and "thử lại" in exc.value.message
    assert not lookups().exists()


def test_the_permission_rule_answers_like_the_lookup(world, business):
    citizen, elder = world.users["citizen"], world.users["elder"]
    assert can(citizen, "datastore.registry_lookup", {"registry": "population", "identifier": AN})
    assert can(citizen, "datastore.registry_lookup", {"registry": "business", "identifier": TAX})
    assert not can(elder, "datastore.registry_lookup", {"registry": "population", "identifier": AN})
    assert not can(citizen, "datastore.registry_lookup", {"registry": "population", "identifier": "x"})
    assert can(
        world.users["clerk"], "datastore.registry_lookup", {"registry": "population", "identifier": THOI}
    )
