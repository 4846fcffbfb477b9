"""Process templates: how an agency handles a procedure, as data administrators edit without code.

``template_for`` returns the agency's active template for a procedure, creating the default one the
first time from the catalogue record (``default_steps``, ADR 0082): handle → review → approve and sign
→ issue, with 60/15/10/10 % of the time limit (the last 5 % is left for returning the result); a
coordinating agency the record names and the directory knows becomes a liên thông step, and an
implementing agency other than the receiving one handles the dossier there. Administrators change
steps, roles, shares, branches (``ProcessStep.next_steps``) and inter-agency steps
(``ProcessStep.agency``) in the admin or the API.
"""

import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.compiled import CompiledQuery, fields_of, from_row
from congso.core.errors import ServiceError
from congso.core.permissions import require
from congso.core.text import fold
from congso.directory.models import Agency, Role

from .models import Dossier, ProcessStep, ProcessTemplate, StepRun

DEFAULT_STEPS = [
    (ProcessStep.Kind.HANDLE, "Thụ lý, thẩm định hồ sơ", Role.OFFICER, Decimal("60")),
    (ProcessStep.Kind.REVIEW, "Lãnh đạo phòng xem xét, trình ký", Role.LEADER, Decimal("15")),
    (ProcessStep.Kind.APPROVE, "Lãnh đạo cơ quan phê duyệt, ký", Role.LEADER, Decimal("10")),
    (ProcessStep.Kind.ISSUE, "Văn thư vào sổ, đóng dấu, phát hành", Role.CLERICAL, Decimal("10")),
]


# With a coordinating agency's step: handling gives up a third of its time to it.
HANDLE_WITH_COORDINATION, COORDINATION = Decimal("40"), Decimal("20")
_LOCALITY = re.compile(r"\s+(tinh|thanh pho)\s+.*$")  # "... Thành phố Hà Nội": the portal's example place
_NOT_AN_AGENCY = ("co quan khac", "khong co thong tin", "bo ", "cuc ", "tong cuc ", "chinh phu", "thu tuong")


def _province_of(unit):
    seen = 0
    while unit is not None and unit.level != 1 and unit.parent_id and seen < 5:
        unit, seen = unit.parent, seen + 1
    return unit if unit is not None and unit.level == 1 else None


def resolve_agency(text: str, receiving: Agency) -> Agency | None:
    """The directory's agency that a catalogue phrase names, seen from ``receiving``'s province.

    The national record names agencies generically ("Sở Tư pháp Thành phố Hà Nội" as an example,
    "Công an cấp Xã", "Công an cấp Tỉnh"): the place is dropped, "cấp xã" means the receiving agency's
    commune, anything else the province, and the one active agency there whose name starts with the
    phrase is it. Central bodies, "Cơ quan khác" and ambiguous or unknown phrases give None."""
    stem = _LOCALITY.sub("", fold(text)).strip(" .")
    if not stem or stem.startswith(_NOT_AN_AGENCY):
        return None
    province = _province_of(receiving.unit)
    if province is None:
        return None
    if stem.endswith(" cap xa"):
        stem, units = stem[: -len(" cap xa")], [receiving.unit_id]
    else:
        if stem.endswith(" cap tinh"):
            stem = stem[: -len(" cap tinh")]
        units = [province.pk]
    found = [
        agency
        for agency in Agency.objects.filter(unit_id__in=units, is_active=True).exclude(pk=receiving.pk)
        if (fold(agency.name) + " ").startswith(stem + " ")
    ]
    return found[0] if len(found) == 1 else None


def _agencies_named(text: str, receiving: Agency) -> list[Agency]:
    found = []
    for part in re.split(r"[,;\n]", text or ""):
        agency = resolve_agency(part, receiving) if part.strip() else None
        if agency is not None and agency not in found:
            found.append(agency)
    return found


def _receiving_level(agency: Agency) -> str:
    return "province" if agency.unit.level == 1 else "commune"


