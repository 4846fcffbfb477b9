"""Benchmark the citizen portal end to end over HTTP (issue 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_portal .venv/bin/python bench/bench_portal.py
    ... bench/bench_portal.py --only-lookup     # just the public lookup (files --lookup-dossiers first)

1. Prepares the database (migrations, a commune offering a procedure online, C citizens with OAuth
   bearer tokens) and starts the real server with the command line of ``congso serve``
   (``serve.server_argv``: Granian's WSGI workers × threads, access log; ADR 0077, 0080), or
   ``--workers``/``--threads`` when given.
2. Online submissions: K client connections each POST ``/api/v1/portal/submissions`` (multipart, two
   200 KB PDF components, a fresh Idempotency-Key each) for T seconds, to A communes in turn (default 8:
   citizens of a province file at their own communes; ``--agencies 1`` is the worst case, where every
   filing waits for the previous one on the commune's dossier-code counter); prints submissions per
   second, latency median/p95, and checks that every acknowledged dossier is in the database. With
   ``--only-lookup`` this step only files the dossiers the lookup needs (those already there count).
3. Public lookup: K connections GET ``/api/v1/dossiers/lookup?code=…&check=…`` over the dossiers just
   filed for T seconds; prints requests per second, latency median/p95, and the CPU time per lookup
   of the server's processes and of the load generator (steadier than rates on a shared machine).

The load generator (aiohttp, one process) runs on the same 2-core machine as the server, so the
figures include its cost. The database name must contain "bench".
"""

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dossiers import machine_speed, pdf_200k, setup_django  # noqa: E402

PROCEDURE = "1.001193"
AGENCY = "H21.BENCHP"


def agency_code(i: int) -> str:
    return AGENCY if i == 0 else f"{AGENCY}{i:02d}"


