"""Benchmark of receiving edXML packets that carry a 300 KB signed PDF (issue 18, the exchange's part).

    .venv/bin/python bench/bench_exchange.py [--packets 200]                  # a fresh SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/bench_exchange.py

The issue's target is registering ≥ 50 incoming documents per second end to end, signatures verified;
this measures the exchange's share of it, in one process on one core:

- "parse + verify": refusing XML attacks (defusedxml), parsing (lxml), the packet's XML-DSig (signxml,
  chain to the trust anchor, the sender's certificate) and the PDF's PAdES signature (signing.verify);
- "record delivery": all of that plus the inbox row, its audit entry, the hook, and the signed
  "arrived" status message put in the outbox (``services.record_delivery``, what ``receive`` does for
  each packet the hub hands over; without the HTTP round trip to the hub).

Packets are signed beforehand with the sender's seal, each with its own message id. Not a test.
"""

import argparse
import os
import statistics
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
from django.core.management import call_command  # noqa: E402


def summary(name, samples, wall):
    samples = sorted(samples)
    median = statistics.median(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(
        f"{name:<18} median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  "
        f"{1 / median:6.1f}/s by median, {len(samples) / wall:6.1f}/s over the run"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--packets", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from congso.directory.models import Agency
    from congso.directory.testing import build_world
    from congso.exchange import edxml, services, testing, xmlsig
    from congso.signing import keystore

    if not Agency.objects.filter(code="000.00.00.H21").exists():
        build_world()
    province = Agency.objects.get(code="000.00.00.H21")
    justice = Agency.objects.get(code="000.00.12.H21")
    seal = testing.seal_for(province)
    testing.seal_for(justice)
    pdf = testing.signed_pdf(seal, padding=300 * 1024)
    print(machine_speed())
    print(f"signed PDF: {len(pdf) / 1024:.0f} KB; database: {django.db.connection.vendor}")

    envelopes = []
    for i in range(args.packets):
        packet = testing.sample_packet(province, justice, pdf=pdf, number=str(1000 + i))
        packet.message_id = str(uuid.uuid4())
        envelopes.append((packet.message_id, xmlsig.sign(edxml.build_packet(packet), seal)))
    print(f"packet: {len(envelopes[0][1]) / 1024:.0f} KB of edXML, {args.packets} packets")
    anchors = keystore.trust_anchor_certificates()

    def parse_and_verify(message_id, envelope):
        root = edxml.safe_parse(envelope)
        result = xmlsig.verify(root, lambda r: services._sender_organ(r, "packet"), anchors=anchors)
        services._check_attachments(edxml.packet_from_tree(result.signed_root))

    for message_id, envelope in envelopes[:5]:  # warm-up
        parse_and_verify(message_id, envelope)

    for name, fn in (
        ("parse + verify", parse_and_verify),
        ("record delivery", lambda m, e: services.record_delivery(justice, m, e)),
    ):
        samples = []
        started = time.perf_counter()
        for message_id, envelope in envelopes:
            t = time.perf_counter()
            fn(message_id, envelope)
            samples.append(time.perf_counter() - t)
        summary(name, samples, time.perf_counter() - started)
    accepted = services.IncomingPacket.objects.filter(
        recipient=justice, verdict="accepted", message_id__in=[m for m, _ in envelopes]
    ).count()
    print(f"accepted: {accepted} of {args.packets}")


if __name__ == "__main__":
    main()
