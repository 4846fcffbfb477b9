"""Use cases of evaluations (ADR 0150): each one function, in one transaction, with its lock, its
permission check and its audit entry. Refusals are ``core.errors`` with a Vietnamese message and change
nothing (a stored evidence file is removed with the rolled-back transaction: ``core.txfiles``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require
from congso.core.uploads import inspect_upload

from . import exports, hooks, selectors, validation
from .models import Criterion, Entry, Framework, Result, Round
from .permissions import works_in
from .transitions import ENTRIES, REVIEW_STATES, ROUNDS, SELF_ASSESS_STATES

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


# --- frameworks ------------------------------------------------------------------------------


def _locked_framework(framework: Framework) -> Framework:
    lock(Framework, pk=framework.pk)
    return Framework.objects.select_related("owner").get(pk=framework.pk)


def _check_editable(framework: Framework) -> None:
    if framework.rounds.exists():
        raise Conflict(
            _(
                "Bộ chỉ số “%(name)s” đã được dùng cho đợt đánh giá nên không sửa được cấu trúc, điểm số; "
                "hãy tạo bộ chỉ số mới cho năm sau."
            )
            % {"name": framework.name},
            code="framework_in_use",
        )


@transaction.atomic
def create_framework(actor, *, owner, data: dict) -> Framework:
    require(actor, "evaluations.manage_framework", owner)
    cleaned = validation.clean_framework(data)
    framework = Framework.objects.create(owner=owner, **cleaned)
    audit.record("evaluations.framework_create", obj=framework, actor=actor, data={"year": framework.year})
    return framework


@transaction.atomic
def update_framework(actor, framework: Framework, data: dict) -> Framework:
    framework = _locked_framework(framework)
    require(actor, "evaluations.manage_framework", framework)
    cleaned = validation.clean_framework(data)
    bands_changed = any(
        getattr(framework, f"level_{n}_min") != cleaned[f"level_{n}_min"] for n in (1, 2, 3, 4)
    )
    if framework.rounds.exists() and (bands_changed or cleaned["applies_to"] != framework.applies_to):
        _check_editable(framework)
    for key, value in cleaned.items():
        setattr(framework, key, value)
    framework.save()
    audit.record("evaluations.framework_update", obj=framework, actor=actor, data={"year": framework.year})
    return framework


@transaction.atomic
def add_criterion(actor, framework: Framework, data: dict) -> Criterion:
    framework = _locked_framework(framework)
    require(actor, "evaluations.manage_framework", framework)
    _check_editable(framework)
    cleaned = validation.clean_criterion(framework, data)
    criterion = Criterion.objects.create(framework=framework, **cleaned)
    audit.record("evaluations.criterion_add", obj=criterion, actor=actor, data={"code": criterion.code})
    return criterion


@transaction.atomic
def update_criterion(actor, criterion: Criterion, data: dict) -> Criterion:
    framework = _locked_framework(criterion.framework)
    require(actor, "evaluations.manage_framework", framework)
    _check_editable(framework)
    criterion = Criterion.objects.get(pk=criterion.pk)
    cleaned = validation.clean_criterion(framework, data, instance=criterion)
    if cleaned["kind"] == Criterion.Kind.SUB and criterion.children.exists():
        raise ServiceError(
            _("Chỉ số đang có chỉ số thành phần nên không đổi thành chỉ số thành phần được."), field="kind"
        )
    for key, value in cleaned.items():
        setattr(criterion, key, value)
    criterion.save()
    audit.record("evaluations.criterion_update", obj=criterion, actor=actor, data={"code": criterion.code})
    return criterion


@transaction.atomic
def delete_criterion(actor, criterion: Criterion) -> None:
    framework = _locked_framework(criterion.framework)
    require(actor, "evaluations.manage_framework", framework)
    _check_editable(framework)
    if criterion.children.exists():
        raise Conflict(_("Hãy xoá các tiêu chí, chỉ số cấp dưới trước."), code="has_children")
    audit.record("evaluations.criterion_delete", obj=criterion, actor=actor, data={"code": criterion.code})
    criterion.delete()


@transaction.atomic
def copy_framework(actor, framework: Framework, *, year, name: str = "") -> Framework:
    """A new framework with the same owner, units, bands and tree, for another year: the way to change
    a framework once a round has used it (the old rounds keep theirs)."""
    framework = _locked_framework(framework)
    require(actor, "evaluations.manage_framework", framework)
    data = {
        "name": name or framework.name,
        "year": year,
        "description": framework.description,
        "applies_to": framework.applies_to,
        **{f"level_{n}_min": getattr(framework, f"level_{n}_min") for n in (1, 2, 3, 4)},
    }
    copy = Framework.objects.create(owner=framework.owner, **validation.clean_framework(data))
    new_ids: dict = {}
    for node, _depth in selectors.tree(framework):
        old_pk = node.pk
        node.pk, node.id, node.framework = None, None, copy
        node.parent_id = new_ids.get(node.parent_id)
        node.save(force_insert=True)
        new_ids[old_pk] = node.pk
    audit.record(
        "evaluations.framework_copy", obj=copy, actor=actor, data={"from": framework.pk, "year": copy.year}
    )
    return copy


# --- rounds ----------------------------------------------------------------------------------


@transaction.atomic
def open_round(actor, framework: Framework, *, year, deadline=None) -> Round:
    framework = _locked_framework(framework)
    require(actor, "evaluations.open_round", framework)
    try:
        year = int(str(year).strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        raise ServiceError(_("Năm đánh giá phải là một năm từ 2000 đến 2100."), field="year") from None
    if not selectors.leaves(framework):
        raise ServiceError(_("Bộ chỉ số chưa có chỉ số nào để đánh giá."), code="empty_framework")
    if framework.rounds.filter(state__in=[Round.State.OPEN, Round.State.REVIEW]).exists():
        raise Conflict(_("Bộ chỉ số đang có một đợt đánh giá chưa chốt."), code="round_in_progress")
    if framework.rounds.filter(year=year).exists():
        raise Conflict(_("Đã có đợt đánh giá năm %(year)s của bộ chỉ số này.") % {"year": year}, field="year")
    try:
        with transaction.atomic():
            round_ = Round.objects.create(framework=framework, year=year, deadline=deadline or None)
    except IntegrityError:
        raise Conflict(_("Đã có đợt đánh giá năm %(year)s của bộ chỉ số này.") % {"year": year}) from None
    audit.record("evaluations.round_open", obj=round_, actor=actor, data={"year": year})
    return round_


def _locked_round(round_: Round) -> Round:
    lock(Round, pk=round_.pk)
    return Round.objects.select_related("framework", "framework__owner").get(pk=round_.pk)


@transaction.atomic
def start_review(actor, round_: Round) -> Round:
    round_ = _locked_round(round_)
    ROUNDS.authorize("start_review", actor, round_)  # 403 before telling the round's state
    ROUNDS.check("start_review", state=round_.state, actor=actor, obj=round_)
    round_.save(update_fields=ROUNDS.apply(round_, "start_review"))
    audit.record("evaluations.round_review", obj=round_, actor=actor)
    return round_


@transaction.atomic
def close_round(actor, round_: Round) -> list[Result]:
    """Freeze the platform metrics into entries, then write every unit's total, level and rank."""
    round_ = _locked_round(round_)
    ROUNDS.authorize("close", actor, round_)  # 403 before telling the round's state
    ROUNDS.check("close", state=round_.state, actor=actor, obj=round_)
    pending = round_.entries.filter(status=Entry.Status.SUBMITTED).count()
    if pending:
        raise Conflict(
            _(
                "Còn %(n)s giá trị tự đánh giá chưa được thẩm định; hãy chấp nhận hoặc điều chỉnh trước khi chốt."
            )
            % {"n": pending},
            code="pending_review",
        )
    now = timezone.now()
    metric_leaves = [c for c in selectors.leaves(round_.framework) if c.source == Criterion.Source.METRIC]
    frozen = []
    for unit in selectors.units_for(round_.framework):
        for leaf in metric_leaves:
            frozen.append(
                Entry(
                    round=round_,
                    unit=unit,
                    criterion=leaf,
                    value=selectors.metric_value(leaf, unit, round_.year),
                    status=Entry.Status.AUTOMATIC,
                    submitted_at=now,
                    note=str(hooks.source(leaf.metric_key).label) if leaf.metric_key else "",
                )
            )
    Entry.objects.filter(round=round_, status=Entry.Status.AUTOMATIC).delete()
    Entry.objects.bulk_create(frozen)
    round_.save(update_fields=ROUNDS.apply(round_, "close", now=now))  # frozen from here on
    ranked = selectors.compute_results(round_)
    stored = Result.objects.bulk_create(
        [
            Result(
                round=round_, unit=r.unit, total=r.total, level=r.level, rank=r.rank, met=r.met, unmet=r.unmet
            )
            for r in ranked
        ]
    )
    audit.record(
        "evaluations.round_close",
        obj=round_,
        actor=actor,
        data={"units": len(stored), "metrics_frozen": len(frozen)},
    )
    return stored


