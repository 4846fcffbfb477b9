"""Scale-out proof (issue 15): two ``congso serve`` processes sharing PostgreSQL, Redis and S3-compatible
storage (moto's server, as in ``core/tests/test_deployment.py``), and an RQ worker process.

One citizen's browser session alternates between the two servers, as behind a proxy without sticky
sessions, and shows that nothing lives in one process:

- signed in on A, the session works on B;
- a draft saved on A is read (and completed) on B;
- a file uploaded through A is served by B (the personal data store's download);
- the public lookup's per-address limit is counted across both servers (so is every rate limit: one
  Redis);
- the filing submitted on B enqueues its notices; an RQ worker process (``congso rqworker --burst``)
  runs the job and sends them.

It needs PostgreSQL (``DATABASE_URL``) and Redis (``CONGSO_TEST_REDIS_URL``, default
``redis://127.0.0.1:6379/10``); without them it is skipped with the reason. No sleeps: every wait
polls with a deadline.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from congso import settings as congso_settings
from congso.dossiers.models import Dossier
from congso.notifications.models import Notification
from congso.portal.tests.conftest import *  # noqa: F403 — the Pleiku ward, the citizen, the birth form
from congso.portal.tests.conftest import BIRTH_ANSWERS, PASSWORD, pdf

ROOT = Path(__file__).resolve().parents[2]
CONGSO = Path(sys.executable).with_name("congso")
REDIS_URL = os.environ.get("CONGSO_TEST_REDIS_URL", "redis://127.0.0.1:6379/10")
LOOKUPS_PER_IP = 6
STARTUP = float(os.environ.get("CONGSO_TEST_STARTUP_SECONDS", "120"))  # a loaded CI machine is slow to import

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    """The two servers are other processes, with the production hashers (Argon2, PBKDF2): the citizen
    this test creates must carry a hash they can check, not the suite's MD5 (root conftest.py)."""
    settings.PASSWORD_HASHERS = congso_settings.PASSWORD_HASHERS


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"scale-out proof needs Redis at {REDIS_URL}: {exc}")
    return client


@pytest.fixture
def shared(tmp_path):
    """PostgreSQL (the test database), an emptied Redis database and a moto S3 bucket, as environment."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "scale-out proof needs PostgreSQL (DATABASE_URL=postgres://…); SQLite is one process's file"
        )
    redis_client = _redis_or_skip()
    redis_client.flushdb()
    import boto3
    from moto.server import ThreadedMotoServer

    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    s3.start()
    host, port = s3.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    creds = {
        "aws_access_key_id": "congso",
        "aws_secret_access_key": "congso-secret",
        "region_name": "us-east-1",
    }
    boto3.client("s3", endpoint_url=endpoint, **creds).create_bucket(Bucket="congso-media")
    db = connection.settings_dict
    env = {
        **os.environ,
        "CONGSO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CONGSO_STORAGE": "s3",
        "CONGSO_S3_BUCKET": "congso-media",
        "CONGSO_S3_ENDPOINT_URL": endpoint,
        "CONGSO_S3_REGION": "us-east-1",
        "CONGSO_S3_ACCESS_KEY": "congso",
        "CONGSO_S3_SECRET_KEY": "congso-secret",
        "CONGSO_LOOKUP_PER_IP": str(LOOKUPS_PER_IP),
        "PYTHONPATH": str(ROOT),
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        yield {"env": env, "s3": boto3.client("s3", endpoint_url=endpoint, **creds)}
    finally:
        redis_client.flushdb()
        s3.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, what: str, timeout: float = 45.0, processes=()):
    """Poll ``predicate`` until it returns a true value (returned), failing after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        for p in processes:
            assert p.poll() is None, f"{what}: a process exited early:\n{p.communicate()[0][-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)  # a poll interval, not a wait for an outcome


