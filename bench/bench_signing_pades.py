"""Benchmark: PAdES signing and verification of a one-page PDF with an RSA-2048 software key.

    .venv/bin/python bench/bench_signing_pades.py [--rounds 200]

Runs in one process on one core (no parallelism), against a throw-away SQLite database.
Signing goes through the same code as the service (pyHanko, visible appearance, the key decrypted
once and cached), without the database write; verification is the full check the /xac-thuc page does
(integrity, chain to the trust anchor, modification analysis).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
os.environ.setdefault("CONGSO_VAR_DIR", tempfile.mkdtemp(prefix="congso-bench-"))
os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def summary(name, samples):
    samples = sorted(samples)
    median = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"{name:<38} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   {1 / median:6.1f} per second"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from weasyprint import HTML

    from congso.directory.models import AdministrativeUnit, Agency
    from congso.signing import demo, keystore, pdfsign, services
    from congso.signing.verify import verify_pdf

    unit = AdministrativeUnit.objects.create(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
    agency = Agency.objects.create(
        code="000.00.31.H21",
        name="Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
        kind="service_centre",
        unit=unit,
    )
    key = demo.demo_key(label="bench-seal", kind="seal", common_name=agency.name, agency=agency)
    pdf = HTML(
        string="<h1>Giấy phép xây dựng</h1><p>Cấp cho bà Phạm Thị Hoa, tổ 3, phường Pleiku.</p>"
    ).write_pdf()
    anchors = keystore.trust_anchor_certificates()

    def sign_once(visible=True):
        at = pdfsign.vn_now()
        appearance = services.default_appearance(key, at=at) if visible else pdfsign.Appearance(visible=False)
        with keystore.open_signer(key) as signer:
            return pdfsign.sign_bytes(pdf, signer, appearance=appearance)[0]

    for _ in range(5):  # warm-up: key decryption, imports
        signed = sign_once()
        verify_pdf(signed, anchors=anchors)

    results = {}
    for name, fn in (
        ("sign, visible appearance", lambda: sign_once(True)),
        ("sign, invisible", lambda: sign_once(False)),
        ("verify (1 signature)", lambda: verify_pdf(signed, anchors=anchors)),
    ):
        samples = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        results[name] = samples
        summary(name, samples)
    assert verify_pdf(signed, anchors=anchors).ok


if __name__ == "__main__":
    main()