def default_steps(agency: Agency, procedure) -> list[dict]:
    """The default template of ``procedure`` at ``agency``, derived from its catalogue record.

    - The implementing agency (cơ quan thực hiện): when the procedure is not implemented at the
      receiving agency's level (e.g. a provincial procedure received by a commune) and the record names
      one agency the directory knows, handling, review, approval and issue happen there (the receiving
      counter still receives and returns).
    - Coordinating agencies (cơ quan phối hợp) the directory knows get a liên thông step after
      handling ("Lấy ý kiến, phối hợp"), sharing 20 % of the time limit taken from handling (40 %).
    - Otherwise, or when the record says nothing usable: ``DEFAULT_STEPS``.
    Steps are dicts for ``validate_steps``/``replace_steps`` (``agency`` an Agency or None)."""
    version = getattr(procedure, "current_version", None)
    content = (version.content if version is not None else None) or {}
    handler = None
    levels = content.get("levels") or [lvl for lvl in (procedure.levels or "").split("|") if lvl]
    if levels and _receiving_level(agency) not in levels:
        implementing = _agencies_named(content.get("implementing_agency", ""), agency)
        handler = implementing[0] if len(implementing) == 1 else None
    coordinating = [
        a for a in _agencies_named(content.get("coordinating_agency", ""), agency) if a != (handler or agency)
    ][:2]
    steps = []
    for kind, name, role, share in DEFAULT_STEPS:
        step = {"kind": kind, "name": name, "role": role, "share_percent": share, "agency": handler}
        if kind == ProcessStep.Kind.HANDLE and coordinating:
            step["share_percent"] = HANDLE_WITH_COORDINATION
            steps.append(step)
            for other in coordinating:
                steps.append(
                    {
                        "kind": ProcessStep.Kind.HANDLE,
                        "name": (_("Lấy ý kiến, phối hợp: %(agency)s") % {"agency": other.name})[:200],
                        "role": Role.OFFICER,
                        "share_percent": COORDINATION / len(coordinating),
                        "agency": other,
                    }
                )
            continue
        steps.append(step)
    return steps


def template_for(agency, procedure) -> ProcessTemplate:
    template = ProcessTemplate.objects.filter(agency=agency, procedure=procedure, is_active=True).first()
    if template:
        return template

    try:
        steps = default_steps(agency, procedure)
        validate_steps(steps)
    except ServiceError:  # never expected; the plain default is always valid
        steps = [
            {"kind": kind, "name": name, "role": role, "share_percent": share, "agency": None}
            for kind, name, role, share in DEFAULT_STEPS
        ]
    with transaction.atomic():
        template, created = ProcessTemplate.objects.get_or_create(
            agency=agency,
            procedure=procedure,
            defaults={"name": _("Quy trình mặc định: %(name)s") % {"name": procedure.name[:200]}},
        )
        if created:
            ProcessStep.objects.bulk_create(
                [
                    ProcessStep(
                        template=template,
                        position=i,
                        kind=step["kind"],
                        name=step["name"],
                        role=step["role"],
                        agency=step["agency"],
                        share_percent=step["share_percent"],
                    )
                    for i, step in enumerate(steps, start=1)
                ]
            )
    return template


_STEPS = CompiledQuery(
    lambda agency_id, procedure_id: (
        ProcessStep.objects.filter(
            template__agency_id=agency_id,
            template__procedure_id=procedure_id,
            template__is_active=True,
            retired=False,
        )
        .order_by("position")
        .values_list(
            *fields_of(ProcessStep),
            *fields_of(ProcessTemplate, "template__"),
            *fields_of(Agency, "agency__"),
        )
    ),
    model=ProcessStep,
)


def steps_for(agency, procedure) -> tuple[ProcessTemplate, list[ProcessStep]]:
    """The agency's template for a procedure and its current steps in order (with their agencies).

    One query when the template exists and has steps (the common case, e.g. at every counter receipt,
    compiled once: congso.core.compiled); otherwise ``template_for`` (which may create the default
    template) and its steps."""
    rows = _STEPS.rows(agency.pk, procedure.pk)
    if rows:
        steps = [
            from_row(ProcessStep, row, [("template", ProcessTemplate), ("agency", Agency)]) for row in rows
        ]
        template = steps[0].template
        for step in steps:
            step.template = template  # one shared instance, as template.steps would give
        return template, steps
    template = template_for(agency, procedure)
    return template, current_steps(template)


def version_steps(step: ProcessStep):
    """The steps of the template version ``step`` belongs to (a dossier keeps its version's steps after
    an edit), in order; transfer hand-offs are never part of a version."""
    return (
        ProcessStep.objects.filter(template_id=step.template_id, version=step.version, retired=step.retired)
        .exclude(kind=ProcessStep.Kind.TRANSFER)
        .order_by("position")
    )


def forward_targets(step: ProcessStep | None) -> list[ProcessStep]:
    """Where a dossier at ``step`` may go next: the step's listed branches (its own version's steps,
    whether or not the template was edited since), else the following step of its version. A leader's
    transfer hand-off goes back to the step it came from. Empty: the last step."""
    if step is None:
        return []
    listed = list(step.next_steps.order_by("position"))
    if listed:
        return listed
    if step.kind == ProcessStep.Kind.TRANSFER:
        return []
    following = version_steps(step).filter(position__gt=step.position).first()
    return [following] if following else []


