"""``congso documents hub`` runs the local exchange hub as its own process (issue 18)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_documents_hub_command_runs_the_exchange_hub(tmp_path):
    port = free_port()
    env = {**os.environ, "CONGSO_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 — our own command
        [sys.executable, str(ROOT / "manage.py"), "documents", "hub", "--port", str(port)],
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
        pending = requests.get(url + "/api/organs/000.00.15.H21/pending", timeout=5)
        assert pending.ok and pending.json()["deliveries"] == []
        garbage = requests.post(url + "/api/packets", data=b"<not-edxml/>", timeout=5)
        assert garbage.status_code == 400
    finally:
        process.terminate()
        process.wait(timeout=10)
