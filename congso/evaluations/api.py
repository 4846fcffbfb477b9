"""Evaluations API under /api/v1/evaluations: frameworks and their tree, rounds, a unit's sheet and its
values with evidence, the evaluator's review, the ranking, the table "đạt / chưa đạt", the
year-over-year comparison and the Excel export (the same service functions as the pages; ADR 0150)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound
from congso.core.permissions import can
from congso.directory.scope import is_staff_member
from congso.directory.selectors import agency_by_code
from congso.signing.services import record_url

from . import exports, hooks, selectors, services, validation
from .models import Criterion, Framework, Level, Round

router = Router(tags=["Đánh giá, xếp hạng đơn vị"], auth=read_auth)


def _official(request):
    if not is_staff_member(request.auth):
        raise PermissionDenied(_("Chỉ cán bộ, công chức mới xem được đánh giá, xếp hạng đơn vị."))


class EvaluationMetricOut(Schema):
    key: str
    label: str


class EvaluationCriterionIn(Schema):
    kind: str
    code: str
    name: str
    parent: int | None = None
    position: int = 0
    max_points: str | None = None
    weight: str | None = None
    source: str = ""
    metric_key: str = ""
    value_kind: str = "points"
    unit_label: str = ""
    min_value: str | None = None
    max_value: str | None = None
    target: str | None = None
    lower_is_better: bool = False
    guidance: str = ""


class EvaluationCriterionOut(Schema):
    id: int
    parent: int | None
    depth: int
    kind: str
    code: str
    name: str
    position: int
    max_points: Decimal
    weight: Decimal
    source: str
    metric_key: str
    value_kind: str
    unit_label: str
    min_value: Decimal
    max_value: Decimal | None
    target: Decimal | None
    lower_is_better: bool
    guidance: str
    leaf: bool


class EvaluationFrameworkIn(Schema):
    name: str
    year: int
    description: str = ""
    applies_to: list[str]
    level_1_min: str
    level_2_min: str
    level_3_min: str
    level_4_min: str


class EvaluationFrameworkCreateIn(EvaluationFrameworkIn):
    owner: str  # the owner agency's code


class EvaluationRoundBrief(Schema):
    id: int
    year: int
    state: str
    state_label: str


class EvaluationFrameworkOut(Schema):
    id: int
    name: str
    year: int
    description: str
    owner: str
    owner_name: str
    applies_to: list[str]
    level_1_min: Decimal
    level_2_min: Decimal
    level_3_min: Decimal
    level_4_min: Decimal
    max_total: Decimal
    locked: bool
    criteria: list[EvaluationCriterionOut]
    rounds: list[EvaluationRoundBrief]


class EvaluationFrameworkBrief(Schema):
    id: int
    name: str
    year: int
    owner: str
    owner_name: str


class EvaluationRoundIn(Schema):
    year: int
    deadline: dt.date | None = None


class EvaluationUnitBrief(Schema):
    code: str
    name: str


class EvaluationRoundOut(Schema):
    id: int
    framework: int
    framework_name: str
    year: int
    state: str
    state_label: str
    deadline: dt.date | None
    review_at: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    decision_number: str
    annex_url: str
    units: list[EvaluationUnitBrief]
    my_units: list[EvaluationUnitBrief]


class EvaluationPublishIn(Schema):
    decision_number: str


class EvaluationLineOut(Schema):
    criterion: int
    code: str
    name: str
    depth: int
    kind: str
    source: str
    points: Decimal
    max_points: Decimal
    value: Decimal | None = None
    target: Decimal | None = None
    lower_is_better: bool = False
    met: bool | None = None
    live: bool = False
    entry: int | None = None
    status: str = ""
    self_value: Decimal | None = None
    note: str = ""
    evidence_name: str = ""
    reviewed_value: Decimal | None = None
    review_reason: str = ""


class EvaluationSheetOut(Schema):
    round: int
    unit: str
    unit_name: str
    total: Decimal
    level: str
    lines: list[EvaluationLineOut]


class EvaluationEntryOut(Schema):
    id: int
    unit: str
    criterion: str
    value: Decimal | None
    note: str
    status: str
    evidence_name: str
    evidence_sha256: str
    reviewed_value: Decimal | None
    review_reason: str


class EvaluationReviewIn(Schema):
    action: str  # accept | correct
    value: str | None = None
    reason: str = ""


class EvaluationRankOut(Schema):
    rank: int
    unit: str
    unit_name: str
    total: Decimal
    level: str
    level_label: str
    met: int
    unmet: int


class EvaluationMetRow(Schema):
    unit: str
    unit_name: str
    marks: list[bool | None]


class EvaluationStillUnmet(Schema):
    unit: str
    unit_name: str
    criteria: list[str]


class EvaluationMetOut(Schema):
    criteria: list[str]
    rows: list[EvaluationMetRow]
    previous_year: int | None
    still_unmet: list[EvaluationStillUnmet]


def framework_out(f: Framework) -> dict:
    nodes = selectors.tree(f)
    leaf_ids = {c.pk for c in selectors.leaves(f)}
    return {
        "id": f.pk,
        "name": f.name,
        "year": f.year,
        "description": f.description,
        "owner": f.owner.code,
        "owner_name": f.owner.name,
        "applies_to": f.applies_to,
        "level_1_min": f.level_1_min,
        "level_2_min": f.level_2_min,
        "level_3_min": f.level_3_min,
        "level_4_min": f.level_4_min,
        "max_total": selectors.max_total(f),
        "locked": f.rounds.exists(),
        "criteria": [criterion_out(c, depth, c.pk in leaf_ids) for c, depth in nodes],
        "rounds": [
            {"id": r.pk, "year": r.year, "state": r.state, "state_label": r.get_state_display()}
            for r in f.rounds.all()
        ],
    }


def criterion_out(c: Criterion, depth: int = 0, leaf: bool = False) -> dict:
    return {
        "id": c.pk,
        "parent": c.parent_id,
        "depth": depth,
        "leaf": leaf,
        **{k: getattr(c, k) for k in validation.CRITERION_FIELDS},
    }


def round_out(r: Round, user) -> dict:
    return {
        "id": r.pk,
        "framework": r.framework_id,
        "framework_name": r.framework.name,
        "year": r.year,
        "state": r.state,
        "state_label": r.get_state_display(),
        "deadline": r.deadline,
        "review_at": r.review_at,
        "closed_at": r.closed_at,
        "published_at": r.published_at,
        "decision_number": r.decision_number,
        "annex_url": record_url(r.annex) if r.annex_id else "",
        "units": [{"code": u.code, "name": u.name} for u in selectors.units_for(r.framework)],
        "my_units": [{"code": u.code, "name": u.name} for u in selectors.units_of_user(r, user)],
    }


def entry_out(e) -> dict:
    return {
        "id": e.pk,
        "unit": e.unit.code,
        "criterion": e.criterion.code,
        "value": e.value,
        "note": e.note,
        "status": e.status,
        "evidence_name": e.evidence_name,
        "evidence_sha256": e.evidence_sha256,
        "reviewed_value": e.reviewed_value,
        "review_reason": e.review_reason,
    }


@router.get(
    "/metrics", response=list[EvaluationMetricOut], summary="Các số liệu hệ thống dùng cho chỉ số tự động"
)
def metrics(request):
    _official(request)
    return [{"key": k, "label": label} for k, label in hooks.choices()]


@router.get("/frameworks", response=list[EvaluationFrameworkBrief], summary="Các bộ chỉ số đánh giá")
def list_frameworks(request):
    _official(request)
    return [
        {"id": f.pk, "name": f.name, "year": f.year, "owner": f.owner.code, "owner_name": f.owner.name}
        for f in selectors.visible_frameworks(request.auth)
    ]


@router.post("/frameworks", response={201: EvaluationFrameworkOut}, auth=write_auth, summary="Tạo bộ chỉ số")
def create_framework(request, payload: EvaluationFrameworkCreateIn):
    owner = agency_by_code(payload.owner)
    if owner is None:
        raise NotFound(_("Không tìm thấy cơ quan tổ chức đánh giá."))
    data = payload.dict()
    data.pop("owner")
    return Status(201, framework_out(services.create_framework(request.auth, owner=owner, data=data)))


@router.get(
    "/frameworks/{framework_id}", response=EvaluationFrameworkOut, summary="Một bộ chỉ số và cây tiêu chí"
)
def get_framework(request, framework_id: int):
    return framework_out(selectors.framework_for(request.auth, framework_id))


@router.put(
    "/frameworks/{framework_id}", response=EvaluationFrameworkOut, auth=write_auth, summary="Sửa bộ chỉ số"
)
def update_framework(request, framework_id: int, payload: EvaluationFrameworkIn):
    framework = selectors.framework_for(request.auth, framework_id, "evaluations.manage_framework")
    return framework_out(services.update_framework(request.auth, framework, payload.dict()))


class EvaluationCopyIn(Schema):
    year: int
    name: str = ""


@router.post(
    "/frameworks/{framework_id}/copy",
    response={201: EvaluationFrameworkOut},
    auth=write_auth,
    summary="Sao chép bộ chỉ số sang năm khác",
)
def copy_framework(request, framework_id: int, payload: EvaluationCopyIn):
    framework = selectors.framework_for(request.auth, framework_id, "evaluations.manage_framework")
    copy = services.copy_framework(request.auth, framework, year=payload.year, name=payload.name)
    return Status(201, framework_out(copy))


@router.post(
    "/frameworks/{framework_id}/criteria",
    response={201: EvaluationCriterionOut},
    auth=write_auth,
    summary="Thêm nhóm tiêu chí, chỉ số, chỉ số thành phần",
)
def add_criterion(request, framework_id: int, payload: EvaluationCriterionIn):
    framework = selectors.framework_for(request.auth, framework_id, "evaluations.manage_framework")
    return Status(201, criterion_out(services.add_criterion(request.auth, framework, payload.dict())))


@router.put(
    "/criteria/{criterion_id}",
    response=EvaluationCriterionOut,
    auth=write_auth,
    summary="Sửa tiêu chí, chỉ số",
)
def update_criterion(request, criterion_id: int, payload: EvaluationCriterionIn):
    criterion = selectors.criterion_for(request.auth, criterion_id)
    return criterion_out(services.update_criterion(request.auth, criterion, payload.dict()))


@router.delete(
    "/criteria/{criterion_id}", response={204: None}, auth=write_auth, summary="Xoá tiêu chí, chỉ số"
)
def delete_criterion(request, criterion_id: int):
    services.delete_criterion(request.auth, selectors.criterion_for(request.auth, criterion_id))
    return Status(204, None)


@router.post(
    "/frameworks/{framework_id}/rounds",
    response={201: EvaluationRoundOut},
    auth=write_auth,
    summary="Mở đợt đánh giá năm",
)
def open_round(request, framework_id: int, payload: EvaluationRoundIn):
    framework = selectors.framework_for(request.auth, framework_id)
    round_ = services.open_round(request.auth, framework, year=payload.year, deadline=payload.deadline)
    return Status(201, round_out(round_, request.auth))


@router.get("/rounds/{round_id}", response=EvaluationRoundOut, summary="Một đợt đánh giá")
def get_round(request, round_id: int):
    return round_out(selectors.round_for(request.auth, round_id), request.auth)


@router.post(
    "/rounds/{round_id}/start-review",
    response=EvaluationRoundOut,
    auth=write_auth,
    summary="Chuyển sang thẩm định",
)
def start_review(request, round_id: int):
    round_ = services.start_review(request.auth, selectors.round_for(request.auth, round_id))
    return round_out(round_, request.auth)


@router.post("/rounds/{round_id}/close", response=EvaluationRoundOut, auth=write_auth, summary="Chốt kết quả")
def close_round(request, round_id: int):
    round_ = selectors.round_for(request.auth, round_id)
    services.close_round(request.auth, round_)
    round_.refresh_from_db()
    return round_out(round_, request.auth)


@router.post(
    "/rounds/{round_id}/publish",
    response=EvaluationRoundOut,
    auth=write_auth,
    summary="Công bố xếp hạng (phụ lục quyết định ký số)",
)
def publish_round(request, round_id: int, payload: EvaluationPublishIn):
    round_ = selectors.round_for(request.auth, round_id)
    round_ = services.publish_round(request.auth, round_, decision_number=payload.decision_number)
    return round_out(round_, request.auth)


def sheet_out(round_, unit) -> dict:
    rows, total = selectors.sheet(round_, unit)
    lines = []
    for row in rows:
        c, line = row.criterion, row.line
        item = {
            "criterion": c.pk,
            "code": c.code,
            "name": c.name,
            "depth": row.depth,
            "kind": c.kind,
            "source": c.source,
            "points": row.points,
            "max_points": row.max_points,
        }
        if line is not None:
            e = line.entry
            item.update(
                value=line.value,
                target=c.target,
                lower_is_better=c.lower_is_better,
                met=line.met,
                live=line.live,
            )
            if e is not None:
                item.update(
                    entry=e.pk,
                    status=e.status,
                    self_value=e.value,
                    note=e.note,
                    evidence_name=e.evidence_name,
                    reviewed_value=e.reviewed_value,
                    review_reason=e.review_reason,
                )
        lines.append(item)
    return {
        "round": round_.pk,
        "unit": unit.code,
        "unit_name": unit.name,
        "total": total,
        "level": round_.framework.level_for(total),
        "lines": lines,
    }


@router.get(
    "/rounds/{round_id}/units/{code}", response=EvaluationSheetOut, summary="Bảng điểm của một đơn vị"
)
def unit_sheet(request, round_id: int, code: str):
    round_ = selectors.round_for(request.auth, round_id)
    unit = selectors.unit_in(round_, code)
    if not can(request.auth, "evaluations.view_unit", (round_, unit)):
        raise PermissionDenied(_("Bạn không xem được bảng điểm của đơn vị này."))
    return sheet_out(round_, unit)


@router.post(
    "/rounds/{round_id}/units/{code}/values/{criterion_id}",
    response=EvaluationEntryOut,
    auth=write_auth,
    summary="Đơn vị tự đánh giá một chỉ số (multipart: value, note, evidence)",
)
def submit_value(
    request,
    round_id: int,
    code: str,
    criterion_id: int,
    value: Form[str],
    note: Form[str] = "",
    evidence: File[UploadedFile] = None,
):
    round_ = selectors.round_for(request.auth, round_id)
    unit = selectors.unit_in(round_, code)
    entry = services.submit_value(
        request.auth, round_, unit, criterion_id, value=value, note=note, evidence=evidence
    )
    return entry_out(entry)


@router.post(
    "/entries/{entry_id}/review",
    response=EvaluationEntryOut,
    auth=write_auth,
    summary="Thẩm định: chấp nhận, hoặc điều chỉnh có lý do",
)
def review(request, entry_id: int, payload: EvaluationReviewIn):
    entry = selectors.entry_for(request.auth, entry_id)
    entry = services.review_value(
        request.auth, entry, action=payload.action, value=payload.value, reason=payload.reason
    )
    return entry_out(entry)


@router.get("/entries/{entry_id}/evidence", summary="Tải tệp minh chứng của một giá trị tự đánh giá")
def evidence(request, entry_id: int):
    entry = selectors.entry_for(request.auth, entry_id)
    if not entry.evidence:
        raise NotFound(_("Giá trị này không có tệp minh chứng."))
    return FileResponse(
        entry.evidence.open("rb"), as_attachment=True, filename=entry.evidence_name or "minh-chung"
    )


@router.get(
    "/rounds/{round_id}/ranking", response=list[EvaluationRankOut], summary="Tổng điểm, mức và xếp hạng"
)
def ranking(request, round_id: int):
    round_ = selectors.round_for(request.auth, round_id, "evaluations.view_results")
    return [
        {
            "rank": r.rank,
            "unit": r.unit.code,
            "unit_name": r.unit.name,
            "total": r.total,
            "level": r.level,
            "level_label": str(Level(r.level).label) if r.level else _("Chưa xếp mức"),
            "met": r.met,
            "unmet": r.unmet,
        }
        for r in selectors.results(round_)
    ]


@router.get(
    "/rounds/{round_id}/met",
    response=EvaluationMetOut,
    summary="Bảng đạt / chưa đạt và các chỉ số chưa đạt hai năm liền",
)
def met(request, round_id: int):
    round_ = selectors.round_for(request.auth, round_id, "evaluations.view_results")
    leaves, rows = selectors.met_table(round_)
    before, unmet = selectors.still_unmet(round_)
    return {
        "criteria": [c.code for c in leaves],
        "rows": [{"unit": u.code, "unit_name": u.name, "marks": marks} for u, marks in rows],
        "previous_year": before.year if before else None,
        "still_unmet": [
            {"unit": u.code, "unit_name": u.name, "criteria": [c.code for c in cs]} for u, cs in unmet
        ],
    }


@router.get("/rounds/{round_id}/ranking.xlsx", summary="Xếp hạng và bảng đạt / chưa đạt (Excel)")
def ranking_xlsx(request, round_id: int):
    round_ = selectors.round_for(request.auth, round_id, "evaluations.view_results")
    return exports.xlsx_response(round_)
