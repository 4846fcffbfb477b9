"""Extension points of the voting app (ADR 0090, 0165).

``voter_check`` — a registry keyed by a subject prefix (the part of ``Ballot.subject`` before ":",
e.g. "meetings.item"). The app that owns a ballot's subject registers a callable
``(ballot, user) -> int | str``: the id of the elector the vote counts for (the user, or the invitee a
delegate stands in for), or a Vietnamese refusal (not checked in, delegation revoked). Without one,
the user votes for themself if they are in the electorate.

``ballot_closed`` — a ballot was closed and tallied, in the closing transaction: ``(ballot, tally)``.
"""

from congso.core.hooks import Event, Registry

voter_check = Registry(
    "voting.voter_check",
    "Per subject prefix: (ballot, user) -> the elector's user id the vote counts for, or a refusal (str).",
)

ballot_closed = Event("voting.ballot_closed", "A ballot was closed and tallied: (ballot, tally).")

viewer_check = Registry(
    "voting.viewer_check",
    "Per subject prefix: (ballot, user) -> bool, who may follow a ballot's live results besides its "
    "electors and its opener (a meeting's participants).",
)
