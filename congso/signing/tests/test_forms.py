"""The seven one-stop forms: A5/A4, Vietnamese text with embedded fonts, dossier code, QR, header, signed."""

import datetime
import io

import pytest
from pypdf import PdfReader

from congso.signing import official_forms as forms
from congso.signing.keystore import SigningError
from congso.signing.models import IssuedDocument
from congso.signing.services import create_document_record, record_url
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db

A5 = (419.5, 595.3)
A4_LANDSCAPE = (841.9, 595.3)


def _steps(data):
    at = data.received_at
    data.steps = [
        forms.ControlStep(
            "Bộ phận một cửa — Trần Thị Lan",
            "Phòng Quản lý xây dựng — Võ Văn Tâm",
            at,
            at + datetime.timedelta(days=10),
            "Chuyển xử lý",
        ),
        forms.ControlStep(
            "Phòng Quản lý xây dựng",
            "Lãnh đạo — Nguyễn Văn Hùng",
            at + datetime.timedelta(days=9),
            at + datetime.timedelta(days=12),
            "Trình ký",
        ),
    ]
    return data


def _rows(data):
    data.period = "tháng 11/2026"
    data.rows = [
        forms.LogRow(
            f"{data.agency.code}-2611{day:02d}-{n:04d}",
            "Phạm Thị Hoa",
            "Cấp giấy phép xây dựng",
            data.received_at,
            data.appointment_at,
            None,
            "Đang giải quyết",
        )
        for day, n in ((3, 1), (5, 2), (12, 3))
    ]
    return data


ISSUERS = [
    (forms.issue_receipt, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", A5, None),
    (forms.issue_supplement_request, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", A5, None),
    (forms.issue_refusal, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", A5, None),
    (forms.issue_apology, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", A5, None),
    (forms.issue_stop_notice, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", A5, None),
    (forms.issue_control_sheet, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", A5, _steps),
    (forms.issue_log_book, "SỔ THEO DÕI HỒ SƠ", A4_LANDSCAPE, _rows),
]


def _text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _fonts_embedded(reader):
    fonts = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                fonts.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    return fonts


@pytest.mark.parametrize("issue, heading, size, prepare", ISSUERS, ids=[i[0].__name__ for i in ISSUERS])
def test_each_form_is_a_signed_pdf_with_code_qr_and_national_header(
    issue, heading, size, prepare, clerk, seal_key, receipt_data
):
    data = prepare(receipt_data) if prepare else receipt_data
    data.new_appointment_at = data.appointment_at + datetime.timedelta(days=5)
    document, pdf = issue(data, actor=clerk)
    reader, text = _text(pdf)
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width, 1), round(height, 1)) == size
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert heading in text.upper()
    assert data.dossier_code in text
    fonts = _fonts_embedded(reader)
    assert fonts and all(fonts)
    # the QR code is an image on the first page and encodes the record's address
    assert "Quét để xác thực" in text
    assert document.kind in IssuedDocument.Kind.values
    assert document.sha256
    report = verify_pdf(pdf)
    assert report.ok, report.as_dict()
    assert report.signatures[0].signer_name == seal_key.signer_name


def test_slips_fit_on_one_a5_page(clerk, seal_key, receipt_data):
    _document, pdf = forms.issue_receipt(receipt_data, actor=clerk)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_the_qr_code_encodes_the_record_url(receipt_data, clerk, seal_key, settings):
    document = create_document_record(
        kind="receipt", code=receipt_data.dossier_code, title="Giấy tiếp nhận", agency=seal_key.agency
    )
    url = record_url(document)
    assert url.startswith(settings.SITE_URL) and str(document.pk) in url
    rendered = forms.render_form("receipt", receipt_data, qr_url=url)
    assert rendered.signature_box is not None
    x1, y1, x2, y2 = rendered.signature_box
    assert 0 < x1 < x2 <= A5[0] and 0 < y1 < y2 <= A5[1]


def test_a_printed_form_can_be_issued_unsigned(clerk, centre, receipt_data, demo_ca):
    document, pdf = forms.issue_receipt(receipt_data, actor=clerk, electronic=False)
    assert document.sha256 and not document.signatures.exists()
    assert not verify_pdf(pdf).signatures


def test_an_agency_without_a_seal_key_gets_a_clear_message(clerk, centre, receipt_data, demo_ca):
    with pytest.raises(SigningError, match="chưa có khoá ký số"):
        forms.issue_receipt(receipt_data, actor=clerk)
    assert not IssuedDocument.objects.exists()


def test_forms_never_fetch_from_the_network(receipt_data):
    fetcher = forms._local_only_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://fonts.example.com/font.ttf")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_a_partially_online_dossier_says_what_is_still_done_in_person(clerk, seal_key, receipt_data):
    receipt_data.in_person = ["Mang bản chính Giấy chứng sinh để cán bộ đối chiếu khi nhận kết quả."]
    receipt_data.result_place = "Ủy ban nhân dân phường Pleiku (Quầy số 2)"
    for issue in (forms.issue_submission_receipt, forms.issue_receipt):
        _document, pdf = issue(receipt_data, actor=clerk)
        reader, text = _text(pdf)
        assert "Dịch vụ công trực tuyến một phần" in text
        assert "Mang bản chính Giấy chứng sinh" in text
        assert "Nhận kết quả trực tiếp tại bộ phận một cửa: Ủy ban nhân dân phường Pleiku (Quầy số 2)" in text
        assert len(reader.pages) == 1
    receipt_data.in_person, receipt_data.result_place = [], ""
    _document, pdf = forms.issue_submission_receipt(receipt_data, actor=clerk)
    assert "trực tuyến một phần" not in _text(pdf)[1]
