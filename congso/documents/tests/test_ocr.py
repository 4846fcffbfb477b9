"""OCR of scanned incoming documents (ADR 0169): a scan registered by văn thư is read by Tesseract's
Vietnamese model in a background job after registration; its text is kept apart, shown for checking,
correctable, and searchable without diacritics."""

import pytest
from django.core.exceptions import PermissionDenied

from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.documents import ocr, selectors, services
from congso.documents.models import Document
from congso.documents.testing import pdf_bytes, scan_pdf

pytestmark = pytest.mark.django_db
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr, tesseract-ocr-vie, poppler-utils")

LINES = ["ỦY BAN NHÂN DÂN TỈNH GIA LAI", "CHỈ THỊ", "Về việc phòng cháy chữa cháy rừng", "mùa khô năm 2027"]
META = {
    "doc_type": "CT",
    "subject": "Chỉ thị của Ủy ban nhân dân tỉnh",
    "symbol": "07/CT-UBND",
    "issued_on": "01/12/2026",
    "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.CONGSO_OCR_DPI = 200


@needs_ocr
def test_a_scanned_pdf_becomes_searchable_by_a_word_of_its_text(world, django_capture_on_commit_callbacks):
    u = world.users
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.register_incoming(
            actor=u["clerical"], agency=world.agencies["justice"], metadata=META, upload=scan_pdf(LINES)
        )
        assert doc.ocr_state == Document.OcrState.PENDING and doc.text == ""
        assert list(selectors.search(u["clerical"], "chua chay rung")) == []
    doc.refresh_from_db()  # the job ran once the registration committed
    assert doc.ocr_state == Document.OcrState.DONE and doc.ocr_at
    assert "phòng cháy chữa cháy rừng" in doc.ocr_text
    assert [d.pk for d in selectors.search(u["clerical"], "chua chay rung")] == [doc.pk]
    assert list(selectors.search(u["other_admin"], "chua chay rung")) == []  # permission filter holds
    assert AuditEntry.objects.filter(action="documents.ocr", object_id=str(doc.pk)).exists()


@needs_ocr
def test_a_scanned_image_is_read_too_and_clerical_corrects_the_text(world, client):
    u = world.users
    doc = services.register_incoming(
        actor=u["clerical"],
        agency=world.agencies["justice"],
        metadata=META,
        upload=scan_pdf(LINES, image=True),
    )
    services.run_ocr(doc)
    doc.refresh_from_db()
    assert "mùa khô" in doc.ocr_text
    login_verified(client, u["clerical"])
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Nội dung nhận dạng từ bản quét (OCR)" in page and "mùa khô" in page
    client.post(
        f"/van-ban/{doc.pk}/thao-tac/", {"action": "ocr_text", "text": "Chỉ thị về bảo vệ rừng thông"}
    )
    doc.refresh_from_db()
    assert doc.ocr_text == "Chỉ thị về bảo vệ rừng thông"
    assert [d.pk for d in selectors.search(u["clerical"], "rung thong")] == [doc.pk]
    api = client.get(f"/api/v1/documents/{doc.pk}/ocr").json()
    assert api["ocr_state"] == "done" and api["ocr_text"] == doc.ocr_text


def test_a_pdf_with_a_text_layer_or_a_paper_registration_needs_no_ocr(world):
    u = world.users
    paper = services.register_incoming(actor=u["clerical"], agency=world.agencies["justice"], metadata=META)
    assert paper.ocr_state == ""
    assert services.needs_ocr("pdf", "Quyết định về việc ban hành quy chế công tác văn thư") is False
    assert services.needs_ocr("pdf", "") is True and services.needs_ocr("png", "") is True
    assert services.run_ocr(paper) is None


def test_only_clerical_corrects_and_nothing_changes_on_refusal(world, client):
    u = world.users
    doc = services.register_incoming(
        actor=u["clerical"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    assert doc.ocr_state == Document.OcrState.PENDING  # a blank page has no text layer: a scan
    with pytest.raises(ServiceError):
        services.correct_ocr(doc, actor=u["clerical"], text="x")  # not read yet
    Document.objects.filter(pk=doc.pk).update(ocr_state="done", ocr_text="bản gốc")
    for who in ("leader", "officer", "cx_clerical"):
        with pytest.raises(PermissionDenied):
            services.correct_ocr(doc, actor=u[who], text="sửa trái phép")
    login_verified(client, u["cx_clerical"])
    answer = client.put(f"/api/v1/documents/{doc.pk}/ocr", {"text": "sửa"}, content_type="application/json")
    assert answer.status_code == 403
    doc.refresh_from_db()
    assert doc.ocr_text == "bản gốc"


def test_ocr_waits_when_tesseract_is_missing(world, monkeypatch):
    u = world.users
    doc = services.register_incoming(
        actor=u["clerical"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    assert services.run_ocr(doc) is None
    doc.refresh_from_db()
    assert doc.ocr_state == Document.OcrState.PENDING and services.pending_ocr() == [doc.pk]


def test_a_broken_scan_is_marked_failed_and_can_be_read_again(world, monkeypatch):
    u = world.users
    doc = services.register_incoming(
        actor=u["clerical"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )

    def broken(content, kind):
        raise ocr.OcrFailed("tesseract: image too small")

    monkeypatch.setattr(ocr, "extract", broken)
    services.run_ocr(doc)
    doc.refresh_from_db()
    assert doc.ocr_state == Document.OcrState.FAILED and "too small" in doc.ocr_error
    services.retry_ocr(doc, actor=u["clerical"])
    doc.refresh_from_db()
    assert doc.ocr_state == Document.OcrState.PENDING and doc.ocr_error == ""
