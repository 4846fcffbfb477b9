"""The text layer and page count of a PDF, read by PDFium (ADR 0186)."""

import pytest

from congso.core import pdftext

weasyprint = pytest.importorskip("weasyprint")


def _pdf(html: str) -> bytes:
    return weasyprint.HTML(string=f"<html lang='vi'><body>{html}</body></html>").write_pdf()


def test_the_text_of_a_born_digital_decision_reads_in_vietnamese():
    data = _pdf(
        "<h1>QUYẾT ĐỊNH</h1><p>Về việc kiện toàn Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Gia Lai</p>"
        "<p style='page-break-before: always'>Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.</p>"
    )
    text = pdftext.text(data)
    assert "QUYẾT ĐỊNH" in text and "giáo dục pháp luật tỉnh Gia" in text and "Lai" in text
    assert "có hiệu lực thi hành" in text
    assert "\r" not in text and "\x00" not in text
    assert pdftext.page_count(data) == 2


def test_pages_and_characters_are_bounded():
    data = _pdf("".join(f"<p style='page-break-after: always'>Trang số {i}</p>" for i in range(1, 6)))
    assert "Trang số 3" not in pdftext.text(data, max_pages=2)
    assert len(pdftext.text(data, max_chars=12)) == 12


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.7\n garbage", b"MZ\x90\x00 not a pdf", b"%PDF-1.4\n" + b"\x00" * 64]
)
def test_what_pdfium_cannot_open_has_no_text_and_no_pages(data):
    assert pdftext.text(data) == ""
    assert pdftext.page_count(data) is None


def test_one_session_gives_the_page_count_and_the_same_text():
    data = _pdf(
        "<p>Kính gửi: Ủy ban nhân dân xã Ia Grai</p>"
        "<p style='page-break-before: always'>Trang hai: đề nghị báo cáo trước ngày 15/12/2026.</p>"
    )
    assert pdftext.examine(data, with_text=True) == (2, pdftext.text(data))
    assert pdftext.examine(data) == (2, "")  # the text only when asked
    assert pdftext.examine(b"%PDF-1.7\n garbage", with_text=True) == (None, "")


def test_the_upload_check_reads_the_text_when_asked():
    from congso.core import uploads

    data = _pdf("<p>Quyết định số 15/QĐ-UBND về chuyển đổi số</p>")
    checked = uploads.inspect_upload(data, read_text=True)
    assert checked.pages == 1 and "chuyển đổi số" in checked.text
    assert uploads.inspect_upload(data).text is None  # not asked: not read
