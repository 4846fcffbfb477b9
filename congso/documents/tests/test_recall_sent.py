"""Recall and update of a document we sent through the exchange (issue 18, the sender's side; ADR
0176): văn thư of the Sở Tư pháp asks the recipients to recall a released decision with a reason; a
signed packet of business 1 (same edXML DocumentId) goes to the original recipients in the same
transaction as the document's stamp and the audit entry; a recipient running congso applies it (the
document there is marked recalled) and answers 15, another refuses (16); the sender's page shows each
answer. An update sends a corrected file, signed again and sealed, as business 2."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congso.core import audit
from congso.core.errors import Conflict, ServiceError
from congso.core.models import AuditEntry
from congso.core.statemachine import TransitionError
from congso.directory.testing import login_verified
from congso.documents import services
from congso.documents.models import Copy, Document, Recipient
from congso.documents.testing import HUB_DECISION, pdf_bytes, released_through_hub, signed_again
from congso.exchange import edxml, xmlsig
from congso.exchange import services as exchange_services
from congso.exchange import testing as exchange_testing
from congso.exchange.models import IncomingPacket, OutgoingPacket
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db(transaction=True)
S = Document.Status

META = HUB_DECISION
REASON = "Ban hành nhầm đối tượng; Sở sẽ ban hành văn bản thay thế"


@pytest.fixture
def province(world):
    agency = world.agencies["province_pc"]  # on the hub, no documents registers here
    exchange_testing.seal_for(agency)
    return agency


def issued(world):
    u = world.users
    doc = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    services.submit(doc, actor=u["officer"])
    services.approve(doc, actor=u["head_civil"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    return services.issue(doc, actor=u["clerical"])


def recalls(agency):
    return OutgoingPacket.objects.filter(sender=agency, business=edxml.Business.RECALL)


def writes():
    return (
        AuditEntry.objects.count(),
        OutgoingPacket.objects.count(),
        Document.objects.exclude(recalled_at=None).count(),
    )


def test_recall_queues_one_signed_packet_to_the_original_recipients(world, keys, construction, province, hub):
    justice = world.agencies["justice"]
    doc = released_through_hub(world, construction, province)
    original = OutgoingPacket.objects.get(sender=justice, business=edxml.Business.NEW)
    services.recall(doc, actor=world.users["clerical"], reason=f"  {REASON}  ")
    doc.refresh_from_db()
    assert doc.status == S.RELEASED and doc.recalled_at and doc.recall_reason == REASON
    (row,) = recalls(justice)
    assert row.state == OutgoingPacket.State.SENT  # handed to the hub on commit
    assert row.document_id == original.document_id and row.code == "01/QĐ-STP"
    assert sorted(row.recipients) == sorted([construction.code, province.code])
    signature = xmlsig.verify(bytes(row.envelope), lambda signed: justice.code)
    packet = edxml.packet_from_tree(signature.signed_root)
    assert packet.business == edxml.Business.RECALL and packet.business_reason == REASON
    assert packet.document_id == original.document_id and not packet.attachments
    assert [r.document_id for r in packet.response_for] == [original.document_id]
    (entry,) = AuditEntry.objects.filter(action="documents.recall", object_id=str(doc.pk))
    assert entry.data["message_id"] == str(row.message_id) and entry.actor_id == world.users["clerical"].pk
    assert AuditEntry.objects.filter(action="exchange.send", object_id=str(row.pk)).count() == 1
    assert "Đề nghị thu hồi văn bản: " + REASON in doc.notes.values_list("text", flat=True)


def test_recall_is_one_transaction_with_its_audit_entry(world, keys, construction, hub, monkeypatch):
    doc = released_through_hub(world, construction)
    record = audit.record

    def failing(action, *args, **kwargs):
        if action == "documents.recall":
            raise RuntimeError("audit store unavailable")
        return record(action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", failing)
    before, on_hub = writes(), len(hub.messages)
    with pytest.raises(RuntimeError):
        services.recall(doc, actor=world.users["clerical"], reason=REASON)
    assert writes() == before and not recalls(world.agencies["justice"]).exists()
    assert len(hub.messages) == on_hub  # the packet's delivery was never queued: nothing left


def test_the_recipient_applies_the_recall_and_the_sender_sees_the_answers(
    world, keys, construction, province, hub
):
    u = world.users
    justice = world.agencies["justice"]
    doc = released_through_hub(world, construction, province)
    services.recall(doc, actor=u["clerical"], reason=REASON)
    # the Sở Xây dựng runs congso: the recall reaches its document, which leaves handling; it answers 15
    exchange_services.receive(construction)
    incoming = Document.objects.get(direction="in", agency=construction)
    assert incoming.status == S.RECALLED and incoming.recall_reason == REASON
    # the province's office has its own system: its văn thư refuses the recall (16) with a reason
    exchange_services.receive(province)
    (row,) = IncomingPacket.objects.filter(recipient=province, business=edxml.Business.RECALL)
    exchange_services.report_status(
        row, "16", actor=None, description="Văn bản đã được triển khai đến các huyện", as_system=True
    )
    exchange_services.receive(justice)
    answers = {r.organ_id: r for r in Recipient.objects.filter(document=doc)}
    assert answers[construction.code].recall_status == "15"
    assert answers[construction.code].recall_answered_at is not None
    assert answers[construction.code].status_code == "03"  # the handling status stays where it was
    assert answers[province.code].recall_status == "16"
    traces = " ".join(doc.notes.values_list("text", flat=True))
    assert f"{construction.name} đồng ý thu hồi văn bản." in traces
    assert "từ chối thu hồi văn bản: Văn bản đã được triển khai đến các huyện" in traces

    client = Client()
    login_verified(client, u["clerical"])
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Đã đề nghị thu hồi" in page and REASON in page
    assert "Đồng ý thu hồi" in page and "Từ chối thu hồi" in page
    assert 'value="recall"' not in page  # asked once
    api = client.get(f"/api/v1/documents/{doc.pk}/recipients").json()
    assert {r["organ_id"]: r["recall_status"] for r in api} == {construction.code: "15", province.code: "16"}
    assert client.get(f"/api/v1/documents/{doc.pk}").json()["recall_reason"] == REASON


def test_the_page_offers_the_recall_to_the_clerk_and_posts_without_javascript(world, keys, construction, hub):
    u = world.users
    doc = released_through_hub(world, construction)
    leader = Client()
    login_verified(leader, u["leader"])
    assert 'value="recall"' not in leader.get(f"/van-ban/{doc.pk}/").content.decode()
    client = Client()
    login_verified(client, u["clerical"])
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert 'value="recall"' in page and "Lý do thu hồi" in page
    # each form says where it goes: the recipients the hub carried the document to
    assert page.count(f"qua trục liên thông đến: {construction.name}.") == 2  # the recall and the update
    answer = client.post(f"/van-ban/{doc.pk}/thao-tac/", {"action": "recall", "reason": ""}, follow=True)
    assert "Cần nhập lý do" in answer.content.decode()
    assert Document.objects.get(pk=doc.pk).recalled_at is None
    answer = client.post(f"/van-ban/{doc.pk}/thao-tac/", {"action": "recall", "reason": REASON}, follow=True)
    assert "Đã gửi đề nghị thu hồi" in answer.content.decode()
    assert recalls(world.agencies["justice"]).count() == 1


def test_refusals_write_nothing(world, keys, construction, hub):
    u = world.users
    doc = released_through_hub(world, construction)
    before = writes()
    with pytest.raises(PermissionDenied, match="Chỉ văn thư của cơ quan phát hành"):
        services.recall(doc, actor=u["leader"], reason=REASON)
    with pytest.raises(PermissionDenied):
        services.recall(doc, actor=u["cx_clerical"], reason=REASON)  # văn thư of the recipient
    with pytest.raises(TransitionError, match="Cần nhập lý do"):
        services.recall(doc, actor=u["clerical"], reason="   ")
    assert writes() == before
    services.recall(doc, actor=u["clerical"], reason=REASON)
    before = writes()
    with pytest.raises(Conflict, match="đã được đề nghị thu hồi"):
        services.recall(doc, actor=u["clerical"], reason="Thu hồi lần nữa")
    assert writes() == before


def test_a_recalled_document_is_neither_published_again_nor_copied(world, keys, construction, hub):
    """The recall took the document off the portal (ADR 0176): the page no longer offers to publish or
    copy it, and the services refuse both, writing nothing."""
    u = world.users
    services.create_register(
        actor=u["clerical"],
        agency=world.agencies["justice"],
        name="Sổ bản sao",
        direction="copy",
        notation="STP",
    )
    doc = services.set_public(released_through_hub(world, construction), actor=u["clerical"], public=True)
    services.recall(doc, actor=u["clerical"], reason=REASON)
    doc.refresh_from_db()
    assert not doc.is_public and doc.published_at is None
    before = writes(), Copy.objects.count()
    with pytest.raises(Conflict, match="đã được đề nghị thu hồi; không công khai lại"):
        services.set_public(doc, actor=u["clerical"], public=True)
    with pytest.raises(Conflict, match="đã được đề nghị thu hồi; không sao"):
        services.make_copy(doc, actor=u["clerical"], form="sao_y")
    assert (writes(), Copy.objects.count()) == before
    doc.refresh_from_db()
    assert not doc.is_public
    client = Client()
    login_verified(client, u["clerical"])
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Đã đề nghị thu hồi" in page
    assert 'value="publish"' not in page and 'value="copy"' not in page


def test_a_document_not_sent_through_the_exchange_is_not_recalled(world, keys, construction, hub):
    u = world.users
    internal = services.release(issued(world), actor=u["clerical"], agencies=[construction.code])
    draft = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    before = writes()
    with pytest.raises(Conflict, match="không được gửi qua trục liên thông"):
        services.recall(internal, actor=u["clerical"], reason=REASON)
    with pytest.raises(TransitionError, match="Dự thảo"):
        services.recall(draft, actor=u["clerical"], reason=REASON)
    incoming = Document.objects.get(direction="in", agency=construction)
    with pytest.raises(Conflict, match="Chỉ thu hồi được văn bản đi"):
        services.recall(incoming, actor=u["cx_clerical"], reason=REASON)
    assert writes() == before


def test_api_recall(world, keys, construction, hub, client):
    u = world.users
    doc = released_through_hub(world, construction)
    url = f"/api/v1/documents/{doc.pk}/recall"
    login_verified(client, u["leader"])
    answer = client.post(url, {"reason": REASON}, content_type="application/json")
    assert answer.status_code == 403
    login_verified(client, u["clerical"])
    answer = client.post(url, {"reason": ""}, content_type="application/json")
    assert answer.status_code == 400 and Document.objects.get(pk=doc.pk).recalled_at is None
    answer = client.post(url, {"reason": REASON}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["recall_reason"] == REASON
    assert answer.json()["status"] == "released" and answer.json()["recalled_at"]
    answer = client.post(url, {"reason": REASON}, content_type="application/json")
    assert answer.status_code == 409
    assert recalls(world.agencies["justice"]).count() == 1


# --- update: a corrected, signed file to the same recipients (edXML business 2) ----------------------


def corrected(world) -> bytes:
    """The decision corrected and signed again by the Giám đốc Sở with his personal key."""
    return signed_again(world.users["leader"])


def test_an_update_sends_the_corrected_file_and_the_recipient_takes_it(world, keys, construction, hub):
    u = world.users
    justice = world.agencies["justice"]
    doc = released_through_hub(world, construction)
    old_sha = doc.file_sha256
    services.send_update(
        doc, actor=u["clerical"], reason="Sửa lỗi chính tả tại Điều 2", upload=corrected(world)
    )
    doc.refresh_from_db()
    assert doc.status == S.RELEASED and doc.file_sha256 != old_sha and doc.recalled_at is None
    (rev,) = doc.revisions.all()
    assert rev.file_sha256 == old_sha and rev.reason == "Sửa lỗi chính tả tại Điều 2"
    with doc.file.open("rb") as fh:
        report = verify_pdf(fh.read())
    assert report.ok and len(report.signatures) == 2  # the leader's signature, then the agency's seal
    (row,) = OutgoingPacket.objects.filter(sender=justice, business=edxml.Business.UPDATE)
    packet = edxml.packet_from_tree(xmlsig.verify(bytes(row.envelope), lambda s: justice.code).signed_root)
    assert packet.business_reason == "Sửa lỗi chính tả tại Điều 2" and len(packet.attachments) == 1
    assert AuditEntry.objects.filter(action="documents.send_update", object_id=str(doc.pk)).count() == 1

    exchange_services.receive(construction)
    incoming = Document.objects.get(direction="in", agency=construction)
    assert incoming.file_sha256 == doc.file_sha256 and incoming.revisions.count() == 1
    exchange_services.receive(justice)
    assert f"{construction.name} đồng ý cập nhật văn bản." in doc.notes.values_list("text", flat=True)
    client = Client()
    login_verified(client, u["clerical"])
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Các bản cập nhật đã gửi" in page and 'value="send_update"' in page
    assert client.get(f"/van-ban/{doc.pk}/tep/?r=1").status_code == 200  # the first file stays


def test_update_refusals_write_nothing(world, keys, construction, hub, client):
    u = world.users
    doc = released_through_hub(world, construction)
    fixed = corrected(world)  # signing is audited: before the refusals are counted
    login_verified(client, u["clerical"])
    before = writes(), doc.revisions.count()
    with pytest.raises(ServiceError, match="chữ ký số hợp lệ"):
        services.send_update(doc, actor=u["clerical"], reason="Sửa Điều 2", upload=pdf_bytes())
    with pytest.raises(PermissionDenied, match="Chỉ văn thư của cơ quan phát hành"):
        services.send_update(doc, actor=u["leader"], reason="Sửa Điều 2", upload=fixed)
    with pytest.raises(TransitionError, match="Cần nhập"):
        services.send_update(doc, actor=u["clerical"], reason="Sửa Điều 2", upload=None)
    answer = client.post(
        f"/api/v1/documents/{doc.pk}/update",
        {"reason": "", "file": SimpleUploadedFile("qd.pdf", fixed, "application/pdf")},
    )
    assert answer.status_code == 400
    assert (writes(), doc.revisions.count()) == before
    services.recall(doc, actor=u["clerical"], reason=REASON)
    with pytest.raises(Conflict, match="đã được đề nghị thu hồi"):
        services.send_update(doc, actor=u["clerical"], reason="Sửa Điều 2", upload=fixed)
    assert not OutgoingPacket.objects.filter(business=edxml.Business.UPDATE).exists()
