"""Issue 14: officials see what the applicant declared, in the form's own layout (page, printout, API),
and the clerk who receives a dossier — a service centre's clerk, whose membership is at the centre —
prints its receipt and control slip at once; specialists print the control slip. Forbidden cases: a
clerk of another centre, the operations centre's viewer, the applicant through the officials' pages."""

import html
import io
import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.directory.models import Agency, Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import declared, services
from congso.dossiers.models import Channel, Dossier, Status
from congso.dossiers.tests.conftest import pdf
from congso.signing import demo as signing_demo
from congso.signing.models import IssuedDocument
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db

BIRTH_CHOICES = [("nam", "Nam"), ("nu", "Nữ")]
LAYOUT = declared.snapshot(
    [
        (
            "Tờ khai đăng ký khai sinh",
            [
                declared.field_layout("ho_ten_tre", "Họ, chữ đệm, tên của trẻ"),
                declared.field_layout("ngay_sinh", "Ngày, tháng, năm sinh", "date"),
                declared.field_layout("gioi_tinh", "Giới tính", "select", BIRTH_CHOICES),
                declared.field_layout("sinh_doi", "Trẻ sinh đôi", "checkbox"),
                declared.field_layout("ten_sinh_doi", "Tên trẻ sinh đôi"),  # hidden: not answered
            ],
        ),
        (
            "Thông tin cha, mẹ",
            [
                declared.field_layout("ho_ten_me", "Họ, chữ đệm, tên người mẹ"),
                declared.field_layout("ho_ten_cha", "Họ, chữ đệm, tên người cha"),
            ],
        ),
    ]
)
ANSWERS = {
    "ho_ten_me": "Rơ Mah H'Lan",
    "ngay_sinh": "2026-11-02",
    "gioi_tinh": "nu",
    "ho_ten_tre": "Rơ Mah H'Nhi",
    "sinh_doi": False,
    "ho_ten_cha": "Ksor Y Bình",
}


def _dossier(form_data):
    return SimpleNamespace(form_data=form_data)


def test_sections_follow_the_form_with_formatted_values():
    sections = declared.declared_sections(_dossier({"fields": ANSWERS, "declared": LAYOUT}))
    assert [s.title for s in sections] == ["Tờ khai đăng ký khai sinh", "Thông tin cha, mẹ"]
    assert [(r.label, r.value) for r in sections[0].rows] == [
        ("Họ, chữ đệm, tên của trẻ", "Rơ Mah H'Nhi"),
        ("Ngày, tháng, năm sinh", "02/11/2026"),
        ("Giới tính", "Nữ"),
        ("Trẻ sinh đôi", "Không"),
    ]
    assert [r.key for r in sections[1].rows] == ["ho_ten_me", "ho_ten_cha"]  # the form's order
    assert sections[0].rows[1].raw == "2026-11-02"


def test_dossiers_filed_before_the_snapshot_read_from_their_labels():
    legacy = {
        "fields": {"noi_dung": "Xin cấp bản sao", "ngay": "2026-01-05"},
        "labels": {"noi_dung": "Nội dung"},
    }
    (section,) = declared.declared_sections(_dossier(legacy))
    assert [(r.label, r.value) for r in section.rows] == [
        ("Nội dung", "Xin cấp bản sao"),
        ("ngay", "05/01/2026"),
    ]
    assert declared.declared_sections(_dossier({})) == []
    assert declared.declared_sections(_dossier({"online": {"level": "full"}})) == []


@pytest.fixture
def world(agencies, staff, procedure_version, citizen):
    ward = agencies["ward"]
    centre = Agency.objects.create(
        code="H21.23575.01",
        name="Trung tâm Phục vụ hành chính công phường Pleiku",
        kind="service_centre",
        unit=ward.unit,
        parent=ward,
    )
    centre.serves.add(ward)
    other_centre = Agency.objects.create(
        code="H21.23764.01",
        name="Trung tâm Phục vụ hành chính công xã Ia Grai",
        kind="service_centre",
        unit=agencies["other"].unit,
        parent=agencies["other"],
    )
    other_centre.serves.add(agencies["other"])

    def official(username, name, agency, role):
        user = User.objects.create_user(username, full_name=name, kind="official")
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    signing_demo.ensure_ca()  # the ward has a seal: the slips are sealed, as in production
    signing_demo.demo_key(label="seal-ward", kind="seal", common_name=ward.name, agency=ward)
    return {
        **staff,
        "centre_clerk": official("motcua.pleiku", "Đinh Thị Hoa", centre, Role.CLERK),
        "other_centre_clerk": official("motcua.iagrai", "Siu H'Nga", other_centre, Role.CLERK),
        "ioc": official("ioc.gialai", "Đặng Quốc Bảo", ward, Role.IOC_VIEWER),
        "citizen": citizen,
        "offering": Offering.objects.create(agency=ward, procedure=procedure_version.procedure),
    }


@pytest.fixture
def dossier(world, agencies, procedure_version):
    return services.receive(
        actor=world["centre_clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=services.Applicant(
            name="Rơ Mah H'Lan", id_number="064190001234", phone="0905123456", user=world["citizen"]
        ),
        form_data={"fields": ANSWERS, "declared": LAYOUT},
        uploads=[services.Upload("Giấy chứng sinh", pdf(), "giay-chung-sinh.pdf")],
        accept_now=True,
    )


