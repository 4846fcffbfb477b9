"""The weekly version's state machine, declared as data (``core.statemachine``).

    draft ──submit──▶ submitted ──approve──▶ approved ──amend──▶ (a new draft version; this one stays
      ▲                  │                                      published until the new one is approved,
      └──(edit)── returned ◀──return (reason)                   then becomes "superseded")

Each row names the permission rule the actor must pass on the version's calendar (``permissions.py``).
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Status

S = Status

VERSIONS = StateMachine(
    "lịch tuần",
    [
        Transition(
            "submit",
            _("Trình duyệt"),
            {S.DRAFT, S.RETURNED},
            S.SUBMITTED,
            permission="workcalendars.draft",
            stamps="submitted_at",
        ),
        Transition(
            "approve",
            _("Duyệt và công bố"),
            {S.SUBMITTED},
            S.APPROVED,
            permission="workcalendars.approve",
            stamps="decided_at",
        ),
        Transition(
            "return",
            _("Trả lại"),
            {S.SUBMITTED},
            S.RETURNED,
            permission="workcalendars.approve",
            requires={"reason"},
            stamps="decided_at",
        ),
        Transition(
            "amend", _("Điều chỉnh lịch đã duyệt"), {S.APPROVED}, None, permission="workcalendars.draft"
        ),
    ],
    state_labels=dict(Status.choices),
)
ACTIONS = list(VERSIONS.transitions)
