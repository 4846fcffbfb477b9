"""Votes on agenda items through the voting app, and the issue's refusals: voting twice, without
checking in, after the vote closed, a secret ballot through someone else's session, a delegate after
the invitee revoked the delegation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from congso.core.errors import Conflict, Forbidden, NotFound, ServiceError
from congso.meetings import services, testing
from congso.voting import services as voting_services
from congso.voting.models import Ballot, Receipt, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world):
    m, i1, i2 = testing.schedule_session(world, start=timezone.now() + dt.timedelta(hours=1))
    services.start_meeting(m, actor=world.users["chair"])
    return m, i1, i2


def test_open_vote_counts_checked_in_members_and_delegates(world, running):
    m, i1, _ = running
    u = world.users
    services.respond(m, user=u["military"], answer="delegated", delegate=u["deputy"])
    for key in ("chair", "vice", "deputy"):
        services.check_in(m, user=u[key])
    with pytest.raises(PermissionDenied):
        services.open_vote(i1, actor=u["vice"])  # only the chair
    vote = services.open_vote(i1, actor=u["chair"])
    with pytest.raises(Conflict):
        services.open_vote(i1, actor=u["chair"])  # one open vote at a time
    services.cast_vote(m, ballot_id=vote.ballot_id, user=u["chair"], choice="agree")
    services.cast_vote(m, ballot_id=vote.ballot_id, user=u["deputy"], choice="agree")  # for Ksor H'Mai
    with pytest.raises(Conflict):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["chair"], choice="disagree")  # twice
    with pytest.raises(Forbidden):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["police"], choice="agree")  # not checked in
    with pytest.raises(Forbidden):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["military"], choice="agree")  # sent a delegate
    assert Vote.objects.get(ballot_id=vote.ballot_id, cast_by=u["deputy"]).voter == u["military"]
    tally = services.close_vote(m, ballot_id=vote.ballot_id, actor=u["chair"])
    assert (tally.agree, tally.electorate, tally.passed) == (2, 4, False)  # 2 of 4: not more than half
    services.check_in(m, user=u["police"])
    with pytest.raises(Conflict):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["police"], choice="agree")  # closed


def test_delegate_stopped_once_revoked(world, running):
    m, i1, _ = running
    u = world.users
    services.respond(m, user=u["police"], answer="delegated", delegate=u["deputy"])
    services.revoke_delegation(m, user=u["police"])
    vote = services.open_vote(i1, actor=u["chair"])
    with pytest.raises(Forbidden):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["deputy"], choice="agree")
    assert not Receipt.objects.exists()


def test_revoking_after_the_delegate_checked_in_takes_the_seat_back(world, running):
    m, i1, _ = running
    u = world.users
    services.respond(m, user=u["police"], answer="delegated", delegate=u["deputy"])
    services.check_in(m, user=u["deputy"])
    vote = services.open_vote(i1, actor=u["chair"])
    services.revoke_delegation(m, user=u["police"])
    with pytest.raises(Forbidden):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["deputy"], choice="agree")
    with pytest.raises(Forbidden):  # the invitee must check in themself
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["police"], choice="agree")
    services.check_in(m, user=u["police"])
    services.cast_vote(m, ballot_id=vote.ballot_id, user=u["police"], choice="agree")


def test_secret_vote_keeps_no_link_and_no_one_votes_for_another(world, running):
    m, _, i2 = running
    u = world.users
    for key in ("chair", "vice", "police", "military"):
        services.check_in(m, user=u[key])
    vote = services.open_vote(i2, actor=u["chair"], secret=True)
    for key, choice in (("chair", "agree"), ("vice", "agree"), ("police", "disagree")):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u[key], choice=choice)
    # the session is the voter: an outsider's session cannot cast, for itself or anyone
    with pytest.raises((Forbidden, PermissionDenied, ServiceError)):
        services.cast_vote(m, ballot_id=vote.ballot_id, user=u["deputy"], choice="agree")
    assert not Vote.objects.filter(ballot_id=vote.ballot_id).exists()
    assert Receipt.objects.filter(ballot_id=vote.ballot_id).count() == 3
    tally = services.close_vote(m, ballot_id=vote.ballot_id, actor=u["chair"])
    assert (tally.agree, tally.disagree, tally.passed) == (2, 1, False)
    assert Ballot.objects.get(pk=vote.ballot_id).status == "closed"


def test_a_ballot_of_another_meeting_is_not_found(world, running):
    m, i1, _ = running
    other, *_ = testing.schedule_session(world, start=timezone.now() + dt.timedelta(days=9), title="Khác")
    services.check_in(m, user=world.users["chair"])
    vote = services.open_vote(i1, actor=world.users["chair"])
    with pytest.raises(ServiceError):
        services.cast_vote(other, ballot_id=vote.ballot_id, user=world.users["chair"], choice="agree")
    # keys that name nothing (text, zero, beyond a bigint) are not found either, and count nothing
    for bad in ("abc", 0, -5, 2**70, None):
        with pytest.raises(NotFound):
            services.cast_vote(m, ballot_id=bad, user=world.users["chair"], choice="agree")
        with pytest.raises(NotFound):
            services.cast_vote(bad, ballot_id=vote.ballot_id, user=world.users["chair"], choice="agree")
    with pytest.raises(NotFound):
        voting_services.cast(2**70, user=world.users["chair"], choice="agree")
    assert Ballot.objects.get(pk=vote.ballot_id).voted == 0
