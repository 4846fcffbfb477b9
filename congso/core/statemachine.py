"""State machines declared as data.

Each transition lists, in one place, where it may start, where it goes, who may take it and what it
requires — as OpenCRVS declares ``allowedStartStates`` next to each action:

    DOSSIER = StateMachine("hồ sơ", [
        Transition("accept", _("Tiếp nhận"), sources={NEW}, target=ACCEPTED, roles={Role.CLERK}),
        Transition("refuse", _("Từ chối"), sources={NEW}, target=NOT_ACCEPTED, roles={Role.CLERK},
                   requires={"reason"}),
    ])
    transition = DOSSIER.check("refuse", state=dossier.status, roles=roles, provided={"reason": reason})

``check`` raises TransitionError (a ServiceError with a Vietnamese message) and changes nothing; the
caller then applies ``transition.target`` inside its transaction.

A transition may also name the workflow steps it can be taken at (``at_steps``: step kinds, e.g. the
result is issued only at văn thư's issue step); the caller passes the kind of the current step as
``step=`` (and its name as ``step_name=`` for the message).

A transition may be ``by_holder``: only whoever holds the object now may take it (for a dossier, the
role of its current step: the officer forwards at the officer's step, the leader approves at the
leader's). The caller passes that role as ``holder=`` (and its name as ``holder_name=`` for the
message); ``available`` filters on it the same way, so what is offered is what ``check`` accepts.

Two more optional columns, for machines whose rows carry their state in a model field:

- ``permission``: a ``core.permissions`` rule the actor must pass on the object, in addition to (or
  instead of) ``roles``. ``machine.authorize(name, actor, obj)`` checks it alone with ``require``
  (PermissionDenied, 403); ``check(..., actor=, obj=)`` checks it after the roles;
- ``stamps``: the model field set to "now" when the transition is taken.
  ``machine.apply(obj, name, now=...)`` sets the state field (``state_field``, "status" by default)
  to the target and the stamp, and returns the names of the fields it set, for ``save(update_fields=)``:

    TICKETS = StateMachine("phiếu số", [
        Transition("start", _("Bắt đầu phục vụ"), sources={CALLED}, target=SERVING,
                   permission="counters.operate", stamps="serving_at"),
    ], state_field="state")
    TICKETS.authorize("start", user, ticket)
    ticket.save(update_fields=TICKETS.apply(ticket, "start", now=now))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict, Forbidden, ServiceError
from .permissions import can, require

REQUIREMENT_LABELS = {
    "reason": "lý do",
    "note": "ghi chú",
    "document": "văn bản, tệp đính kèm",
    "new_date": "ngày hẹn mới",
    "amount": "số tiền",
    "assignee": "người được giao",
    "agency": "cơ quan nhận",
}


class TransitionError(ServiceError):
    code = "transition_refused"


class TransitionConflict(Conflict, TransitionError):
    code = "wrong_state"


class TransitionForbidden(Forbidden, TransitionError):
    """The actor holds none of the transition's roles (HTTP 403)."""

    code = "forbidden_role"


ANY_STEP = object()  # ``available()`` without a step: do not filter on ``at_steps``
ANY_HOLDER = object()  # ``available()``/``check()`` without a holder: do not filter on ``by_holder``


