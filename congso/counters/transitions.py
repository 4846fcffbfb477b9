"""The ticket state machine, declared as data in one place (``core.statemachine``).

    waiting ──call──▶ called ──start──▶ serving ──finish──▶ done
                        │  ▲ recall        │
                        │  └───────────────┘ (finish also from called)
                        ├──no_show──▶ no_show ──requeue──▶ waiting
                        └──transfer─▶ transferred  (a new waiting ticket in the target service)

``call`` is done by ``services.call_next`` (it picks the ticket); every other action goes through
``services.act``. Each transition names the states it may start from, the state it leads to, the
permission rule the actor must pass (``permission``) and the timestamp it stamps (``stamps``).
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Ticket

S = Ticket.State
OPERATE = "counters.operate"

TICKETS = StateMachine(
    "phiếu số",
    [
        Transition(
            "call", _("Gọi số tiếp theo"), {S.WAITING}, S.CALLED, permission=OPERATE, stamps="called_at"
        ),
        Transition("recall", _("Gọi lại"), {S.CALLED}, S.CALLED, permission=OPERATE, stamps="called_at"),
        Transition(
            "start", _("Bắt đầu phục vụ"), {S.CALLED}, S.SERVING, permission=OPERATE, stamps="serving_at"
        ),
        Transition(
            "finish",
            _("Hoàn thành"),
            {S.CALLED, S.SERVING},
            S.DONE,
            permission=OPERATE,
            stamps="finished_at",
        ),
        Transition(
            "no_show", _("Vắng mặt, bỏ qua"), {S.CALLED}, S.NO_SHOW, permission=OPERATE, stamps="finished_at"
        ),
        Transition(
            "transfer",
            _("Chuyển sang dịch vụ khác"),
            {S.CALLED, S.SERVING},
            S.TRANSFERRED,
            permission=OPERATE,
            stamps="finished_at",
        ),
        Transition("requeue", _("Xếp lại hàng chờ"), {S.NO_SHOW}, S.WAITING, permission=OPERATE),
    ],
    state_labels=dict(Ticket.State.choices),
    state_field="state",
)
TRANSITIONS = TICKETS.transitions  # name → Transition

# Actions a clerk applies to an existing ticket (``call`` picks its ticket itself).
TICKET_ACTIONS = [name for name in TRANSITIONS if name != "call"]


def allowed_actions(ticket: Ticket) -> list[Transition]:
    return [t for t in TICKETS.available(ticket.state) if t.name != "call"]
