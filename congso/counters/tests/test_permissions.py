"""The permission matrix: every page and API endpoint for anonymous visitors, a citizen, a clerk of
this centre, a clerk of another centre and the centre's agency administrator."""

import json

import pytest
from django.test import Client

from congso.core.models import AuditEntry
from congso.directory.testing import login_verified

from .. import services as svc
from ..models import Counter, Ticket, TicketService

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "citizen", "clerk", "other_clerk", "agency_admin"]


@pytest.fixture
def world(centre, services, counters, citizen, clerk, other_clerk, agency_admin):
    waiting = svc.take_ticket(services["A"].pk)
    svc.take_ticket(services["A"].pk)
    return {
        "centre": centre,
        "services": services,
        "counters": counters,
        "waiting": waiting,
        "users": {
            "anonymous": None,
            "citizen": citizen,
            "clerk": clerk,
            "other_clerk": other_clerk,
            "agency_admin": agency_admin,
        },
    }


def _client(world, who):
    client = Client()
    if world["users"][who] is not None:
        login_verified(client, world["users"][who])
    return client


def _called(world):
    """A ticket called at counter 1 by the centre's clerk (set up outside the request under test)."""
    return svc.call_next(world["users"]["clerk"], world["counters"][1].pk)


# --- pages -----------------------------------------------------------------------------------

