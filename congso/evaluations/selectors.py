"""Reads of evaluations: the units a framework applies to, a unit's sheet, the results, the table
"đạt / chưa đạt" and the year-over-year comparison (ADR 0150).

While a round is open, a metric leaf's value is computed live from its source; once the round is
closed the frozen ``Entry`` rows and the ``Result`` rows written at close are read instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import NotFound
from congso.core.permissions import can, require
from congso.directory.models import Agency
from congso.directory.selectors import normalise_agency_code

from . import hooks
from .models import Criterion, Entry, Framework, Result, Round, UnitGroup

ZERO = Decimal(0)


def units_for(framework: Framework):
    """The agencies a framework evaluates: departments and/or communes' People's Committees below its owner."""
    wanted = Q(pk__in=[])
    if UnitGroup.DEPARTMENT in framework.applies_to:
        wanted |= Q(kind=Agency.Kind.DEPARTMENT)
    if UnitGroup.COMMUNE in framework.applies_to:
        wanted |= Q(kind=Agency.Kind.PEOPLES_COMMITTEE, unit__level=3)
    return (
        Agency.objects.filter(path__startswith=framework.owner.path, is_active=True)
        .exclude(pk=framework.owner_id)
        .filter(wanted)
        .select_related("unit")
        .order_by("name")
    )


def is_unit_of(framework: Framework, agency: Agency) -> bool:
    return units_for(framework).filter(pk=agency.pk).exists()


def tree(framework: Framework) -> list[tuple[Criterion, int]]:
    """Every node in display order with its depth (0 for a top group)."""
    nodes = list(framework.criteria.all().order_by("position", "code", "id"))
    children: dict = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    out: list[tuple[Criterion, int]] = []

    def walk(parent_id, depth):
        for node in children.get(parent_id, []):
            out.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return out


def leaves(framework: Framework) -> list[Criterion]:
    """The nodes that carry a value: indicators and sub-indicators without children."""
    parents = set(framework.criteria.exclude(parent=None).values_list("parent_id", flat=True))
    return [n for n, _depth in tree(framework) if n.kind != Criterion.Kind.GROUP and n.pk not in parents]


def max_total(framework: Framework) -> Decimal:
    return sum((c.weighted_max for c in leaves(framework)), ZERO)


def period(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year, in local time, as [start, end)."""
    tz = timezone.get_current_timezone()
    return (dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz))


def metric_value(criterion: Criterion, unit: Agency, year: int) -> Decimal | None:
    source = hooks.source(criterion.metric_key)
    if source is None:
        return None
    start, end = period(year)
    value = source.value("agency", unit.code, start, end)
    return None if value is None else Decimal(value).quantize(Decimal("0.001"))


@dataclass
class Line:
    """One leaf's value for one unit: the entry (if any), the value that counts, its points and đạt."""

    criterion: Criterion
    entry: Entry | None = None
    value: Decimal | None = None
    live: bool = False  # a metric computed now (the round is not closed yet)

    @property
    def points(self) -> Decimal:
        return (self.criterion.points_for(self.value) * self.criterion.weight).quantize(Decimal("0.001"))

    @property
    def met(self) -> bool | None:
        return self.criterion.met(self.value)

    @property
    def pending(self) -> bool:
        return self.entry is not None and self.entry.status == Entry.Status.SUBMITTED


def lines(round_: Round, unit: Agency, *, leaf_list=None, entries=None) -> dict[int, Line]:
    """Every leaf's line for ``unit`` (criterion id → Line)."""
    leaf_list = leaf_list if leaf_list is not None else leaves(round_.framework)
    if entries is None:
        entries = {e.criterion_id: e for e in Entry.objects.filter(round=round_, unit=unit)}
    out = {}
    for leaf in leaf_list:
        entry = entries.get(leaf.pk)
        line = Line(leaf, entry)
        if leaf.source == Criterion.Source.METRIC and not round_.frozen:
            line.value, line.live = metric_value(leaf, unit, round_.year), True
        elif entry is not None:
            line.value = entry.final_value
        out[leaf.pk] = line
    return out


@dataclass
class SheetRow:
    criterion: Criterion
    depth: int
    line: Line | None  # None for a group or a parent indicator
    points: Decimal = ZERO
    max_points: Decimal = ZERO


def sheet(round_: Round, unit: Agency) -> tuple[list[SheetRow], Decimal]:
    """The unit's sheet: every node in tree order with its points (groups sum their children) and the
    total."""
    nodes = tree(round_.framework)
    leaf_lines = lines(round_, unit, leaf_list=leaves(round_.framework))
    rows = [SheetRow(n, depth, leaf_lines.get(n.pk)) for n, depth in nodes]
    by_id = {r.criterion.pk: r for r in rows}
    for row in reversed(rows):  # children come after their parent: sum bottom-up
        if row.line is not None:
            row.points, row.max_points = row.line.points, row.criterion.weighted_max
        parent = by_id.get(row.criterion.parent_id)
        if parent is not None:
            parent.points += row.points
            parent.max_points += row.max_points
    total = sum((r.line.points for r in rows if r.line is not None), ZERO)
    return rows, total


@dataclass
class Ranked:
    unit: Agency
    total: Decimal
    level: str
    rank: int
    met: int = 0
    unmet: int = 0
    unmet_codes: list[str] = field(default_factory=list)


