"""Benchmark the meeting room (issue 19) on PostgreSQL: M members check in at once, then vote at once
on a secret ballot; the wall time of each wave, and the counts checked (none lost, none counted twice).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h2_bench \\
        .venv/bin/python bench/bench_meetings.py --members 200 --rounds 3 --threads 32

Each round schedules a new session of the ward's People's Committee with M fresh members, opens it,
then runs the M check-ins through a pool of T threads (each a database connection, like T server
workers), then the M votes the same way, through the same service functions as the pages and API.
The issue's target: 200 members checking in and voting within 2 seconds, all counted. The machine is
shared and noisy: read medians, and run it twice.
"""

import argparse
import datetime as dt
import multiprocessing
import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(db_url):
    import bench_dossiers

    bench_dossiers.setup_django(db_url, tempfile.mkdtemp(prefix="bench-meetings-"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world():
    from django.contrib.auth import get_user_model

    from congso.directory import demo_codes as dc
    from congso.directory.models import Agency
    from congso.meetings import testing
    from congso.meetings.models import Room

    User = get_user_model()
    if not User.objects.filter(username="chutich.pleiku").exists():
        w = testing.build_world()
        return w.agencies["pleiku_pc"], w.users["chair"], w.users["secretary"], w.room
    testing.set_rules()
    ward = Agency.objects.get(code=dc.commune_pc("23575"))
    return (
        ward,
        User.objects.get(username="chutich.pleiku"),
        User.objects.get(username="vanphong.pleiku"),
        Room.objects.get(agency=ward, name="Phòng họp tầng 2"),
    )


def one_round(members: int, threads: int, processes: int = 1) -> tuple[float, float]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from congso.directory.models import Membership, Role
    from congso.meetings import selectors, services, testing
    from congso.voting.models import Ballot, Receipt

    ward, chair, secretary, room = world()
    User = get_user_model()
    tag = uuid.uuid4().hex[:8]
    users = []
    for i in range(members):
        u = User.objects.create_user(f"b{tag}-{i}", full_name=f"Thành viên {i}", kind=User.Kind.OFFICIAL)
        Membership.objects.create(user=u, agency=ward, role=Role.OFFICER, valid_from="2025-07-01")
        users.append(u)
    start = timezone.now() + dt.timedelta(minutes=30)
    m = services.schedule(
        actor=secretary,
        agency=ward,
        meeting_type=testing.pc_type(),
        title=f"Phiên họp đo hiệu năng {tag}",
        chair=chair,
        secretary=secretary,
        start=start,
        end=start + dt.timedelta(hours=2),
        video=True,
    )
    services.invite(m, actor=secretary, users=users)
    item = services.add_item(m, actor=secretary, title="Biểu quyết thử")
    services.start_meeting(m, actor=chair)

    def drain(fn, chunk, workers):
        """``workers`` threads, each with its own database connection kept for the whole wave (as a
        server's worker threads keep theirs: ``CONN_MAX_AGE``), take the members from one queue; all
        start together after a barrier. Returns the wall clock (``time.time()``) at the start and at the last
        finish."""
        todo = queue.SimpleQueue()
        for u in chunk:
            todo.put(u)
        errors = []
        barrier = threading.Barrier(workers + 1)

        def worker():
            connection.ensure_connection()  # connected before the start, like a warm worker
            barrier.wait()
            try:
                while True:
                    try:
                        u = todo.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        fn(u)
                    except Exception as exc:  # noqa: BLE001 — reported below
                        errors.append(repr(exc))
            finally:
                connection.close()

        pool = [threading.Thread(target=worker) for _ in range(workers)]
        for t in pool:
            t.start()
        barrier.wait()
        start = time.time()
        for t in pool:
            t.join()
        assert not errors, errors[:3]
        return start, time.time()

    def wave(fn):
        if processes > 1:
            return wave_in_processes(fn)
        start, end = drain(fn, users, threads)
        return end - start

    def wave_in_processes(fn):
        """Like a server of ``processes`` workers: each forked process runs its share of the members
        through ``threads // processes`` threads, all starting together after a barrier; the wave is
        the first start to the last finish (wall clock, shared by the processes)."""
        from django.db import connections

        ctx = multiprocessing.get_context("fork")
        connections.close_all()
        barrier, done = ctx.Barrier(processes), ctx.Queue()

        def work(chunk):
            barrier.wait()
            done.put(drain(fn, chunk, max(1, threads // processes)))

        procs = [ctx.Process(target=work, args=(users[i::processes],)) for i in range(processes)]
        for proc in procs:
            proc.start()
        spans = [done.get(timeout=600) for _ in procs]
        for proc in procs:
            proc.join()
            assert proc.exitcode == 0, "a worker process failed"
        return max(end for _s, end in spans) - min(start for start, _e in spans)

    check_in = wave(lambda u: services.check_in(m.pk, user=u))
    assert selectors.attendance(m).present_members == members, "check-ins lost or doubled"
    vote = services.open_vote(item, actor=chair, secret=True)
    voting = wave(lambda u: services.cast_vote(m.pk, ballot_id=vote.ballot_id, user=u, choice="agree"))
    ballot = Ballot.objects.get(pk=vote.ballot_id)
    assert ballot.voted == ballot.agree == members == Receipt.objects.filter(ballot=ballot).count()
    services.close_vote(m.pk, ballot_id=vote.ballot_id, actor=chair)
    return check_in, voting


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="split the threads over this many processes, like a server's workers",
    )
    parser.add_argument("--db", default=None, help="DATABASE_URL (default: the environment's)")
    args = parser.parse_args()
    import os

    setup(args.db or os.environ.get("DATABASE_URL"))
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL (DATABASE_URL=postgres://…): row locks are what is measured.")
    rows = [one_round(args.members, args.threads, args.processes) for _ in range(args.rounds)]
    checks, votes = [r[0] for r in rows], [r[1] for r in rows]
    print(
        f"{args.members} members, {args.threads} threads in {args.processes} process(es), {args.rounds} rounds "
        "(all counted, none twice)"
    )
    print(
        f"check-in wave: median {statistics.median(checks):.2f} s (min {min(checks):.2f}, max {max(checks):.2f})"
    )
    print(
        f"vote wave:     median {statistics.median(votes):.2f} s (min {min(votes):.2f}, max {max(votes):.2f})"
    )
    total = [a + b for a, b in rows]
    print(f"check-in + vote: median {statistics.median(total):.2f} s")


if __name__ == "__main__":
    main()
