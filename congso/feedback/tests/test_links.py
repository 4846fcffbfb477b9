"""A report about an administrative procedure points to the catalogue's procedure or to one of the
reporter's own dossiers (ADR 0170): validated, the dossier never public and shown to its reporter only,
the board and the inbox filter by them — on the pages and in the API."""

import pytest

from congso.accounts.models import User
from congso.catalog.models import Procedure, ProcedureVersion
from congso.core.errors import InvalidFields
from congso.core.uploads import Upload
from congso.directory.models import Membership, Role
from congso.directory.testing import TWO_TIER, login_verified
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel
from congso.dossiers.services import Applicant
from congso.dossiers.tests.conftest import pdf

from .. import services
from ..models import Report
from .conftest import pothole

pytestmark = pytest.mark.django_db

CONTENT = {
    "code": "1.001193",
    "name": "Thủ tục đăng ký khai sinh",
    "channels": [
        {"channel": "in_person", "time": {"value": 3, "unit": "working_days"}, "fee": None, "description": ""}
    ],
    "components": [{"group": "", "name": "Tờ khai", "forms": [], "originals": 1, "copies": 0}],
}


def _procedure(code="1.001193", name="Thủ tục đăng ký khai sinh"):
    procedure = Procedure.objects.create(code=code, name=name, levels="|commune|")
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content={**CONTENT, "code": code, "name": name}, content_hash="x" * 64
    )
    procedure.current_version = version
    procedure.save()
    return version


@pytest.fixture
def birth(world):
    return _procedure()


@pytest.fixture
def dossier(world, birth):
    """A birth registration of the citizen, received at the ward's counter."""
    clerk = User.objects.create_user(
        "motcua.phuong", password="Mat-khau-dai-2026!", full_name="Lê Thị Hoa", kind="official"
    )
    Membership.objects.create(
        user=clerk, agency=world.agencies["pleiku_pc"], role=Role.CLERK, valid_from=TWO_TIER
    )
    citizen = world.users["citizen"]
    return dossier_services.receive(
        actor=clerk,
        agency=world.agencies["pleiku_pc"],
        procedure_version=birth,
        channel=Channel.IN_PERSON,
        applicant=Applicant(
            name=citizen.full_name,
            id_number="052095001234",
            phone="0905123456",
            address="Pleiku",
            user=citizen,
        ),
        uploads=[Upload("Tờ khai", pdf(), "to-khai.pdf")],
        accept_now=True,
    )


def _about(world, **extra):
    data = {
        "category": "thu-tuc-hanh-chinh",
        "title": "Hồ sơ khai sinh bị yêu cầu thêm giấy tờ",
        "description": "Cán bộ yêu cầu nộp thêm bản sao sổ hộ khẩu dù thủ tục không yêu cầu.",
    }
    return pothole(world, **{**data, **extra})


def test_a_procedure_or_own_dossier_is_linked(world, dossier, birth):
    citizen = world.users["citizen"]
    by_code = services.submit(_about(world, procedure="1.001193"), actor=citizen, ip="10.0.5.1")
    assert by_code.procedure_id == birth.procedure_id and by_code.dossier_id is None
    by_dossier = services.submit(_about(world, dossier=dossier.code), actor=citizen, ip="10.0.5.2")
    assert by_dossier.dossier_id == dossier.pk and by_dossier.procedure_id == birth.procedure_id


def test_bad_links_are_refused_and_nothing_is_written(world, dossier):
    citizen, elder = world.users["citizen"], world.users["elder"]
    cases = [
        (_about(world, procedure="9.999999"), citizen, "procedure", "Không tìm thấy thủ tục"),
        (_about(world, procedure="x" * 41), citizen, "procedure", "Không tìm thấy thủ tục"),
        (_about(world, dossier="H21.23575-270101-0001"), citizen, "dossier", "Không tìm thấy hồ sơ"),
        # another person's dossier: the same answer as a code that does not exist
        (_about(world, dossier=dossier.code), elder, "dossier", "Không tìm thấy hồ sơ"),
        (_about(world, dossier=dossier.code), None, "dossier", "đăng nhập"),
    ]
    _procedure("2.000001", "Thủ tục cấp giấy phép xây dựng")
    cases.append(
        (_about(world, dossier=dossier.code, procedure="2.000001"), citizen, "procedure", "không phải")
    )
    for n, (data, actor, field, message) in enumerate(cases):
        with pytest.raises(InvalidFields) as exc:
            services.submit(data, actor=actor, ip=f"10.0.6.{n}")
        assert message in exc.value.errors[field][0], (n, exc.value.errors)
    assert not Report.objects.exists()


def test_the_dossier_is_shown_to_its_reporter_only(client, world, dossier):
    citizen = world.users["citizen"]
    report = services.submit(_about(world, dossier=dossier.code), actor=citizen, ip="10.0.7.1")
    services.act(report.code, "accept", actor=world.users["province_leader"])  # routed to the province
    public = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Thủ tục đăng ký khai sinh" in public and dossier.code not in public
    api = client.get(f"/api/v1/feedback/reports/{report.code}").json()
    assert api["procedure"] == "1.001193" and dossier.code not in str(api)
    login_verified(client, world.users["elder"])
    assert dossier.code not in client.get(f"/phan-anh/{report.code}/").content.decode()
    login_verified(client, citizen)
    assert dossier.code in client.get(f"/phan-anh/{report.code}/").content.decode()
    login_verified(client, world.users["province_leader"])
    assert dossier.code in client.get(f"/phan-anh/xu-ly/{report.code}/").content.decode()
    assert client.get(f"/api/v1/feedback/staff/{report.code}").json()["dossier"] == dossier.code


def test_the_board_and_the_inbox_filter_by_them(client, world, dossier):
    citizen = world.users["citizen"]
    linked = services.submit(_about(world, dossier=dossier.code), actor=citizen, ip="10.0.8.1")
    other = services.submit(
        _about(world, title="Thủ tục cấp phép chậm trả kết quả"), actor=citizen, ip="10.0.8.2"
    )
    for r in (linked, other):
        services.act(r.code, "accept", actor=world.users["province_leader"])
    page = client.get("/phan-anh/?procedure=1.001193").content.decode()
    assert linked.title in page and other.title not in page
    items = client.get("/api/v1/feedback/reports?procedure=1.001193").json()["items"]
    assert [i["code"] for i in items] == [linked.code]
    assert client.get("/api/v1/feedback/reports?procedure=" + "9" * 41).status_code == 422
    login_verified(client, world.users["province_leader"])
    inbox = client.get(f"/phan-anh/xu-ly/?status=all&dossier={dossier.code}").content.decode()
    assert linked.code in inbox and other.code not in inbox
    rows = client.get("/api/v1/feedback/inbox?status=all&procedure=1.001193").json()
    codes = [r["code"] for r in (rows["items"] if isinstance(rows, dict) else rows)]
    assert codes == [linked.code]


def test_the_api_links_the_signed_in_reporters_dossier(client, world, dossier):
    login_verified(client, world.users["citizen"])
    answer = client.post(
        "/api/v1/feedback/reports", _about(world, dossier=dossier.code), REMOTE_ADDR="10.0.9.1"
    )
    assert answer.status_code == 201, answer.content
    assert Report.objects.get(code=answer.json()["code"]).dossier_id == dossier.pk
    client.logout()
    refused = client.post(
        "/api/v1/feedback/reports", _about(world, dossier=dossier.code), REMOTE_ADDR="10.0.9.2"
    )
    assert refused.status_code == 400 and "dossier" in refused.json()["errors"]