def prepare(citizens: int, agencies: int = 1):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from congso.accounts.models import User
    from congso.catalog.models import Offering, OnlineLevel, Procedure, ProcedureVersion
    from congso.directory.models import AdministrativeUnit, Agency

    call_command("migrate", verbosity=0)
    province, _ = AdministrativeUnit.objects.get_or_create(
        code="52", valid_from="2025-07-01", defaults={"name": "Tỉnh Gia Lai", "kind": "province", "level": 1}
    )
    communes = [
        Agency.objects.get_or_create(
            code=agency_code(i),
            defaults={
                "name": f"Ủy ban nhân dân phường thử tải {i}",
                "kind": "peoples_committee",
                "unit": province,
            },
        )[0]
        for i in range(agencies)
    ]
    procedure, created = Procedure.objects.get_or_create(
        code=PROCEDURE, defaults={"name": "Thủ tục đăng ký khai sinh"}
    )
    if created or not procedure.current_version_id:
        content = {
            "code": PROCEDURE,
            "name": procedure.name,
            "components": [
                {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
                {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
            ],
            "channels": [{"channel": "online", "time": {"value": 3, "unit": "working_days"}}],
        }
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, content=content, content_hash="p" * 64
        )
        procedure.current_version = version
    procedure.online_level = OnlineLevel.FULL
    procedure.is_active = True
    procedure.save()
    for agency in communes:
        Offering.objects.update_or_create(
            agency=agency, procedure=procedure, defaults={"online_open": True, "is_active": True}
        )
    owner, _ = User.objects.get_or_create(username="bench.app", defaults={"kind": "service"})
    app, _ = Application.objects.get_or_create(
        name="bench kiosk",
        defaults={
            "user": owner,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    tokens = []
    for i in range(citizens):
        user, _ = User.objects.get_or_create(
            username=f"bench.citizen{i:03d}",
            defaults={"kind": "citizen", "full_name": f"Nguyễn Văn Thử {i}", "phone": f"0905{i:06d}"},
        )
        token = secrets.token_urlsafe(24)
        AccessToken.objects.create(
            user=user,
            application=app,
            token=token,
            scope="read write",
            expires=timezone.now() + timedelta(hours=2),
        )
        tokens.append((user.pk, token, i))
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, workers: int | None, threads: int | None) -> tuple[subprocess.Popen, str]:
    """The HTTP server with the command line of ``congso serve`` (Granian, same workers, threads and
    access log; ADR 0080)."""
    from congso.core.management.commands.serve import server_argv

    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 — our own venv's server
        server_argv(bind=f"127.0.0.1:{port}", workers=workers, threads=threads),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        raise SystemExit("the server did not start")
    return proc, base


def session_cpu(sid: int) -> float:
    """CPU seconds (user + system) used so far by the processes of session ``sid`` (the server's
    master and workers; Linux /proc). Less sensitive to other jobs on a shared machine than rates."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid:  # fields after the command: state, ppid, pgrp, session, …
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def named_cpu(prefix: str) -> float:
    """CPU seconds used so far by the processes whose command name starts with ``prefix`` (the
    database or Redis server; Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name.startswith(prefix):
            fields = text.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU time per request of the server, PostgreSQL, Redis and the load generator, over a span."""

    def __init__(self, server_sid: int):
        self.sid = server_sid
        self.start = self._read()

    def _read(self):
        return (session_cpu(self.sid), named_cpu("postgres"), named_cpu("redis-server"), time.process_time())

    def report(self, requests: int) -> str:
        end = self._read()
        ms = [(b - a) * 1000 / max(1, requests) for a, b in zip(self.start, end, strict=True)]
        return (
            f"CPU per request: server {ms[0]:.2f} ms, PostgreSQL {ms[1]:.2f} ms, Redis {ms[2]:.2f} ms, "
            f"load generator {ms[3]:.2f} ms, in all {sum(ms):.2f} ms"
        )


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "congsobench" + secrets.token_hex(8)
    out = []
    for name, value in fields.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def submission_bodies(agencies: int) -> list[tuple[bytes, str]]:
    """One multipart body per commune for ``POST /api/v1/portal/submissions``: the birth registration,
    with its two papers as 200 KB PDFs."""
    files = {"c1": ("to-khai.pdf", pdf_200k(1)), "c2": ("giay-chung-sinh.pdf", pdf_200k(2))}
    return [
        multipart(
            {
                "procedure_code": PROCEDURE,
                "agency_code": agency_code(i),
                "applicant": '{"name": "Nguyễn Văn Thử", "id_number": "064085001234", '
                '"phone": "0905123456", "address": "12 Trần Hưng Đạo, phường Pleiku"}',
                "fields": '{"noi_dung": "Đề nghị đăng ký khai sinh cho con."}',
                "declaration": "true",
            },
            files,
        )
        for i in range(agencies)
    ]


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


async def run_submissions(base, tokens, seconds, concurrency, bodies, count=None):
    """Submit for ``seconds``, or until ``count`` dossiers are acknowledged when ``count`` is given."""
    import aiohttp

    latencies, codes, errors = [], [], []
    stop_at = time.perf_counter() + seconds
    url = f"{base}/api/v1/portal/submissions"

    def more():
        return time.perf_counter() < stop_at and (count is None or len(codes) < count)

    async def worker(n):
        connector_session = sessions[n % len(sessions)]
        i = 0
        while more():
            _uid, token, _idx = tokens[(n * 7919 + i) % len(tokens)]
            i += 1
            body, content_type = bodies[(n + i) % len(bodies)]  # the communes in turn
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": content_type,
                "Idempotency-Key": secrets.token_hex(12),
            }
            t0 = time.perf_counter()
            async with connector_session.post(url, data=body, headers=headers) as response:
                payload = await response.json(content_type=None)
                if response.status == 201:
                    latencies.append(time.perf_counter() - t0)
                    codes.append(payload["dossier_code"])
                else:
                    errors.append((response.status, str(payload)[:200]))

    sessions = [aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) for _ in range(2)]
    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    elapsed = time.perf_counter() - started
    for s in sessions:
        await s.close()
    return latencies, codes, errors, elapsed


async def run_lookups(base, pairs, seconds, concurrency):
    import aiohttp

    latencies, errors = [], []
    stop_at = time.perf_counter() + seconds

    async def worker(n, session):
        i = n
        while time.perf_counter() < stop_at:
            code, check = pairs[i % len(pairs)]
            i += concurrency
            t0 = time.perf_counter()
            async with session.get(
                f"{base}/api/v1/dossiers/lookup", params={"code": code, "check": check}
            ) as response:
                await response.read()
                if response.status == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors.append(response.status)

    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=60), connector=aiohttp.TCPConnector(limit=concurrency)
    )
    started = time.perf_counter()
    await asyncio.gather(*(worker(n, session) for n in range(concurrency)))
    elapsed = time.perf_counter() - started
    await session.close()
    return latencies, errors, elapsed


def report(name, latencies, errors, elapsed):
    ms = [x * 1000 for x in latencies]
    print(
        f"{name}: {len(latencies)} ok in {elapsed:.1f} s = {len(latencies) / elapsed:.1f}/s; "
        f"latency median {statistics.median(ms) if ms else float('nan'):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms; "
        f"{len(errors)} errors {errors[:3]}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lookup-concurrency", type=int, default=8)
    # Default: what `congso serve` runs (CONGSO_WORKERS / CONGSO_THREADS or its defaults).
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--skip-lookup", action="store_true")
    parser.add_argument("--agencies", type=int, default=8, help="communes the filings go to, in turn")
    parser.add_argument(
        "--only-lookup",
        action="store_true",
        help="skip the submission benchmark: file just --lookup-dossiers dossiers (those already in the "
        "database count) and time only the public lookup",
    )
    parser.add_argument("--lookup-dossiers", type=int, default=300)
    args = parser.parse_args()

    db_url = os.environ.get("DATABASE_URL", "")
    var_dir = tempfile.mkdtemp(prefix="congso-bench-portal-")
    if db_url and "bench" not in db_url.rsplit("/", 1)[-1]:
        raise SystemExit("the database name must contain 'bench'")
    setup_django(db_url or None, var_dir)
    from django.db import connection

    tokens = prepare(args.citizens, args.agencies)
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CONGSO_VAR_DIR": var_dir,
        "CONGSO_LOG_LEVEL": "WARNING",
        "CONGSO_AXES_ENABLED": "false",
        "DJANGO_SETTINGS_MODULE": "congso.settings",
        # the public lookup's per-address limit would stop a load generator on one address
        "CONGSO_LOOKUP_EXEMPT_IPS": "127.0.0.1",
    }
    connection.close()
    from congso.core.management.commands.serve import default_threads, default_workers

    args.workers, args.threads = args.workers or default_workers(), args.threads or default_threads()
    print(
        f"database {connection.vendor}; Granian {args.workers} workers × {args.threads} threads; "
        f"{args.concurrency} client connections; filings to {args.agencies} communes; {os.cpu_count()} cores; "
        f"{machine_speed()}"
    )
    server, base = start_server(env, args.workers, args.threads)
    try:
        bodies = submission_bodies(args.agencies)
        from congso.dossiers.models import Dossier

        if args.only_lookup:
            have = Dossier.objects.filter(receiving_agency__code__startswith=AGENCY).count()
            if have < args.lookup_dossiers:
                _, codes, errors, elapsed = asyncio.run(
                    run_submissions(base, tokens, 600, 8, bodies, count=args.lookup_dossiers - have)
                )
                print(f"filed {len(codes)} dossiers for the lookup in {elapsed:.1f} s ({len(errors)} errors)")
        else:
            print(f"request body {len(bodies[0][0]) / 1024:.0f} KiB (two PDF components of ~200 KB)")
            # warm-up (imports, connections, the calendar)
            asyncio.run(run_submissions(base, tokens, 3, 4, bodies))
            meter = CpuMeter(server.pid)
            latencies, codes, errors, elapsed = asyncio.run(
                run_submissions(base, tokens, args.seconds, args.concurrency, bodies)
            )
            report("online submissions over HTTP", latencies, errors, elapsed)
            print(meter.report(len(latencies) + len(errors)))
            stored = Dossier.objects.filter(code__in=codes).count()
            print(
                f"acknowledged {len(codes)}, found in the database {stored}, distinct codes {len(set(codes))}"
            )
        if not args.skip_lookup:
            pairs = list(
                Dossier.objects.filter(receiving_agency__code__startswith=AGENCY)
                .order_by("-pk")
                .values_list("code", "applicant_phone")[:5000]
            )
            pairs = [(code, phone[-4:]) for code, phone in pairs]
            asyncio.run(run_lookups(base, pairs, 3, args.lookup_concurrency))
            meter = CpuMeter(server.pid)
            latencies, errors, elapsed = asyncio.run(
                run_lookups(base, pairs, args.seconds, args.lookup_concurrency)
            )
            report("public lookup over HTTP", latencies, errors, elapsed)
            print(meter.report(len(latencies) + len(errors)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
