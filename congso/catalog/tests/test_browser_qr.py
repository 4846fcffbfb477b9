"""Issue 14: the procedure page's QR code is an image the browser draws (it was shown as raw XML)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qr_image_loads_in_the_browser(page, live_server, imported):
    page.goto(f"{live_server.url}/thu-tuc/1.001193/")
    image = page.locator("figure.procedure__qr img")
    image.wait_for()
    page.wait_for_load_state("load")
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    # opened on its own, it is an SVG document, not an XML tree
    page.goto(f"{live_server.url}/thu-tuc/1.001193/qr.svg")
    assert page.evaluate("document.documentElement.namespaceURI") == "http://www.w3.org/2000/svg"
