"""A rule applied to a ballot's counts: the tally (ADR 0165). Pure functions, no database.

Definitions (docs/adr/0165-voting.md):

- ``electorate``: who may vote (a body's members, a meeting's voting members);
- ``asked``: those put the question — everyone of the electorate for a written poll; for a meeting,
  those present, when the owning app tells (``Ballot.present``);
- ``non_answers``: asked but did not vote; the rule says whether they are not counted, count as
  agreeing or count as abstaining (Quy chế làm việc: some regulations count a member's silence on a
  written poll as agreement);
- ``participating``: votes plus non-answers that count — the quorum is measured on it;
- the majority is ``agree`` against the basis: all members, those participating, or the votes
  for and against (abstentions and other opinions left out); ``strict`` means "more than" (quá),
  otherwise "at least" (ít nhất). Integer arithmetic only: 2/3 of 9 is exactly 6.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .models import Basis, NonAnswer


@dataclass(frozen=True)
class RuleSpec:
    quorum_num: int = 1
    quorum_den: int = 2
    quorum_strict: bool = True
    basis: str = Basis.MEMBERS
    threshold_num: int = 1
    threshold_den: int = 2
    threshold_strict: bool = True
    non_answer: str = NonAnswer.NOT_COUNTED

    @classmethod
    def of(cls, rule) -> RuleSpec:
        return cls(**{name: getattr(rule, name) for name in cls.__dataclass_fields__})

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, str) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Tally:
    electorate: int
    asked: int
    voted: int
    agree: int
    disagree: int
    abstain: int
    other: int
    non_answers: int
    non_answer_rule: str
    participating: int
    quorum_needed: int
    quorum_met: bool
    basis: str
    basis_count: int
    needed: int
    passed: bool
    closed: bool

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tally:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


def minimum(num: int, den: int, of: int, *, strict: bool) -> int:
    """The least whole count ``x`` with x/of > num/den (strict) or ≥ num/den."""
    if num == 0:
        return 1 if strict and of >= 0 else 0
    product = num * of
    return product // den + 1 if strict else -(-product // den)


def evaluate(
    spec: RuleSpec,
    *,
    electorate: int,
    agree: int,
    disagree: int,
    abstain: int = 0,
    other: int = 0,
    present: int | None = None,
    closed: bool = True,
) -> Tally:
    voted = agree + disagree + abstain + other
    asked = electorate if present is None else max(min(present, electorate), voted)
    non_answers = max(asked - voted, 0)
    if spec.non_answer == NonAnswer.AGREE:
        agree += non_answers
    elif spec.non_answer == NonAnswer.ABSTAIN:
        abstain += non_answers
    counted = 0 if spec.non_answer == NonAnswer.NOT_COUNTED else non_answers
    participating = voted + counted
    if spec.quorum_num == 0:
        quorum_needed, quorum_met = 0, True
    else:
        quorum_needed = minimum(spec.quorum_num, spec.quorum_den, electorate, strict=spec.quorum_strict)
        quorum_met = participating >= quorum_needed
    basis_count = {
        Basis.MEMBERS: electorate,
        Basis.PRESENT: participating,
        Basis.CAST: agree + disagree,
    }[spec.basis]
    needed = max(
        minimum(spec.threshold_num, spec.threshold_den, basis_count, strict=spec.threshold_strict), 1
    )
    passed = closed and quorum_met and basis_count > 0 and agree >= needed
    return Tally(
        electorate=electorate,
        asked=asked,
        voted=voted,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        other=other,
        non_answers=non_answers,
        non_answer_rule=str(spec.non_answer),
        participating=participating,
        quorum_needed=quorum_needed,
        quorum_met=quorum_met,
        basis=str(spec.basis),
        basis_count=basis_count,
        needed=needed,
        passed=passed,
        closed=closed,
    )
