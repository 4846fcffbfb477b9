"""The hub as its own process (``congso exchange_hub``), and the ``congso exchange`` commands."""

import os
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from congso.exchange import services, testing
from congso.exchange.models import IncomingPacket, OutgoingPacket

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_exchange_hub_command_runs_the_hub(tmp_path):
    port = free_port()
    env = {**os.environ, "CONGSO_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 — our own command
        [sys.executable, str(ROOT / "manage.py"), "exchange_hub", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(url + "/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            pytest.fail("the hub did not start")
        answer = requests.post(
            url + "/api/packets", data=(DATA / "packet_unsigned.xml").read_bytes(), timeout=5
        )
        assert answer.status_code == 202 and answer.json()["recipients"] == ["000.00.12.H21", "000.00.15.H21"]
        pending = requests.get(url + "/api/organs/000.00.15.H21/pending", timeout=5).json()["deliveries"]
        assert [d["message_id"] for d in pending] == ["0b7d8c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e"]
        attack = requests.post(
            url + "/api/packets", data=(DATA / "external_entity.xml").read_bytes(), timeout=5
        )
        assert attack.status_code == 400 and attack.json()["reason"] == "xml_attack"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_poll_and_retry_commands(world, province, justice, hub):
    hub.faults["down"] = True
    packet = testing.sample_packet(province, justice)
    row = services.send_packet(sender=province, packet=packet, actor=world.users["sysadmin"])
    row.refresh_from_db()
    assert row.state == OutgoingPacket.State.FAILED
    hub.faults["down"] = False
    OutgoingPacket.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    out = StringIO()
    call_command("exchange", "retry", "--inline", stdout=out)
    assert "1" in out.getvalue()
    row.refresh_from_db()
    assert row.state == OutgoingPacket.State.SENT
    call_command("exchange", "poll", stdout=StringIO())
    assert IncomingPacket.objects.filter(recipient=justice, verdict="accepted").count() == 1
