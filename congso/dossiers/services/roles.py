"""Who acts as what on a dossier: the counter's roles, the applicant (and a consenting helper's)
stand-in, the system's pseudo-roles, and the transitions a user may take now.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.services import ConsentRequired, require_consent
from congso.core import memo
from congso.core.errors import Conflict, ServiceError
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships, agencies_for, roles_at
from congso.signing.models import SigningKey

from ..models import IN_PROCESS_STATUSES, Attachment, Dossier
from ..processes import forward_targets, revision_run
from ..workflow import APPLICANT, DOSSIER, step_kind


@dataclass(frozen=True)
class SystemActor:
    """The system acting on a dossier with one pseudo-role of ``workflow.py`` (no user, no session).

    Built only in code, never from a request: a person can never obtain such a role, because
    ``roles_for`` gives pseudo-roles to SystemActor instances only. Used by ``record_gateway_payment``.
    """

    role: str
    name: str
    is_authenticated = False
    pk = None

    def __str__(self):
        return self.name


def counter_roles(user, agency: Agency) -> set[str]:
    """Roles at ``agency`` plus the counter role a Public Administration Service Centre's clerk holds for
    every agency the centre serves (``Agency.serves``, with their sub-trees)."""
    roles = roles_at(user, agency)
    if Role.CLERK not in roles and any(agency.path.startswith(path) for path in _served_paths(user)):
        roles.add(Role.CLERK)
    return roles


def _served_paths(user) -> list[str]:
    """The paths of the agencies the user's service centres serve (read once per ``core.memo`` scope)."""

    def load():
        centres = active_memberships(user, Role.CLERK).filter(agency__kind=Agency.Kind.SERVICE_CENTRE)
        return list(
            Agency.objects.filter(served_by__in=centres.values("agency_id")).values_list("path", flat=True)
        )

    return memo.cached(("dossiers.served_paths", user.pk), load)


@dataclass(frozen=True)
class CounterScope:
    """Where a user receives at the counter: agencies where they are a clerk (sub-trees expanded) and
    the trees their service centres serve. ``covers(agency)`` gives the same answer as
    ``Role.CLERK in counter_roles(user, agency)``, from two queries for every agency at once."""

    agency_ids: frozenset
    served_paths: tuple

    def covers(self, agency: Agency) -> bool:
        return agency.pk in self.agency_ids or any(agency.path.startswith(p) for p in self.served_paths)


def counter_scope(user) -> CounterScope:
    ids = frozenset(agencies_for(user, Role.CLERK).values_list("pk", flat=True))
    centres = active_memberships(user, Role.CLERK).filter(agency__kind=Agency.Kind.SERVICE_CENTRE)
    served = Agency.objects.filter(served_by__in=centres.values("agency_id")).values_list("path", flat=True)
    return CounterScope(ids, tuple(served))


