"""Benchmark of registering incoming documents from edXML packets that carry a 300 KB signed PDF (issue
18: ≥ 50 per second, signatures verified).

    .venv/bin/python bench/bench_exchange.py [--packets 200]                  # a fresh SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/bench_exchange.py \\
        [--packets 300] [--workers 3] [--only inprocess|hub] [--profile FILE]

The PDF is a realistic one: a three-page decision in Vietnamese (WeasyPrint, DejaVu embedded) with a
scanned annex image, sealed with the sender's PAdES signature, about 300 KB. Each packet has its own
message id and document number, signed beforehand with the sender's seal (XML-DSig). Not a test.

- **in process** (one process, one packet at a time): "parse + verify" (defusedxml gate, lxml, the
  packet's XML-DSig, the PDF's PAdES signature) and "receive + register" (``services.record_delivery``:
  all of that, the inbox row, the signed "arrived" status in the outbox, and the documents app
  registering the document in the agency's incoming register with its file, text, search vector,
  arrival number, trace, audit and the "registered" status). Wall time per packet (median, p95) and the
  CPU it costs: this process's, and its PostgreSQL backend's (``/proc``, PostgreSQL on this machine).
- **through the hub** (the product's way): a local hub process (``congso exchange_hub``) holds the
  packets; ``congso exchange poll --workers N`` fetches, verifies, records and registers them and
  acknowledges each batch to the hub, N processes taking leased deliveries. Reported: documents
  registered per second, from the poll's start to the last acknowledgement; the sustained rate, from the
  first registration to the last (the documents' arrival times: the command's start-up left out); and
  the machine's busy CPU per document (every process: the workers, PostgreSQL, the hub; ``/proc/stat``).
"""

import argparse
import base64
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
os.environ.setdefault("CONGSO_VAR_DIR", tempfile.mkdtemp(prefix="congso-bench-"))
os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")
os.environ.setdefault("CONGSO_AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from bench_dossiers import machine_speed  # noqa: E402
from bench_feedback import _proc_cpu, cpu_busy  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ARTICLES = [
    "Kiện toàn Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Gia Lai gồm các ông, bà có tên sau "
    "đây: Chủ tịch Hội đồng là Phó Chủ tịch Ủy ban nhân dân tỉnh; Phó Chủ tịch thường trực là Giám đốc "
    "Sở Tư pháp; các thành viên là lãnh đạo các sở, ban, ngành và Ủy ban nhân dân các xã, phường.",
    "Hội đồng có nhiệm vụ tham mưu, tư vấn cho Ủy ban nhân dân tỉnh trong việc chỉ đạo, hướng dẫn, "
    "kiểm tra công tác phổ biến, giáo dục pháp luật, hòa giải ở cơ sở và xây dựng cấp xã đạt chuẩn tiếp "
    "cận pháp luật; đề xuất giải pháp nâng cao hiệu quả công tác phổ biến, giáo dục pháp luật.",
    "Sở Tư pháp là cơ quan thường trực của Hội đồng, có trách nhiệm bảo đảm các điều kiện hoạt động "
    "của Hội đồng; các thành viên Hội đồng làm việc theo chế độ kiêm nhiệm và chịu trách nhiệm trước "
    "Chủ tịch Hội đồng về nhiệm vụ được phân công.",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc "
    "Sở Tư pháp, Thủ trưởng các sở, ban, ngành thuộc tỉnh, Chủ tịch Ủy ban nhân dân các xã, phường và "
    "các ông, bà có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
]


def decision_pdf(size: int = 300 * 1024) -> bytes:
    """An unsigned three-page decision with a scanned annex (a JPEG of noise: incompressible, as a scan
    is), about ``size`` bytes once sealed."""
    from PIL import Image
    from weasyprint import HTML

    rng = random.Random(18)
    side = 560
    image = Image.frombytes("L", (side, side), bytes(rng.randrange(256) for _ in range(side * side)))
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=int(os.environ.get("BENCH_JPEG_QUALITY", "92")))
    body = "".join(f"<h2>Điều {i + 1}.</h2><p>{ARTICLES[i % len(ARTICLES)]}</p>" * 1 for i in range(24))
    html = (
        "<html lang='vi'><head><meta charset='utf-8'><style>body{font-family:'DejaVu Serif';font-size:13pt}"
        "img{width:15cm}</style></head><body><p>ỦY BAN NHÂN DÂN TỈNH GIA LAI</p>"
        "<h1>QUYẾT ĐỊNH về việc kiện toàn Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh</h1>"
        f"{body}<p>Phụ lục: bản chụp danh sách thành viên</p>"
        f"<img alt='' src='data:image/jpeg;base64,{base64.b64encode(jpeg.getvalue()).decode()}'>"
        "</body></html>"
    )
    return HTML(string=html).write_pdf()