def compute_results(round_: Round) -> list[Ranked]:
    """Totals, levels and ranks of every unit (competition ranking: 1, 2, 2, 4), from the values now."""
    framework = round_.framework
    leaf_list = leaves(framework)
    all_entries: dict = {}
    for e in Entry.objects.filter(round=round_):
        all_entries.setdefault(e.unit_id, {})[e.criterion_id] = e
    scored = []
    for unit in units_for(framework):
        unit_lines = lines(round_, unit, leaf_list=leaf_list, entries=all_entries.get(unit.pk, {}))
        total = sum((ln.points for ln in unit_lines.values()), ZERO)
        unmet = [ln.criterion.code for ln in unit_lines.values() if ln.met is False]
        met = sum(1 for ln in unit_lines.values() if ln.met is True)
        scored.append(Ranked(unit, total, framework.level_for(total), 0, met, len(unmet), unmet))
    return rank(scored)


def rank(scored: list[Ranked]) -> list[Ranked]:
    scored.sort(key=lambda r: (-r.total, r.unit.name))
    for i, r in enumerate(scored):
        r.rank = scored[i - 1].rank if i and r.total == scored[i - 1].total else i + 1
    return scored


def results(round_: Round) -> list[Ranked]:
    """The ranking: the stored results of a closed round, or computed now for one in progress."""
    if not round_.frozen:
        return compute_results(round_)
    stored = Result.objects.filter(round=round_).select_related("unit").order_by("rank", "unit__name")
    return [Ranked(r.unit, r.total, r.level, r.rank, r.met, r.unmet) for r in stored]


def met_table(round_: Round) -> tuple[list[Criterion], list[tuple[Agency, list[bool | None]]]]:
    """The table "đạt / chưa đạt": the leaves that have a target, and for each unit whether it met each."""
    leaf_list = [c for c in leaves(round_.framework) if c.target is not None]
    all_entries: dict = {}
    for e in Entry.objects.filter(round=round_, criterion__in=leaf_list):
        all_entries.setdefault(e.unit_id, {})[e.criterion_id] = e
    rows = []
    for unit in units_for(round_.framework):
        unit_lines = lines(round_, unit, leaf_list=leaf_list, entries=all_entries.get(unit.pk, {}))
        rows.append((unit, [unit_lines[c.pk].met for c in leaf_list]))
    return leaf_list, rows


def previous_round(round_: Round) -> Round | None:
    return (
        Round.objects.filter(framework=round_.framework, year__lt=round_.year)
        .filter(state__in=[Round.State.CLOSED, Round.State.PUBLISHED])
        .order_by("-year")
        .first()
    )


def still_unmet(round_: Round) -> tuple[Round | None, list[tuple[Agency, list[Criterion]]]]:
    """The indicators each unit left unmet in the previous closed round and still leaves unmet now."""
    before = previous_round(round_)
    if before is None:
        return None, []
    leaf_list = [c for c in leaves(round_.framework) if c.target is not None]
    out = []
    for unit in units_for(round_.framework):
        then = lines(before, unit, leaf_list=leaf_list)
        now = lines(round_, unit, leaf_list=leaf_list)
        both = [c for c in leaf_list if then[c.pk].met is False and now[c.pk].met is False]
        if both:
            out.append((unit, both))
    return before, out


def units_of_user(round_: Round, user) -> list[Agency]:
    """The units of this round the user may self-assess (their leaders and administrators)."""
    return [u for u in units_for(round_.framework) if can(user, "evaluations.self_assess", u)]


# --- look-ups for pages and the API (404 when missing, 403 when not allowed) -------------------


def framework_for(user, pk, action: str = "evaluations.view_framework") -> Framework:
    framework = Framework.objects.select_related("owner").filter(pk=pk).first() if str(pk).isdigit() else None
    if framework is None:
        raise NotFound(_("Không tìm thấy bộ chỉ số."))
    require(user, action, framework)
    return framework


def criterion_for(user, pk) -> Criterion:
    criterion = (
        Criterion.objects.select_related("framework", "framework__owner").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if criterion is None:
        raise NotFound(_("Không tìm thấy tiêu chí, chỉ số."))
    require(user, "evaluations.manage_framework", criterion.framework)
    return criterion


def round_for(user, pk, action: str = "evaluations.view_round") -> Round:
    round_ = (
        Round.objects.select_related("framework", "framework__owner", "annex").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if round_ is None:
        raise NotFound(_("Không tìm thấy đợt đánh giá."))
    require(user, action, round_)
    return round_


def unit_in(round_: Round, code: str) -> Agency:
    unit = units_for(round_.framework).filter(code=normalise_agency_code(code)).first()
    if unit is None:
        raise NotFound(_("Đơn vị không thuộc đối tượng của đợt đánh giá này."))
    return unit


def entry_for(user, pk) -> Entry:
    entry = (
        Entry.objects.select_related(
            "round", "round__framework", "round__framework__owner", "unit", "criterion"
        )
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if entry is None or not can(user, "evaluations.view_unit", (entry.round, entry.unit)):
        raise NotFound(_("Không tìm thấy giá trị tự đánh giá."))
    return entry


def visible_frameworks(user):
    return [
        f for f in Framework.objects.select_related("owner") if can(user, "evaluations.view_framework", f)
    ]
