"""The demo: registers, documents in every state, tasks; loaded once however often it runs."""

import io

import pytest

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo
from congso.documents import demo
from congso.documents.models import Document, Recipient, Register, Task
from congso.signing import keystore

pytestmark = pytest.mark.django_db


def test_demo_has_documents_in_every_state_and_is_idempotent():
    keystore.forget_cached_signers()
    out = io.StringIO()
    directory_demo.load(out)
    accounts_demo.load(out)
    demo.load(out)
    assert Register.objects.count() == 12  # Sở Tư pháp, UBND phường Pleiku, UBND tỉnh
    by_hub = Document.objects.filter(source=Document.Source.EXCHANGE)
    assert {d.status for d in by_hub} == {"in_progress", "refused"}  # received through the hub
    sent = Recipient.objects.filter(packet__isnull=False).order_by("document__subject")
    assert [r.status_code for r in sent] == ["04", "02"]  # the statuses came back to UBND tỉnh
    states = set(Document.objects.values_list("status", flat=True))
    assert states == set(Document.Status.values), states
    assert Document.objects.exclude(secrecy="").count() == 2
    assert set(Task.objects.values_list("status", flat=True)) == {"open", "done"}
    count = Document.objects.count()
    demo.load(out)
    assert Document.objects.count() == count