@transaction.atomic
def publish_round(actor, round_: Round, *, decision_number: str) -> Round:
    """Publish the ranking: the annex to the decision, rendered and signed with the owner's seal."""
    round_ = _locked_round(round_)
    ROUNDS.authorize("publish", actor, round_)  # 403 before telling the round's state
    ROUNDS.check("publish", state=round_.state, actor=actor, obj=round_)
    decision_number = validation.clean_text(
        decision_number, _("số quyết định công bố"), field="decision_number", limit=60, required=True
    )
    round_.decision_number = decision_number
    round_.annex = exports.issue_annex(round_, actor=actor)
    round_.save(update_fields=[*ROUNDS.apply(round_, "publish"), "decision_number", "annex"])
    audit.record("evaluations.round_publish", obj=round_, actor=actor, data={"decision": decision_number})
    return round_


# --- values ----------------------------------------------------------------------------------


def _leaf(round_: Round, criterion_id) -> Criterion:
    criterion = Criterion.objects.filter(
        framework=round_.framework, pk=getattr(criterion_id, "pk", criterion_id)
    ).first()
    if criterion is None or criterion.pk not in {c.pk for c in selectors.leaves(round_.framework)}:
        raise NotFound(_("Không tìm thấy chỉ số này trong bộ chỉ số của đợt đánh giá."))
    return criterion