PUBLIC_PAGES = ["/quay/", "/quay/{code}/", "/quay/{code}/man-hinh/", "/quay/{code}/man-hinh/cap-nhat/"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_to_everyone(world, who, url):
    response = _client(world, who).get(url.format(code=world["centre"].code))
    assert response.status_code == 200


@pytest.mark.parametrize("who", WHO)
def test_everyone_may_take_a_number_and_follow_it(world, who):
    client = _client(world, who)
    response = client.post(f"/quay/{world['centre'].code}/", {"service": world["services"]["B"].pk})
    assert response.status_code == 302
    ticket = Ticket.objects.get(service=world["services"]["B"])
    assert response["Location"] == f"/quay/ve/{ticket.token}/"
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(f"/quay/ve/{ticket.token}/").status_code == 200  # the link is the key


STAFF_PAGES = {
    # url: expected status for who
    "/quay/{code}/can-bo/": {"citizen": 403, "clerk": 200, "other_clerk": 403, "agency_admin": 200},
    "/quay/{code}/can-bo/quay-1/": {"citizen": 403, "clerk": 200, "other_clerk": 403, "agency_admin": 403},
    "/quay/{code}/thong-ke/": {"citizen": 403, "clerk": 200, "other_clerk": 403, "agency_admin": 200},
    "/quay/{code}/cau-hinh/": {"citizen": 403, "clerk": 403, "other_clerk": 403, "agency_admin": 200},
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("url", list(STAFF_PAGES))
def test_staff_pages(world, who, url):
    response = _client(world, who).get(url.format(code=world["centre"].code))
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    else:
        assert response.status_code == STAFF_PAGES[url][who]


CLERK_ONLY = {"anonymous": 302, "citizen": 403, "clerk": 302, "other_clerk": 403, "agency_admin": 403}


@pytest.mark.parametrize("who", WHO)
def test_call_next_page(world, who):
    response = _client(world, who).post(f"/quay/{world['centre'].code}/can-bo/quay-1/goi-so/")
    assert response.status_code == CLERK_ONLY[who]
    called = Ticket.objects.filter(state=Ticket.State.CALLED).count()
    assert called == (1 if who == "clerk" else 0)
    assert AuditEntry.objects.filter(action="counters.ticket.call").count() == called


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("action", ["recall", "start", "finish", "no_show"])
def test_ticket_action_page(world, who, action):
    ticket = _called(world)
    url = f"/quay/{world['centre'].code}/can-bo/quay-1/phieu-{ticket.pk}/"
    response = _client(world, who).post(url, {"action": action})
    assert response.status_code == CLERK_ONLY[who]
    state = Ticket.objects.get(pk=ticket.pk).state
    if who == "clerk":
        assert AuditEntry.objects.filter(action=f"counters.ticket.{action}").exists()
    else:
        assert state == Ticket.State.CALLED and ticket.recall_count == 0
        assert not AuditEntry.objects.filter(action=f"counters.ticket.{action}").exists()


def test_unknown_centre_counter_and_ticket_are_404(world):
    client = _client(world, "clerk")
    assert client.get("/quay/H21.99999.01/").status_code == 404
    assert client.get(f"/quay/{world['centre'].code}/can-bo/quay-9/").status_code == 404
    assert client.get("/quay/ve/khong-co-phieu-nay/").status_code == 404
    url = f"/quay/{world['centre'].code}/can-bo/quay-1/phieu-999999/"
    assert client.post(url, {"action": "finish"}).status_code == 404


# --- API -------------------------------------------------------------------------------------


def _api(world, who, method, path, body=None):
    client = _client(world, who)
    call = getattr(client, method)
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return call(f"/api/v1/counters{path.format(code=world['centre'].code)}", **kwargs)


@pytest.mark.parametrize("who", WHO)
def test_api_public_endpoints(world, who):
    assert _api(world, who, "get", "/centres").status_code == 200
    services = _api(world, who, "get", "/centres/{code}/services")
    assert [s["prefix"] for s in services.json()] == ["U", "A", "B"]
    assert services.json()[1]["waiting"] == 2
    display = _api(world, who, "get", "/centres/{code}/display")
    assert display.status_code == 200 and display.json()["centre"] == world["centre"].code
    taken = _api(world, who, "post", "/centres/{code}/tickets", {"service_id": world["services"]["B"].pk})
    assert taken.status_code == 201, taken.content
    body = taken.json()
    assert body["code"] == "B001" and body["ahead"] == 0 and body["state"] == "waiting"
    status = _api(world, who, "get", f"/tickets/{body['token']}")
    assert status.status_code == 200 and status.json()["code"] == "B001"
    assert "handled_by" not in status.json()


API_CLERK = {"anonymous": 401, "citizen": 403, "clerk": 200, "other_clerk": 403, "agency_admin": 403}


@pytest.mark.parametrize("who", WHO)
def test_api_call_next(world, who):
    response = _api(world, who, "post", "/centres/{code}/counters/1/call-next")
    assert response.status_code == API_CLERK[who], response.content
    if who == "clerk":
        assert response.json()["code"] == "A001" and response.json()["state"] == "called"
    else:
        assert not Ticket.objects.filter(state=Ticket.State.CALLED).exists()


@pytest.mark.parametrize("who", WHO)
def test_api_ticket_action(world, who):
    ticket = _called(world)
    response = _api(
        world,
        who,
        "post",
        f"/centres/{{code}}/tickets/{ticket.pk}/actions",
        {"action": "finish", "counter": 1},
    )
    assert response.status_code == API_CLERK[who], response.content
    expected = Ticket.State.DONE if who == "clerk" else Ticket.State.CALLED
    assert Ticket.objects.get(pk=ticket.pk).state == expected


def test_api_refusals_are_clear_json(world):
    ticket = world["waiting"]
    bad = _api(world, "clerk", "post", f"/centres/{{code}}/tickets/{ticket.pk}/actions", {"action": "finish"})
    assert bad.status_code == 409 and "Không thể" in bad.json()["detail"]
    unknown = _api(
        world, "clerk", "post", f"/centres/{{code}}/tickets/{ticket.pk}/actions", {"action": "xoa"}
    )
    assert unknown.status_code == 400 and "không hợp lệ" in unknown.json()["detail"]
    missing = _api(world, "clerk", "post", "/centres/{code}/tickets/999999/actions", {"action": "finish"})
    assert missing.status_code == 404
    nobody = _api(world, "anonymous", "post", "/centres/{code}/tickets", {"service_id": 999999})
    assert nobody.status_code == 400 and "chọn một dịch vụ" in nobody.json()["detail"]
    assert _api(world, "anonymous", "get", "/centres/KHONG.CO/services").status_code == 404


def test_api_ticket_of_another_centre_is_404(world, other_centre):
    ticket = _called(world)
    response = _client(world, "clerk").post(
        f"/api/v1/counters/centres/{other_centre.code}/tickets/{ticket.pk}/actions",
        data=json.dumps({"action": "finish"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).state == Ticket.State.CALLED


API_STATS = {"anonymous": 401, "citizen": 403, "clerk": 200, "other_clerk": 403, "agency_admin": 200}
API_ADMIN = {"anonymous": 401, "citizen": 403, "clerk": 403, "other_clerk": 403, "agency_admin": 200}


@pytest.mark.parametrize("who", WHO)
def test_api_statistics(world, who):
    response = _api(world, who, "get", "/centres/{code}/statistics")
    assert response.status_code == API_STATS[who]
    if who in ("clerk", "agency_admin"):
        rows = response.json()
        assert rows[-1]["service_prefix"] is None and rows[-1]["taken"] == 2


@pytest.mark.parametrize("who", WHO)
def test_api_configure(world, who):
    service = _api(world, who, "put", "/centres/{code}/services/C", {"name": "Đăng ký kinh doanh hộ cá thể"})
    assert service.status_code == API_ADMIN[who], service.content
    ids = [world["services"]["A"].pk]
    counter = _api(world, who, "put", "/centres/{code}/counters/3", {"label": "Tầng 1", "service_ids": ids})
    assert counter.status_code == API_ADMIN[who], counter.content
    if who == "agency_admin":
        assert TicketService.objects.filter(centre=world["centre"], prefix="C").exists()
        assert counter.json()["services"] == ["A"]
        assert AuditEntry.objects.filter(action="counters.counter.create").exists()
    else:
        assert not TicketService.objects.filter(prefix="C").exists()
        assert not Counter.objects.filter(number=3).exists()


def test_api_configure_validation(world, other_centre):
    foreign = TicketService.objects.create(centre=other_centre, prefix="A", name="Hộ tịch")
    bad = _api(world, "agency_admin", "put", "/centres/{code}/counters/3", {"service_ids": [foreign.pk]})
    assert bad.status_code == 400 and "không thuộc trung tâm" in bad.json()["detail"]
    prefix = _api(world, "agency_admin", "put", "/centres/{code}/services/Đ", {"name": "Đất đai"})
    assert prefix.status_code == 400 and "chữ in hoa" in prefix.json()["detail"]
    assert not Counter.objects.filter(number=3).exists()


def test_api_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, world["users"]["clerk"])
    response = client.post(f"/api/v1/counters/centres/{world['centre'].code}/counters/1/call-next")
    assert response.status_code == 403
    assert not Ticket.objects.filter(state=Ticket.State.CALLED).exists()


ADMIN_ONLY = {"anonymous": 302, "citizen": 403, "clerk": 403, "other_clerk": 403, "agency_admin": 302}


@pytest.mark.parametrize("who", WHO)
def test_configure_pages(world, who):
    client = _client(world, who)
    code = world["centre"].code
    a_id = world["services"]["A"].pk
    counter = client.post(
        f"/quay/{code}/cau-hinh/quay/", {"number": "3", "label": "Tầng 1", "services": [a_id]}
    )
    service = client.post(
        f"/quay/{code}/cau-hinh/dich-vu/",
        {"prefix": "C", "name": "Đăng ký kinh doanh", "typical_minutes": "12"},
    )
    assert counter.status_code == ADMIN_ONLY[who] and service.status_code == ADMIN_ONLY[who]
    if who == "agency_admin":
        assert list(Counter.objects.get(number=3).services.values_list("prefix", flat=True)) == ["A"]
        assert TicketService.objects.get(prefix="C").typical_minutes == 12
    else:
        assert not Counter.objects.filter(number=3).exists()
        assert not TicketService.objects.filter(prefix="C").exists()
