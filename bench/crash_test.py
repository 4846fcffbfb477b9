"""Crash test (issue 15): file dossiers under load, kill the server with kill -9, check nothing is lost.

    .venv/bin/python bench/crash_test.py                      # postgres://postgres@127.0.0.1:5432/congso_crash
    CRASH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_hb_crash .venv/bin/python bench/crash_test.py \
        --seconds 60 --concurrency 8 --workers 3

1. A fresh PostgreSQL database (dropped and created again; its name must contain "crash") with the demo
   data (``congso demo --no-serve``), a commune offering birth registration online to C citizens with
   OAuth bearer tokens (``bench_portal.prepare``), and local storage in a fresh directory.
2. ``congso serve``'s Granian command line (several workers) is started; K client connections file
   dossiers for T seconds through ``POST /api/v1/portal/submissions`` (multipart, two PDF papers with
   contents unique to the filing, an Idempotency-Key each). Every acknowledged answer (201, or 200 for a
   repeated key) is recorded with its dossier code and the SHA-256 of the files sent. A request whose
   connection breaks is sent again with the same key and body, as an app would, until it is answered.
3. At a third of the time, every worker process is killed with SIGKILL (Granian starts new ones); at two
   thirds, the whole server (master and workers) is killed with SIGKILL and started again.
4. After the load, the server is stopped and the script checks: every acknowledged dossier exists with
   its code; every file's content has the SHA-256 that was sent; no dossier code is used twice and no
   Idempotency-Key filed two dossiers; the audit chain verifies (``congso audit verify``); and after
   ``congso storage sweep --grace 0`` no stored file is left that no row names, while every file a row
   names is still there.

Prints a summary and exits with status 1 on any loss, duplicate, broken chain or orphan.
"""

import argparse
import asyncio
import datetime
import hashlib
import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dossiers import machine_speed, setup_django  # noqa: E402
from bench_portal import AGENCY, PROCEDURE, agency_code, free_port, multipart, prepare  # noqa: E402

CONGSO = Path(sys.executable).with_name("congso")
TITLE = "X" * 32  # replaced in place by 32 hex digits per file: same length, so the PDF's offsets hold