def acts_as_applicant(user, dossier: Dossier) -> bool:
    """The applicant's account, or the community helper who filed it while the applicant's consent
    (accounts.services.require_consent, for this procedure) is active — never after it is revoked or
    has expired, and never when the dossier has no applicant account to have consented (ADR 0071)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == dossier.applicant_id:
        return True
    if user.pk != dossier.assisted_by_id or dossier.applicant_id is None:
        return False
    try:
        require_consent(user, dossier.applicant, dossier.procedure_version.procedure.code)
    except ConsentRequired:
        return False
    return True


def roles_for(user, dossier: Dossier) -> set[str]:
    if isinstance(user, SystemActor):
        return {user.role}
    roles = roles_at(user, dossier.current_agency)
    # The counter that receives for the agency keeps its counter role (check, return, payments).
    roles |= counter_roles(user, dossier.receiving_agency) & {Role.CLERK}
    if acts_as_applicant(user, dossier):
        roles.add(APPLICANT)
    return roles


# --- what may be done now: one predicate for the pages, the API and the services ---------------


def holder_of(dossier: Dossier) -> str | None:
    """The role that holds the dossier now: its current step's, else the counter's while it waits
    there (``holder_role``)."""
    if dossier.current_step_id:
        return dossier.current_step.role
    return dossier.holder_role or None


def personal_key(user) -> SigningKey | None:
    """The official's own active signing key (a leader's, to sign approved drafts), newest first."""
    if not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    return (
        SigningKey.objects.filter(
            user_id=user.pk,
            kind=SigningKey.Kind.PERSONAL,
            is_active=True,
            not_before__lte=now,
            not_after__gt=now,
        )
        .order_by("-created_at")
        .first()
    )


def drafts(dossier: Dossier) -> list[Attachment]:
    """The PDF working documents a leader may sign as the draft result, newest first."""
    return list(
        dossier.attachments.filter(purpose=Attachment.Purpose.WORKING, kind="pdf").order_by(
            "-uploaded_at", "-id"
        )
    )


def _needs_next_step(user, dossier) -> None:
    if not forward_targets(dossier.current_step):
        raise Conflict(_("Đây là bước cuối của quy trình; hãy phát hành hoặc trả kết quả."), code="last_step")


def _can_approve(user, dossier) -> None:
    _needs_next_step(user, dossier)
    if dossier.current_step.signs:
        if not drafts(dossier):
            raise Conflict(
                _(
                    "Bước này phê duyệt kèm ký số dự thảo kết quả, nhưng hồ sơ chưa có dự thảo (tệp PDF văn bản "
                    "xử lý). Hãy đính kèm dự thảo hoặc trả lại để chuyên viên hoàn thiện."
                ),
                code="no_draft",
            )
        if personal_key(user) is None:
            raise Conflict(
                _(
                    "Bước này phê duyệt kèm ký số nhưng bạn chưa có khoá ký số cá nhân còn hiệu lực; hãy liên "
                    "hệ quản trị cơ quan."
                ),
                code="no_signing_key",
            )


def _can_return(user, dossier) -> None:
    if revision_run(dossier) is None:
        raise Conflict(
            _("Hồ sơ chưa qua bước xử lý của chuyên viên nào ở cơ quan này để trả lại."),
            code="no_previous_step",
        )


def _has_step(user, dossier) -> None:
    if dossier.current_step_id is None:
        raise ServiceError(_("Hồ sơ chưa có quy trình xử lý."))


def _has_deadline(user, dossier) -> None:
    if dossier.due_at is None:
        raise ServiceError(_("Hồ sơ không có thời hạn giải quyết để gia hạn."))


# What the dossier itself must allow beyond its status, roles and step (``workflow.py``): checked by
# the service before it acts, and by ``available_transitions`` before anything is offered.
GUARDS = {
    "forward": _needs_next_step,
    "approve": _can_approve,
    "return_for_revision": _can_return,
    "transfer": _has_step,
    "extend": _has_deadline,
}


def may_assign(dossier: Dossier, roles: set[str]) -> bool:
    """A leader, or whoever holds the current step's role, may give the step to a named official while
    the dossier is being processed (``processing.assign`` checks this; the pages and the API offer it
    on it)."""
    step = dossier.current_step
    return (
        step is not None and dossier.status in IN_PROCESS_STATUSES and bool({Role.LEADER, step.role} & roles)
    )


def _holder_name(dossier: Dossier) -> str:
    holder = holder_of(dossier)
    return str(Role(holder).label) if holder in Role.values else ""


def check_transition(name: str, actor, dossier: Dossier, *, roles: set[str] | None = None, provided=None):
    """Check that ``actor`` may take transition ``name`` on ``dossier`` now — status, roles, the
    current step's kind and holder (``workflow.py``), then the dossier's own conditions (``GUARDS``) —
    and return it; raise the ServiceError that says why not, having changed nothing."""
    roles = roles_for(actor, dossier) if roles is None else roles
    step = dossier.current_step
    t = DOSSIER.check(
        name,
        state=dossier.status,
        roles=roles,
        provided=provided,
        step=step_kind(step),
        step_name=step.name if step else "",
        holder=holder_of(dossier),
        holder_name=_holder_name(dossier),
    )
    guard = GUARDS.get(name)
    if guard is not None:
        guard(actor, dossier)
    return t


def available_transitions(user, dossier: Dossier, *, roles: set[str] | None = None) -> list:
    """The transitions ``user`` may take on ``dossier`` now: exactly those ``check_transition`` accepts
    (input aside). Pages and the API list their actions with this. ``roles``: the user's roles there
    when the caller has them."""
    roles = roles_for(user, dossier) if roles is None else roles
    offered = []
    for t in DOSSIER.available(
        dossier.status, roles, step=step_kind(dossier.current_step), holder=holder_of(dossier)
    ):
        guard = GUARDS.get(t.name)
        if guard is not None:
            try:
                guard(user, dossier)
            except ServiceError:
                continue
        offered.append(t)
    return offered
