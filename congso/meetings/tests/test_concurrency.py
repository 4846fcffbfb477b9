"""Under real concurrency (PostgreSQL): 40 members check in and vote at once — all counted, none
twice; a seat's invitee and delegate racing to check in are counted once; a delegate voting while the
invitee revokes either votes before the revocation or is refused, never after it."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from congso.directory.models import Membership, Role
from congso.directory.testing import TWO_TIER
from congso.meetings import selectors, services, testing
from congso.meetings.models import Invitee
from congso.voting.models import Ballot, Receipt

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DB_VENDOR != "postgresql", reason="row locks need PostgreSQL"),
]

N = 40


def _run_together(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def runner(i):
        try:
            barrier.wait()
            value = work(i)
            with lock:
                results.append(value)
        except Exception as exc:  # noqa: BLE001 — reported by the assertions below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _members(w, n):
    User = get_user_model()
    ward = w.agencies["pleiku_pc"]
    users = []
    for i in range(n):
        u = User.objects.create_user(f"tv{i}.pleiku", full_name=f"Thành viên {i}", kind=User.Kind.OFFICIAL)
        Membership.objects.create(user=u, agency=ward, role=Role.OFFICER, valid_from=TWO_TIER)
        users.append(u)
    return users


def test_forty_members_check_in_and_vote_at_once():
    w = testing.build_world()
    m, item, _ = testing.schedule_session(w, start=timezone.now() + dt.timedelta(hours=1), invite=False)
    users = _members(w, N)
    services.invite(m, actor=w.users["secretary"], users=users)
    services.start_meeting(m, actor=w.users["chair"])
    results, errors = _run_together(N, lambda i: services.check_in(m.pk, user=users[i]))
    assert errors == [] and len(results) == N
    assert selectors.attendance(m).present_members == N
    vote = services.open_vote(item, actor=w.users["chair"], secret=True)
    results, errors = _run_together(
        N, lambda i: services.cast_vote(m.pk, ballot_id=vote.ballot_id, user=users[i], choice="agree")
    )
    assert errors == []
    ballot = Ballot.objects.get(pk=vote.ballot_id)
    assert ballot.voted == ballot.agree == N == Receipt.objects.filter(ballot=ballot).count()


def test_invitee_and_delegate_racing_to_check_in_count_once_and_revocation_wins():
    w = testing.build_world()
    m, item, _ = testing.schedule_session(w, start=timezone.now() + dt.timedelta(hours=1))
    police, deputy = w.users["police"], w.users["deputy"]
    services.respond(m, user=police, answer="delegated", delegate=deputy)
    services.start_meeting(m, actor=w.users["chair"])
    results, errors = _run_together(2, lambda i: services.check_in(m.pk, user=deputy))
    assert len(results) == 1 and len(errors) == 1
    vote = services.open_vote(item, actor=w.users["chair"])

    def work(i):
        if i == 0:
            return services.revoke_delegation(m.pk, user=police)
        return services.cast_vote(m.pk, ballot_id=vote.ballot_id, user=deputy, choice="agree")

    results, errors = _run_together(2, work)
    seat = Invitee.objects.get(meeting=m, user=police)
    assert seat.delegate_id is None
    voted = Receipt.objects.filter(ballot_id=vote.ballot_id).count()
    # either the vote came first (counted for the invitee) or it was refused after the revocation
    assert (voted, len(errors)) in ((1, 0), (0, 1))
