"""The public verification page, the QR record page, the API and the sign command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from congso.signing import services
from congso.signing.models import IssuedDocument

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(leader, leader_key, seal_key, one_page_pdf):
    document = services.create_document_record(
        kind=IssuedDocument.Kind.RESULT,
        code="125/GP-TTPVHCC",
        title="Giấy phép xây dựng",
        agency=seal_key.agency,
        actor=leader,
    )
    return document, services.issue_pdf(one_page_pdf, document, actor=leader, keys=[leader_key, seal_key])


def _upload(data, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_verify_page_is_public_and_vietnamese(client):
    response = client.get(reverse("signing:verify"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xác thực văn bản điện tử" in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("signing:verify") == "/xac-thuc/"


def test_uploading_a_valid_result_shows_each_signature(client, result):
    document, pdf = result
    response = client.post(reverse("signing:verify"), {"file": _upload(pdf)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "HỢP LỆ" in html and "Nguyễn Văn Hùng" in html
    assert "Chữ ký 2" in html
    assert reverse("signing:record", args=[document.pk]) in html


def test_uploading_a_tampered_result_says_so(client, result):
    _document, pdf = result
    html = client.post(
        reverse("signing:verify"), {"file": _upload(helpers.flip_byte_in_signed_content(pdf))}
    ).content.decode()
    assert "KHÔNG HỢP LỆ" in html and "bị sửa" in html


def test_uploading_a_non_pdf_says_so_without_error(client, demo_ca):
    response = client.post(reverse("signing:verify"), {"file": _upload(b"\x89PNG\r\n\x1a\n....", "anh.png")})
    assert response.status_code == 200
    assert "không phải là tài liệu PDF" in response.content.decode()


def test_posting_without_a_file_shows_the_error_summary(client):
    response = client.post(reverse("signing:verify"), {})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def test_the_qr_record_page_shows_code_agency_date_and_hash(client, result):
    document, pdf = result
    response = client.get(reverse("signing:record", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("125/GP-TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh Gia Lai", document.sha256):
        assert expected in html
    matched = client.post(
        reverse("signing:record", args=[document.pk]), {"file": _upload(pdf)}
    ).content.decode()
    assert "TRÙNG KHỚP" in matched and "KHÔNG TRÙNG KHỚP" not in matched


def test_an_unknown_record_is_404(client):
    assert client.get("/xac-thuc/6f1c1f6e-0000-4000-8000-000000000000/").status_code == 404


def test_api_verify(client, result):
    document, pdf = result
    response = client.post("/api/v1/signatures/verify", {"file": _upload(pdf)})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and len(body["signatures"]) == 2
    assert body["signatures"][0]["signer"] == "Nguyễn Văn Hùng"
    assert body["signatures"][0]["later_signatures_only"] is True
    assert body["record"]["code"] == "125/GP-TTPVHCC"


def test_api_verify_reports_bad_input_without_a_500(client, demo_ca):
    response = client.post("/api/v1/signatures/verify", {"file": _upload(b"Hello, not a PDF")})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and "không phải là tài liệu PDF" in body["error"]


def test_api_record(client, result):
    document, _pdf = result
    body = client.get(f"/api/v1/signatures/records/{document.pk}").json()
    assert body["code"] == "125/GP-TTPVHCC" and body["sha256"] == document.sha256
    assert [s["kind"] for s in body["signatures"]] == ["personal", "seal"]


def test_api_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/signatures/verify" in schema["paths"]


def test_sign_command(tmp_path, seal_key, one_page_pdf, capsys):
    source = tmp_path / "cong-van.pdf"
    source.write_bytes(one_page_pdf)
    call_command("sign", str(source), "--key", seal_key.label)
    signed = tmp_path / "cong-van-signed.pdf"
    assert signed.exists()
    call_command("verify", str(signed))
    assert "Tài liệu hợp lệ" in capsys.readouterr().out


def test_sign_command_errors_are_clear(tmp_path, seal_key):
    from django.core.management.base import CommandError

    bad = tmp_path / "anh.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    with pytest.raises(CommandError, match="không phải là tài liệu PDF"):
        call_command("sign", str(bad), "--key", seal_key.label)
    with pytest.raises(CommandError, match="Không có khoá"):
        call_command("sign", str(bad), "--key", "khong-ton-tai")
    with pytest.raises(CommandError, match="Không đọc được"):
        call_command("sign", str(tmp_path / "khong-co.pdf"), "--key", seal_key.label)


def test_verify_command_on_a_non_pdf_exits_non_zero(tmp_path, demo_ca, capsys):
    bad = tmp_path / "bang-tinh.xlsx"
    bad.write_bytes(b"PK\x03\x04 spreadsheet")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify", str(bad))
    assert exit_info.value.code == 1
    assert "không phải là tài liệu PDF" in capsys.readouterr().out


def test_english_translation_of_the_verify_page(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("signing:verify")).content.decode()
    assert "Verify an electronic document" in html


@pytest.mark.browser
def test_verify_page_is_accessible_on_a_phone(phone_page, axe, result, tmp_path, live_server):
    _document, pdf = result
    phone_page.goto("/xac-thuc/")
    axe(phone_page, "trang xác thực")
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(pdf)
    phone_page.set_input_files("input[type=file]", str(path))
    phone_page.get_by_role("button", name="Xác thực", exact=True).click()
    phone_page.get_by_text("HỢP LỆ").first.wait_for()
    axe(phone_page, "kết quả xác thực")


@pytest.mark.browser
def test_record_page_is_accessible(page, axe, result):
    document, _pdf = result
    page.goto(f"/xac-thuc/{document.pk}/")
    page.get_by_text("125/GP-TTPVHCC").wait_for()
    axe(page, "bản ghi văn bản")


def test_api_refuses_an_oversized_upload(client, settings):
    settings.CONGSO_MAX_UPLOAD_BYTES = 1024
    response = client.post("/api/v1/signatures/verify", {"file": _upload(b"%PDF-1.7\n" + b"0" * 4096)})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.json()["detail"]


def test_the_page_refuses_an_oversized_upload(client, settings):
    settings.CONGSO_MAX_UPLOAD_BYTES = 1024
    response = client.post(reverse("signing:verify"), {"file": _upload(b"%PDF-1.7\n" + b"0" * 4096)})
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
