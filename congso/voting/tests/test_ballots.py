"""open_ballot, cast, close: allowed and refused cases."""

import pytest
from django.utils import timezone

from congso.core.errors import Conflict, Forbidden, NotFound, ServiceError
from congso.core.models import AuditEntry
from congso.voting import hooks, selectors, services
from congso.voting.models import Ballot, Receipt, Vote

from .conftest import member_ids

pytestmark = pytest.mark.django_db


def _open(world, *, secret=False, rule="ubnd-tap-the", **kw):
    return services.open_ballot(
        subject="test.item:1",
        title="Thông qua kế hoạch chuyển đổi số năm 2027",
        electorate=member_ids(world),
        rule=world.rules[rule],
        secret=secret,
        by=world.users["member1"],
        **kw,
    )


def test_open_cast_close_open_ballot(world):
    ballot = _open(world)
    assert ballot.electorate_size == 5
    for i, choice in enumerate(["agree", "agree", "agree", "disagree"], start=1):
        services.cast(ballot.pk, user=world.users[f"member{i}"], choice=choice)
    ballot.refresh_from_db()
    assert (ballot.voted, ballot.agree, ballot.disagree) == (4, 3, 1)
    assert Vote.objects.filter(ballot=ballot).count() == 4
    tally = services.close(ballot.pk, by=world.users["member1"])
    assert tally.passed and tally.quorum_met and tally.non_answers == 1
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    assert selectors.tally(ballot) == tally


def test_secret_ballot_stores_no_choice(world):
    ballot = _open(world, secret=True)
    services.cast(ballot.pk, user=world.users["member1"], choice="disagree")
    services.cast(ballot.pk, user=world.users["member2"], choice="agree")
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert Receipt.objects.filter(ballot=ballot).count() == 2
    receipt_fields = {f.name for f in Receipt._meta.get_fields()}
    assert receipt_fields == {"id", "ballot", "voter"}
    entries = AuditEntry.objects.filter(action="voting.cast", object_id=str(ballot.pk))
    assert entries.count() == 2
    assert all("choice" not in e.data for e in entries)
    # while open, live results show turnout only
    live = selectors.live(ballot.pk)
    assert live["voted"] == 2 and live["counts"] is None
    services.close(ballot.pk, by=world.users["member1"])
    assert selectors.live(ballot.pk)["counts"] == {"agree": 1, "disagree": 1, "abstain": 0, "other": 0}


def test_secret_ballot_refuses_a_comment(world):
    ballot = _open(world, secret=True)
    with pytest.raises(ServiceError) as err:
        services.cast(ballot.pk, user=world.users["member1"], choice="agree", comment="Tôi đồng ý")
    assert err.value.field == "comment"
    assert not Receipt.objects.exists()


def test_voting_twice_is_refused(world):
    ballot = _open(world)
    services.cast(ballot.pk, user=world.users["member1"], choice="agree")
    with pytest.raises(Conflict) as err:
        services.cast(ballot.pk, user=world.users["member1"], choice="disagree")
    assert err.value.code == "already_voted"
    ballot.refresh_from_db()
    assert (ballot.voted, ballot.agree, ballot.disagree) == (1, 1, 0)


def test_voting_after_close_is_refused(world):
    ballot = _open(world)
    services.close(ballot.pk, by=world.users["member1"])
    with pytest.raises(Conflict) as err:
        services.cast(ballot.pk, user=world.users["member2"], choice="agree")
    assert err.value.code == "ballot_closed"
    with pytest.raises(Conflict):
        services.close(ballot.pk, by=world.users["member1"])


def test_voting_after_the_deadline_is_refused(world):
    ballot = _open(world, closes_at=timezone.now() + timezone.timedelta(hours=1))
    with pytest.raises(Conflict):
        services.cast(
            ballot.pk,
            user=world.users["member2"],
            choice="agree",
            now=timezone.now() + timezone.timedelta(hours=2),
        )


