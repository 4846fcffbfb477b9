"""Issue 14: the operations centre's viewer (IOC) sees dossiers as aggregates — codes, states, steps
and dates — with personal data masked: the applicant's initials only; no CCCD, phone, e-mail or
address, no declared data, no files, no slips, no notes; on the pages and in the API alike."""

import pytest

from congso.core.models import AuditEntry
from congso.directory.models import Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.selectors import initials
from congso.dossiers.services import Upload

from .conftest import _official, pdf

pytestmark = pytest.mark.django_db

PERSONAL = ["Nguyễn Văn An", "052095001234", "0905123456", "an.nguyen@example.vn", "Tổ 3, phường Pleiku"]


@pytest.fixture
def ioc(agencies):
    return _official("ioc.gialai", "Đặng Quốc Bảo", agencies["ward"], Role.IOC_VIEWER)


@pytest.fixture
def dossier(staff, agencies, procedure_version, applicant):
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=[Upload("Tờ khai đăng ký khai sinh", pdf(), "to-khai.pdf")],
        accept_now=True,
    )
    Dossier.objects.filter(pk=d.pk).update(
        form_data={"ho_ten_tre": "Nguyễn Gia Bảo", "ngay_sinh": "2026-11-02"}
    )
    services.forward(d.pk, actor=staff["officer"], note="Đã gọi điện cho ông Nguyễn Văn An, 0905123456")
    return Dossier.objects.get(pk=d.pk)


def test_initials():
    assert initials("Nguyễn Văn An") == "N. V. A."
    assert initials("Rơ Châm H'Len") == "R. C. H."
    assert initials("") == ""


def test_the_page_shows_codes_states_and_dates_with_personal_data_masked(client, ioc, dossier):
    login_verified(client, ioc)
    response = client.get(f"/mot-cua/ho-so/{dossier.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html and "Đang xử lý" in html and "N. V. A." in html
    assert "Lãnh đạo phòng xem xét, trình ký" in html  # the step it is at
    for value in [*PERSONAL, "Nguyễn Gia Bảo", "Đã gọi điện"]:
        assert value not in html, value
    assert "/tep/" not in html and "/thao-tac/" not in html and "/phieu/" not in html
    attachment = dossier.attachments.first()
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/receipt/").status_code == 403
    read = AuditEntry.objects.filter(action="dossier.read", actor_id=ioc.pk).latest("id")
    assert read.data["masked"] is True


def test_the_api_masks_the_same(client, ioc, dossier):
    login_verified(client, ioc)
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["code"] == dossier.code and body["status"] == dossier.status and body["due_at"]
    assert body["applicant_name"] == "N. V. A."
    for field in ("applicant_id_number", "applicant_phone", "applicant_email", "applicant_address"):
        assert body[field] == ""
    assert body["form_data"] == {} and body["attachments"] == [] and body["actions"] == []
    assert all(e["note"] == "" and e["data"] == {} for e in body["timeline"])
    assert [s["name"] for s in body["steps"]][-1] == "Lãnh đạo phòng xem xét, trình ký"
    listed = client.get("/api/v1/dossiers?box=all").json()["items"]
    assert [(r["code"], r["applicant_name"]) for r in listed] == [(dossier.code, "N. V. A.")]


def test_officials_who_handle_it_still_see_everything(client, staff, dossier):
    login_verified(client, staff["leader"])
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["applicant_name"] == "Nguyễn Văn An" and body["applicant_id_number"] == "052095001234"
    assert body["form_data"]["ho_ten_tre"] == "Nguyễn Gia Bảo" and body["attachments"]
    html = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "052095001234" in html
