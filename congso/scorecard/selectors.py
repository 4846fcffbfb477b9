"""Reads of the scorecard that pages, the API and other apps share.

The evaluations app (evaluation frameworks) reads platform metrics through ``indicator_value`` and
``indicators`` only; keep their signatures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from congso.core import audit, memo
from congso.core.errors import NotFound
from congso.core.permissions import require
from congso.directory.models import AdministrativeUnit, Agency
from congso.directory.scope import agencies_for
from congso.dossiers.models import Dossier
from congso.dossiers.selectors import masked

from . import index766, metrics, units
from .indicators import Period
from .models import DossierFact
from .permissions import VIEW_ROLES

DRILLDOWN_PAGE = 50


def indicator_value(key: str, unit_kind: str, unit_code: str, start: dt.date, end: dt.date) -> Decimal | None:
    """The indicator ``key`` for a unit over [start, end] (days, both included), in per cent; None when it
    cannot be computed (unknown indicator or unit, not for that kind of unit, nothing to count)."""
    indicator = metrics.get(key)
    if indicator is None:
        return None
    try:
        unit = units.resolve(unit_kind, unit_code)
    except NotFound:
        return None
    return metrics.figure(indicator, unit, Period(start, end, "custom", "")).value


def indicators() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every registered indicator: (key, Vietnamese name, unit kinds)."""
    return [(i.key, str(i.name), i.unit_kinds) for i in metrics.all_indicators()]


# The province's ranking ------------------------------------------------------------------------


@dataclass
class Ranked:
    rank: int
    kind: str  # agency | commune
    score: index766.IndexScore


def ranked_units(province: AdministrativeUnit) -> list[units.Unit]:
    """The units a province ranks: its departments (with their sub-trees) and its communes and wards."""
    agencies = list(
        units.province_agencies(province)
        .select_related("unit")
        .only("pk", "code", "name", "path", "kind", "unit")
    )
    out = []
    for a in agencies:
        if a.unit_id == province.pk and a.kind == Agency.Kind.DEPARTMENT:
            ids = frozenset(b.pk for b in agencies if b.path.startswith(a.path))
            out.append(
                units.Unit("agency", a.code, a.name, agency_ids=ids, root=a, province_code=province.code)
            )
    communes: dict[int, list[Agency]] = {}
    for a in agencies:
        if a.unit.kind in units.COMMUNE_KINDS:
            communes.setdefault(a.unit_id, []).append(a)
    for members in communes.values():
        unit = members[0].unit
        root = next((a for a in members if a.kind == Agency.Kind.PEOPLES_COMMITTEE), None)
        out.append(
            units.Unit(
                "commune",
                unit.code,
                unit.name,
                agency_ids=frozenset(a.pk for a in members),
                root=root,
                province_code=province.code,
            )
        )
    return out


def province_board(province: AdministrativeUnit, period: Period) -> tuple[index766.IndexScore, list[Ranked]]:
    """The province's index and the ranking of its departments and communes, best first (units with no
    counted item last), from one grouped query over the daily facts (indicators computed by a higher
    app read their figures once per unit: a read-only ``memo.scope``)."""
    with memo.scope():
        return _province_board(province, period)


def _province_board(province: AdministrativeUnit, period: Period) -> tuple[index766.IndexScore, list[Ranked]]:
    ranked = ranked_units(province)
    province_unit = units.resolve("province", province.code)
    per_agency = metrics.sums_by_agency_procedure(province_unit.agency_ids, period)
    items = index766.load_items()
    whole = index766.score(
        province_unit, period, items=items, sums=metrics.merge(per_agency[a] for a in per_agency)
    )
    scores = [
        index766.score(
            u, period, items=items, sums=metrics.merge(per_agency[a] for a in u.agency_ids if a in per_agency)
        )
        for u in ranked
    ]
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0), s.unit.name))
    rows = []
    for i, s in enumerate(scores, start=1):
        rows.append(Ranked(i if s.score is not None else 0, s.unit.kind, s))
    return whole, rows


def monthly_series(
    unit: units.Unit, months: int = 12, today: dt.date | None = None, keys: tuple[str, ...] | None = None
) -> list[dict]:
    """Each of the last ``months`` months: every one-stop indicator's numerator, denominator and value
    (or only those of ``keys``), and the 766 total — the open data series and the trends. The months'
    sums come from one query, and indicators computed by a higher app read their figures once a month
    (a read-only ``memo.scope``)."""
    with memo.scope():
        items = index766.load_items()
        periods = units.months_back(months, today)
        by_month = metrics.sums_by_month_procedure(unit, periods[0].start, periods[-1].start)
        indicators = [i for i in metrics.all_indicators() if keys is None or i.key in keys]
        rows = []
        for p in periods:
            sums = by_month.get(p.start, {})
            s = index766.score(unit, p, items=items, sums=sums)
            row = {"month": f"{p.start:%Y-%m}", "index_total": s.total, "index_score": s.score}
            for indicator in indicators:
                row[indicator.key] = metrics.figure(indicator, unit, p, sums)
            rows.append(row)
        return rows