@dataclass(frozen=True)
class Transition:
    """One allowed move: from any of ``sources`` to ``target``, by any of ``roles``, given ``requires``,
    at a workflow step of one of the kinds ``at_steps`` (empty: at any step), by an actor who passes
    the rule ``permission`` (None: no rule), stamping the model field ``stamps`` (None: no stamp)."""

    name: str
    label: str
    sources: frozenset
    target: object
    roles: frozenset = field(default_factory=frozenset)
    requires: frozenset = field(default_factory=frozenset)
    at_steps: frozenset = field(default_factory=frozenset)
    by_holder: bool = False
    permission: str | None = None
    stamps: str | None = None

    def __post_init__(self):
        for name in ("sources", "roles", "requires", "at_steps"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        unknown = self.requires - REQUIREMENT_LABELS.keys()
        if unknown:
            raise ValueError(f"unknown requirement(s) {sorted(unknown)} on transition {self.name!r}")


class StateMachine:
    def __init__(
        self,
        subject: str,
        transitions: Iterable[Transition],
        state_labels: dict | None = None,
        step_labels: dict | None = None,
        state_field: str = "status",
    ):
        self.subject = subject
        self.state_field = state_field
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"transition {t.name!r} declared twice")
            self.transitions[t.name] = t
        self.state_labels = state_labels or {}
        self.step_labels = step_labels or {}

    def __iter__(self):
        return iter(self.transitions.values())

    def _state(self, state) -> str:
        return str(self.state_labels.get(state, state))

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise TransitionError(_("Thao tác “%(name)s” không tồn tại.") % {"name": name}) from None

    def available(
        self, state, roles: Iterable[str] = (), step=ANY_STEP, *, actor=None, obj=None, holder=ANY_HOLDER
    ) -> list[Transition]:
        """The transitions ``roles`` may take in ``state`` (and, when ``step`` is given, at that step kind;
        when ``holder`` is given, a ``by_holder`` transition only if ``roles`` include it; when ``actor``
        is given, only those whose ``permission`` the actor passes on ``obj``)."""
        roles = set(roles)
        return [
            t
            for t in self
            if state in t.sources
            and (not t.roles or roles & t.roles)
            and (step is ANY_STEP or not t.at_steps or step in t.at_steps)
            and (holder is ANY_HOLDER or not t.by_holder or holder in roles)
            and (actor is None or not t.permission or can(actor, t.permission, obj))
        ]

    def authorize(self, name: str, actor, obj=None, message: str | None = None) -> Transition:
        """Check the transition's ``permission`` rule (if any) with ``core.permissions.require``:
        PermissionDenied when the actor does not pass it. Returns the transition."""
        t = self.get(name)
        if t.permission:
            require(actor, t.permission, obj, message)
        return t

    def apply(self, obj, name: str, *, now=None) -> list[str]:
        """Move ``obj`` along the transition: set its state field to the target (unless the target is
        None: the state stays) and its ``stamps`` field to ``now`` (default: the current time). Does not
        check nor save; returns the names of the fields set, for ``save(update_fields=...)``."""
        t = self.get(name)
        changed = []
        if t.target is not None:
            setattr(obj, self.state_field, t.target)
            changed.append(self.state_field)
        if t.stamps:
            setattr(obj, t.stamps, now if now is not None else timezone.now())
            changed.append(t.stamps)
        return changed

    def check(
        self,
        name: str,
        *,
        state,
        roles: Iterable[str] = (),
        provided: dict | None = None,
        step=ANY_STEP,
        step_name: str = "",
        actor=None,
        obj=None,
        holder=ANY_HOLDER,
        holder_name: str = "",
    ) -> Transition:
        t = self.get(name)
        if state not in t.sources:
            raise TransitionConflict(
                _("Không thể “%(action)s” khi %(subject)s đang ở trạng thái “%(state)s”.")
                % {"action": t.label, "subject": self.subject, "state": self._state(state)}
            )
        if t.roles and not (set(roles) & t.roles):
            raise TransitionForbidden(
                _("Bạn không có vai trò được phép “%(action)s” %(subject)s này.")
                % {"action": t.label, "subject": self.subject}
            )
        if t.permission:
            require(actor, t.permission, obj)
        if t.at_steps and step not in t.at_steps:
            wanted = ", ".join(sorted(f"“{self.step_labels.get(k, k)}”" for k in t.at_steps))
            message = _("Chỉ được “%(action)s” khi %(subject)s đang ở bước %(steps)s.") % {
                "action": t.label,
                "subject": self.subject,
                "steps": wanted,
            }
            if step_name:
                message += " " + _("Hiện %(subject)s đang ở bước “%(step)s”.") % {
                    "subject": self.subject,
                    "step": step_name,
                }
            raise TransitionConflict(message, code="wrong_step")
        if t.by_holder and holder is not ANY_HOLDER and holder not in set(roles):
            raise TransitionForbidden(
                _("Chỉ %(holder)s đang giữ %(subject)s mới được “%(action)s”; bạn không được làm ở bước này.")
                % {"holder": holder_name or holder or "—", "subject": self.subject, "action": t.label}
            )
        provided = provided or {}
        missing = [req for req in sorted(t.requires) if not provided.get(req)]
        if missing:
            raise TransitionError(
                _("Cần nhập %(what)s để “%(action)s”.")
                % {"what": ", ".join(REQUIREMENT_LABELS[m] for m in missing), "action": t.label},
                code="missing_requirement",
                field=missing[0],
            )
        return t
