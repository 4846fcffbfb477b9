"""Public catalogue pages: search, browse, procedure page, QR code, printable, submit-online link."""

import pytest

from congso.catalog.models import FormTemplateFile, Offering
from congso.catalog.services import get_procedure

pytestmark = pytest.mark.django_db


def test_home_and_nav_link_to_the_search_page(client, imported):
    html = client.get("/").content.decode()
    assert 'href="/thu-tuc/"' in html


def test_browse_by_field(client, imported):
    html = client.get("/thu-tuc/").content.decode()
    assert "Xem theo lĩnh vực" in html
    assert "Hộ tịch" in html
    html = client.get("/thu-tuc/", {"field": "Hộ tịch", "level": "commune"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in html


def test_search_without_diacritics(client, imported):
    html = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert 'href="/thu-tuc/1.001193/"' in html
    html = client.get("/thu-tuc/", {"q": "zzzqqq"}).content.decode()
    assert "Không có thủ tục phù hợp" in html


def test_bad_query_parameters_never_fail(client, imported):
    for params in (
        {"trang": "abc"},
        {"level": "vutru"},
        {"q": "x" * 500},
        {"trang": "999", "q": "khai sinh"},
    ):
        assert client.get("/thu-tuc/", params).status_code == 200


def test_procedure_page_has_what_a_citizen_needs(client, imported):
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Thủ tục đăng ký khai sinh",
        "Thành phần hồ sơ",
        "Giấy chứng sinh",
        "Miễn phí",
        "Trình tự thực hiện",
        "Căn cứ pháp lý",
        "Giấy khai sinh",
        "KQ.G15.000031",
        "/thu-tuc/1.001193/qr.svg",
    ):
        assert text in html, text
    assert "style=" not in html
    assert "Chưa có cơ quan nào trên cổng này" in html
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_form_templates_say_when_no_file_is_available(client, imported, tmp_path, settings):
    html = client.get("/thu-tuc/1.011439/").content.decode()
    assert "Mau so 09d_Phieu yeu cau cung cap thong tin DS.docx" in html
    assert "chưa có tệp để tải về" in html
    from django.core.files.base import ContentFile

    template = FormTemplateFile(file_name="Mau so 09d_Phieu yeu cau cung cap thong tin DS.docx")
    template.file.save("mau-09d.docx", ContentFile(b"PK\x03\x04 mau 09d"), save=True)
    html = client.get("/thu-tuc/1.011439/").content.decode()
    assert f'href="/thu-tuc/mau/{template.pk}/"' in html
    download = client.get(f"/thu-tuc/mau/{template.pk}/")
    assert download.status_code == 200
    assert b"mau 09d" in b"".join(download.streaming_content)


def test_qr_code_is_svg_without_inline_style(client, imported):
    response = client.get("/thu-tuc/1.001193/qr.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "style" not in svg


def test_qr_code_is_a_standalone_svg_image(client, imported):
    """Issue 14: without the SVG namespace a browser shows the file as raw XML, not as an image."""
    from xml.etree import ElementTree

    svg = client.get("/thu-tuc/1.001193/qr.svg").content
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own response, in a test
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) > 0 and int(root.get("height")) > 0
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Mã QR của trang thủ tục"
    assert not svg.startswith(b"<?xml")  # the charset is in the Content-Type header


def _dark_modules(svg: str) -> tuple[set[tuple[int, int]], int]:
    """The dark modules (row, column) an SVG QR code draws: its path of horizontal strokes, one module
    high ("M2 2.5h7m1 0h3…": move, draw 7 modules, move on), less the quiet zone; and its size."""
    import re

    scale = float(re.search(r'transform="scale\(([\d.]+)\)"', svg).group(1))
    width = float(re.search(r'width="([\d.]+)"', svg).group(1)) / scale
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a stroke along the row
            dark.update((int(y), int(x + i)) for i in range(int(float(a))))
            x += float(a)
    border = min(col for _row, col in dark)  # the finder pattern starts the symbol's first column
    size = int(width) - 2 * border
    return {(row - border, col - border) for row, col in dark}, size


def _symbol(url):
    import segno

    qr = segno.make(url, error="m")
    return {(r, c) for r, row in enumerate(qr.matrix) for c, bit in enumerate(row) if bit & 1}, len(qr.matrix)


def test_qr_code_points_at_the_pages_own_absolute_url(client, imported):
    """Read the modules of the QR code the procedure page shows: they are exactly the symbol of the page's
    own absolute address (no QR decoder is installed; segno encodes the expected address)."""
    import re

    page = client.get("/thu-tuc/1.001193/").content.decode()
    src = re.search(r'<figure class="procedure__qr">\s*<img src="([^"]+)"', page).group(1)
    assert src == "/thu-tuc/1.001193/qr.svg"
    shown = re.search(r'<span class="procedure__url">([^<]+)</span>', page).group(1)
    assert shown == "http://testserver/thu-tuc/1.001193/"

    drawn = _dark_modules(client.get(src).content.decode())
    assert drawn == _symbol("http://testserver/thu-tuc/1.001193/")
    for other in ("/thu-tuc/1.001193/", "http://testserver/thu-tuc/1.001193/qr.svg", "http://testserver/"):
        assert drawn != _symbol(other)
    # behind another name (and HTTPS), the code follows the address the citizen used
    on_localhost = client.get(src, HTTP_HOST="localhost", secure=True).content.decode()
    assert _dark_modules(on_localhost) == _symbol("https://localhost/thu-tuc/1.001193/")


def test_offering_shows_local_terms_and_submit_link(client, imported, agencies):
    procedure = get_procedure("1.001193")
    Offering.objects.create(
        agency=agencies["pleiku"], procedure=procedure, online_open=True, counters="Quầy số 2"
    )
    html = client.get("/thu-tuc/1.001193/", {"co-quan": "H21.23575"}).content.decode()
    assert "Ủy ban nhân dân phường Pleiku" in html
    assert "Quầy số 2" in html
    assert "đang được xây dựng" not in html  # the portal's online filing exists
    assert 'href="/dich-vu-cong/?thu-tuc=1.001193&amp;co-quan=H21.23575"' in html


def test_print_stylesheet():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static" / "catalog" / "catalog.css").read_text(
        encoding="utf-8"
    )
    assert "@media print" in css


def test_pages_in_english(client, imported):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/thu-tuc/").content.decode()
    assert "Find an administrative procedure" in html
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Documents to submit" in html and "Free of charge" in html
