"""Run the production-grade server: gunicorn, with static files served by whitenoise."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Chạy máy chủ web (gunicorn). Serve congso with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CONGSO_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CONGSO_WORKERS", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CONGSO_THREADS", "4")))
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("CONGSO_TIMEOUT", "60")))

    def handle(self, *args, bind, workers, threads, timeout, **options):
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError("Không tìm thấy gunicorn trong môi trường Python hiện tại.")
        workers = workers or min(4, (os.cpu_count() or 1) * 2 + 1)
        argv = [
            gunicorn,
            "congso.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("CONGSO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"congso đang chạy tại http://{bind}/ (gunicorn, {workers} tiến trình)")
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606 — replace this process with the server
