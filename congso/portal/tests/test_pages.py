import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from congso.dossiers import services as dossier_services
from congso.dossiers.models import Dossier
from congso.portal import services
from congso.portal.models import Draft

from .conftest import BIRTH_ANSWERS
from .test_services import ready_draft

START = "/dich-vu-cong/?thu-tuc=1.001193&co-quan=H21.23575"


def _start(client):
    response = client.post("/dich-vu-cong/", {"thu-tuc": "1.001193", "co-quan": "H21.23575"})
    assert response.status_code == 302
    return Draft.objects.get(), response["Location"]


def test_start_page_without_parameters_lists_drafts(citizen_client, birth_form):
    html = citizen_client.get("/dich-vu-cong/").content.decode()
    assert 'action="/thu-tuc/"' in html and "Bạn chưa có hồ sơ nháp nào." in html
    draft, _url = _start(citizen_client)
    html = citizen_client.get("/dich-vu-cong/").content.decode()
    assert reverse("portal:resume", args=[draft.pk]) in html


def test_procedure_page_asks_anonymous_to_log_in(client, birth_form):
    html = client.get(START).content.decode()
    assert "Đăng nhập để nộp hồ sơ" in html and "Giấy chứng sinh" in html
    assert client.post("/dich-vu-cong/", {"thu-tuc": "1.001193", "co-quan": "H21.23575"}).status_code == 302
    assert Draft.objects.count() == 0


def test_procedure_closed_online_is_explained(citizen_client, online):
    online.online_open = False
    online.save()
    response = citizen_client.get(START)
    assert response.status_code == 403
    assert "chưa mở nộp hồ sơ trực tuyến" in response.content.decode()
    response = citizen_client.post("/dich-vu-cong/", {"thu-tuc": "1.001193", "co-quan": "H21.23575"})
    assert response.status_code == 403 and Draft.objects.count() == 0
    assert citizen_client.get("/dich-vu-cong/?thu-tuc=9.999999").status_code == 404


