"""The demo: registers, documents in every state, tasks; loaded once however often it runs."""

import io

import pytest

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo
from congso.documents import demo, ocr, selectors
from congso.documents.models import Copy, Document, Recipient, Register, Task
from congso.signing import keystore

pytestmark = pytest.mark.django_db


def test_demo_has_documents_in_every_state_and_is_idempotent():
    keystore.forget_cached_signers()
    out = io.StringIO()
    directory_demo.load(out)
    accounts_demo.load(out)
    demo.load(out)
    assert Register.objects.count() == 15  # Sở Tư pháp, UBND phường Pleiku, UBND tỉnh (5 each, copies too)
    by_hub = Document.objects.filter(source=Document.Source.EXCHANGE)
    # received through the hub: one assigned, one refused, one recalled by its sender
    assert {d.status for d in by_hub} == {"in_progress", "refused", "recalled"}
    sent = Recipient.objects.filter(packet__isnull=False).order_by("document__subject")
    assert [r.status_code for r in sent] == ["04", "02", "03"]  # the statuses came back to UBND tỉnh
    # UBND tỉnh's văn thư recalled the conference letter itself: its page shows the ward's "đồng ý thu hồi"
    assert [r.recall_status for r in sent] == ["", "", "15"]
    recalled = Document.objects.get(direction="out", recalled_at__isnull=False)
    assert recalled.subject == "Về việc tổ chức Hội nghị tổng kết công tác tư pháp năm 2026"
    # the decision is left for a demo user to recall or update from its page
    decision = sent[0].document
    assert decision.status == "released" and decision.recalled_at is None and decision.is_public
    states = set(Document.objects.values_list("status", flat=True))
    assert states == set(Document.Status.values), states
    assert Document.objects.exclude(secrecy="").count() == 2
    assert set(Task.objects.values_list("status", flat=True)) == {"open", "done"}
    # ADR 0169: published documents, electronic copies, a scan read by OCR
    assert {d.number for d in selectors.public_documents()} == {"02/STP-HCTP", "01/QĐ-UBND"}
    assert sorted(Copy.objects.values_list("symbol", flat=True)) == ["01/SY-STP", "02/TS-STP"]
    scan = Document.objects.get(source=Document.Source.SCAN)
    assert scan.ocr_state == ("done" if ocr.available() else "pending")
    count = Document.objects.count()
    demo.load(out)
    assert Document.objects.count() == count
