"""Benchmark the counter intake page (issue 14): the procedure picker and the intake form.

    .venv/bin/python bench/bench_intake.py [--rounds 30]          # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_intake .venv/bin/python bench/bench_intake.py

Loads the demo data set (``congso.core.demo.load_all``: the Gia Lai catalogue, the Pleiku ward's 53
offerings, its staff and dossiers), signs the ward's counter clerk (motcua.pleiku) in with a verified
second factor, and times the real views through Django's test client: the picker, the picker searched
without diacritics, and the intake form of birth registration, next to the clerk's inbox for reference
(the machine's speed varies). Prints the median and p95 in ms.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    os.environ["CONGSO_VAR_DIR"] = var_dir
    os.environ["CONGSO_LOG_LEVEL"] = "WARNING"
    os.environ["CONGSO_AXES_ENABLED"] = "false"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var_dir}/bench.sqlite3")
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="congso-bench-intake-")
    setup_django(var_dir)
    from django.core.management import call_command
    from django.test import Client

    from congso.accounts.models import User
    from congso.catalog.models import Offering
    from congso.core.demo import load_all
    from congso.directory.testing import login_verified

    call_command("migrate", verbosity=0)
    load_all(io.StringIO())
    clerk = User.objects.get(username="motcua.pleiku")
    client = Client(HTTP_HOST="localhost")
    login_verified(client, clerk)
    birth = Offering.objects.filter(procedure__code="1.001193", agency__code__endswith="23575").first()
    pages = {
        "reference: the clerk's inbox": "/mot-cua/",
        "picker": "/mot-cua/tiep-nhan/",
        "picker searched 'khai sinh'": "/mot-cua/tiep-nhan/?q=khai+sinh",
        "intake form (birth)": f"/mot-cua/tiep-nhan/?offering={birth.pk}",
    }
    print(f"offerings: {Offering.objects.filter(is_active=True).count()}")
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{label}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
