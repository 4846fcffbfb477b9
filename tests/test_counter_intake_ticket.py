"""Issue 14, across apps: a queue ticket called at the counter leads straight into intake, is kept on
the dossier and is served by the receipt (counters ↔ dossiers through ``directory.hooks.queue_ticket``);
both spouses of a marriage registration are notified."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from congso.accounts.testing import build_world
from congso.catalog.models import Offering, Procedure, ProcedureVersion
from congso.counters import services as queue
from congso.counters.models import Counter, Ticket, TicketService
from congso.directory.testing import login_verified
from congso.dossiers.models import Dossier, Status
from congso.notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/mot-cua/tiep-nhan/"


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _procedure(code, name):
    procedure = Procedure.objects.create(code=code, name=name, levels="|province|")
    content = {
        "code": code,
        "name": name,
        "channels": [{"channel": "in_person", "time": {"value": 5, "unit": "working_days"}, "fee": None}],
        "components": [{"group": "", "name": "Tờ khai", "originals": 1, "copies": 0}],
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash=code * 8
    )
    procedure.current_version = version
    procedure.save()
    return procedure


@pytest.fixture
def world(db):
    w = build_world()
    centre = w.agencies["province_centre"]
    service = TicketService.objects.create(centre=centre, prefix="A", name="Hộ tịch – chứng thực")
    counter = Counter.objects.create(centre=centre, number=1)
    counter.services.set([service])
    w.service, w.counter = service, counter
    w.offering = Offering.objects.create(
        agency=w.agencies["justice"], procedure=_procedure("1.001766", "Thủ tục cấp Phiếu lý lịch tư pháp")
    )
    w.marriage = Offering.objects.create(
        agency=w.agencies["justice"],
        procedure=_procedure("2.000806", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài"),
    )
    return w


def _called(world) -> Ticket:
    queue.take_ticket(world.service.pk)
    return queue.call_next(world.users["clerk"], world.counter.pk)


def _post(client, offering, ticket_id, **fields):
    data = {
        "offering": offering.pk,
        "ticket": ticket_id,
        "channel": 1,
        "applicant_name": "Nguyễn Văn Bình",
        "applicant_id_number": "052090001111",
        "applicant_phone": "0905111222",
        "file_0": SimpleUploadedFile("to-khai.pdf", _pdf()),
        "decision": "accept",
        **fields,
    }
    return client.post(f"{URL}?offering={offering.pk}", data, follow=True)


def test_called_ticket_leads_into_intake_and_is_served_by_the_receipt(client, world):
    ticket = _called(world)
    login_verified(client, world.users["clerk"])
    console = client.get(f"/quay/{world.agencies['province_centre'].code}/can-bo/quay-1/").content.decode()
    assert f'href="{URL}?ticket={ticket.pk}"' in console
    picker = client.get(URL, {"ticket": ticket.pk}).content.decode()
    assert f"phiếu số {ticket.code}" in picker
    assert f"?offering={world.offering.pk}&amp;ticket={ticket.pk}" in picker
    form = client.get(URL, {"offering": world.offering.pk, "ticket": ticket.pk}).content.decode()
    assert f'name="ticket" value="{ticket.pk}"' in form
    response = _post(client, world.offering, ticket.pk)
    d = Dossier.objects.get()
    assert d.status == Status.ACCEPTED
    assert (d.queue_ticket_id, d.queue_ticket_code) == (ticket.pk, ticket.code)
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.DONE and ticket.finished_at is not None
    assert ticket.code in response.content.decode()  # on the dossier page
    assert client.get(f"/api/v1/dossiers/{d.code}").json()["queue_ticket"] == ticket.code


def test_a_ticket_not_called_cannot_be_served_and_nothing_is_received(client, world):
    waiting = queue.take_ticket(world.service.pk)
    login_verified(client, world.users["clerk"])
    page = client.get(URL, {"ticket": waiting.pk}).content.decode()
    assert f"Phiếu {waiting.code} không còn được gọi để tiếp nhận" in page
    response = _post(client, world.offering, waiting.pk)
    assert "không còn được gọi để tiếp nhận" in response.content.decode()
    assert Dossier.objects.count() == 0
    waiting.refresh_from_db()
    assert waiting.state == Ticket.State.WAITING


def test_a_clerk_of_another_place_cannot_serve_the_ticket(client, world):
    ticket = _called(world)
    other = world.users["officer"]
    login_verified(client, other)
    assert client.get(URL, {"ticket": ticket.pk}).status_code == 404  # not a counter clerk at all
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CALLED


def test_both_spouses_are_notified(client, world):
    login_verified(client, world.users["clerk"])
    _post(
        client,
        world.marriage,
        "",
        co_applicant_name="Kim Min-ji",
        co_applicant_id_number="M12345678",
        co_applicant_phone="0914 333 444",
        co_applicant_email="minji@example.kr",
    )
    d = Dossier.objects.get()
    assert d.co_applicants[0]["id_number"] == "M12345678"  # a passport number
    addresses = set(Notification.objects.filter(dossier=d).values_list("address", flat=True))
    assert {"0905111222", "0914333444", "minji@example.kr"} <= addresses


def test_a_clerk_of_another_centre_cannot_serve_the_ticket(client, world):
    ticket = _called(world)
    login_verified(client, world.users["clerk"])
    other_centre = world.agencies["pleiku_centre"]
    service = TicketService.objects.create(centre=other_centre, prefix="A", name="Hộ tịch")
    queue.take_ticket(service.pk)
    foreign = Ticket.objects.get(centre=other_centre)
    Ticket.objects.filter(pk=foreign.pk).update(state=Ticket.State.CALLED)
    page = client.get(URL, {"ticket": foreign.pk}).content.decode()
    assert "thuộc quầy mà bạn không phục vụ" in page
    response = _post(client, world.offering, foreign.pk)
    assert "thuộc quầy mà bạn không phục vụ" in response.content.decode()
    assert Dossier.objects.count() == 0
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CALLED
