"""Scale-out configuration works end to end: S3-compatible storage, production settings, the CLI."""

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from congso.core import health
from congso.core.logging import RequestIdFilter
from congso.core.management.commands.serve import server_argv

ROOT = Path(__file__).resolve().parents[3]
CONGSO = Path(sys.executable).with_name("congso")


def _run(args, env_extra, tmp_path):
    env = {
        **os.environ,
        "CONGSO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(env_extra)
    # generous: `migrate` of an empty database renders ~400 models' states (2–3 minutes on a busy
    # 2-core machine); this test checks what the commands do, not how fast
    return subprocess.run(
        [str(CONGSO), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_s3_storage_round_trip(s3_server, tmp_path):
    """CONGSO_STORAGE=s3 stores media in an S3-compatible server (moto here, MinIO/Ceph in a province)."""
    import boto3

    creds = {
        "aws_access_key_id": "congso",
        "aws_secret_access_key": "congso-secret",
        "region_name": "us-east-1",
    }
    # its own bucket: the moto server is shared with other tests (the scale-out test writes to one)
    bucket = f"congso-media-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_server, **creds).create_bucket(Bucket=bucket)
    env = {
        "CONGSO_STORAGE": "s3",
        "CONGSO_S3_BUCKET": bucket,
        "CONGSO_S3_ENDPOINT_URL": s3_server,
        "CONGSO_S3_REGION": "us-east-1",
        "CONGSO_S3_ACCESS_KEY": "congso",
        "CONGSO_S3_SECRET_KEY": "congso-secret",
    }
    script = (
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import storages; s = storages['default'];"
        "n = s.save('ho-so/giay-khai-sinh.pdf', ContentFile(b'%PDF-1.7 ban sao'));"
        "print(type(s).__name__, n, s.open(n).read().decode());"
        "from congso.core.health import run_checks; print(run_checks())"
    )
    out = _run(["shell", "-c", script], env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "S3Storage ho-so/giay-khai-sinh.pdf %PDF-1.7 ban sao" in out.stdout
    assert "'storage': 'ok'" in out.stdout
    objects = boto3.client("s3", endpoint_url=s3_server, **creds).list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in objects["Contents"]] == ["ho-so/giay-khai-sinh.pdf"]


def test_production_settings_refuse_to_start_without_secret(tmp_path):
    out = _run(["check"], {"CONGSO_ENV": "production", "DJANGO_SECRET_KEY": ""}, tmp_path)
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in out.stderr


def test_cli_migrates_and_verifies_audit(tmp_path):
    assert _run(["migrate", "-v0"], {}, tmp_path).returncode == 0
    out = _run(["audit", "verify"], {}, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "toàn vẹn: 0 mục" in out.stdout


def test_logs_are_json_with_request_id(client, db):
    from pythonjsonlogger.json import JsonFormatter

    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    capture = Capture()
    capture.addFilter(RequestIdFilter())
    capture.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    logger = logging.getLogger("congso.core.health")
    logger.addHandler(capture)
    try:

        def broken():
            raise OSError("ổ đĩa đầy")

        original = health.CHECKS["storage"]
        health.CHECKS["storage"] = broken
        try:
            client.get("/healthz", HTTP_X_REQUEST_ID="req-healthz-0001")
        finally:
            health.CHECKS["storage"] = original
    finally:
        logger.removeHandler(capture)
    line = json.loads(records[0])
    assert line["request_id"] == "req-healthz-0001"
    assert line["levelname"] == "ERROR" and "storage" in line["message"]


def test_serve_runs_the_production_server(tmp_path):
    """``congso serve`` (Granian, ADR 0080) answers pages, static files, and a multipart upload streamed
    through to Django; a Vietnamese path arrives as Django expects (PEP 3333 strings), never a 500."""
    import socket
    import time

    import requests

    assert _run(["migrate", "-v0"], {}, tmp_path).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "CONGSO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [str(CONGSO), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = requests.get(f"{base}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        home = requests.get(f"{base}/", timeout=10)
        assert home.status_code == 200 and "Thủ tục" in home.text
        assert requests.get(f"{base}/static/core/congso.css", timeout=10).status_code == 200
        assert requests.get(f"{base}/thu-tuc/đăng-ký", timeout=10).status_code in (301, 302, 404)
        # a 3 MB body, streamed to Django's multipart parser: the verifier reads it and reports
        verify = requests.post(
            f"{base}/api/v1/signatures/verify",
            files={"file": ("khong-phai-pdf.pdf", b"x" * 3_000_000, "application/pdf")},
            timeout=30,
        )
        assert verify.status_code == 200 and verify.json()["ok"] is False
    finally:
        os.killpg(server.pid, 15)
        output = server.communicate(timeout=30)[0]
    assert "Granian" in output and '"GET /healthz HTTP/1.1" 200' in output


def test_server_command_line():
    from django.core.management.base import CommandError

    argv = server_argv(bind="[::]:8080", workers=3, threads=2)
    assert argv[argv.index("--host") + 1] == "::" and argv[argv.index("--port") + 1] == "8080"
    assert argv[argv.index("--workers") + 1] == "3" and argv[-1] == "congso.wsgi:application"
    with pytest.raises(CommandError, match="không hợp lệ"):
        server_argv(bind="8080")


def test_api_docs_are_off_by_default_in_production_only(tmp_path):
    script = "from django.conf import settings; print('docs', settings.CONGSO_API_DOCS)"
    production = {"CONGSO_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50}
    assert "docs False" in _run(["shell", "-c", script], production, tmp_path).stdout
    assert "docs True" in _run(["shell", "-c", script], {"CONGSO_ENV": "development"}, tmp_path).stdout
    on = {**production, "CONGSO_API_DOCS": "true"}
    assert "docs True" in _run(["shell", "-c", script], on, tmp_path).stdout
