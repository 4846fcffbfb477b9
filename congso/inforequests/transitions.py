"""The request state machine, declared as data in one place (``core.statemachine``).

    received ──accept──▶ processing ──extend (once)──▶ extended
        │                   │                            │
        └───────────────────┴──answer──▶ answered ◀──────┤
        └───────────────────┴──refuse──▶ refused  ◀──────┘

Extending is possible only from received or processing, so a request is extended at most once (the law
allows one extension); an extended request can only be answered or refused. There is no transfer: an
agency asked for information it is not responsible for refuses on that ground and names the agency
that holds it (ADR 0167). Each row names the permission rule (``permissions.py``) the official must pass.
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Status

S = Status

REQUESTS = StateMachine(
    "yêu cầu cung cấp thông tin",
    [
        Transition(
            "accept",
            _("Tiếp nhận, giải quyết"),
            {S.RECEIVED},
            S.PROCESSING,
            permission="inforequests.handle",
            stamps="accepted_at",
        ),
        Transition(
            "extend",
            _("Gia hạn"),
            {S.RECEIVED, S.PROCESSING},
            S.EXTENDED,
            permission="inforequests.handle",
            requires={"reason"},
            stamps="extended_at",
        ),
        Transition(
            "answer",
            _("Cung cấp thông tin"),
            {S.RECEIVED, S.PROCESSING, S.EXTENDED},
            S.ANSWERED,
            permission="inforequests.handle",
            requires={"note"},
            stamps="closed_at",
        ),
        Transition(
            "refuse",
            _("Từ chối cung cấp"),
            {S.RECEIVED, S.PROCESSING, S.EXTENDED},
            S.REFUSED,
            permission="inforequests.handle",
            requires={"reason", "note"},
            stamps="closed_at",
        ),
    ],
    state_labels=dict(Status.choices),
)
STAFF_ACTIONS = list(REQUESTS.transitions)
