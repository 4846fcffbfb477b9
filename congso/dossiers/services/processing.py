"""Processing a dossier: forwarding along its process template's steps, a leader's approval (signing
the draft result where the step says so) or return for revision, transfers to another agency
(liên thông), assignment (one or in bulk), working documents, and saving an agency's process template.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import Conflict, Forbidden, NotFound, ServiceError
from congso.core.permissions import can
from congso.core.uploads import Upload
from congso.directory.models import Agency, Membership, Role
from congso.directory.scope import ancestor_paths, roles_at
from congso.signing.services import sign_pdf

from ..models import IN_PROCESS_STATUSES, Attachment, Dossier, ProcessStep, ProcessTemplate, StepRun
from ..processes import forward_targets, replace_steps, revision_run, template_for
from ..workflow import DOSSIER
from .kernel import _enter_step, _inspect_all, _lock, _save, _store_files, _timeline
from .roles import check_transition, drafts, may_assign, personal_key, roles_for


def _target(step: ProcessStep, to_step_id) -> ProcessStep:
    """The step chosen among ``forward_targets(step)`` (the first when none was chosen)."""
    allowed = forward_targets(step)
    if to_step_id is None:
        target = allowed[0] if allowed else None
    else:
        try:
            wanted = int(to_step_id)
        except (TypeError, ValueError):
            wanted = None
        target = next((s for s in allowed if s.pk == wanted), None)
        if target is None:
            raise ServiceError(_("Không được chuyển hồ sơ từ bước này sang bước đã chọn."), field="to_step")
    if target is None:
        raise ServiceError(_("Đây là bước cuối của quy trình; hãy phát hành hoặc trả kết quả."))
    return target


def _check_assignee(dossier: Dossier, target: ProcessStep, assignee) -> None:
    if assignee is not None:
        target_agency = target.agency or dossier.receiving_agency
        if target.role not in roles_at(assignee, target_agency):
            raise ServiceError(
                _("Người được giao không có vai trò phù hợp ở cơ quan xử lý bước tiếp theo."),
                field="assignee",
            )


def _move(dossier: Dossier, actor, t, step, target, assignee, *, name, note, data=None):
    """Enter ``target`` from ``step`` and write the timeline and audit entries of transition ``t``."""
    before = dossier.status
    previous_agency = dossier.current_agency
    dossier.status = t.target
    _enter_step(dossier, target, actor, assignee)
    _save(dossier, "status", "current_step", "holder_role", "current_agency", "assignee")
    data = {"from_step": step.name, "to_step": target.name, **(data or {})}
    if dossier.current_agency != previous_agency:
        data["transfer"] = {"from": previous_agency.code, "to": dossier.current_agency.code}
    return _timeline(dossier, actor, name, t.label, before, note=note, data=data, step=target)


def forward(dossier_id, *, actor, to_step_id=None, assignee=None, note="", expected_version=None) -> Dossier:
    """Finish the current step and move to the next one (or a permitted branch of the dossier's own
    process version), possibly at another agency. Only the holder of the step does it, and never at a
    leader's step (approve or return) nor at văn thư's (issue): ``roles.check_transition``."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = check_transition("forward", actor, dossier)
        step = dossier.current_step
        target = _target(step, to_step_id)
        _check_assignee(dossier, target, assignee)
        _move(dossier, actor, t, step, target, assignee, name="forward", note=note)
        return dossier


