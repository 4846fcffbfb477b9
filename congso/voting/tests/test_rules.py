"""The rule applied to counts, table-driven (no database)."""

import pytest

from congso.voting.models import Basis, NonAnswer
from congso.voting.rules import RuleSpec, evaluate, minimum

HALF = {"threshold_num": 1, "threshold_den": 2, "threshold_strict": True}
TWO_THIRDS = {"threshold_num": 2, "threshold_den": 3, "threshold_strict": False}


@pytest.mark.parametrize(
    ("num", "den", "of", "strict", "expected"),
    [
        (1, 2, 9, True, 5),  # more than half of 9
        (1, 2, 10, True, 6),  # more than half of 10: 5 is only half
        (1, 2, 10, False, 5),  # at least half of 10
        (2, 3, 9, False, 6),  # at least two thirds of 9: exactly 6
        (2, 3, 10, False, 7),
        (2, 3, 9, True, 7),  # more than two thirds of 9
        (0, 1, 5, False, 0),
    ],
)
def test_minimum(num, den, of, strict, expected):
    assert minimum(num, den, of, strict=strict) == expected


CASES = [
    # (name, spec fields, electorate, agree, disagree, abstain, other, present, passed, quorum_met)
    ("half of members: 5 of 9 agree", {}, 9, 5, 1, 0, 0, None, True, True),
    ("half of members: 4 of 9 agree", {}, 9, 4, 0, 0, 0, None, False, False),
    ("half of members: 5 of 10 is not more than half", {}, 10, 5, 3, 0, 0, None, False, True),
    ("quorum missed although all agree", {}, 9, 4, 0, 0, 0, None, False, False),
    ("present basis: 4 of 7 present", {"basis": Basis.PRESENT}, 10, 4, 2, 1, 0, 7, True, True),
    ("present basis: abstentions count against", {"basis": Basis.PRESENT}, 10, 3, 2, 1, 0, 6, False, True),
    ("cast basis: abstentions left out", {"basis": Basis.CAST}, 10, 3, 2, 2, 0, 7, True, True),
    ("two thirds of 9: 6 pass", TWO_THIRDS, 9, 6, 3, 0, 0, None, True, True),
    ("two thirds of 9: 5 fail", TWO_THIRDS, 9, 5, 4, 0, 0, None, False, True),
    ("non-answer not counted: 2 of 5 answered", {}, 5, 2, 0, 0, 0, None, False, False),
    (
        "non-answer as agree: 2 of 5 answered",
        {"non_answer": NonAnswer.AGREE},
        5,
        2,
        0,
        0,
        0,
        None,
        True,
        True,
    ),
    (
        "non-answer as agree, majority against",
        {"non_answer": NonAnswer.AGREE},
        5,
        0,
        3,
        0,
        0,
        None,
        False,
        True,
    ),
    ("non-answer as abstain", {"non_answer": NonAnswer.ABSTAIN}, 5, 2, 1, 0, 0, None, False, True),
    ("other opinion is not agreement", {}, 5, 2, 0, 0, 2, None, False, True),
    ("no quorum needed", {"quorum_num": 0}, 5, 3, 0, 0, 0, None, True, True),
]


@pytest.mark.parametrize(
    ("name", "fields", "electorate", "agree", "disagree", "abstain", "other", "present", "passed", "quorum"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_rule_table(name, fields, electorate, agree, disagree, abstain, other, present, passed, quorum):
    spec = RuleSpec(**{**HALF, **fields})
    tally = evaluate(
        spec,
        electorate=electorate,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        other=other,
        present=present,
    )
    assert (tally.passed, tally.quorum_met) == (passed, quorum), tally


def test_non_answers_are_counted_the_rule_way():
    tally = evaluate(RuleSpec(non_answer=NonAnswer.AGREE), electorate=5, agree=1, disagree=1)
    assert tally.non_answers == 3
    assert tally.agree == 4
    assert tally.participating == 5
    tally = evaluate(RuleSpec(non_answer=NonAnswer.ABSTAIN), electorate=5, agree=1, disagree=1)
    assert (tally.agree, tally.abstain, tally.participating) == (1, 3, 5)
    tally = evaluate(RuleSpec(), electorate=5, agree=1, disagree=1)
    assert (tally.agree, tally.abstain, tally.participating) == (1, 0, 2)


def test_open_tally_never_passes():
    tally = evaluate(RuleSpec(), electorate=3, agree=3, disagree=0, closed=False)
    assert not tally.passed