def summary(name, samples, wall):
    samples = sorted(samples)
    median = statistics.median(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(
        f"{name:<22} median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  "
        f"{1 / median:6.1f}/s by median, {len(samples) / wall:6.1f}/s over the run"
    )


def backend_pid() -> int:
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        return c.fetchone()[0]


def setup(args):
    call_command("migrate", verbosity=0)
    from congso.directory.models import Agency
    from congso.directory.testing import build_world
    from congso.documents.models import Register
    from congso.exchange import edxml, testing, xmlsig
    from congso.signing.services import sign_pdf

    if not Agency.objects.filter(code="000.00.00.H21").exists():
        build_world()
    province = Agency.objects.get(code="000.00.00.H21")
    justice = Agency.objects.get(code="000.00.12.H21")
    seal = testing.seal_for(province)
    testing.seal_for(justice)
    Register.objects.get_or_create(
        agency=justice, name="Sổ văn bản đến (đo hiệu năng)", defaults={"direction": "in"}
    )
    pdf = sign_pdf(decision_pdf(), seal, actor=None, as_system=True).data
    print(machine_speed())
    print(f"signed PDF: {len(pdf) / 1024:.0f} KB; database: {connection.vendor}")
    run = uuid.uuid4().hex[:6]
    envelopes = []
    for i in range(args.packets):
        packet = testing.sample_packet(province, justice, pdf=pdf, number=f"{run}{i}")
        packet.message_id = str(uuid.uuid4())
        packet.page_amount = 3
        envelopes.append((packet.message_id, xmlsig.sign(edxml.build_packet(packet), seal)))
    print(f"packet: {len(envelopes[0][1]) / 1024:.0f} KB of edXML, {args.packets} packets")
    return province, justice, envelopes


def in_process(args, justice, envelopes):
    from congso.exchange import edxml, services, xmlsig
    from congso.signing import keystore

    anchors = keystore.trust_anchor_certificates()

    def parse_and_verify(message_id, envelope):
        root = edxml.safe_parse(envelope)
        result = xmlsig.verify(root, lambda r: services._sender_organ(r, "packet"), anchors=anchors)
        services._check_attachments(edxml.packet_from_tree(result.signed_root))

    for message_id, envelope in envelopes[:5]:  # warm-up
        parse_and_verify(message_id, envelope)
    pg = backend_pid() if connection.vendor == "postgresql" else None
    for name, fn in (
        ("parse + verify", parse_and_verify),
        ("receive + register", lambda m, e: services.record_delivery(justice, m, e)),
    ):
        samples = []
        profiler = None
        if args.profile and name == "receive + register":
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
            profiler.enable()
        cpu, db_cpu = time.process_time(), _proc_cpu(pg) if pg else 0.0
        started = time.perf_counter()
        for message_id, envelope in envelopes:
            t = time.perf_counter()
            fn(message_id, envelope)
            samples.append(time.perf_counter() - t)
        wall = time.perf_counter() - started
        cpu, db_cpu = time.process_time() - cpu, (_proc_cpu(pg) - db_cpu) if pg else 0.0
        summary(name, samples, wall)
        print(
            f"{'':<22} CPU per packet: Python {cpu / len(envelopes) * 1000:.1f} ms"
            + (f", PostgreSQL backend {db_cpu / len(envelopes) * 1000:.1f} ms" if pg else "")
        )
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
    registered = registered_count(justice, envelopes)
    print(f"registered: {registered} of {len(envelopes)}")


def registered_count(agency, envelopes) -> int:
    """Documents registered in the agency's incoming register from these packets."""
    from congso.documents.models import Document

    ids = [m for m, _ in envelopes]
    return Document.objects.filter(agency=agency, exchange_packet__message_id__in=ids).count()


def through_hub(args, justice, envelopes):
    import requests

    port = int(os.environ.get("BENCH_HUB_PORT", "8159"))
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CONGSO_EXCHANGE_HUB_URL": base}
    congso = [sys.executable, "-m", "congso.cli"]
    hub = subprocess.Popen([*congso, "exchange_hub", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        for _message_id, envelope in envelopes:
            requests.post(base + "/api/packets", data=envelope, timeout=30).raise_for_status()
        print(
            f"\nthrough the hub: {len(envelopes)} packets waiting; congso exchange poll --workers {args.workers}"
        )
        busy, hub_cpu = cpu_busy(), _proc_cpu(hub.pid)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*congso, "exchange", "poll", "--workers", str(args.workers)], env=env, check=True)
        wall = time.perf_counter() - started
        busy, hub_cpu = cpu_busy() - busy, _proc_cpu(hub.pid) - hub_cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    finally:
        hub.terminate()
        hub.wait()
    registered = registered_count(justice, envelopes)
    print(
        f"registered {registered} of {len(envelopes)} in {wall:.1f} s: {registered / wall:.1f} per second; "
        f"machine CPU busy {busy / max(registered, 1) * 1000:.1f} ms per document "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    n = max(registered, 1)
    print(
        f"CPU per document: receiving processes {workers_cpu / n * 1000:.1f} ms (the poll command and its "
        f"workers), hub {hub_cpu / n * 1000:.1f} ms; PostgreSQL not counted here (see in process)"
    )
    first, last, count = steady_window(justice, envelopes)
    if count > 1:
        print(
            f"sustained, from the first registration to the last (the command's start-up left out): "
            f"{count - 1} in {last - first:.1f} s, {(count - 1) / (last - first):.1f} per second"
        )


def steady_window(agency, envelopes):
    """(first, last, count): the arrival times of the first and last documents these packets registered,
    in seconds, and how many (the rate between them is the receivers' sustained rate, without the poll
    command's start-up)."""
    from django.db.models import Count, Max, Min

    from congso.documents.models import Document

    ids = [m for m, _ in envelopes]
    found = Document.objects.filter(agency=agency, exchange_packet__message_id__in=ids).aggregate(
        first=Min("arrived_at"), last=Max("arrived_at"), count=Count("pk")
    )
    if not found["count"]:
        return 0.0, 0.0, 0
    return found["first"].timestamp(), found["last"].timestamp(), found["count"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--packets", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="receiving processes through the hub")
    parser.add_argument("--only", choices=("inprocess", "hub"))
    parser.add_argument("--profile", help="write a cProfile of 'receive + register' to this file")
    args = parser.parse_args()
    _province, justice, envelopes = setup(args)
    if args.only in (None, "inprocess"):
        in_process(args, justice, envelopes)
    if args.only in (None, "hub"):
        through_hub(args, justice, _renumbered(envelopes) if args.only is None else envelopes)


def _renumbered(envelopes):
    """The in-process run recorded these message ids: sign the packets again with new ids and numbers."""
    from congso.directory.models import Agency
    from congso.exchange import edxml, testing, xmlsig

    province = Agency.objects.get(code="000.00.00.H21")
    seal = testing.seal_for(province)
    out = []
    for _message_id, envelope in envelopes:
        packet = edxml.packet_from_tree(edxml.safe_parse(envelope))
        packet.message_id = str(uuid.uuid4())
        packet.code_number = "H" + packet.code_number
        out.append((packet.message_id, xmlsig.sign(edxml.build_packet(packet), seal)))
    return out


if __name__ == "__main__":
    main()
