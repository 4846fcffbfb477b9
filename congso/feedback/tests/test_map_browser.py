"""On a phone: the board-wide map on /phan-anh/ with a tile server configured (tiles served by the test
server itself, none from outside), its markers linking to the reports, and the submit form's procedure
and dossier fields; axe-core on both (ADR 0170)."""

import pytest
from playwright.sync_api import expect

from .. import services
from .conftest import pothole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_map_on_a_phone(phone_page, live_server, axe, world, settings):
    settings.CONGSO_FEEDBACK_TILE_URL = f"{live_server.url}/static/tiles/{{z}}/{{x}}/{{y}}.png"
    r = services.submit(pothole(world), actor=world.users["citizen"], ip="10.0.14.1")
    services.act(r.code, "accept", actor=world.users["ward_officer"])
    page = phone_page
    outside = []
    page.on(
        "request", lambda req: outside.append(req.url) if not req.url.startswith(live_server.url) else None
    )
    page.goto("/phan-anh/")
    board = page.locator("#fb-board-map")
    expect(board.locator(".leaflet-marker-icon")).to_have_count(1)
    axe(page, "board with its map")
    board.locator(".leaflet-marker-icon").click()
    expect(board.locator(".leaflet-popup-content a")).to_have_text(r.title)
    assert [u for u in outside if not u.startswith("data:")] == []
    page.goto("/phan-anh/gui/")
    expect(page.get_by_label("Mã thủ tục hành chính (không bắt buộc)")).to_be_visible()
    axe(page, "report form with the procedure fields")
