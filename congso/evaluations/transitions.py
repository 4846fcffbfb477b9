"""The round's and the entry's state machines, declared as data in one place (``core.statemachine``).

Round:  open ──start_review──▶ review ──close──▶ closed ──publish──▶ published
        (units self-assess while open; the evaluator reviews while open or in review; close freezes the
        platform metrics and writes the results; publish issues the signed annex and the Excel file)

Entry:  submitted ──accept──▶ accepted          (a value the unit entered, with evidence)
            │  └────correct (reason)──▶ corrected
            └── the evaluator may review again (accepted/corrected) until the round closes
        automatic                               (a platform metric: not reviewed, frozen at close)
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Entry, Round

R = Round.State
E = Entry.Status

ROUNDS = StateMachine(
    "đợt đánh giá",
    [
        Transition(
            "start_review",
            _("Kết thúc tự đánh giá, chuyển thẩm định"),
            {R.OPEN},
            R.REVIEW,
            permission="evaluations.manage_round",
            stamps="review_at",
        ),
        Transition(
            "close",
            _("Chốt kết quả"),
            {R.REVIEW},
            R.CLOSED,
            permission="evaluations.manage_round",
            stamps="closed_at",
        ),
        Transition(
            "publish",
            _("Công bố xếp hạng"),
            {R.CLOSED},
            R.PUBLISHED,
            permission="evaluations.publish",
            stamps="published_at",
        ),
    ],
    state_labels=dict(Round.State.choices),
    state_field="state",
)

# Who may act on a value depends on the round's state too: the services check both tables.
SELF_ASSESS_STATES = {R.OPEN}
REVIEW_STATES = {R.OPEN, R.REVIEW}

ENTRIES = StateMachine(
    "giá trị tự đánh giá",
    [
        Transition(
            "accept",
            _("Chấp nhận"),
            {E.SUBMITTED, E.ACCEPTED, E.CORRECTED},
            E.ACCEPTED,
            permission="evaluations.review",
        ),
        Transition(
            "correct",
            _("Điều chỉnh"),
            {E.SUBMITTED, E.ACCEPTED, E.CORRECTED},
            E.CORRECTED,
            permission="evaluations.review",
            requires={"reason"},
        ),
    ],
    state_labels=dict(Entry.Status.choices),
)
