"""The ticket state machine, declared as data in one place.

    waiting ──call──▶ called ──start──▶ serving ──finish──▶ done
                        │  ▲ recall        │
                        │  └───────────────┘ (finish also from called)
                        ├──no_show──▶ no_show ──requeue──▶ waiting
                        └──transfer─▶ transferred  (a new waiting ticket in the target service)

``call`` is done by ``services.call_next`` (it picks the ticket); every other action goes through
``services.act``. Each transition names the states it may start from, the state it leads to, the
permission rule the actor must pass, and the timestamp it stamps.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Ticket

S = Ticket.State


@dataclass(frozen=True)
class Transition:
    action: str
    label: object  # lazy Vietnamese label of the button
    sources: frozenset
    target: str
    permission: str = "counters.operate"
    stamp: str | None = None  # the timestamp field set to "now"
    ends_service: bool = False  # the ticket leaves its counter's hands


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("call", _("Gọi số tiếp theo"), frozenset({S.WAITING}), S.CALLED, stamp="called_at"),
        Transition("recall", _("Gọi lại"), frozenset({S.CALLED}), S.CALLED, stamp="called_at"),
        Transition("start", _("Bắt đầu phục vụ"), frozenset({S.CALLED}), S.SERVING, stamp="serving_at"),
        Transition(
            "finish",
            _("Hoàn thành"),
            frozenset({S.CALLED, S.SERVING}),
            S.DONE,
            stamp="finished_at",
            ends_service=True,
        ),
        Transition(
            "no_show",
            _("Vắng mặt, bỏ qua"),
            frozenset({S.CALLED}),
            S.NO_SHOW,
            stamp="finished_at",
            ends_service=True,
        ),
        Transition(
            "transfer",
            _("Chuyển sang dịch vụ khác"),
            frozenset({S.CALLED, S.SERVING}),
            S.TRANSFERRED,
            stamp="finished_at",
            ends_service=True,
        ),
        Transition("requeue", _("Xếp lại hàng chờ"), frozenset({S.NO_SHOW}), S.WAITING),
    )
}

# Actions a clerk applies to an existing ticket (``call`` picks its ticket itself).
TICKET_ACTIONS = [name for name in TRANSITIONS if name != "call"]


def allowed_actions(ticket: Ticket) -> list[Transition]:
    return [t for name, t in TRANSITIONS.items() if name != "call" and ticket.state in t.sources]
