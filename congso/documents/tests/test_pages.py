"""The pages: inbox, registering an incoming document, a document's actions, registers, dashboard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.directory.testing import login_verified
from congso.documents import services
from congso.documents.models import Document
from congso.documents.testing import pdf_bytes

pytestmark = pytest.mark.django_db


def test_clerical_registers_a_scan_and_routes_it_the_leader_assigns(client, world):
    u = world.users
    login_verified(client, u["clerical"])
    assert client.get("/van-ban/").status_code == 200
    page = client.get("/van-ban/den/moi/")
    assert page.status_code == 200 and "nội dung văn bản mật không được lưu" in page.content.decode()
    bad = client.post("/van-ban/den/moi/", {"doc_type": "", "subject": ""})
    assert bad.status_code == 400 and "Nhập trích yếu" in bad.content.decode()
    doc_type = Document._meta.get_field("doc_type").related_model.objects.get(abbreviation="CT")
    response = client.post(
        "/van-ban/den/moi/",
        {
            "doc_type": doc_type.pk,
            "subject": "Chỉ thị về tăng cường chuyển đổi số",
            "symbol": "05/CT-UBND",
            "issued_on": "01/12/2026",
            "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
            "urgency": 3,
            "file": SimpleUploadedFile("chi-thi.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    doc = Document.objects.get()
    assert response.status_code == 302 and doc.urgency == 3 and doc.file
    detail = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Hỏa tốc" in detail and "Trình lãnh đạo" in detail
    client.post(f"/van-ban/{doc.pk}/thao-tac/", {"action": "route"})
    doc.refresh_from_db()
    assert doc.status == "routed"
    assert client.get(f"/van-ban/{doc.pk}/tep/").status_code == 200
    login_verified(client, u["leader"])
    client.post(
        f"/van-ban/{doc.pk}/thao-tac/", {"action": "assign", "lead": u["officer"].pk, "working_days": 5}
    )
    doc.refresh_from_db()
    assert doc.status == "in_progress"
    assert client.get("/van-ban/dieu-hanh/").status_code == 200
    Document.objects.filter(pk=doc.pk).update(handling_deadline="2026-01-05")
    assert "Quá hạn" in client.get("/van-ban/?tab=in").content.decode()
    login_verified(client, u["other_admin"])
    assert client.get(f"/van-ban/{doc.pk}/").status_code == 403
    assert client.get(f"/van-ban/{doc.pk}/tep/").status_code == 403


def test_registers_page_and_excel_export(client, world):
    u = world.users
    services.register_incoming(
        actor=u["clerical"],
        agency=world.agencies["justice"],
        metadata={
            "doc_type": "TB",
            "subject": "Thông báo lịch tiếp công dân",
            "symbol": "12/TB-UBND",
            "issued_on": "01/12/2026",
            "issuing_organ": "UBND tỉnh Gia Lai",
        },
    )
    login_verified(client, u["clerical"])
    page = client.get("/van-ban/so-dang-ky/")
    assert page.status_code == 200 and "Sổ văn bản đến" in page.content.decode()
    reg = world.registers[("in", False)]
    xlsx = client.get(f"/van-ban/so-dang-ky/{reg.pk}/excel/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert ws["D7"].value == "12/TB-UBND"
    login_verified(client, u["officer"])
    assert client.get(f"/van-ban/so-dang-ky/{reg.pk}/excel/").status_code == 403


def test_search_ignores_diacritics_and_permissions(world):
    from congso.documents import selectors

    u = world.users
    services.register_incoming(
        actor=u["clerical"],
        agency=world.agencies["justice"],
        metadata={
            "doc_type": "KH",
            "subject": "Kế hoạch chuyển đổi số năm 2027",
            "symbol": "88/KH-UBND",
            "issued_on": "01/12/2026",
            "issuing_organ": "UBND tỉnh Gia Lai",
        },
    )
    assert [d.symbol for d in selectors.search(u["clerical"], "chuyen doi so")] == ["88/KH-UBND"]
    assert list(selectors.search(u["other_admin"], "chuyen doi so")) == []
