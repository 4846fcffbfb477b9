"""Run the production-grade server: Granian (WSGI), with static files served by whitenoise.

Granian (ADR 0080) reads and writes HTTP in Rust and hands Django a WSGI call on one of each worker's
Python threads; the request body is streamed to Django, never buffered whole. Defaults: one worker
process per core (at least 2, at most 4) × 2 threads each (ADR 0077: more threads than that only
contend for each process's interpreter lock). ``bench/bench_portal.py`` starts the server through
``server_argv`` below, so it measures what a deployment runs.

Granian has no per-request timeout of its own (gunicorn's ``--timeout`` killed a whole worker): a
request that hangs holds one of its worker's threads, and the reverse proxy's read timeout answers
the client. Workers that die are started again (``--respawn-failed-workers``).
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


def server_executable() -> str:
    """Granian's console script in this Python environment."""
    found = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian")
    if not found:
        raise CommandError("Không tìm thấy granian trong môi trường Python hiện tại.")
    return found


def server_argv(
    *,
    bind: str,
    workers: int | None = None,
    threads: int | None = None,
    access_log: bool = True,
) -> list[str]:
    """The Granian command line of ``congso serve`` (also used by the HTTP benchmarks)."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"Địa chỉ “{bind}” không hợp lệ: cần dạng máy:cổng, ví dụ 127.0.0.1:8000.")
    argv = [
        server_executable(),
        "--interface",
        "wsgi",
        "--host",
        host.strip("[]"),
        "--port",
        port,
        "--workers",
        str(workers or default_workers()),
        "--blocking-threads",
        str(threads or default_threads()),
        "--respawn-failed-workers",
        "--no-ws",
        "--log-level",
        os.environ.get("CONGSO_SERVER_LOG_LEVEL", "warning"),
    ]
    if access_log:
        argv.append("--access-log")
    return [*argv, "congso.wsgi:application"]


class Command(BaseCommand):
    help = "Chạy máy chủ web (Granian). Serve congso with Granian."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CONGSO_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)

    def handle(self, *args, bind, workers, threads, **options):
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = server_argv(bind=bind, workers=workers, threads=threads)
        workers, threads = argv[argv.index("--workers") + 1], argv[argv.index("--blocking-threads") + 1]
        self.stdout.write(
            f"congso đang chạy tại http://{bind}/ (Granian, {workers} tiến trình × {threads} luồng)"
        )
        sys.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 — replace this process with the server
