"""Recall and update of a received document (edXML business 1, 2): the receiving side's document is
marked recalled and leaves handling, or takes the new metadata and file with the old kept as history;
the sender is told (status 15, or 16 when it cannot apply)."""

import dataclasses
import uuid

import pytest
from django.test import Client

from congso.core.errors import ServiceError
from congso.core.statemachine import TransitionError
from congso.directory.testing import login_verified
from congso.documents import selectors, services
from congso.documents.models import Document
from congso.documents.testing import released_through_hub
from congso.exchange import edxml
from congso.exchange import services as exchange_services
from congso.exchange.models import IncomingPacket, OutgoingPacket

pytestmark = pytest.mark.django_db(transaction=True)
S = Document.Status

META = {
    "doc_type": "QĐ",
    "subject": "Quyết định ban hành Quy chế công tác văn thư của Sở Tư pháp",
    "pages": 1,
    "recipients_text": "Sở Xây dựng\nLưu: VT",
}


def received(world, construction):
    sent = released_through_hub(world, construction, metadata=META)
    return sent, Document.objects.get(direction="in", agency=construction)


def follow_up(world, incoming, business, reason, **changes):
    """The sender's recall or update of the document, as the exchange sends it (a new message)."""
    original = exchange_services.packet_of(IncomingPacket.objects.get(pk=incoming.exchange_packet_id))
    reference = edxml.ResponseFor(
        original.sender.organ_id, original.code, original.promulgation_date, original.document_id
    )
    packet = dataclasses.replace(
        original,
        message_id=str(uuid.uuid4()),
        trace=[],
        business=business,
        business_reason=reason,
        response_for=[reference],
        **changes,
    )
    return exchange_services.send_packet(
        sender=world.agencies["justice"], packet=packet, actor=world.users["clerical"]
    )


def last_answer(agency):
    return (
        OutgoingPacket.objects.filter(sender=agency, kind=OutgoingPacket.Kind.STATUS).order_by("-pk").first()
    )


def test_a_recalled_document_is_marked_and_leaves_handling(world, keys, construction, hub):
    u = world.users
    sent, incoming = received(world, construction)
    services.route(incoming, actor=u["cx_clerical"])
    services.assign(incoming, actor=u["cx_leader"], lead=u["cx_officer"], working_days=3)
    assert [d.pk for d in selectors.my_work(u["cx_officer"])] == [incoming.pk]
    follow_up(world, incoming, edxml.Business.RECALL, "Ban hành nhầm đối tượng")
    exchange_services.receive(construction)
    incoming.refresh_from_db()
    assert incoming.status == S.RECALLED and incoming.recall_reason == "Ban hành nhầm đối tượng"
    assert incoming.recalled_at and list(selectors.my_work(u["cx_officer"])) == []
    assert incoming.arrival_number == 1  # it stays in the register
    with pytest.raises(TransitionError):
        services.finish(incoming, actor=u["cx_officer"], result="Đã xong")
    with pytest.raises(ServiceError):  # no opinion on a recalled document
        services.add_opinion(incoming, actor=u["cx_officer"], text="Ý kiến")
    # the sender is told "đồng ý thu hồi" (15) through the hub
    assert last_answer(construction).status_code == "15"
    client = Client()
    login_verified(client, u["cx_clerical"])
    page = client.get(f"/van-ban/{incoming.pk}/").content.decode()
    assert "Văn bản đã bị nơi gửi thu hồi" in page and "Ban hành nhầm đối tượng" in page


def test_an_update_replaces_the_metadata_and_file_and_keeps_the_history(world, keys, construction, hub):
    u = world.users
    sent, incoming = received(world, construction)
    old_subject, old_sha = incoming.subject, incoming.file_sha256
    follow_up(
        world,
        incoming,
        edxml.Business.UPDATE,
        "Sửa trích yếu",
        subject="Quyết định ban hành Quy chế công tác văn thư, lưu trữ của Sở Tư pháp",
    )
    exchange_services.receive(construction)
    incoming.refresh_from_db()
    assert incoming.subject.endswith("văn thư, lưu trữ của Sở Tư pháp")
    assert incoming.status == S.REGISTERED  # handling goes on
    (rev,) = incoming.revisions.all()
    assert rev.number == 1 and rev.metadata["subject"] == old_subject and rev.reason == "Sửa trích yếu"
    assert rev.file_sha256 == old_sha and rev.file
    assert [d.pk for d in selectors.search(u["cx_clerical"], "luu tru")] == [incoming.pk]
    client = Client()
    login_verified(client, u["cx_clerical"])
    page = client.get(f"/van-ban/{incoming.pk}/").content.decode()
    assert "Lịch sử cập nhật từ nơi gửi" in page and old_subject in page
    assert client.get(f"/van-ban/{incoming.pk}/tep/?r=1").status_code == 200


def test_an_update_after_a_recall_changes_nothing_and_the_sender_is_told(world, keys, construction, hub):
    sent, incoming = received(world, construction)
    services.apply_recall(incoming, reason="Thu hồi")
    follow_up(world, incoming, edxml.Business.UPDATE, "Sửa", subject="Trích yếu mới không được áp dụng")
    exchange_services.receive(construction)
    incoming.refresh_from_db()
    assert incoming.status == S.RECALLED and incoming.subject == META["subject"]
    assert not incoming.revisions.exists()
    assert last_answer(construction).status_code == "16"