def revision_run(dossier: Dossier) -> StepRun | None:
    """The step run a leader returns the dossier to for revision: the latest run at a specialist's
    (officer's) step before the current one, at the dossier's current agency."""
    return (
        StepRun.objects.filter(dossier=dossier, step__role=Role.OFFICER, agency=dossier.current_agency)
        .exclude(step__kind=ProcessStep.Kind.TRANSFER)
        .exclude(step_id=dossier.current_step_id)
        .select_related("step", "assignee")
        .order_by("-started_at", "-id")
        .first()
    )


def current_steps(template) -> list[ProcessStep]:
    if template is None:
        return []
    return list(template.steps.filter(retired=False).select_related("agency").order_by("position"))


# The roles that can move a dossier on from a step (the ``forward`` transition's roles).
WORKING_ROLES = (Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL)


def _successors(steps: list[dict], i: int) -> list[int]:
    """Where a dossier at step ``i`` (1-based) may go: its listed branches, else the following step."""
    listed = [t for t in (steps[i - 1].get("next") or []) if isinstance(t, int) and 1 <= t <= len(steps)]
    if listed:
        return listed
    return [i + 1] if i < len(steps) else []


def validate_steps(steps: list[dict]) -> dict:
    """Check a template's steps as a whole; raise a ServiceError with a Vietnamese message, or return
    the agencies named by code ({code: Agency}).

    Beyond each step's own fields, the template must be able to take every dossier from acceptance to
    its result: the first step is not văn thư's (a dossier must be processed, status 4, before its
    result is issued), there is an issue step, every step can be reached from the first, and from every
    step a dossier can reach an issue step (otherwise dossiers would be trapped there). Step kinds and
    roles agree: the issue step is văn thư's, and văn thư's step is the issue step.

    Each step: {"name", "kind", "role", "agency" (code, Agency or None), "share_percent", "next"
    (1-based positions), "signs" (a leader's approval signs the draft result; optional)}."""

    Kind = ProcessStep.Kind
    if not steps:
        raise ServiceError(_("Quy trình phải có ít nhất một bước."))
    total = Decimal(0)
    agencies = {}
    for i, step in enumerate(steps, start=1):
        if not str(step.get("name", "")).strip():
            raise ServiceError(_("Bước %(n)s chưa có tên.") % {"n": i})
        if step.get("kind") not in Kind.values or step["kind"] == Kind.TRANSFER:
            raise ServiceError(_("Bước %(n)s có loại bước không hợp lệ.") % {"n": i})
        if step.get("role") not in Role.values:
            raise ServiceError(_("Bước %(n)s có vai trò không hợp lệ.") % {"n": i})
        if step["role"] not in WORKING_ROLES:
            raise ServiceError(
                _(
                    "Bước %(n)s: vai trò “%(role)s” không xử lý hồ sơ; hãy chọn cán bộ một cửa, chuyên viên, "
                    "lãnh đạo hoặc văn thư."
                )
                % {"n": i, "role": Role(step["role"]).label}
            )
        if step["kind"] == Kind.ISSUE and step["role"] != Role.CLERICAL:
            raise ServiceError(
                _("Bước %(n)s là bước phát hành kết quả nên phải do văn thư thực hiện.") % {"n": i}
            )
        if step.get("signs") and step["role"] != Role.LEADER:
            raise ServiceError(
                _("Bước %(n)s: chỉ bước của lãnh đạo mới có thể ký số dự thảo kết quả khi phê duyệt.")
                % {"n": i}
            )
        if step["role"] == Role.CLERICAL and step["kind"] != Kind.ISSUE:
            raise ServiceError(
                _("Bước %(n)s do văn thư thực hiện nên phải là bước “%(kind)s”.")
                % {"n": i, "kind": Kind.ISSUE.label}
            )
        try:
            share = Decimal(str(step.get("share_percent", 0)))
        except Exception:  # noqa: BLE001
            share = Decimal(-1)
        if not share.is_finite() or share < 0 or share > 100:
            raise ServiceError(_("Tỷ lệ thời gian của bước %(n)s phải từ 0 đến 100.") % {"n": i})
        total += share
        code = step.get("agency")
        if isinstance(code, Agency):
            agencies[code.code] = code
        elif code:
            agencies[code] = Agency.objects.filter(code=code, is_active=True).first()
            if agencies[code] is None:
                raise ServiceError(_("Bước %(n)s: không tìm thấy cơ quan %(code)s.") % {"n": i, "code": code})
        for target in step.get("next") or []:
            if not isinstance(target, int) or not 1 <= target <= len(steps) or target == i:
                raise ServiceError(_("Bước %(n)s chuyển tới bước không tồn tại.") % {"n": i})
    if total > 100:
        raise ServiceError(_("Tổng tỷ lệ thời gian các bước vượt quá 100%."))
    issue = {i for i, step in enumerate(steps, start=1) if step["kind"] == Kind.ISSUE}
    if not issue:
        raise ServiceError(_("Quy trình cần một bước văn thư vào sổ, phát hành kết quả."))
    if 1 in issue:
        raise ServiceError(
            _(
                "Bước đầu tiên không được là bước phát hành kết quả: hồ sơ phải được thụ lý, xử lý trước khi "
                "văn thư phát hành."
            )
        )
    reached, todo = {1}, [1]
    while todo:
        for j in _successors(steps, todo.pop()):
            if j not in reached:
                reached.add(j)
                todo.append(j)
    for i, step in enumerate(steps, start=1):
        if i not in reached:
            raise ServiceError(
                _("Bước %(n)s “%(name)s” không thể tới được từ bước đầu tiên; hãy sửa các bước chuyển tiếp.")
                % {"n": i, "name": str(step["name"]).strip()}
            )
    leads_to_issue = set(issue)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(steps) + 1):
            if i not in leads_to_issue and leads_to_issue.intersection(_successors(steps, i)):
                leads_to_issue.add(i)
                changed = True
    for i, step in enumerate(steps, start=1):
        if i not in leads_to_issue:
            raise ServiceError(
                _(
                    "Từ bước %(n)s “%(name)s” hồ sơ không thể đi tới bước văn thư phát hành kết quả, nên sẽ bị "
                    "kẹt lại; hãy thêm bước tiếp theo."
                )
                % {"n": i, "name": str(step["name"]).strip()}
            )
    return agencies


