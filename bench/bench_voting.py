"""Benchmark voting (issue 19, ADR 0165) on PostgreSQL: 200 members casting at once, and 200 open
pages seeing a ballot's close.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h3 \\
        .venv/bin/python bench/bench_voting.py --members 200 --pollers 200 --interval-ms 500

1. Casting: M members, each in their own thread (at most ``--connections`` database connections at
   once: the server is shared), call ``services.cast`` together after a barrier, each twice (the second
   must be refused). Reports the wall time from the barrier until every vote is counted, and checks the
   counters (none lost, none twice).
2. Live close: ``congso serve``'s command line (Granian) serves the app; P clients (asyncio + aiohttp,
   each with its own bearer token of an elector) poll ``/api/v1/voting/ballots/{id}/live`` every
   ``--interval-ms`` with ``If-None-Match`` (304 while unchanged). After a warm-up the ballot is closed in
   this process; each client records when it first sees ``status == "closed"``. Reports the median, p95
   and maximum delay after the close, the 304 answers' median time and the requests per second served.
The machine is shared and noisy: read medians, and run it twice.
"""

import argparse
import asyncio
import os
import queue
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(db_url, var_dir):
    import bench_dossiers

    bench_dossiers.setup_django(db_url, var_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def members(n):
    from congso.accounts.models import User

    names = [f"bench.member{i:03d}" for i in range(n)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=u, full_name=f"Đại biểu {u[-3:]}", kind=User.Kind.OFFICIAL)
            for u in names
            if u not in existing
        ]
    )
    return list(User.objects.filter(username__in=names).order_by("username"))


def open_ballot(users, title):
    from congso.voting import services
    from congso.voting.testing import standard_rules

    return services.open_ballot(
        subject="bench.item:1",
        title=title,
        electorate=[u.pk for u in users],
        rule=standard_rules()["ubnd-tap-the"],
        secret=True,
        by=users[0],
    )


def bench_casting(users, connections):
    from django.db import connection

    from congso.core.errors import Conflict
    from congso.voting import services
    from congso.voting.models import Ballot

    ballot = open_ballot(users, f"Biểu quyết đồng thời {time.time():.0f}")
    work = queue.Queue()
    for i in range(len(users)):
        work.put(i)
        work.put(i)  # each member tries twice
    results = {"ok": 0, "refused": 0, "errors": []}
    guard = threading.Lock()
    barrier = threading.Barrier(connections + 1)

    def worker():
        barrier.wait()
        try:
            while True:
                try:
                    i = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    services.cast(ballot.pk, user=users[i], choice="agree" if i % 3 else "disagree")
                    key = "ok"
                except Conflict:
                    key = "refused"
                except Exception as exc:  # noqa: BLE001 — reported
                    with guard:
                        results["errors"].append(repr(exc))
                    continue
                with guard:
                    results[key] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ballot = Ballot.objects.get(pk=ballot.pk)
    agree = sum(1 for i in range(len(users)) if i % 3)
    counted = (ballot.voted, ballot.agree, ballot.disagree) == (len(users), agree, len(users) - agree)
    return elapsed, results, counted


def tokens_for(users):
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from congso.accounts.models import User

    owner, _ = User.objects.get_or_create(username="bench.voting.app", defaults={"kind": "service"})
    app, _ = Application.objects.get_or_create(
        name="bench voting",
        defaults={
            "user": owner,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    out = []
    for user in users:
        token = secrets.token_urlsafe(24)
        AccessToken.objects.create(
            user=user, application=app, token=token, scope="read", expires=timezone.now() + timedelta(hours=2)
        )
        out.append(token)
    return out


async def poll_until_closed(base, ballot_id, tokens, interval, warmup, close):
    import aiohttp

    url = f"{base}/api/v1/voting/ballots/{ballot_id}/live"
    seen = {}
    not_modified_ms = []
    requests = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        closed_at = {}

        async def client(n, token):
            nonlocal requests
            etag = None
            await asyncio.sleep(interval * n / len(tokens))  # spread like pages opened over time
            while True:
                headers = {"Authorization": f"Bearer {token}"}
                if etag:
                    headers["If-None-Match"] = etag
                t0 = time.perf_counter()
                async with session.get(url, headers=headers) as response:
                    body = await response.json() if response.status == 200 else None
                    elapsed = (time.perf_counter() - t0) * 1000
                requests += 1
                if response.status == 304:
                    not_modified_ms.append(elapsed)
                elif response.status == 200:
                    etag = response.headers.get("ETag")
                    if body["status"] == "closed":
                        seen[n] = time.perf_counter()
                        return
                else:
                    raise RuntimeError(f"unexpected {response.status}")
                await asyncio.sleep(interval)

        async def closer():
            await asyncio.sleep(warmup)
            closed_at["t"] = await asyncio.to_thread(close)

        start = time.perf_counter()
        await asyncio.gather(closer(), *(client(n, t) for n, t in enumerate(tokens)))
        total = time.perf_counter() - start
    delays = sorted(seen[n] - closed_at["t"] for n in seen)
    return delays, not_modified_ms, requests / total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--interval-ms", type=int, default=500)
    parser.add_argument("--connections", type=int, default=24)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--casting-only", action="store_true", help="skip the live-close part")
    parser.add_argument("--live-only", action="store_true", help="skip the casting part")
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL")
    if not db_url or not db_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    var_dir = tempfile.mkdtemp(prefix="bench-voting-")
    setup(db_url, var_dir)
    users = members(max(args.members, args.pollers))

    if not args.live_only:
        cast_and_report(users, args)
    if args.casting_only:
        return
    live_and_report(users, args)


def cast_and_report(users, args):
    elapsed, results, counted = bench_casting(users[: args.members], args.connections)
    print(
        f"casting ({os.getloadavg()[0]:.0f} load average): {args.members} members × 2 attempts over {args.connections} connections: "
        f"{elapsed:.2f} s; accepted {results['ok']}, refused {results['refused']}, errors {len(results['errors'])}, "
        f"counters exact: {counted}"
    )


def live_and_report(users, args):
    from bench_portal import start_server

    from congso.voting import services

    electors = users[: args.pollers]
    ballot = open_ballot(electors, f"Biểu quyết theo dõi trực tiếp {time.time():.0f}")
    tokens = tokens_for(electors)
    env = dict(os.environ)
    proc, base = start_server(env, args.workers, args.threads)
    try:

        def close():
            services.close(ballot.pk, by=electors[0])
            return time.perf_counter()

        delays, nm, rps = asyncio.run(
            poll_until_closed(base, ballot.pk, tokens, args.interval_ms / 1000, args.warmup, close)
        )
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    q = statistics.quantiles(delays, n=20) if len(delays) > 1 else delays
    print(
        f"live close: {len(delays)}/{args.pollers} pages saw it; delay after close median "
        f"{statistics.median(delays) * 1000:.0f} ms, p95 {q[-1] * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms; "
        f"304 answers: {len(nm)}, median {statistics.median(nm) if nm else float('nan'):.1f} ms; "
        f"{rps:.0f} requests/s served; load average {os.getloadavg()[0]:.0f}"
    )


if __name__ == "__main__":
    main()
