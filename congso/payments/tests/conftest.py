"""Fixtures: a Pleiku ward dossier whose applicant owes a fee (status 6), and the sandbox gateway
running as a real separate process whose IPN calls reach this test's live server."""

import html
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
import requests
from django.urls import reverse

from congso.accounts.models import User
from congso.dossiers import services as dossiers
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.tests.conftest import *  # noqa: F403

TMN = "CONGSO01"
SECRET = "kiem-thu-bi-mat-0123456789abcdef"  # noqa: S105 — test fixture only
FEE = 50000


@pytest.fixture
def vnpay_settings(settings):
    def configure(payment_url="http://127.0.0.1:9/paymentv2/vpcpay.html"):
        settings.CONGSO_PAYMENT_PROVIDERS = {
            "vnpay": {
                "BACKEND": "congso.payments.providers.vnpay.VnpayProvider",
                "OPTIONS": {"payment_url": payment_url, "tmn_code": TMN, "hash_secret": SECRET},
            }
        }
        settings.CONGSO_PAYMENT_DEFAULT_PROVIDER = "vnpay"

    configure()
    return configure


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user(
        "cd.lan", password="Mat-khau-dai-2026!", full_name="Trần Thị Lan", kind="citizen"
    )


@pytest.fixture
def owed(agencies, staff, procedure_version, applicant, components, vnpay_settings) -> Dossier:
    """An online birth-registration dossier, accepted, then asked to pay a 50.000 đồng fee."""
    d = dossiers.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.ONLINE,
        applicant=applicant,
        uploads=components,
        accept_now=True,
    )
    dossiers.request_payment(
        d.pk, actor=staff["clerk"], amount=FEE, description="Lệ phí cấp bản sao trích lục khai sinh"
    )
    return Dossier.objects.get(pk=d.pk)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Sandbox:
    url: str
    process: subprocess.Popen

    def post(self, path, **data):
        return requests.post(f"{self.url}{path}", data=data, timeout=30)

    def log(self):
        return requests.get(f"{self.url}/_sandbox/log", timeout=10).json()


@pytest.fixture
def sandbox(live_server, vnpay_settings):
    """`congso payments sandbox` in its own process; IPN → this test's live server."""
    port = free_port()
    ipn_url = live_server.url + reverse("payments:ipn", args=["vnpay"])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "congso.settings"}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "congso.cli", "payments", "sandbox", "--port", str(port)]
        + ["--tmn-code", TMN, "--secret", SECRET, "--ipn-url", ipn_url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:  # wait until it listens (not a timed assertion: the deadline only stops a hang)
        if process.poll() is not None:
            pytest.fail("sandbox exited: " + process.stdout.read().decode(errors="replace"))
        try:
            if requests.get(f"{url}/healthz", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("sandbox did not start")
        time.sleep(0.1)
    vnpay_settings(payment_url=f"{url}/paymentv2/vpcpay.html")
    yield Sandbox(url, process)
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


class Browser:
    """A citizen's browser over real HTTP: our live server and the sandbox, with the session cookie."""

    def __init__(self, live_server, client, user):
        client.force_login(user)
        self.base = live_server.url
        self.http = requests.Session()
        self.http.cookies.set("sessionid", client.cookies["sessionid"].value)

    def get(self, url, **kw):
        return self.http.get(url if url.startswith("http") else self.base + url, timeout=30, **kw)

    def post_form(self, url, data=None, **kw):
        """POST a form of our site, with the CSRF token read from the page."""
        page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        payload = {"csrfmiddlewaretoken": token.group(1) if token else "", **(data or {})}
        return self.http.post(self.base + url, data=payload, allow_redirects=False, timeout=30, **kw)

    def start_payment(self, code) -> str:
        r = self.post_form(reverse("payments:pay", args=[code]))
        assert r.status_code == 302, r.text[:500]
        return r.headers["Location"]

    def open_gateway(self, gateway_url) -> str:
        """Open the sandbox's payment page; return its hidden order field."""
        page = self.get(gateway_url)
        assert page.status_code == 200, page.text
        return html.unescape(re.search(r'name="order" value="([^"]+)"', page.text).group(1))

    def choose(self, sandbox, order, action) -> requests.Response:
        return self.http.post(
            f"{sandbox.url}/paymentv2/confirm",
            data={"order": order, "action": action, "bank": "NCB"},
            allow_redirects=False,
            timeout=60,
        )