@pytest.fixture
def servers(shared):
    """Two application servers (one Granian worker each) on the shared services."""
    procs, bases = [], []
    for _ in range(2):
        port = _free_port()
        proc = subprocess.Popen(
            [str(CONGSO), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=shared["env"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        procs.append(proc)
        bases.append(f"http://127.0.0.1:{port}")

    def up(base):
        def check():
            try:
                return requests.get(f"{base}/healthz", timeout=5).status_code == 200
            except requests.RequestException:  # not listening yet, or still loading
                return False

        return check

    try:
        for base in bases:
            _wait(up(base), f"{base} to answer", timeout=STARTUP, processes=procs)
        yield bases
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, 15)
            except ProcessLookupError:
                pass
            proc.communicate(timeout=30)


class Browser:
    """One citizen's browser: one cookie jar, requests sent to whichever server is named."""

    def __init__(self):
        self.session = requests.Session()

    def _headers(self, kw):
        headers = kw.pop("headers", {})
        token = self.session.cookies.get("csrftoken")
        if token:
            headers["X-CSRFToken"] = token
        return headers

    def get(self, base, path, **kw):
        return self.session.get(base + path, timeout=30, **kw)

    def post(self, base, path, **kw):
        return self.session.post(base + path, headers=self._headers(kw), timeout=30, **kw)

    def patch(self, base, path, **kw):
        return self.session.patch(base + path, headers=self._headers(kw), timeout=30, **kw)


def test_one_session_across_two_servers(servers, shared, citizen, profile, birth_form, tmp_path):
    a, b = servers
    you = Browser()

    # Sign in on A (the real form, CSRF and all); the session is B's too.
    page = you.get(a, "/tai-khoan/dang-nhap/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = you.post(
        a,
        "/tai-khoan/dang-nhap/",
        data={"username": citizen.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{a}/tai-khoan/dang-nhap/"},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    me = you.get(b, "/api/v1/accounts/me")
    assert me.status_code == 200 and me.json()["username"] == citizen.username

    # A draft saved on A, read and completed on B.
    draft = you.post(
        a, "/api/v1/portal/drafts", json={"procedure_code": "1.001193", "agency_code": "H21.23575"}
    )
    assert draft.status_code == 201, draft.text
    url = f"/api/v1/portal/drafts/{draft.json()['id']}"
    saved = you.patch(a, url, json={"fields": BIRTH_ANSWERS, "step": "uploads"})
    assert saved.status_code == 200 and saved.json()["errors"] == {}, saved.text
    read = you.get(b, url)
    assert (
        read.status_code == 200 and read.json()["data"]["fields"]["ho_ten_tre"] == BIRTH_ANSWERS["ho_ten_tre"]
    )

    # Files: the birth certificate staged through B for the draft; a paper stored through A, served by B.
    certificate = pdf()
    staged = you.post(
        b, f"{url}/uploads", data={"component": "Giấy chứng sinh"}, files={"file": ("cs.pdf", certificate)}
    )
    assert staged.status_code == 201, staged.text
    kept = you.post(
        a,
        "/api/v1/datastore/documents",
        data={"title": "Căn cước công dân"},
        files={"file": ("cccd.pdf", io.BytesIO(certificate), "application/pdf")},
    )
    assert kept.status_code in (200, 201), kept.text
    served = you.get(b, f"/api/v1/datastore/documents/{kept.json()['id']}/file")
    assert served.status_code == 200 and served.content == certificate
    keys = [o["Key"] for o in shared["s3"].list_objects_v2(Bucket="congso-media").get("Contents", [])]
    assert len(keys) >= 2, keys  # both files are in the shared bucket, not on a server's disk

    # Submitted on B: the dossier exists for A, and its notices are queued in Redis, not sent yet.
    submitted = you.post(
        b, f"{url}/submit", json={"declaration": True}, headers={"Idempotency-Key": "scale-out-1"}
    )
    assert submitted.status_code == 200, submitted.text
    code = submitted.json()["dossier_code"]
    assert you.get(a, f"/api/v1/dossiers/mine/{code}").json()["code"] == code
    dossier = Dossier.objects.get(code=code)
    notices = Notification.objects.filter(dossier=dossier)
    assert notices.exists(), "filing online notifies the applicant"
    assert not notices.filter(status=Notification.Status.SENT).exists(), "sent before any worker ran"

    # An RQ worker process runs the job and sends them.
    worker = subprocess.run(
        [str(CONGSO), "rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job"],
        cwd=ROOT,
        env=shared["env"],
        capture_output=True,
        text=True,
        timeout=300,  # a busy machine: the worker starts Django, then runs the burst
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    _wait(
        lambda: not notices.exclude(status=Notification.Status.SENT).exists(),
        "the worker to send the notices",
    )

    # The public lookup's per-address limit, counted across both servers: alternate until refused.
    answers = []
    for i in range(LOOKUPS_PER_IP + 1):
        base = (a, b)[i % 2]
        answers.append(
            you.get(base, "/api/v1/dossiers/lookup", params={"code": code, "check": "0000"}).status_code
        )
    assert answers[:LOOKUPS_PER_IP] == [404] * LOOKUPS_PER_IP, answers
    assert answers[LOOKUPS_PER_IP] == 429, f"a per-process count would allow {2 * LOOKUPS_PER_IP}: {answers}"
    refused = you.get(a, "/api/v1/dossiers/lookup", params={"code": code, "check": "0000"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert json.loads(refused.text)["detail"]