def approve(
    dossier_id,
    *,
    actor,
    to_step_id=None,
    assignee=None,
    note="",
    draft_id=None,
    pin: str | None = None,
    expected_version=None,
) -> Dossier:
    """A leader approves the dossier at their step and it moves on to the next step (usually văn
    thư's). Where the step says so (``ProcessStep.signs``) the approval signs the draft result — the
    newest PDF working document, or ``draft_id`` — with the leader's personal key (PAdES, through
    congso.signing); the signed draft is kept as the dossier's "signed draft" for văn thư to issue.
    Signing and moving on are one transaction: a failed signature approves nothing."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = check_transition("approve", actor, dossier)
        step = dossier.current_step
        target = _target(step, to_step_id)
        _check_assignee(dossier, target, assignee)
        signed = None
        if step.signs:
            candidates = drafts(dossier)
            draft = candidates[0]
            if draft_id not in (None, ""):
                draft = next((a for a in candidates if str(a.pk) == str(draft_id)), None)
                if draft is None:
                    raise ServiceError(_("Không tìm thấy dự thảo kết quả đã chọn."), field="draft")
            with draft.file.open("rb") as fh:
                content = fh.read()
            key = personal_key(actor)
            signed = sign_pdf(
                content,
                key,
                actor=actor,
                pin=pin or None,
                reason=_("Phê duyệt hồ sơ %(code)s") % {"code": dossier.code},
            )
        data = {"signed": bool(signed)}
        if signed is not None:
            data.update(draft=draft.pk, signature=str(signed.record.pk), signer=signed.record.signer_name)
        entry = _move(dossier, actor, t, step, target, assignee, name="approve", note=note, data=data)
        if signed is not None:
            name = (
                draft.original_name.rsplit(".", 1)[0] if "." in draft.original_name else draft.original_name
            )
            upload = Upload(
                _("Dự thảo kết quả đã ký duyệt"), ContentFile(signed.data), f"{name or 'du-thao'}-da-ky.pdf"
            )
            _store_files(dossier, _inspect_all([upload]), actor, Attachment.Purpose.SIGNED_DRAFT, entry)
        return dossier


def return_for_revision(dossier_id, *, actor, reason: str, note: str = "", expected_version=None) -> Dossier:
    """A leader sends the dossier back, with the reason, to the specialist step it came from (the
    latest officer's step at this agency), to the official who handled it there."""
    reason = (reason or "").strip()
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = check_transition("return_for_revision", actor, dossier, provided={"reason": reason})
        step = dossier.current_step
        run = revision_run(dossier)
        # back to the specialist who handled it there: the one assigned, else the one who moved it on
        handler = run.assignee or next(
            (
                e.actor
                for e in dossier.timeline.filter(
                    action="forward", data__from_step=run.step.name, actor__isnull=False
                )
                .select_related("actor")
                .order_by("-at", "-id")
                if e.actor and run.step.role in roles_at(e.actor, run.agency)
            ),
            None,
        )
        assignee = handler if handler is not None and handler.is_active else None
        _move(dossier, actor, t, step, run.step, assignee, name="return_for_revision", note=reason)
        return dossier


TRANSFER_ROLES = (Role.OFFICER, Role.LEADER)


def _staffed(agency: Agency, role: str) -> bool:
    """Someone holds ``role`` at ``agency`` today (directly or through an ancestor's sub-tree)."""
    today = timezone.localdate()
    return (
        Membership.objects.filter(role=role, valid_from__lte=today, user__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .filter(Q(agency=agency) | Q(include_subtree=True, agency__path__in=ancestor_paths(agency)))
        .exists()
    )


def transfer(
    dossier_id,
    *,
    actor,
    agency: Agency | None,
    reason: str,
    role: str = Role.OFFICER,
    expected_version=None,
) -> Dossier:
    """A leader of the agency now holding the dossier hands it to another agency (liên thông outside
    the template: e.g. a department's appraisal the commune needs), with the reason.

    The dossier keeps its code and its clock (the dossier's due moment does not move). It enters a step
    made for this hand-off — kind ``transfer``, retired so it is never part of the template, at
    ``agency``, done by ``role`` there (officer or leader) — whose only next step is the step it came
    from: when the other agency forwards it, it comes back there. The hand-off step's due moment is the
    current step's. Timeline entry and audit entry ``dossier.transfer``; citizens see "sent to …"."""
    reason = (reason or "").strip()
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(
            "transfer",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"agency": agency, "reason": reason},
        )
        origin = dossier.current_step
        if origin is None:
            raise ServiceError(_("Hồ sơ chưa có quy trình xử lý."))
        if role not in TRANSFER_ROLES:
            raise ServiceError(
                _("Chỉ chuyển liên thông cho chuyên viên xử lý hoặc lãnh đạo của cơ quan nhận."), field="role"
            )
        if not agency.is_active:
            raise ServiceError(
                _("Cơ quan %(name)s đã ngừng hoạt động.") % {"name": agency.name}, field="agency"
            )
        if agency.pk == dossier.current_agency_id:
            raise ServiceError(_("Hồ sơ đang ở chính cơ quan này; hãy chọn cơ quan khác."), field="agency")
        if not _staffed(agency, role):
            raise ServiceError(
                _("%(agency)s chưa có ai giữ vai trò %(role)s nên không thể nhận hồ sơ.")
                % {"agency": agency.name, "role": Role(role).label},
                field="agency",
            )
        template = ProcessTemplate.objects.select_for_update().get(pk=origin.template_id)
        top = template.steps.order_by("-position").values_list("position", flat=True).first() or 0
        step = ProcessStep.objects.create(
            template=template,
            position=top + 1,
            name=(_("Liên thông: %(agency)s") % {"agency": agency.name})[:200],
            kind=ProcessStep.Kind.TRANSFER,
            role=role,
            agency=agency,
            share_percent=0,
            retired=True,
            version=origin.version,
        )
        step.next_steps.set([origin])
        now = timezone.now()
        current = StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).order_by("-started_at")
        due = current.values_list("due_at", flat=True).first()
        current.update(finished_at=now)
        before, previous_agency = dossier.status, dossier.current_agency
        dossier.status = t.target
        dossier.current_step, dossier.current_agency = step, agency
        dossier.holder_role, dossier.assignee = role, None
        StepRun.objects.create(dossier=dossier, step=step, agency=agency, started_at=now, due_at=due)
        _save(dossier, "status", "current_step", "current_agency", "holder_role", "assignee")
        _timeline(
            dossier,
            actor,
            "transfer",
            t.label,
            before,
            note=reason,
            data={
                "transfer": {"from": previous_agency.code, "to": agency.code},
                "from_step": origin.name,
                "role": role,
            },
            step=step,
        )
        return dossier


