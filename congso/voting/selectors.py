"""Reads of voting that pages, the API and other apps use."""

from __future__ import annotations

from congso.core.permissions import can

from . import hooks
from .models import Ballot, Body, Choice, Elector, Poll, Receipt, Vote
from .rules import Tally
from .services import tally_of


def tally(ballot: Ballot) -> Tally:
    """The ballot's tally: recorded at closing, or provisional while open (``closed`` False)."""
    if not ballot.is_open and ballot.result:
        return Tally.from_dict(ballot.result)
    return tally_of(ballot)


def has_voted(ballot: Ballot, user_id: int) -> bool:
    return Receipt.objects.filter(ballot=ballot, voter_id=user_id).exists()


def is_elector(ballot: Ballot, user_id: int) -> bool:
    return Elector.objects.filter(ballot=ballot, user_id=user_id).exists()


def live(ballot_id: int) -> dict | None:
    """What live pages show, read in one query: status, version, turnout, and the counts — of a
    secret ballot only once it is closed (counts that move with each vote would tell who chose what)."""
    row = (
        Ballot.objects.filter(pk=ballot_id)
        .values(
            "pk",
            "status",
            "version",
            "secret",
            "electorate_size",
            "voted",
            "agree",
            "disagree",
            "abstain",
            "other",
            "result",
        )
        .first()
    )
    if row is None:
        return None
    closed = row["status"] == Ballot.Status.CLOSED
    data = {
        "id": row["pk"],
        "status": row["status"],
        "version": row["version"],
        "secret": row["secret"],
        "electorate": row["electorate_size"],
        "voted": row["voted"],
        "counts": None,
        "result": row["result"] if closed else None,
    }
    if closed or not row["secret"]:
        data["counts"] = {k: row[k] for k in ("agree", "disagree", "abstain", "other")}
    return data


def live_version(ballot_id: int) -> int | None:
    return Ballot.objects.filter(pk=ballot_id).values_list("version", flat=True).first()


def may_follow(ballot: Ballot, user) -> bool:
    """Who may see a ballot's live page: its electors and its opener; the subject's app may add more
    (``hooks.viewer_check``); a poll's: also its body's secretaries and managers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if ballot.opened_by_id == user.pk or is_elector(ballot, user.pk):
        return True
    prefix = ballot.subject.split(":", 1)[0]
    if prefix in hooks.viewer_check:
        return bool(hooks.viewer_check[prefix](ballot, user))
    if prefix == "voting.poll":
        poll = Poll.objects.filter(ballot=ballot).select_related("body").first()
        return poll is not None and can(user, "voting.view_body", poll.body)
    return False


def polls_for_member(user):
    """The polls a member was asked to answer, newest first."""
    return (
        Poll.objects.filter(ballot__electors__user=user)
        .select_related("body", "ballot")
        .order_by("-created_at", "-pk")
    )


def polls_for_secretary(user):
    return (
        Poll.objects.filter(body__secretaries=user)
        .select_related("body", "ballot")
        .order_by("-created_at", "-pk")
    )


def bodies_run_by(user):
    return Body.objects.filter(secretaries=user, is_active=True).select_related("rule", "agency")


def visible_poll(poll_id, user) -> Poll | None:
    """The poll if ``user`` may see it (member asked, secretary, manager), else None (a 404)."""
    try:
        poll = Poll.objects.select_related("body", "ballot", "ballot__rule", "body__rule").get(
            pk=int(poll_id)
        )
    except (Poll.DoesNotExist, TypeError, ValueError):
        return None
    if is_elector(poll.ballot, getattr(user, "pk", None)) or can(user, "voting.view_body", poll.body):
        return poll
    return None


def answers(poll: Poll) -> list[dict]:
    """Every elector with their answer (the poll is an open ballot), for the secretary and the result."""
    votes = {v.voter_id: v for v in Vote.objects.filter(ballot=poll.ballot_id)}
    rows = []
    for elector in (
        Elector.objects.filter(ballot=poll.ballot_id).select_related("user").order_by("user__full_name")
    ):
        vote = votes.get(elector.user_id)
        rows.append(
            {
                "user": elector.user,
                "choice": vote.choice if vote else "",
                "choice_label": str(Choice(vote.choice).label) if vote else "",
                "comment": vote.comment if vote else "",
                "at": vote.cast_at if vote else None,
            }
        )
    return rows


def my_vote(ballot: Ballot, user) -> Vote | None:
    return Vote.objects.filter(ballot=ballot, voter=user).first()


def describe_fraction(num: int, den: int, strict: bool) -> str:
    if num == 0:
        return "0"
    return f"{'>' if strict else '≥'} {num}/{den}"
