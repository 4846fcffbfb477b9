"""Under real concurrency (PostgreSQL): 200 members vote at once, each trying twice — every vote is
counted once, none lost, none twice (the row lock and the receipts' unique constraint)."""

import queue
import threading

import pytest
from django.conf import settings
from django.db import connection

from congso.accounts.models import User
from congso.core.errors import Conflict
from congso.voting import services
from congso.voting.models import Ballot, Receipt, Vote
from congso.voting.testing import standard_rules

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DB_VENDOR != "postgresql", reason="row locks need PostgreSQL"),
]

N = 200
WORKERS = 24  # connections at once: the server is shared with other test runs


def _members(n):
    User.objects.bulk_create(
        [User(username=f"dbieu{i:03d}", full_name=f"Đại biểu {i}", kind=User.Kind.OFFICIAL) for i in range(n)]
    )
    return list(User.objects.filter(username__startswith="dbieu").order_by("username"))


def _race(ballot, users, choice_of):
    results = {"ok": 0, "twice": 0, "errors": []}
    guard = threading.Lock()

    def attempt(i):
        user = users[i % len(users)]
        try:
            services.cast(ballot.pk, user=user, choice=choice_of(i % len(users)))
            with guard:
                results["ok"] += 1
        except Conflict as exc:
            with guard:
                if exc.code == "already_voted":
                    results["twice"] += 1
                else:
                    results["errors"].append(repr(exc))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            with guard:
                results["errors"].append(repr(exc))

    order = [i for pair in zip(range(N), range(N), strict=True) for i in pair]  # each member twice, in a row
    work = queue.Queue()
    for i in order:
        work.put(i)
    barrier = threading.Barrier(WORKERS)

    def worker():
        barrier.wait()
        try:
            while True:
                try:
                    i = work.get_nowait()
                except queue.Empty:
                    return
                attempt(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_two_hundred_concurrent_casts_none_lost_none_twice(secret):
    rules = standard_rules()
    users = _members(N)
    ballot = services.open_ballot(
        subject="test.item:1",
        title="Biểu quyết đồng thời",
        electorate=[u.pk for u in users],
        rule=rules["ubnd-tap-the"],
        secret=secret,
        by=users[0],
    )
    results = _race(ballot, users, lambda i: "agree" if i % 3 else "disagree")
    assert results["errors"] == []
    assert (results["ok"], results["twice"]) == (N, N)
    ballot = Ballot.objects.get(pk=ballot.pk)
    agree = sum(1 for i in range(N) if i % 3)
    assert (ballot.voted, ballot.agree, ballot.disagree) == (N, agree, N - agree)
    assert Receipt.objects.filter(ballot=ballot).count() == N
    assert Vote.objects.filter(ballot=ballot).count() == (0 if secret else N)