def replace_steps(actor, template: ProcessTemplate, steps: list[dict]) -> ProcessTemplate:
    """Replace a template's steps, validated as a whole (``validate_steps``); one transaction with its
    audit entry.

    Each step: {"name", "kind", "role", "agency" (code or None), "share_percent", "next" (positions),
    "signs"}. Positions are 1-based in list order.

    Every save is a new version of the template (``ProcessTemplate.version``). The previous version's
    steps are retired, not changed: a dossier already inside the process keeps moving along its own
    version's steps and branches (``forward_targets``), and only dossiers accepted from now on follow
    the new steps. Steps no dossier ever stood at are deleted.
    """

    require(actor, "dossiers.manage_process", template.agency)
    agencies = validate_steps(steps)
    with transaction.atomic():
        template = ProcessTemplate.objects.select_for_update().get(pk=template.pk)
        # Steps still referenced by dossiers are kept (retired) rather than deleted. The new steps take
        # positions 1..n and every older step follows them, all in their order, so each retired version
        # keeps its own order (dossiers on it follow it: ``forward_targets``) and positions stay as small
        # as the number of steps. Two passes, so no two steps ever share a position on the way.
        old = sorted(template.steps.all(), key=lambda s: s.position)
        top = max([len(steps) + len(old), *(s.position for s in old)])
        for final in (top, len(steps)):
            for offset, s in enumerate(old, start=1):
                s.position = final + offset
                s.retired = True
                s.save(update_fields=["position", "retired"])
        template.version += 1
        created = [
            ProcessStep.objects.create(
                template=template,
                position=i,
                name=step["name"].strip(),
                kind=step["kind"],
                role=step["role"],
                agency=agencies.get(step.get("agency")) if step.get("agency") else None,
                share_percent=Decimal(str(step.get("share_percent", 0))),
                signs=bool(step.get("signs")),
                version=template.version,
            )
            for i, step in enumerate(steps, start=1)
        ]
        for step, row in zip(created, steps, strict=True):
            step.next_steps.set([created[t - 1] for t in row.get("next") or []])

        standing = set(Dossier.objects.filter(current_step__in=old).values_list("current_step", flat=True))
        in_use = standing | set(StepRun.objects.filter(step__in=old).values_list("step", flat=True))
        # A version some dossier stands on is kept whole: its later steps are still ahead of it.
        kept_versions = {s.version for s in old if s.pk in standing}
        ProcessStep.objects.filter(
            pk__in=[s.pk for s in old if s.pk not in in_use and s.version not in kept_versions]
        ).delete()
        template.save(update_fields=["updated_at", "version"])
        audit.record(
            "dossier.process.replace",
            obj=template,
            actor=actor,
            data={"steps": steps, "version": template.version},
        )
    return template