def template_pdf(size: int) -> bytes:
    """A one-page PDF of about ``size`` bytes (an image-like stream), whose Info title is ``TITLE``."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    image = DecodedStreamObject()
    image.set_data((bytes(range(256)) * (size // 256 + 1))[:size])
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(size // 100),
            NameObject("/Height"): NumberObject(100),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    writer._add_object(image)
    writer.add_metadata({"/Title": TITLE})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert data.count(TITLE.encode()) == 1
    return data


# The birth registration's form (portal.demo.ensure_birth_form, as the demo data sets it up): its
# required answers, and its papers c1 (Giấy chứng sinh) and c2 (Văn bản ủy quyền) in the form's order.
BIRTH_FIELDS = json.dumps(
    {
        "ho_ten_tre": "NGUYỄN MINH KHANG",
        "gioi_tinh": "nam",
        "ngay_sinh_tre": (datetime.date.today() - datetime.timedelta(days=20)).isoformat(),
        "noi_sinh_loai": "co_so_y_te",
        "ten_co_so_y_te": "Bệnh viện Đa khoa tỉnh Gia Lai",
        "dan_toc_tre": "Kinh",
        "ho_ten_me": "Trần Thị Mai",
        "ho_ten_cha": "Nguyễn Văn Thử",
        "quan_he": "cha",
    },
    ensure_ascii=False,
)


@dataclass
class Filing:
    key: str
    agency: str
    token: str
    hashes: list[str]
    body: bytes
    content_type: str
    code: str = ""
    status: int = 0
    attempts: int = 0
    rejected: str = ""


@dataclass
class Run:
    base: str
    filings: list[Filing] = field(default_factory=list)
    connection_errors: int = 0
    answers_5xx: int = 0
    events: list[str] = field(default_factory=list)


def new_filing(templates: list[bytes], tokens, n: int, agencies: int) -> Filing:
    key = secrets.token_hex(16)
    files, hashes = {}, []
    for i, template in enumerate(templates, start=1):
        content = template.replace(TITLE.encode(), secrets.token_hex(16).encode())
        files[f"c{i}"] = (f"giay-to-{i}.pdf", content)
        hashes.append(hashlib.sha256(content).hexdigest())
    agency = agency_code(n % agencies)
    _uid, token, _idx = tokens[n % len(tokens)]
    body, content_type = multipart(
        {
            "procedure_code": PROCEDURE,
            "agency_code": agency,
            "applicant": '{"name": "Nguyễn Văn Thử", "id_number": "064085001234", '
            '"phone": "0905123456", "address": "12 Trần Hưng Đạo, phường Pleiku"}',
            "fields": BIRTH_FIELDS,
            "declaration": "true",
        },
        files,
    )
    return Filing(key, agency, token, hashes, body, content_type)


async def file_under_load(run: Run, tokens, templates, seconds: float, concurrency: int, agencies: int):
    """K connections file for ``seconds``; a broken connection means: send the same request again."""
    import aiohttp

    stop_at = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def send(session, filing: Filing) -> None:
        give_up = time.perf_counter() + 180
        while time.perf_counter() < give_up:
            filing.attempts += 1
            headers = {
                "Authorization": f"Bearer {filing.token}",
                "Content-Type": filing.content_type,
                "Idempotency-Key": filing.key,
            }
            try:
                async with session.post(
                    f"{run.base}/api/v1/portal/submissions", data=filing.body, headers=headers
                ) as response:
                    payload = await response.json(content_type=None)
                    if response.status in (200, 201):
                        filing.code, filing.status = payload["dossier_code"], response.status
                        return
                    if response.status >= 500:
                        run.answers_5xx += 1
                    else:
                        filing.rejected = f"{response.status} {str(payload)[:160]}"
                        return
            except (TimeoutError, aiohttp.ClientError, ValueError):
                run.connection_errors += 1
            await asyncio.sleep(0.5)
        filing.rejected = "no answer within 180 s"

    async def worker(session):
        while time.perf_counter() < stop_at:
            filing = new_filing(templates, tokens, next(counter), agencies)
            run.filings.append(filing)
            await send(session, filing)

    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))


def _now() -> str:
    return time.strftime("%H:%M:%S", time.gmtime())


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    from congso.core.management.commands.serve import server_argv

    proc = subprocess.Popen(  # noqa: S603 - our own venv's server
        server_argv(bind=f"127.0.0.1:{port}", workers=workers, threads=threads, access_log=False),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["CONGSO_VAR_DIR"]) / "server.log", "ab"),  # noqa: SIM115
        start_new_session=True,
    )
    wait_for_port(port)
    return proc


def wait_for_port(port: int, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


async def chaos(run: Run, state: dict, seconds: float, env: dict, port: int, workers: int, threads: int):
    """Kill -9 every worker at T/3 (Granian starts new ones), the whole server at 2T/3 (started again)."""
    await asyncio.sleep(seconds / 3)
    victims = children(state["server"].pid)
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    run.events.append(
        f"{time.strftime('%H:%M:%S', time.gmtime())} kill -9 of the {len(victims)} workers {victims}"
    )
    await asyncio.sleep(seconds / 3)
    server = state["server"]
    victims = [server.pid, *children(server.pid)]
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    run.events.append(
        f"{time.strftime('%H:%M:%S', time.gmtime())} kill -9 of the server (master and workers) {victims}"
    )
    await asyncio.sleep(1)
    state["server"] = await asyncio.to_thread(start_server, env, port, workers, threads)
    run.events.append(
        f"{time.strftime('%H:%M:%S', time.gmtime())} server started again (pid {state['server'].pid})"
    )


async def load_with_chaos(run, state, tokens, templates, args, env, port):
    await asyncio.gather(
        file_under_load(run, tokens, templates, args.seconds, args.concurrency, args.agencies),
        chaos(run, state, args.seconds, env, port, args.workers, args.threads),
    )


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(CONGSO), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


def check(run: Run, env: dict) -> tuple[dict, list[str]]:
    """Everything the issue's "done when" asks, read from the database and the storage."""
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from congso.core import audit, sweep
    from congso.dossiers.models import Attachment, Dossier
    from congso.portal.models import Draft

    problems = []
    acked = [f for f in run.filings if f.code]
    by_code = {d.code: d for d in Dossier.objects.filter(code__in=[f.code for f in acked])}
    missing = [f for f in acked if f.code not in by_code]
    problems += [f"acknowledged dossier {f.code} (key {f.key}) is missing" for f in missing]

    codes_twice = list(Dossier.objects.values("code").annotate(n=Count("id")).filter(n__gt=1))
    problems += [f"dossier code {row['code']} used {row['n']} times" for row in codes_twice]
    acked_codes = [f.code for f in acked]
    if len(set(acked_codes)) != len(acked_codes):
        problems.append("two filings (two keys) were acknowledged with the same dossier code")
    keys_twice = list(
        Draft.objects.filter(idempotency_key__in=[f.key for f in run.filings])
        .exclude(dossier=None)
        .values("citizen_id", "idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    problems += [f"key {row['idempotency_key']} filed {row['n']} dossiers" for row in keys_twice]

    orphans_before = sweep.sweep(grace=datetime.timedelta(0), dry_run=True)
    swept = cli(env, "storage", "-v", "0", "sweep", "--grace", "0")
    if swept.returncode != 0:
        problems.append(f"storage sweep failed: {swept.stderr.strip()[-300:]}")
    orphans_after = sweep.sweep(grace=datetime.timedelta(0), dry_run=True)
    problems += [f"orphan file left after the sweep: {name}" for name in orphans_after.orphans]
    named = sweep.referenced_names()
    gone = [name for name in named if not default_storage.exists(name)]
    problems += [f"file named by a row is missing: {name}" for name in gone]

    mismatched = 0
    attachments = Attachment.objects.filter(
        dossier__code__in=list(by_code), purpose=Attachment.Purpose.COMPONENT
    ).select_related("dossier")
    stored_hashes: dict[str, list[str]] = {}
    for attachment in attachments:
        with default_storage.open(attachment.file.name, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        if digest != attachment.sha256:
            mismatched += 1
            problems.append(f"{attachment.dossier.code}: {attachment.file.name} does not match its sha256")
        stored_hashes.setdefault(attachment.dossier.code, []).append(digest)
    for f in acked:
        if f.code in by_code and sorted(stored_hashes.get(f.code, [])) != sorted(f.hashes):
            mismatched += 1
            problems.append(f"{f.code}: the files stored are not the files sent")

    rejected = [f for f in run.filings if not f.code]
    if not acked:
        problems.append("no filing was acknowledged")
    problems += [f"filing {f.key} refused or unanswered: {f.rejected}" for f in rejected[:20]]
    if len(rejected) > 20:
        problems.append(f"... and {len(rejected) - 20} more filings refused or unanswered")

    verified = cli(env, "audit", "verify")
    if verified.returncode != 0:
        problems.append(f"audit chain: {verified.stderr.strip()[-300:]}")
    chain = audit.verify()
    figures = {
        "filings": len(run.filings),
        "acknowledged": len(acked),
        "acknowledged after a retry": sum(1 for f in acked if f.attempts > 1),
        "of which filed before the crash (200 to the retry)": sum(1 for f in acked if f.status == 200),
        "rejected (4xx) or unanswered": sum(1 for f in run.filings if not f.code),
        "connection errors seen by clients": run.connection_errors,
        "5xx answers": run.answers_5xx,
        "lost (acknowledged, not found)": len(missing),
        "file hash mismatches": mismatched,
        "files checked": sum(len(v) for v in stored_hashes.values()),
        "duplicate codes": len(codes_twice),
        "keys with two dossiers": len(keys_twice),
        "audit entries (chain intact)": f"{chain.count} ({'yes' if chain.ok else 'NO'})",
        "orphan files before the sweep": len(orphans_before.orphans),
        "orphan files after the sweep": len(orphans_after.orphans),
        "named files missing": len(gone),
    }
    return figures, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--agencies", type=int, default=4)
    parser.add_argument("--file-kb", type=int, default=60, help="size of each of the two PDF papers")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo data")
    args = parser.parse_args()

    db_url = os.environ.get("CRASH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congso_crash")
    if not db_url.startswith("postgres") or "crash" not in db_url.rsplit("/", 1)[-1]:
        raise SystemExit("CRASH_DATABASE_URL must be a PostgreSQL database whose name contains 'crash'")
    started = time.perf_counter()
    fresh_database(db_url)
    var_dir = tempfile.mkdtemp(prefix="congso-crash-")
    setup_django(db_url, var_dir)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CONGSO_VAR_DIR": var_dir,
        "CONGSO_LOG_LEVEL": "WARNING",
        "CONGSO_AXES_ENABLED": "false",
        "DJANGO_SETTINGS_MODULE": "congso.settings",
        "PYTHONPATH": str(ROOT),
    }
    if not args.no_demo:
        demo = cli(env, "demo", "--no-serve")
        if demo.returncode != 0:
            raise SystemExit(f"demo data: {demo.stderr[-2000:]}")
    tokens = prepare(args.citizens, args.agencies)
    from congso.catalog.models import Procedure
    from congso.portal.demo import ensure_birth_form

    ensure_birth_form(Procedure.objects.get(code=PROCEDURE))  # the demo's form (also with --no-demo)
    from django.db import connection

    connection.close()
    templates = [template_pdf(args.file_kb * 1024), template_pdf(args.file_kb * 1024 + 512)]
    print(
        f"crash test: PostgreSQL, Granian {args.workers} workers x {args.threads} threads, "
        f"{args.concurrency} client connections for {args.seconds:.0f} s, filings to {args.agencies} "
        f"communes ({AGENCY}…), two PDFs of ~{args.file_kb} KB each; {os.cpu_count()} cores; {machine_speed()}"
    )
    port = free_port()
    state = {"server": start_server(env, port, args.workers, args.threads)}
    run = Run(base=f"http://127.0.0.1:{port}")
    load_started = time.perf_counter()
    try:
        asyncio.run(load_with_chaos(run, state, tokens, templates, args, env, port))
    finally:
        server = state["server"]
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
    load_time = time.perf_counter() - load_started
    for event in run.events:
        print("  " + event)
    figures, problems = check(run, env)
    figures["load time"] = f"{load_time:.1f} s"
    figures["total time"] = f"{time.perf_counter() - started:.1f} s"
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"  {name.ljust(width)}  {value}")
    rejected = [f.rejected for f in run.filings if f.rejected][:5]
    if rejected:
        print("  first refusals: " + "; ".join(rejected))
    if problems:
        print(f"FAILED: {len(problems)} problems")
        for problem in problems[:50]:
            print("  - " + problem)
        raise SystemExit(1)
    print("OK: nothing acknowledged was lost, no duplicates, audit chain intact, no orphan file")


if __name__ == "__main__":
    main()
