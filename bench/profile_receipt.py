"""Profile counter receipts in-process (one process, no pool): CPU per receipt, optionally cProfile.

    TREE=$PWD LABEL=new N=300 DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_prof_r \
        .venv/bin/python bench/profile_receipt.py            # PROFILE=1 adds a cProfile of N more

TREE is the checkout whose ``congso`` and ``bench/`` are used (put it first on PYTHONPATH too), so two
checkouts can be compared within one run, alternately (bench/ab.sh does so for the HTTP benchmarks).
Prepares the database like bench_dossiers.py (its ``build_world``), warms up with 20 receipts, then
times N receipts accepted at once, each with two 200 KB PDFs. The database name must contain "bench".
"""

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time

ROOT = os.environ.get("TREE", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, ROOT + "/bench")
from bench_dossiers import build_world, pdf_200k, setup_django  # noqa: E402

if "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[-1]:
    raise SystemExit("the database name must contain 'bench' (its data is replaced)")
setup_django(os.environ["DATABASE_URL"], tempfile.mkdtemp())
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
version, agencies, templates, users = build_world()
from congso.dossiers import services  # noqa: E402
from congso.dossiers.models import Channel  # noqa: E402

agency = agencies[0]
clerk = users["clerks"][0]
files = [pdf_200k(0), pdf_200k(1)]


def receive(n):
    services.receive(
        actor=clerk,
        agency=agency,
        procedure_version=version,
        channel=Channel.IN_PERSON,
        applicant=services.Applicant(name=f"Trần Thị Tải {n}", phone="0914000000"),
        uploads=[
            services.Upload("Tờ khai", files[0], "to-khai.pdf"),
            services.Upload("Giấy chứng sinh", files[1], "gcs.pdf"),
        ],
        accept_now=True,
    )


for i in range(20):
    receive(-i - 1)
N = int(os.environ.get("N", "200"))
c0 = time.process_time()
for i in range(N):
    receive(i)
print(
    f"{os.environ.get('LABEL', 'receipts')}: CPU per receipt {1000 * (time.process_time() - c0) / N:.2f} ms"
)
if os.environ.get("PROFILE"):
    pr = cProfile.Profile()
    pr.enable()
    for i in range(N):
        receive(10000 + i)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(30)
    print(s.getvalue()[:6000])