@transaction.atomic
def submit_value(actor, round_: Round, unit, criterion, *, value, note, evidence=None) -> Entry:
    """A unit's own value for a manual leaf, with its evidence file and note (while the round is open)."""
    round_ = _locked_round(round_)
    require(
        actor,
        "evaluations.self_assess",
        unit,
        _("Chỉ lãnh đạo, quản trị của %(unit)s mới được tự đánh giá cho đơn vị.") % {"unit": unit.name},
    )
    if not selectors.is_unit_of(round_.framework, unit):
        raise NotFound(_("%(unit)s không thuộc đối tượng của đợt đánh giá này.") % {"unit": unit.name})
    criterion = _leaf(round_, criterion)
    if round_.state not in SELF_ASSESS_STATES:
        raise Conflict(
            _("Đợt đánh giá đã kết thúc tự đánh giá (%(state)s); không thể nhập hoặc sửa giá trị.")
            % {"state": round_.get_state_display()},
            code="round_closed",
        )
    if criterion.source != Criterion.Source.MANUAL:
        raise ServiceError(
            _("Chỉ số “%(code)s” lấy số liệu tự động từ hệ thống; đơn vị không nhập.")
            % {"code": criterion.code},
            code="automatic",
        )
    cleaned = validation.clean_value(criterion, value)
    note = validation.clean_text(
        note, _("thuyết minh"), field="note", limit=validation.NOTE_MAX, required=True
    )
    entry = Entry.objects.filter(round=round_, unit=unit, criterion=criterion).first()
    if entry is not None and entry.status != Entry.Status.SUBMITTED:
        raise Conflict(
            _("Giá trị của chỉ số “%(code)s” đã được thẩm định; đơn vị không sửa được nữa.")
            % {"code": criterion.code},
            code="already_reviewed",
        )
    if evidence is None and (entry is None or not entry.evidence):
        raise ServiceError(
            _("Vui lòng đính kèm tệp minh chứng (PDF, JPEG hoặc PNG) cho chỉ số “%(code)s”.")
            % {"code": criterion.code},
            field="evidence",
            code="evidence_required",
        )
    if entry is None:
        entry = Entry(round=round_, unit=unit, criterion=criterion, status=Entry.Status.SUBMITTED)
    entry.value, entry.note = cleaned, note
    entry.submitted_by, entry.submitted_at = actor, timezone.now()
    if evidence is not None:
        checked = inspect_upload(evidence, max_bytes=EVIDENCE_MAX_BYTES)
        name = f"minh-chung{checked.extension}"
        if entry.pk is None:
            entry.save()
        entry.evidence.save(name, ContentFile(checked.content), save=False)
        entry.evidence_name = (checked.original_name or name)[:255]
        entry.evidence_sha256 = checked.sha256
    entry.save()
    audit.record(
        "evaluations.submit",
        obj=entry,
        actor=actor,
        data={"round": round_.pk, "unit": unit.code, "criterion": criterion.code, "value": str(cleaned)},
    )
    return entry


