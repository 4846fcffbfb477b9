"""The board-wide map on /phan-anh/ (ADR 0170): Leaflet from XStatic-Leaflet with the configured tile
server, the public reports with a point under the board's filters; without a tile server, no map and
the list alone; the same markers in the API."""

import pytest

from congso.feedback.models import Report

from .. import services
from .conftest import pothole

pytestmark = pytest.mark.django_db


def _board(world):
    u = world.users
    a = services.submit(pothole(world), actor=u["citizen"], ip="10.0.13.1")
    b = services.submit(
        pothole(
            world,
            category="moi-truong",
            title="Rác thải ở chợ Pleiku <không phải mã>".replace("<", "«").replace(">", "»"),
            lat="",
            lon="",
        ),
        actor=u["elder"],
        ip="10.0.13.2",
    )
    hidden = services.submit(pothole(world, title="Phản ánh không công khai", is_public="0"), ip="10.0.13.3")
    for r in (a, b, hidden):
        services.act(r.code, "accept", actor=u["ward_officer"])
    return a, b, hidden


def test_the_map_shows_the_boards_points(client, world, settings):
    settings.CONGSO_FEEDBACK_TILE_URL = "https://tiles.gialai.gov.vn/{z}/{x}/{y}.png"
    a, b, hidden = _board(world)
    page = client.get("/phan-anh/").content.decode()
    assert 'id="fb-board-map"' in page and "xstatic/leaflet/leaflet.js" in page
    assert "tiles.gialai.gov.vn" in page and "unpkg" not in page and "cdn" not in page.lower()
    assert f"/phan-anh/{a.code}/" in page.split('id="fb-points"')[1]  # a's marker
    points = client.get("/api/v1/feedback/map").json()
    assert [p["code"] for p in points] == [a.code]  # b has no point; the hidden one is not public
    assert set(points[0]) == {"code", "title", "lat", "lon", "status", "status_label"}
    assert client.get("/api/v1/feedback/map?category=moi-truong").json() == []
    filtered = client.get("/phan-anh/?category=moi-truong").content.decode()
    assert a.code not in filtered.split('id="fb-points"')[1]
    assert Report.objects.count() == 3


def test_without_tiles_there_is_no_map_and_the_list_stays(client, world, settings):
    settings.CONGSO_FEEDBACK_TILE_URL = ""
    a, b, _hidden = _board(world)
    page = client.get("/phan-anh/").content.decode()
    assert "fb-board-map" not in page and "leaflet" not in page
    assert a.title in page and b.address in page
