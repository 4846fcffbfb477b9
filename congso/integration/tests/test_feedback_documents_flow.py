"""End to end: a feedback report's life and a released official document reach a webhook subscriber as
ordered streams (``feedback`` by report code, ``document`` by id), without the reporter's identity."""

import json

import pytest

from congso.documents import services as documents
from congso.documents import testing as documents_testing
from congso.documents.testing import pdf_bytes
from congso.feedback import services as feedback
from congso.feedback import testing as feedback_testing
from congso.feedback.tests.conftest import pothole
from congso.integration import worker
from congso.integration.models import Delivery, OutboxEvent
from congso.signing import keystore

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def _stream(aggregate_type, aggregate_id):
    events = OutboxEvent.objects.filter(aggregate_type=aggregate_type, aggregate_id=str(aggregate_id))
    return list(events.order_by("sequence"))


def test_a_reports_life_is_one_ordered_stream(receiver):
    w = feedback_testing.build_world()
    u = w.users
    board = subscriber(
        receiver.url,
        events=["feedback.received", "feedback.status_changed", "feedback.answered"],
        name="Cổng thông tin phản ánh hiện trường",
    )
    everything = subscriber(receiver.url, name="Trung tâm giám sát điều hành (IOC)")
    r = feedback.submit(pothole(w), actor=u["citizen"], ip="10.0.4.1")
    feedback.act(r.code, "accept", actor=u["ward_officer"])
    feedback.act(r.code, "draft", actor=u["ward_officer"], note="Đã vá ổ gà ngày 05/03/2027.")
    feedback.act(r.code, "approve", actor=u["ward_leader"])
    feedback.rate(r.code, actor=u["citizen"], rating="satisfied")
    events = _stream("feedback", r.code)
    kinds = [e.event_type for e in events]
    changed, answered, rated = "feedback.status_changed", "feedback.answered", "feedback.rated"
    assert kinds == ["feedback.received", changed, changed, answered, rated]  # accepted, answer drafted
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[3].payload["answered_at"] and events[4].payload["rating"] == "satisfied"
    assert events[4].payload["status"] == "closed" and events[2].payload["from_status"] == "processing"
    raw = json.dumps([e.payload for e in events], ensure_ascii=False)
    assert "Nguyễn Văn An" not in raw and "0905123456" not in raw and "example.vn" not in raw

    assert worker.run(burst=True) == 5 + 4  # the board did not ask for ratings
    by_subscriber = {}
    for body in receiver.bodies():
        sub = Delivery.objects.get(uuid=body["delivery_id"]).subscriber_id
        by_subscriber.setdefault(sub, []).append((body["sequence"], body["type"]))
    assert by_subscriber[everything.pk] == list(enumerate(kinds, start=1))
    assert by_subscriber[board.pk] == list(enumerate(kinds[:4], start=1))


def test_a_released_document_reaches_the_subscriber_in_order(receiver):
    keystore.forget_cached_signers()
    w = documents_testing.build_world()
    u = w.users
    documents_testing.keys_for(w.agencies["justice"], u["leader"], "Giám đốc Sở")
    subscriber(receiver.url)
    meta = {"doc_type": "QĐ", "subject": "Quyết định ban hành Quy chế công tác văn thư", "pages": 1}
    doc = documents.create_draft(
        actor=u["officer"], agency=w.agencies["justice"], metadata=meta, upload=pdf_bytes()
    )
    documents.submit(doc, actor=u["officer"])
    documents.approve(doc, actor=u["head_civil"])  # the first step: the status stays "in review"
    documents.approve(doc, actor=u["leader"])
    documents.sign(doc, actor=u["leader"])
    documents.issue(doc, actor=u["clerical"])
    documents.release(doc, actor=u["clerical"], agencies=[w.agencies["construction"]])
    keystore.forget_cached_signers()
    out = _stream("document", doc.pk)
    assert [(e.event_type, e.payload["status"]) for e in out] == [
        ("document.status_changed", "in_review"),
        ("document.status_changed", "to_sign"),
        ("document.status_changed", "signed"),
        ("document.status_changed", "issued"),
        ("document.released", "released"),
    ]
    released = out[-1].payload
    assert released["symbol"] == "01/QĐ-STP" and released["recipients"][0]["state"] == "delivered"
    incoming = doc.recipients.get().incoming
    documents.route(incoming, actor=u["cx_clerical"])
    arrived = _stream("document", incoming.pk)
    assert [e.event_type for e in arrived] == ["document.incoming_registered", "document.status_changed"]
    assert arrived[0].payload["origin"] == doc.pk and arrived[0].payload["arrival_number"] == 1

    assert worker.run(burst=True) == len(out) + len(arrived)
    bodies = receiver.bodies()
    mine = [b for b in bodies if b["data"]["document"] == doc.pk]
    assert [b["type"] for b in mine] == [e.event_type for e in out]
    assert [b["sequence"] for b in mine] == [1, 2, 3, 4, 5]