@pytest.mark.parametrize("who", ["outsider", "secretary", "citizen"])
def test_not_eligible_is_refused(world, who):
    ballot = _open(world)
    with pytest.raises(Forbidden):
        services.cast(ballot.pk, user=world.users[who], choice="agree")
    assert not Receipt.objects.exists()


def test_bad_choice_and_unknown_ballot(world):
    ballot = _open(world)
    with pytest.raises(ServiceError) as err:
        services.cast(ballot.pk, user=world.users["member1"], choice="maybe")
    assert err.value.field == "choice"
    with pytest.raises(ServiceError) as err:
        services.cast(ballot.pk, user=world.users["member1"], choice="other")
    assert err.value.field == "comment"  # other opinion needs its comment
    with pytest.raises(NotFound):
        services.cast(999999, user=world.users["member1"], choice="agree")
    with pytest.raises(NotFound):
        services.cast("abc", user=world.users["member1"], choice="agree")


def test_other_opinion_only_where_the_rule_allows(world):
    ballot = _open(world, rule="hai-phan-ba")
    with pytest.raises(ServiceError) as err:
        services.cast(ballot.pk, user=world.users["member1"], choice="other", comment="Đề nghị sửa điều 3")
    assert err.value.field == "choice"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"electorate": []}, "electorate"),
        ({"electorate": [999999]}, "electorate"),
        ({"title": "   "}, "title"),
        ({"closes_at": timezone.now() - timezone.timedelta(minutes=1)}, "closes_at"),
    ],
)
def test_open_ballot_bad_input(world, kwargs, field):
    args = {
        "subject": "test.item:1",
        "title": "Biểu quyết",
        "electorate": member_ids(world),
        "rule": world.rules["ubnd-tap-the"],
        "secret": False,
        "by": world.users["member1"],
    }
    args.update(kwargs)
    with pytest.raises(ServiceError) as err:
        services.open_ballot(**args)
    assert err.value.field == field
    assert not Ballot.objects.exists()


def test_voter_check_hook_lets_a_delegate_vote_for_the_invitee(world):
    delegate = world.users["outsider"]
    member5 = world.users["member5"]

    def check(ballot, user):
        if user == delegate:
            return member5.pk
        if user == world.users["member4"]:
            return "Bạn chưa điểm danh nên chưa thể biểu quyết."
        return user.pk

    hooks.voter_check.register("test.item", check)
    try:
        ballot = _open(world)
        services.cast(ballot.pk, user=delegate, choice="agree")
        vote = Vote.objects.get(ballot=ballot)
        assert (vote.voter_id, vote.cast_by_id) == (member5.pk, delegate.pk)
        with pytest.raises(Conflict):  # the invitee cannot vote again after the delegate did
            services.cast(ballot.pk, user=member5, choice="disagree")
        with pytest.raises(Forbidden) as err:
            services.cast(ballot.pk, user=world.users["member4"], choice="agree")
        assert "điểm danh" in err.value.message
    finally:
        hooks.voter_check.unregister("test.item")


def test_ballot_closed_hook_fires_in_the_transaction(world):
    seen = []

    def on_closed(ballot, tally):
        seen.append((ballot.pk, tally.passed))

    hooks.ballot_closed.subscribe(on_closed)
    try:
        ballot = _open(world)
        services.close(ballot.pk, by=world.users["member1"])
    finally:
        hooks.ballot_closed.unsubscribe(on_closed)
    assert seen == [(ballot.pk, False)]


def test_present_count_from_the_owning_app(world):
    ballot = _open(world, rule="da-so-co-mat")
    services.cast(ballot.pk, user=world.users["member1"], choice="agree")
    services.cast(ballot.pk, user=world.users["member2"], choice="agree")
    services.cast(ballot.pk, user=world.users["member3"], choice="disagree")
    tally = services.close(ballot.pk, by=world.users["member1"], present=3)
    assert tally.passed and tally.basis_count == 3