def assign(dossier_id, *, actor, assignee, expected_version=None) -> Dossier:
    """A leader or the current handler gives the current step to a named official of the same agency."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        roles = roles_for(actor, dossier)
        step = dossier.current_step
        if step is None or dossier.status not in IN_PROCESS_STATUSES:
            raise Conflict(_("Chỉ phân công được hồ sơ đang xử lý."))
        if not may_assign(dossier, roles):
            raise Forbidden(_("Bạn không được phân công hồ sơ này."))
        if step.role not in roles_at(assignee, dossier.current_agency):
            raise ServiceError(
                _("Người được giao không có vai trò phù hợp tại cơ quan đang xử lý."), field="assignee"
            )
        dossier.assignee = assignee
        StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(assignee=assignee)
        _save(dossier, "assignee")
        _timeline(
            dossier,
            actor,
            "assign",
            _("Phân công xử lý"),
            dossier.status,
            data={"assignee": assignee.pk},
            note=str(assignee),
        )
        return dossier


def attach(dossier_id, *, actor, uploads: list[Upload], note: str = "", expected_version=None) -> Dossier:
    """Add working documents (minutes, inspection reports, drafts) to a dossier in process."""
    checked = _inspect_all(uploads)
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(
            "attach",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"document": list(uploads)},
        )
        _save(dossier)
        entry = _timeline(
            dossier,
            actor,
            "attach",
            t.label,
            dossier.status,
            note=note,
            data={"files": [u.component for u in uploads]},
        )
        _store_files(dossier, checked, actor, Attachment.Purpose.WORKING, entry)
        return dossier


BULK_LIMIT = 100


def assign_many(dossier_ids, *, actor, assignee) -> list[Dossier]:
    """Give the current step of several dossiers to one official (a leader's bulk view): one
    ``assign`` per dossier, all in ONE transaction — if one is refused, none is assigned, and the
    message names that dossier (only when the actor may see it)."""
    try:
        ids = sorted({int(pk) for pk in dossier_ids})  # a fixed lock order: bulk runs never deadlock
    except (TypeError, ValueError):
        raise ServiceError(_("Danh sách hồ sơ không hợp lệ.")) from None
    if not ids:
        raise ServiceError(_("Chưa chọn hồ sơ nào."))
    if len(ids) > BULK_LIMIT:
        raise ServiceError(_("Mỗi lần phân công tối đa %(n)s hồ sơ.") % {"n": BULK_LIMIT})
    if assignee is None:
        raise ServiceError(_("Hãy chọn cán bộ được phân công."), field="assignee")
    done = []
    with transaction.atomic():
        for pk in ids:
            dossier = (
                Dossier.objects.select_related("current_agency", "receiving_agency").filter(pk=pk).first()
            )
            if dossier is None or not can(actor, "dossiers.view", dossier):
                raise NotFound(_("Không tìm thấy hồ sơ."))
            try:
                done.append(assign(pk, actor=actor, assignee=assignee))
            except ServiceError as exc:
                raise type(exc)(
                    _("Hồ sơ %(code)s: %(message)s") % {"code": dossier.code, "message": exc.message},
                    code=exc.code,
                    field=exc.field,
                ) from None
    return done


def save_process(actor, agency: Agency, procedure, steps: list[dict]):
    """Replace an agency's template for a procedure (created from the default first when it has none)
    in ONE transaction: an invalid or forbidden edit leaves nothing behind, not even the default."""
    with transaction.atomic():
        return replace_steps(actor, template_for(agency, procedure), steps)
