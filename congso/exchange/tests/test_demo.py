"""The demo's exchange: documents received and answered, a forged one refused, a report waiting for the hub."""

import io

import pytest

from congso.exchange import demo
from congso.exchange.models import IncomingPacket, OutgoingPacket


@pytest.mark.django_db
def test_demo_exchange(world):
    out = io.StringIO()
    demo.load(out)
    ward = world.agencies["pleiku_pc"]
    inbox = IncomingPacket.objects.filter(recipient=ward, kind="document")
    assert sorted(inbox.values_list("code", "verdict")) == [
        ("1234/UBND-NC", "accepted"),
        ("215/QĐ-UBND", "accepted"),
        ("216/QĐ-UBND", "refused"),
    ]
    decision = OutgoingPacket.objects.get(code="215/QĐ-UBND", kind="document")
    assert decision.delivery == {ward.code: "06"}
    assert OutgoingPacket.objects.get(code="216/QĐ-UBND", kind="document").delivery == {ward.code: "02"}
    assert OutgoingPacket.objects.get(code="45/BC-UBND").state == OutgoingPacket.State.FAILED
    assert "Liên thông văn bản" in out.getvalue()
    demo.load(io.StringIO())  # idempotent
    assert OutgoingPacket.objects.filter(code="215/QĐ-UBND", kind="document").count() == 1
