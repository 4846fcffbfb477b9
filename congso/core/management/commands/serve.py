"""Run the production-grade server: gunicorn, with static files served by whitenoise.

Defaults (ADR 0077): one worker process per core (at least 2, at most 4) × 2 threads each (gunicorn's
``gthread`` worker). Threads keep HTTP connections alive between requests (sync workers close each
one) and let a worker answer others while one request waits on the database or Redis. On the 2-core
benchmark machine, 2 × 4 served the public lookup at ~2.5–4× the rate of 4 sync workers, and spent
~35 % less server CPU per request than 4 × 4 (more processes than cores only add context switches);
online submissions were not slower. On a quiet machine, 2 × 2 then beat 2 × 4 (fewer threads contending
for each process's interpreter lock): lookups 1,021/1,235 vs 591/960 per second, submissions 76/65 vs
65/64 per second, interleaved. ``bench/bench_portal.py`` starts the server through
``gunicorn_argv`` below, so it measures what a deployment runs.
"""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_THREADS = 2


def default_workers() -> int:
    return int(os.environ.get("CONGSO_WORKERS", "0")) or max(2, min(4, os.cpu_count() or 1))


def default_threads() -> int:
    return int(os.environ.get("CONGSO_THREADS", str(DEFAULT_THREADS)))


def gunicorn_argv(
    gunicorn: str,
    *,
    bind: str,
    workers: int | None = None,
    threads: int | None = None,
    timeout: int | None = None,
    access_log: str = "-",
) -> list[str]:
    """The gunicorn command line of ``congso serve`` (also used by the HTTP benchmarks)."""
    return [
        gunicorn,
        "congso.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers or default_workers()),
        "--threads",
        str(threads or default_threads()),
        "--timeout",
        str(timeout or int(os.environ.get("CONGSO_TIMEOUT", "60"))),
        "--access-logfile",
        access_log,
        "--forwarded-allow-ips",
        os.environ.get("CONGSO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


class Command(BaseCommand):
    help = "Chạy máy chủ web (gunicorn). Serve congso with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CONGSO_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)
        parser.add_argument("--timeout", type=int, default=None)

    def handle(self, *args, bind, workers, threads, timeout, **options):
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError("Không tìm thấy gunicorn trong môi trường Python hiện tại.")
        argv = gunicorn_argv(gunicorn, bind=bind, workers=workers, threads=threads, timeout=timeout)
        workers, threads = argv[argv.index("--workers") + 1], argv[argv.index("--threads") + 1]
        self.stdout.write(
            f"congso đang chạy tại http://{bind}/ (gunicorn, {workers} tiến trình × {threads} luồng)"
        )
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606 — replace this process with the server