@transaction.atomic
def review_value(actor, entry: Entry, *, action: str, value=None, reason: str = "") -> Entry:
    """The evaluator accepts a unit's value, or corrects it with a reason (while the round is open or in review)."""
    entry = Entry.objects.select_related("round", "unit", "criterion").get(pk=entry.pk)
    round_ = _locked_round(entry.round)
    lock(Entry, pk=entry.pk)
    entry = Entry.objects.select_related("unit", "criterion").get(pk=entry.pk)
    entry.round = round_
    if action not in ENTRIES.transitions:
        raise ServiceError(_("Thao tác thẩm định không hợp lệ."), field="action")
    if works_in(actor, entry.unit):
        raise PermissionDenied(
            _("Ông/Bà không được thẩm định giá trị của %(unit)s, đơn vị mình đang công tác.")
            % {"unit": entry.unit.name}
        )
    ENTRIES.authorize(
        action, actor, entry, _("Chỉ cán bộ thẩm định của tỉnh mới được thẩm định giá trị tự đánh giá.")
    )
    if round_.state not in REVIEW_STATES:
        raise Conflict(_("Đợt đánh giá đã chốt kết quả; không thể thẩm định thêm."), code="round_closed")
    reason = validation.clean_text(
        reason, _("lý do điều chỉnh"), field="reason", limit=validation.REASON_MAX, required=False
    )
    ENTRIES.check(action, state=entry.status, provided={"reason": reason}, actor=actor, obj=entry)
    if action == "correct":
        entry.reviewed_value = validation.clean_value(entry.criterion, value)
        entry.review_reason = reason
    else:
        entry.reviewed_value, entry.review_reason = None, ""
    entry.status = ENTRIES.get(action).target
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    entry.save()
    audit.record(
        f"evaluations.review_{action}",
        obj=entry,
        actor=actor,
        data={
            "unit": entry.unit.code,
            "criterion": entry.criterion.code,
            "value": str(entry.value),
            "reviewed_value": None if entry.reviewed_value is None else str(entry.reviewed_value),
        },
    )
    return entry
