"""The service index and indicators under /api/v1/scorecards: every figure of the pages (public: no
personal data), and the drill-down to the dossiers behind lost points (signed in, in scope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from congso.core.api_auth import read_auth
from congso.core.errors import NotFound

from . import dashboard, index766, metrics, selectors, units
from .index766 import IndexScore

router = Router(tags=["Chỉ số phục vụ (766)"], auth=read_auth)


class ScorecardPeriodQuery(Schema):
    period: str = "year"
    at: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class ScorecardPageQuery(ScorecardPeriodQuery):
    page: int = 1


class ScorecardIndicatorOut(Schema):
    key: str
    name: str
    formula: str
    numerator: str
    denominator: str
    unit_kinds: list[str]


class ScorecardFigureOut(Schema):
    key: str
    name: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    computable: bool


class ScorecardItemOut(Schema):
    group: str
    code: str
    name: str
    max_points: Decimal
    target: Decimal | None
    indicator: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    points: Decimal | None
    lost: Decimal | None
    counted: bool
    formula: str
    note: str


class ScorecardUnitOut(Schema):
    kind: str
    code: str
    name: str
    start: dt.date
    end: dt.date
    total: Decimal
    counted_max: Decimal
    max_points: Decimal
    score: Decimal | None
    items: list[ScorecardItemOut]


class ScorecardRankOut(Schema):
    rank: int | None
    kind: str
    code: str
    name: str
    score: Decimal | None
    total: Decimal
    counted_max: Decimal


class ScorecardBoardOut(Schema):
    province: ScorecardUnitOut
    ranking: list[ScorecardRankOut]


class ScorecardLostDossierOut(Schema):
    code: str
    applicant: str
    procedure: str
    submitted_at: dt.datetime
    legal_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    status: int
    is_late: bool


class ScorecardLostProcedureOut(Schema):
    code: str
    name: str
    count: int


class ScorecardDrillOut(Schema):
    indicator: str
    label: str
    total: int
    page: int
    pages: int
    dossiers: list[ScorecardLostDossierOut]
    procedures: list[ScorecardLostProcedureOut]


class ScorecardMonthOut(Schema):
    month: str
    index_total: Decimal
    index_score: Decimal | None
    figures: list[ScorecardFigureOut]


def _period(q: ScorecardPeriodQuery):
    return units.period(q.period, at=q.at, start=q.start, end=q.end)


def unit_out(s: IndexScore) -> dict:
    return {
        "kind": s.unit.kind,
        "code": s.unit.code,
        "name": s.unit.name,
        "start": s.period.start,
        "end": s.period.end,
        "total": s.total,
        "counted_max": s.counted_max,
        "max_points": s.max_points,
        "score": s.score,
        "items": [
            {
                "group": i.item.group.code,
                "code": i.item.code,
                "name": i.item.name,
                "max_points": i.item.max_points,
                "target": i.item.target,
                "indicator": i.item.indicator,
                "value": i.value,
                "numerator": i.figure.numerator if i.figure else None,
                "denominator": i.figure.denominator if i.figure else None,
                "points": i.points,
                "lost": i.lost,
                "counted": i.counted,
                "formula": str(i.figure.indicator.formula) if i.figure else "",
                "note": str(i.note),
            }
            for i in s.items
        ],
    }


def figure_out(fig) -> dict:
    return {
        "key": fig.indicator.key,
        "name": str(fig.indicator.name),
        "numerator": fig.numerator,
        "denominator": fig.denominator,
        "value": fig.value,
        "computable": fig.computable,
    }


@router.get("/indicators", response=list[ScorecardIndicatorOut], auth=None, summary="Các chỉ số được tính")
def list_indicators(request):
    return [
        {
            "key": i.key,
            "name": str(i.name),
            "formula": str(i.formula),
            "numerator": str(i.numerator),
            "denominator": str(i.denominator),
            "unit_kinds": list(i.unit_kinds),
        }
        for i in metrics.all_indicators()
    ]


@router.get("/index", response=ScorecardBoardOut, auth=None, summary="Chỉ số 766 của tỉnh và xếp hạng đơn vị")
def board(request, q: Query[ScorecardPeriodQuery]):
    province = units.default_province()
    if province is None:
        raise NotFound("Chưa có tỉnh nào trên hệ thống.")
    whole, ranking = selectors.province_board(province, _period(q))
    return {
        "province": unit_out(whole),
        "ranking": [
            {
                "rank": r.rank or None,
                "kind": r.kind,
                "code": r.score.unit.code,
                "name": r.score.unit.name,
                "score": r.score.score,
                "total": r.score.total,
                "counted_max": r.score.counted_max,
            }
            for r in ranking
        ],
    }


@router.get(
    "/open-data/monthly", response=list[ScorecardMonthOut], auth=None, summary="Chỉ số theo tháng của tỉnh"
)
def open_data(request):
    province = units.default_province()
    if province is None:
        raise NotFound("Chưa có tỉnh nào trên hệ thống.")
    series = selectors.monthly_series(units.resolve("province", province.code), 12)
    return [
        {
            "month": m["month"],
            "index_total": m["index_total"],
            "index_score": m["index_score"],
            "figures": [figure_out(m[i.key]) for i in metrics.all_indicators()],
        }
        for m in series
    ]


@router.get("/units/{kind}/{code}", response=ScorecardUnitOut, auth=None, summary="Chỉ số 766 của một đơn vị")
def unit_index(request, kind: str, code: str, q: Query[ScorecardPeriodQuery]):
    unit = units.resolve(kind, code)
    return unit_out(index766.score(unit, _period(q)))


@router.get(
    "/units/{kind}/{code}/indicators/{key}",
    response=ScorecardFigureOut,
    auth=None,
    summary="Một chỉ số của một đơn vị trong kỳ",
)
def unit_indicator(request, kind: str, code: str, key: str, q: Query[ScorecardPeriodQuery]):
    indicator = metrics.get(key)
    if indicator is None:
        raise NotFound("Không có chỉ số này.")
    return figure_out(metrics.figure(indicator, units.resolve(kind, code), _period(q)))


@router.get(
    "/units/{kind}/{code}/drilldown/{key}",
    response=ScorecardDrillOut,
    summary="Hồ sơ, thủ tục làm mất điểm của một chỉ số (trong phạm vi của người xem)",
)
def drilldown(request, kind: str, code: str, key: str, q: Query[ScorecardPageQuery]):
    unit = units.resolve(kind, code)
    drill = selectors.drilldown(request.auth, unit, _period(q), key, page=q.page)
    return {
        "indicator": key,
        "label": drill.label,
        "total": drill.total,
        "page": drill.page,
        "pages": drill.pages,
        "dossiers": [
            {
                "code": d.code,
                "applicant": d.applicant_name,
                "procedure": d.procedure_version.procedure.code,
                "submitted_at": d.submitted_at,
                "legal_due_at": d.legal_due_at,
                "finished_at": d.finished_at,
                "status": d.status,
                "is_late": d.is_late,
            }
            for d in drill.dossiers
        ],
        "procedures": drill.procedures,
    }


# The operations-centre dashboard (ADR 0162) ------------------------------------------------------


class ScorecardDashboardQuery(ScorecardPeriodQuery):
    period: str = "month"
    agency: str = ""


class ScorecardDashboardPartOut(Schema):
    label: str
    count: int


class ScorecardDashboardTileOut(Schema):
    key: str
    label: str
    value: str
    number: Decimal | None
    detail: str
    url: str
    link: str = ""
    parts: list[ScorecardDashboardPartOut]


class ScorecardDashboardPointOut(Schema):
    month: str
    value: Decimal | None


class ScorecardDashboardTrendOut(Schema):
    key: str
    name: str
    points: list[ScorecardDashboardPointOut]


class ScorecardDashboardUnitOut(Schema):
    kind: str
    code: str
    name: str
    score: Decimal | None
    on_time: Decimal | None
    online_filing: Decimal | None
    agency: str


class ScorecardDashboardOut(Schema):
    unit: str
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    tiles: list[ScorecardDashboardTileOut]
    trends: list[ScorecardDashboardTrendOut]
    comparison: list[ScorecardDashboardUnitOut]


@router.get(
    "/dashboard",
    response=ScorecardDashboardOut,
    summary="Trang điều hành: số liệu chính, xu hướng 12 tháng, so sánh đơn vị (trong phạm vi người xem)",
)
def dashboard_figures(request, q: Query[ScorecardDashboardQuery]):
    board = dashboard.board_for(request.auth, period=_period(q), agency_code=q.agency.strip())
    return {
        "unit": board.unit.name,
        "start": board.period.start,
        "end": board.period.end,
        "generated_at": board.now,
        "tiles": [
            {
                "key": tile.key,
                "label": str(tile.label),
                "value": v.value,
                "number": v.number,
                "detail": v.detail,
                "url": v.url,
                "link": v.link,
                "parts": [{"label": str(label), "count": n} for label, n in v.parts],
            }
            for tile, v in dashboard.tile_values(board)
        ],
        "trends": [
            {
                "key": t.key,
                "name": t.name,
                "points": [{"month": m, "value": value} for m, value in t.points],
            }
            for t in dashboard.trends(board)
        ],
        "comparison": [
            {
                "kind": r.kind,
                "code": r.code,
                "name": r.name,
                "score": r.score,
                "on_time": r.on_time,
                "online_filing": r.online,
                "agency": r.agency,
            }
            for r in dashboard.comparison(board)
        ],
    }
