"""The report state machine, declared as data in one place (``core.statemachine``).

    received ──accept──▶ processing ──draft──▶ drafted ──approve──▶ answered ──rate ok──▶ closed
       │  └──reject──▶ rejected        ▲  │ transfer / ask_help      │  return_draft ▲        │
       │                               │  └─(state stays)           └───────────────┘        │
       └──merge──▶ merged ◀──merge── processing        reopen (unsatisfied, once, ≤ 7 days) ─┘
                                                        close (staff, after the rating window)

``dispatch`` (a dispatcher assigns another agency) keeps the state. Each row names the permission rule
the actor must pass on the report (``permissions.py``) and what the action requires.
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Status

S = Status

REPORTS = StateMachine(
    "phản ánh",
    [
        Transition(
            "accept",
            _("Tiếp nhận xử lý"),
            {S.RECEIVED},
            S.PROCESSING,
            permission="feedback.handle",
            stamps="accepted_at",
        ),
        Transition(
            "reject",
            _("Không tiếp nhận"),
            {S.RECEIVED},
            S.REJECTED,
            permission="feedback.handle",
            requires={"reason"},
            stamps="closed_at",
        ),
        Transition(
            "dispatch",
            _("Phân công cơ quan xử lý"),
            {S.RECEIVED, S.PROCESSING},
            None,
            permission="feedback.dispatch",
            requires={"agency"},
        ),
        Transition(
            "transfer",
            _("Chuyển cơ quan khác"),
            {S.PROCESSING},
            S.PROCESSING,
            permission="feedback.handle",
            requires={"agency", "reason"},
        ),
        Transition(
            "ask_help",
            _("Đề nghị cơ quan khác phối hợp"),
            {S.PROCESSING},
            None,
            permission="feedback.handle",
            requires={"agency", "note"},
        ),
        Transition(
            "ask_info",
            _("Đề nghị người phản ánh bổ sung thông tin"),
            {S.RECEIVED, S.PROCESSING},
            None,
            permission="feedback.handle",
            requires={"note"},
        ),
        Transition(
            "draft",
            _("Dự thảo trả lời"),
            {S.PROCESSING},
            S.DRAFTED,
            permission="feedback.handle",
            requires={"note"},
        ),
        Transition(
            "approve",
            _("Duyệt và công bố trả lời"),
            {S.DRAFTED},
            S.ANSWERED,
            permission="feedback.approve",
            stamps="answered_at",
        ),
        Transition(
            "return_draft",
            _("Trả lại dự thảo"),
            {S.DRAFTED},
            S.PROCESSING,
            permission="feedback.approve",
            requires={"reason"},
        ),
        Transition(
            "rate",
            _("Hài lòng với kết quả"),
            {S.ANSWERED},
            S.CLOSED,
            permission="feedback.rate",
            stamps="closed_at",
        ),
        Transition(
            "reopen",
            _("Không hài lòng, đề nghị xử lý lại"),
            {S.ANSWERED},
            S.PROCESSING,
            permission="feedback.reopen",
        ),
        Transition(
            "close", _("Kết thúc"), {S.ANSWERED}, S.CLOSED, permission="feedback.approve", stamps="closed_at"
        ),
        Transition(
            "merge",
            _("Gộp vào phản ánh trùng"),
            {S.RECEIVED, S.PROCESSING},
            S.MERGED,
            permission="feedback.handle",
            requires={"note"},
            stamps="closed_at",
        ),
    ],
    state_labels=dict(Status.choices),
)
TRANSITIONS = REPORTS.transitions
# what a staff member applies from the report page (rating and reopening are the reporter's)
STAFF_ACTIONS = [
    "accept",
    "reject",
    "dispatch",
    "transfer",
    "ask_help",
    "ask_info",
    "draft",
    "approve",
    "return_draft",
    "close",
    "merge",
]