def _pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    return data, "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_centre_clerk_prints_the_sealed_receipt_and_control_slip_at_once(client, world, dossier):
    assert dossier.status == Status.ACCEPTED
    login_verified(client, world["centre_clerk"])
    for key, title in (("receipt", "GIẤY TIẾP NHẬN HỒ SƠ"), ("control", "PHIẾU KIỂM SOÁT")):
        response = client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/{key}/")
        assert response.status_code == 200, (key, response.status_code)
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Frame-Options"] == "SAMEORIGIN"  # shown on the dossier page
        data, text = _pdf_text(response)
        assert dossier.code in text and title in text.upper(), key
        report = verify_pdf(data)
        assert report.ok, (key, report.summary)  # sealed with the ward's seal
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert f"/mot-cua/ho-so/{dossier.code}/phieu/control/" in page


def test_a_specialist_prints_the_control_slip_not_the_receipt(client, world, dossier):
    login_verified(client, world["officer"])
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/control/").status_code == 200
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/receipt/").status_code == 403
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "/phieu/control/" in page and "/phieu/receipt/" not in page  # no link that would be refused


def test_another_centre_the_operations_centre_and_the_applicant_cannot_print(client, world, dossier):
    login_verified(client, world["other_centre_clerk"])
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/receipt/").status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}/slips/receipt").status_code == 404
    login_verified(client, world["ioc"])
    for key in ("receipt", "control"):
        assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/{key}/").status_code == 403
    login_verified(client, world["citizen"])
    for key in ("receipt", "control"):
        assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/{key}/").status_code == 403
        assert client.get(f"/api/v1/dossiers/{dossier.code}/slips/{key}").status_code == 403
    assert not IssuedDocument.objects.filter(code=dossier.code).exists()  # nothing issued for them


def test_the_api_prints_slips_and_lists_those_the_caller_may_print(client, world, dossier):
    login_verified(client, world["officer"])
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert [s["key"] for s in body["slips"]] == ["control"]
    login_verified(client, world["centre_clerk"])
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert {"receipt", "control"} <= {s["key"] for s in body["slips"]}
    receipt = next(s for s in body["slips"] if s["key"] == "receipt")
    response = client.get(receipt["url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/api/v1/dossiers/{dossier.code}/slips/refusal").status_code == 409
    assert client.get(f"/api/v1/dossiers/{dossier.code}/slips/khac").status_code == 404


def test_handlers_see_the_declared_data_in_the_forms_layout(client, world, dossier):
    for who in ("centre_clerk", "officer", "leader", "clerical"):
        login_verified(client, world[who])
        page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
        assert "Thông tin người nộp đã khai" in page, who
        text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
        assert "Họ, chữ đệm, tên của trẻ Rơ Mah H'Nhi" in text, who
        assert "Ngày, tháng, năm sinh 02/11/2026 Giới tính Nữ" in text, who
        assert text.index("Tờ khai đăng ký khai sinh") < text.index("Thông tin cha, mẹ")
        assert "Tên trẻ sinh đôi" not in text
    sheet = client.get(f"/mot-cua/ho-so/{dossier.code}/to-khai/")
    assert sheet.status_code == 200
    sheet_text = sheet.content.decode()
    assert "02/11/2026" in sheet_text and "Giấy chứng sinh" in sheet_text and "Ksor Y Bình" in sheet_text

    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert [s["title"] for s in body["declared"]] == ["Tờ khai đăng ký khai sinh", "Thông tin cha, mẹ"]
    rows = {r["key"]: r for r in body["declared"][0]["rows"]}
    assert rows["ngay_sinh"]["value"] == "02/11/2026" and rows["ngay_sinh"]["raw"] == "2026-11-02"
    assert rows["gioi_tinh"]["value"] == "Nữ" and rows["gioi_tinh"]["raw"] == "nu"


def test_the_operations_centre_sees_no_declared_data(client, world, dossier):
    login_verified(client, world["ioc"])
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert page and "Thông tin người nộp đã khai" not in page and "02/11/2026" not in page
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/to-khai/").status_code == 403
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["declared"] is None and "fields" not in body["form_data"]
    login_verified(client, world["other_centre_clerk"])
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/to-khai/").status_code == 404


def test_receiving_at_the_counter_opens_the_slips_to_print(client, world):
    login_verified(client, world["centre_clerk"])
    offering = world["offering"]
    response = client.post(
        f"/mot-cua/tiep-nhan/?offering={offering.pk}",
        {
            "offering": offering.pk,
            "channel": 1,
            "applicant_name": "Hoàng Thị Lan",
            "applicant_phone": "0988777666",
            "file_0": SimpleUploadedFile("to-khai.pdf", pdf()),
            "file_1": SimpleUploadedFile("giay-chung-sinh.pdf", pdf()),
            "decision": "accept",
        },
    )
    d = Dossier.objects.get(applicant_name="Hoàng Thị Lan")
    assert d.status == Status.ACCEPTED
    assert response.status_code == 302
    assert response["Location"] == f"/mot-cua/ho-so/{d.code}/?in=giay-hen#in-ngay"
    page = client.get(response["Location"]).content.decode()
    assert 'id="in-ngay"' in page
    assert "Hồ sơ không có tờ khai điện tử: nội dung do người nộp khai trên tờ khai giấy" in page
    assert f'<iframe class="print-now__frame" src="/mot-cua/ho-so/{d.code}/phieu/receipt/"' in page
    assert f'href="/mot-cua/ho-so/{d.code}/phieu/control/"' in page
    assert client.get(f"/mot-cua/ho-so/{d.code}/phieu/receipt/").status_code == 200
    # without the flag, the page does not open the slip again
    assert 'id="in-ngay"' not in client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
