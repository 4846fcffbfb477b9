"""Benchmark the information portals (issue 21) against a running server (``congso demo`` or ``serve``):

    CONGSO_VAR_DIR=/tmp/h4/var .venv/bin/congso demo --bind 127.0.0.1:8140   # in another shell
    CONGSO_VAR_DIR=/tmp/h4/var .venv/bin/python bench/bench_sites.py --base http://127.0.0.1:8140 \\
        --requests 2000 --threads 8

1. A published article page, anonymous, through Granian and the page cache (congso.sites.cache, answered
   by sites.middleware.PageCacheMiddleware): requests per second over N requests on T keep-alive
   connections (aiohttp), median and p95.
2. Publish visibility: a new revision of that article is published in this process (same database, as an
   approver would), then the page is polled until the new title shows: seconds from commit to visible.
3. Search without diacritics (``/api/v1/sites/search`` over every portal, and a portal's own search page
   ``…/tim-kiem/?q=``): median and p95 of R queries, and p95 per query.
The machine is shared and noisy: read medians, and run it twice.

``--pages N`` first fills the portals with N published news and announcements (bench/sites_pages.py, bulk
writes and Wagtail's own bulk indexing: 100,000 pages in a few minutes on PostgreSQL); ``--portals K``
opens K more commune portals first. ``--only page|publish|search`` runs one part (``--only generate``: none).
"""

import argparse
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fetch(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 — a local benchmark URL
        body = response.read()
    return time.perf_counter() - start, body


def p95(values):
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8140")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--pages", type=int, default=0, help="fill the portals up to N articles first")
    parser.add_argument("--portals", type=int, default=0, help="open K more commune portals first")
    parser.add_argument("--only", choices=["generate", "page", "publish", "search"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["page", "publish", "search"])

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    import django

    django.setup()
    from congso.sites.models import AnnouncementPage, SiteHome

    if args.portals or args.pages:
        from sites_pages import generate, open_portals

        print(f"opened {open_portals(args.portals)} portals")
        print(f"added {generate(args.pages)} articles")
    if only == {"generate"}:
        return

    home = SiteHome.objects.get(slug="phuong-pleiku")  # the demo's ward; its approver is lanhdao.pleiku
    page = AnnouncementPage.objects.live().descendant_of(home).first()
    url = args.base + page.url
    fetch(url)  # warm the cache
    print(f"load average {os.getloadavg()[0]:.1f} before the runs")
    if "page" in only:
        article_page(url, args)
    if "publish" in only:
        publish(page, url)
    if "search" in only:
        search(home, args)


def article_page(url, args):
    """Keep-alive connections from one asyncio loop (aiohttp, as bench_portal.py): the load generator
    costs little CPU next to the server on a small machine."""
    import asyncio

    import aiohttp

    async def run():
        times, errors = [], []
        remaining = iter(range(args.requests))

        async def worker(session):
            for _i in remaining:
                t0 = time.perf_counter()
                async with session.get(url) as response:
                    await response.read()
                    if response.status == 200 and response.headers.get("X-Cache") == "hit":
                        times.append(time.perf_counter() - t0)
                    else:
                        errors.append(response.status)

        connector = aiohttp.TCPConnector(limit=args.threads)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=60)
        ) as session:
            start = time.perf_counter()
            await asyncio.gather(*(worker(session) for _ in range(args.threads)))
            return times, errors, time.perf_counter() - start

    times, errors, wall = asyncio.run(run())
    print(
        f"article page: {len(times) / wall:.0f} req/s, median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95(times) * 1000:.1f} ms ({args.requests} requests, {args.threads} connections, "
        f"{len(errors)} not cache hits); load average {os.getloadavg()[0]:.1f}"
    )


def publish(page, url):
    from congso.accounts.models import User
    from congso.sites.models import AnnouncementPage

    approver = User.objects.get(username="lanhdao.pleiku")
    page = AnnouncementPage.objects.get(pk=page.pk)
    original = page.title
    page.title = f"{original} (cập nhật {time.time():.0f})"
    page.save_revision(user=approver).publish(user=approver)
    committed = time.perf_counter()
    while page.title.encode() not in fetch(url)[1]:
        if time.perf_counter() - committed > 30:
            print("publish: not visible after 30 s")
            break
    else:
        print(f"publish visible after {time.perf_counter() - committed:.3f} s")
    page = AnnouncementPage.objects.get(pk=page.pk)
    page.title = original
    page.save_revision(user=approver).publish(user=approver)


QUERIES = [
    "lich tiep cong dan",
    "thong bao tuyen dung",
    "ke hoach chuyen doi so",
    "ia mo nong",  # rare: about one page in 2,000
    "nguoi dan",  # common: in most pages
    "duong hung vuong",
]


def search(home, args):
    from wagtail.models import Page

    total = Page.objects.live().filter(depth__gt=2).count()
    for label, make_url in (
        ("search API, all portals", lambda q: f"{args.base}/api/v1/sites/search?q={q}"),
        ("portal search page", lambda q: f"{args.base}{home.url}tim-kiem/?q={q}"),
    ):
        times, per_query = [], {}
        for i in range(args.searches):
            query = QUERIES[i % len(QUERIES)]
            elapsed = fetch(make_url(urllib.request.quote(query)))[0]
            times.append(elapsed)
            per_query.setdefault(query, []).append(elapsed)
        print(
            f"{label}: median {statistics.median(times) * 1000:.1f} ms, p95 {p95(times) * 1000:.1f} ms "
            f"({args.searches} queries over {total} live pages; load average {os.getloadavg()[0]:.1f})"
        )
        for query, values in per_query.items():
            print(
                f"    {query!r}: median {statistics.median(values) * 1000:.1f} ms, p95 {p95(values) * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
