"""The operations-centre dashboard /dieu-hanh/ (ADR 0162): its figures are the scorecard's, on the Gia
Lai world; scope (403 outside, masked dossiers for the operations centre); the htmx fragment; the API."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine

from congso.accounts.testing import build_world
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers.selectors import initials
from congso.dossiers.tests.conftest import vn
from congso.scorecard import dashboard, index766, metrics, selectors, units

from .helpers import february, make_late

pytestmark = pytest.mark.django_db

FEB = units.period("month", dt.date(2027, 2, 1))


def _official(username, full_name, agency, role):
    from congso.accounts.models import User

    user = User.objects.create_user(
        username, password="Mat-khau-dai-2026!", full_name=full_name, kind="official"
    )
    Membership.objects.create(user=user, agency=agency, role=role, include_subtree=role == Role.LEADER)
    return user


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def pleiku(world):
    """The ward of Pleiku's one-stop staff (its leader sees the ward's sub-tree)."""
    pc = world.agencies["pleiku_pc"]
    return {
        "clerk": _official("motcua.pleiku", "Lê Thị Hoa", pc, Role.CLERK),
        "officer": _official("tuphap.pleiku", "Phạm Văn Nam", pc, Role.OFFICER),
        "leader": _official("lanhdao.pleiku", "Nguyễn Minh Tuấn", pc, Role.LEADER),
        "clerical": _official("vanthu.pleiku", "Đỗ Thị Mai", pc, Role.CLERICAL),
    }


@pytest.fixture
def feb(world, pleiku, procedure_version, applicant):
    """Three birth registrations received at Pleiku on 3 February 2027: two on time, one open."""
    done, open_one = february(pleiku, {"ward": world.agencies["pleiku_pc"]}, procedure_version, applicant)
    return done, open_one


def _tiles(board):
    return {tile.key: value for tile, value in dashboard.tile_values(board)}


def test_tiles_are_the_scorecards_figures(world, pleiku, feb):
    _done, open_one = feb
    make_late(pleiku, open_one)  # apology, finished on 5 February: 2 of 3 on time
    ioc = world.users["ioc_viewer"]
    board = dashboard.board_for(ioc, period=FEB, now=vn(2027, 2, 5, 15, 0))
    tiles = _tiles(board)
    province = units.resolve("province", "52")
    assert board.unit.agency_ids == province.agency_ids  # the province PC's sub-tree: the whole province
    for key in ("on_time", "online_filing", "online_payment", "satisfaction"):
        expected = metrics.figure(metrics.get(key), province, FEB).value
        assert tiles[key].number == expected, key
    assert tiles["on_time"].number == Decimal("66.67")
    assert tiles["on_time"].detail.startswith("2/3")
    assert tiles["online_filing"].number == Decimal("0.00")
    assert tiles["online_payment"].number is None  # no fee-bearing dossier: nothing to count
    assert tiles["index766"].number == index766.score(province, FEB).score
    assert tiles["overdue"].number == 0 and tiles["due_soon"].number == 0


def test_today_by_channel_overdue_and_due_soon(world, pleiku, feb):
    _done, open_one = feb
    open_one.refresh_from_db()
    ioc = world.users["ioc_viewer"]
    today = _tiles(dashboard.board_for(ioc, period=FEB, now=vn(2027, 2, 3, 16, 0)))["today"]
    assert today.number == 3
    assert dict(today.parts) == {"Trực tiếp": 3, "Trực tuyến": 0, "Dịch vụ bưu chính công ích": 0}
    soon = dashboard.board_for(ioc, period=FEB, now=open_one.due_at - dt.timedelta(hours=1))
    assert _tiles(soon)["due_soon"].number == 1 and _tiles(soon)["overdue"].number == 0
    late = dashboard.board_for(ioc, period=FEB, now=open_one.due_at + dt.timedelta(hours=1))
    assert _tiles(late)["overdue"].number == 1 and _tiles(late)["due_soon"].number == 0
    listing = dashboard.dossier_list(late, "overdue")
    assert [d.code for d in listing.dossiers] == [open_one.code]


def test_trends_and_comparison_follow_the_selectors(world, pleiku, feb):
    _done, open_one = feb
    make_late(pleiku, open_one)
    board = dashboard.board_for(world.users["ioc_viewer"], period=FEB, now=vn(2027, 2, 20, 9, 0))
    trends = {t.key: t for t in dashboard.trends(board)}
    series = selectors.monthly_series(board.unit, 12, today=dt.date(2027, 2, 20))
    assert len(trends["on_time"].points) == 12
    assert (
        trends["on_time"].points[-1]
        == ("02/2027", series[-1]["on_time"].value)
        == ("02/2027", Decimal("66.67"))
    )
    assert trends["on_time"].points[0] == ("03/2026", None)
    assert trends["on_time"].segments == ["332.0,62.7"]  # one point: February at 66.67 %
    assert [d[2:] for d in trends["on_time"].dots] == [("02/2027", "66,67%")]
    rows = dashboard.comparison(board)
    ward = units.resolve("commune", "23575")
    assert (rows[0].kind, rows[0].code) == ("commune", "23575")  # the only unit with figures comes first
    assert rows[0].agency == world.agencies["pleiku_pc"].code  # its own dashboard: ?don-vi=<agency>
    assert rows[0].score == index766.score(ward, FEB).score
    assert all(r.score is None for r in rows[1:])  # the units with nothing to count go last


def test_worst_unit_first(world, pleiku, feb, procedure_version, applicant):
    """Ia Grai on time (100 %), Pleiku with a late dossier (66.67 %): Pleiku is listed first."""
    _done, open_one = feb
    make_late(pleiku, open_one)
    pc = world.agencies["iagrai_pc"]
    iagrai = {
        "clerk": _official("motcua.iagrai", "Siu H'Mai", pc, Role.CLERK),
        "officer": _official("tuphap.iagrai", "Rơ Mah Blưk", pc, Role.OFFICER),
        "leader": _official("lanhdao.iagrai", "Ksor Y Bình", pc, Role.LEADER),
        "clerical": _official("vanthu.iagrai", "Rah Lan Hiền", pc, Role.CLERICAL),
    }
    february(iagrai, {"ward": pc}, procedure_version, applicant)
    board = dashboard.board_for(world.users["ioc_viewer"], period=FEB, now=vn(2027, 2, 20, 9, 0))
    rows = [r for r in dashboard.comparison(board) if r.score is not None]
    assert [r.code for r in rows] == ["23575", "23764"]
    assert rows[0].score < rows[1].score
    assert rows[0].on_time == Decimal("66.67") and rows[1].on_time == Decimal("100.00")


def test_scope_pages_and_masking(client, world, pleiku, feb):
    _done, open_one = feb
    make_late(pleiku, open_one)
    query = "ky=month&ngay=2027-02-01"
    # Not an operations-centre viewer nor a leader: 403 with a message.
    for user in (pleiku["officer"], world.users["citizen"], world.users["agency_admin"]):
        login_verified(client, user)
        r = client.get(f"/dieu-hanh/?{query}")
        assert r.status_code == 403, user.username
        assert "Trung tâm điều hành" in r.content.decode()
    # The ward's leader: their ward; the Department of Justice is outside their scope.
    login_verified(client, pleiku["leader"])
    r = client.get(f"/dieu-hanh/?{query}")
    assert r.status_code == 200
    assert "Ủy ban nhân dân phường Pleiku" in r.content.decode()
    assert client.get(f"/dieu-hanh/?{query}&don-vi={world.agencies['justice'].code}").status_code == 403
    narrowed = client.get(f"/dieu-hanh/?{query}&don-vi={world.agencies['pleiku_pc'].code}")
    assert narrowed.status_code == 200 and "Ủy ban nhân dân phường Pleiku" in narrowed.content.decode()
    assert (
        client.get(f"/dieu-hanh/ho-so/late/?{query}&don-vi={world.agencies['justice'].code}").status_code
        == 403
    )
    assert client.get(f"/dieu-hanh/ho-so/nothing/?{query}").status_code == 404
    # … and sees the names of the dossiers their ward handles.
    r = client.get(f"/dieu-hanh/ho-so/late/?{query}")
    assert open_one.code in r.content.decode() and "Nguyễn Văn An" in r.content.decode()
    # The operations centre: the same dossier, masked (initials).
    login_verified(client, world.users["ioc_viewer"])
    r = client.get(f"/dieu-hanh/ho-so/late/?{query}")
    body = r.content.decode()
    assert r.status_code == 200 and open_one.code in body
    assert "Nguyễn Văn An" not in body and initials("Nguyễn Văn An") in body
    assert "052095001234" not in body


def test_the_page_polls_a_fragment(client, world, pleiku, feb):
    with time_machine.travel(vn(2027, 2, 3, 16, 0), tick=False):
        login_verified(client, world.users["ioc_viewer"])
        page = client.get("/dieu-hanh/?ky=month&ngay=2027-02-01").content.decode()
        assert 'hx-get="/dieu-hanh/cap-nhat/?ky=month&amp;ngay=2027-02-01"' in page
        assert 'hx-trigger="every 60s"' in page
        assert 'role="img"' in page and "<title" in page
        assert not re.findall(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)
        fragment = client.get("/dieu-hanh/cap-nhat/?ky=month&ngay=2027-02-01", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert 'id="dash-live"' in body and "Hồ sơ tiếp nhận hôm nay" in body


def test_bad_period_is_refused_with_a_message(client, world):
    login_verified(client, world.users["ioc_viewer"])
    r = client.get("/dieu-hanh/?ky=custom&tu=2027-02-10&den=2027-01-01")
    assert r.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in r.content.decode()


def test_the_api_gives_the_same_figures(client, world, pleiku, feb):
    _done, open_one = feb
    make_late(pleiku, open_one)
    login_verified(client, world.users["ioc_viewer"])
    r = client.get("/api/v1/scorecards/dashboard?period=month&at=2027-02-01")
    assert r.status_code == 200, r.content
    data = r.json()
    tiles = {t["key"]: t for t in data["tiles"]}
    assert Decimal(tiles["on_time"]["number"]) == Decimal("66.67")
    assert tiles["on_time"]["url"].startswith("/dieu-hanh/ho-so/late/")
    assert [t["key"] for t in data["trends"]] == list(dashboard.TREND_KEYS)
    assert data["comparison"][0]["code"] == "23575"
    login_verified(client, pleiku["leader"])
    r = client.get(f"/api/v1/scorecards/dashboard?agency={world.agencies['justice'].code}")
    assert r.status_code == 403 and "ngoài phạm vi" in r.json()["detail"]


def test_the_menu_entry(world, pleiku):
    from congso.scorecard.navigation import workspace_entries

    def labels(user):
        return [str(link.label) for link in workspace_entries(user)]

    assert "Điều hành" in labels(world.users["ioc_viewer"])
    assert "Điều hành" in labels(pleiku["leader"])
    assert "Điều hành" not in labels(pleiku["officer"])
    assert "Điều hành" not in labels(world.users["agency_admin"])


def test_a_higher_app_adds_a_tile(client, world):
    """Feedback, documents, integration add tiles through ``hooks.tiles``: shown on the page and the API,
    in order; a tile answering None is left out."""
    from congso.scorecard.hooks import tiles

    def open_feedback(board):
        return dashboard.TileValue(str(len(board.unit.agency_ids)), len(board.unit.agency_ids), "phản ánh")

    tiles.register("example_open", dashboard.Tile("example_open", "Phản ánh đang xử lý", 35, open_feedback))
    tiles.register("nothing", dashboard.Tile("nothing", "Không có gì", 36, lambda board: None))
    try:
        login_verified(client, world.users["ioc_viewer"])
        page = client.get("/dieu-hanh/").content.decode()
        assert "Phản ánh đang xử lý" in page and "Không có gì" not in page
        assert page.index("Sắp đến hạn") > page.index("Phản ánh đang xử lý") > page.index("Hồ sơ quá hạn")
        keys = [t["key"] for t in client.get("/api/v1/scorecards/dashboard").json()["tiles"]]
        assert keys.index("example_open") == keys.index("overdue") + 1 and "nothing" not in keys
    finally:
        tiles.unregister("example_open")
        tiles.unregister("nothing")
