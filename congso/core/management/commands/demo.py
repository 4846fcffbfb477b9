"""Set up the embedded demo: migrate, load demo data, print the logins, serve."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from congso.core.demo import load_all
from congso.core.task_backends import queue_in_database


class Command(BaseCommand):
    help = "Cài đặt dữ liệu trình diễn và chạy cổng tại http://127.0.0.1:8000. Set up and serve the demo."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="chỉ nạp dữ liệu, không chạy máy chủ")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, no_serve, bind, **options):
        if not no_serve:
            _site_url_from_bind(bind)  # before loading: the printed links name the address served
        self.stdout.write("Đang cập nhật cơ sở dữ liệu…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self.stdout.write("Đang nạp dữ liệu trình diễn…")
        with transaction.atomic():
            logins = load_all(self.stdout)
        if logins:
            self.stdout.write("\nTài khoản trình diễn (demo logins):")
            width = max(len(role) for role, _, _ in logins)
            for role, username, password in logins:
                self.stdout.write(f"  {role.ljust(width)}  {username} / {password}")
        self.stdout.write(self.style.SUCCESS("\nDữ liệu trình diễn đã sẵn sàng."))
        if not no_serve:
            _start_payment_sandbox(self.stdout)
            _start_national_sandbox(self.stdout)
            _start_task_worker(self.stdout)
            _start_integration_worker(self.stdout)
            call_command("serve", bind=bind)


def _site_url_from_bind(bind: str) -> None:
    """The demo's own address, when CONGSO_SITE_URL does not name one: links in notices, the payment
    gateway's IPN and return URLs follow ``--bind`` (not http://127.0.0.1:8000). Child processes (the
    sandbox gateway, the worker) inherit it through the environment."""
    if os.environ.get("CONGSO_SITE_URL"):
        return
    host, _sep, port = bind.rpartition(":")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::", "[::]") else host  # noqa: S104 — a browser's address
    url = f"http://{host}:{port}"
    os.environ["CONGSO_SITE_URL"] = url
    settings.SITE_URL = url


def _start_task_worker(out) -> None:
    """The background-job worker (notifications to applicants) in its own process, next to the demo.
    With Redis (REDIS_URL) the deployment runs RQ workers instead; this covers the embedded default."""
    import subprocess
    import sys

    if not queue_in_database():
        return
    subprocess.Popen([sys.executable, "-m", "congso.cli", "db_worker"])  # noqa: S603
    out.write("Tiến trình chạy tác vụ nền (gửi thông báo): congso db_worker")


def _start_integration_worker(out) -> None:
    """The outbox's delivery worker (``congso integration worker``, ADR 0154) in its own process, next
    to the demo: webhooks and the national portal sandbox receive the demo's events as they happen."""
    import subprocess
    import sys

    subprocess.Popen([sys.executable, "-m", "congso.cli", "integration", "worker", "--threads", "2"])  # noqa: S603
    out.write("Tiến trình gửi sự kiện tích hợp (webhook, Cổng DVC quốc gia): congso integration worker")


def _start_payment_sandbox(out) -> None:
    """The local payment gateway (congso.payments.sandbox) in its own process, next to the demo."""
    import subprocess
    import sys

    from django.conf import settings

    if not getattr(settings, "CONGSO_PAYMENT_SANDBOX_WITH_DEMO", False):
        return
    subprocess.Popen([sys.executable, "-m", "congso.cli", "payments", "sandbox"])  # noqa: S603
    out.write(f"Cổng thanh toán thử nghiệm: http://127.0.0.1:{settings.CONGSO_PAYMENT_SANDBOX_PORT}/")


def _start_national_sandbox(out) -> None:
    """The National Public Service Portal sandbox (``congso integration sandbox``, ADR 0168) in its own
    process, next to the demo: dossiers filed there come in through the demo's inbound API."""
    import subprocess
    import sys

    from django.conf import settings

    if not getattr(settings, "CONGSO_NATIONAL_SANDBOX_WITH_DEMO", False):
        return
    inbound = f"{settings.SITE_URL}/api/v1/integration/national/inbound"
    subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "congso.cli", "integration", "sandbox", "--inbound-url", inbound]
    )
    out.write(
        f"Cổng Dịch vụ công quốc gia thử nghiệm: http://127.0.0.1:{settings.CONGSO_NATIONAL_SANDBOX_PORT}/"
    )