def test_full_flow_without_javascript(citizen_client, citizen, birth_form, pdf_bytes):
    draft, url = _start(citizen_client)
    assert url == f"/dich-vu-cong/ho-so-nhap/{draft.pk}/nguoi-nop/"
    html = citizen_client.get(url).content.decode()
    assert "Bước 1/5" in html and 'value="052095001234"' in html and 'id="id_phone"' in html

    applicant = dict(draft.data["applicant"])
    response = citizen_client.post(url, {**applicant, "phone": "12"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in html and 'href="#id_phone"' in html
    draft.refresh_from_db()
    assert draft.data["applicant"]["phone"] == "12"  # what was typed is kept in the draft
    response = citizen_client.post(url, applicant)
    assert response["Location"].endswith("/thong-tin/")

    details = response["Location"]
    html = citizen_client.get(details).content.decode()
    assert "Bước 2/5" in html and 'id="id_f_ho_ten_tre"' in html and "Quay lại" in html
    assert "Chỉ điền khi “Nơi sinh” là “Ngoài cơ sở y tế”." in html
    response = citizen_client.post(details, {"f_ho_ten_tre": "NGUYỄN MINH KHANG"})
    assert response.status_code == 200 and "Cần nhập thông tin này." in response.content.decode()
    response = citizen_client.post(details, {f"f_{k}": v for k, v in BIRTH_ANSWERS.items()})
    assert response["Location"].endswith("/tai-lieu/")

    uploads = response["Location"]
    html = citizen_client.get(uploads).content.decode()
    assert "Bước 3/5" in html and 'id="id_file_c1"' in html and "1 bản chính, 0 bản sao" in html
    response = citizen_client.post(uploads, {"action": "next"})
    assert "Cần tải lên “Giấy chứng sinh”." in response.content.decode()
    response = citizen_client.post(
        uploads,
        {
            "action": "upload",
            "component": "Giấy chứng sinh",
            "file": SimpleUploadedFile("a.exe", b"MZ\x90\x00"),
        },
    )
    assert "không phải là PDF" in response.content.decode()
    response = citizen_client.post(
        uploads,
        {"action": "upload", "component": "Giấy chứng sinh", "file": SimpleUploadedFile("cs.pdf", pdf_bytes)},
    )
    assert response.status_code == 302
    response = citizen_client.post(uploads, {"action": "next"})
    assert response["Location"].endswith("/kiem-tra/")

    review = response["Location"]
    html = citizen_client.get(review).content.decode()
    assert "Bước 4/5" in html and "NGUYỄN MINH KHANG" in html and "02/11/2026" in html and "cs.pdf" in html
    assert "Bệnh viện Đa khoa tỉnh Gia Lai" in html and "Nam" in html
    response = citizen_client.post(review)
    assert response["Location"].endswith("/cam-doan/")

    declaration = response["Location"]
    html = citizen_client.get(declaration).content.decode()
    assert "Bước 5/5" in html and "Tôi xin cam đoan" in html
    response = citizen_client.post(declaration, {"idempotency_key": "k1"})
    assert "Cần đánh dấu ô cam đoan" in response.content.decode() and Dossier.objects.count() == 0
    response = citizen_client.post(declaration, {"idempotency_key": "k1", "declaration": "true"})
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/dich-vu-cong/da-nop/{dossier.code}/"
    # a second click on the same page: the same dossier
    response = citizen_client.post(declaration, {"idempotency_key": "k2", "declaration": "true"})
    assert response["Location"] == f"/dich-vu-cong/da-nop/{dossier.code}/"
    assert Dossier.objects.count() == 1

    html = citizen_client.get(f"/dich-vu-cong/da-nop/{dossier.code}/").content.decode()
    assert dossier.code in html and 'id="appointment"' in html and 'id="receipt-link"' in html
    assert "Tải biên nhận hồ sơ nộp trực tuyến" in html and 'id="receipt-pending"' in html
    response = citizen_client.get(f"/dich-vu-cong/da-nop/{dossier.code}/giay-tiep-nhan/")
    assert response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "biên nhận hồ sơ nộp trực tuyến" in text.lower() and dossier.code in text
    assert "NGƯỜI TIẾP NHẬN" not in text  # the system received it, not an official


def test_other_citizen_gets_404(client, citizen_client, other_citizen, birth_form, pdf_bytes):
    draft, url = _start(citizen_client)
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X"}).status_code == 404
    assert client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/xoa/").status_code == 404
    assert client.post(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/xoa/").status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_expired_draft_page(citizen_client, birth_form):
    draft, url = _start(citizen_client)
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    response = citizen_client.get(url)
    assert response.status_code == 410 and "đã hết hạn lưu" in response.content.decode()
    html = citizen_client.get("/dich-vu-cong/ho-so-nhap/").content.decode()
    assert "Đã hết hạn." in html


def test_delete_draft(citizen_client, birth_form):
    draft, _url = _start(citizen_client)
    response = citizen_client.post(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/xoa/")
    assert response.status_code == 302 and not Draft.objects.exists()


def test_done_page_only_for_own_dossier(client, citizen, profile, other_citizen, birth_form, pdf_bytes):
    dossier = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    client.force_login(other_citizen)
    assert client.get(f"/dich-vu-cong/da-nop/{dossier.code}/").status_code == 404
    assert client.get(f"/dich-vu-cong/da-nop/{dossier.code}/giay-tiep-nhan/").status_code == 404


def test_receipt_after_the_counter_accepts(client, citizen, profile, staff, birth_form, pdf_bytes):
    dossier = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    dossier_services.accept(dossier.pk, actor=staff["clerk"])
    client.force_login(citizen)
    response = client.get(f"/dich-vu-cong/da-nop/{dossier.code}/giay-tiep-nhan/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