# Drill-down -------------------------------------------------------------------------------------


def _scoped(user, unit: units.Unit) -> Q:
    """Which dossiers of the unit the viewer may list: the whole unit when they hold a viewing role over
    its root agency; for a procedure or a field, those of the agencies where they hold one."""
    if unit.root is not None:
        require(user, "scorecard.drill_down", unit.root)
        return Q()
    agencies = agencies_for(user, VIEW_ROLES).values_list("pk", flat=True)
    require(user, "scorecard.drill_down_any", None)
    return Q(agency_id__in=agencies)


@dataclass
class Drill:
    unit: units.Unit
    period: Period
    indicator: object
    label: str
    dossiers: list
    procedures: list
    total: int
    page: int
    pages: int


def _in_period(d, period: Period) -> Q:
    return Q(**{f"{d.day_field}__gte": period.start, f"{d.day_field}__lte": period.end})


def lost_facts(unit: units.Unit, period: Period, d, scope: Q | None = None):
    """The ``DossierFact`` rows of the unit's dossiers that lost the points of a drill-down ``d`` in the
    period: counted in its base, not in its hit (``scope``: a narrower filter of the viewer's)."""
    return DossierFact.objects.filter(
        unit.fact_filter(), _in_period(d, period), scope or Q(), d.base
    ).exclude(d.hit)


def lost_count(indicator, unit: units.Unit, period: Period, facts) -> int:
    """How many rows ``lost_facts`` holds for the whole unit: the indicator's denominator minus its
    numerator, from the kept sums (a year of a province reads its months, not millions of facts); the
    property test checks both counts agree for every indicator with a dossier drill-down. Counted from
    the facts when the indicator is not a ratio of the sums."""
    if indicator.facts is not None and unit.kind in indicator.unit_kinds:
        fig = metrics.figure(indicator, unit, period)
        return (fig.denominator or 0) - (fig.numerator or 0)
    return facts.count()


def drilldown(user, unit: units.Unit, period: Period, key: str, page: int = 1) -> Drill:
    """The dossiers (or procedures) that lost the points of indicator ``key``; 403 outside the viewer's
    scope. The dossiers are masked (initials, no identity numbers) and the read is audited."""
    indicator = metrics.get(key)
    if indicator is None or indicator.drilldown is None:
        raise NotFound(_("Không có danh sách chi tiết cho chỉ số này."))
    scope = _scoped(user, unit)
    d = indicator.drilldown
    if d.procedures:
        facts = DossierFact.objects.filter(unit.fact_filter(), _in_period(d, period), scope)
        procedures = _lost_procedures(facts, d)
        audit.record("scorecard.drilldown", obj=None, actor=user, data={"unit": unit.code, "indicator": key})
        return Drill(unit, period, indicator, str(d.label), [], procedures, len(procedures), 1, 1)
    lost = lost_facts(unit, period, d, scope)
    # The viewer sees the whole unit (scope empty): its count is the sums'; else count what they see.
    total = lost_count(indicator, unit, period, lost) if scope == Q() else lost.count()
    pages = max(1, -(-total // DRILLDOWN_PAGE))
    page = min(max(1, page), pages)
    ids = list(
        lost.order_by("dossier_id").values_list("dossier_id", flat=True)[
            (page - 1) * DRILLDOWN_PAGE : page * DRILLDOWN_PAGE
        ]
    )
    dossiers = [
        masked(x)
        for x in Dossier.objects.filter(pk__in=ids)
        .select_related("procedure_version__procedure", "receiving_agency")
        .order_by("pk")
    ]
    audit.record(
        "scorecard.drilldown",
        obj=None,
        actor=user,
        data={
            "unit": unit.code,
            "indicator": key,
            "from": str(period.start),
            "to": str(period.end),
            "page": page,
        },
    )
    return Drill(unit, period, indicator, str(d.label), dossiers, [], total, page, pages)


def _lost_procedures(facts, d) -> list[dict]:
    rows = (
        facts.order_by()
        .values("procedure_id", "procedure__code", "procedure__name")
        .annotate(
            base=Count("pk", filter=Q(**{d.procedure_base: True})),
            hit=Count("pk", filter=Q(**{d.procedure_hit: True})),
        )
        .filter(base__gt=0, hit=0)
        .order_by("procedure__code")
    )
    return [{"code": r["procedure__code"], "name": r["procedure__name"], "count": r["base"]} for r in rows]
