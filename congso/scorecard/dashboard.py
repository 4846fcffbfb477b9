"""The operations-centre dashboard ``/dieu-hanh/`` (ADR 0162): tiles, trends and a comparison of units,
scoped to the viewer's agencies, from the scorecard's own facts and indicators (no second computation).

Tiles are data: a ``Tile`` registered in ``hooks.tiles`` (key -> Tile). The scorecard registers its own
in ``apps.ready`` (``register``); higher apps (feedback, documents, integration) add theirs the same way.
A tile's ``compute(board)`` answers a ``TileValue`` or None (nothing to show for that viewer).

Who: an operations-centre viewer or a leader (``VIEWER_ROLES``), over the agencies where they hold that
role (``directory.scope.agencies_for``, sub-trees included). Anyone else gets 403; so does a viewer who
asks for a unit outside their scope. The dossier lists behind the tiles are masked
(``dossiers.selectors.masked``) unless the viewer handles that dossier (``sees_personal_data``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.calendar import engine as calendar
from congso.core import audit, memo
from congso.core.errors import Forbidden, NotFound
from congso.directory.models import Agency
from congso.directory.scope import agencies_for, has_role
from congso.dossiers import selectors as dossier_selectors
from congso.dossiers.models import Channel, Dossier

from . import index766, metrics, selectors, units
from .hooks import tiles as tile_registry
from .indicators import Period
from .models import DossierFact
from .permissions import DASHBOARD_ROLES

VIEWER_ROLES = DASHBOARD_ROLES
DUE_SOON_WORKING_DAYS = 2
TREND_KEYS = ("on_time", "online_filing", "online_payment", "satisfaction")
LIST_PAGE = 50


@dataclass(frozen=True)
class TileValue:
    """What a tile shows: its main figure (text), the number behind it, a line of detail, and the
    list of dossiers behind it (a URL) when there is one."""

    value: str
    number: Decimal | int | None = None
    detail: str = ""
    url: str = ""
    parts: tuple[tuple[str, int], ...] = ()  # a breakdown (label, count), e.g. by channel
    link: str = ""  # the link's text when the list is not a list of dossiers (another app's page)


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    order: int
    compute: Callable[[Board], TileValue | None]


@dataclass
class Board:
    """One viewer's dashboard: the unit (their scope, or one agency in it), the period and the moment."""

    user: object
    unit: units.Unit
    period: Period
    now: dt.datetime
    query: str = ""
    scope_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now).date()

    @cached_property
    def sums(self):
        return metrics.sums_by_procedure(self.unit, self.period)

    @cached_property
    def index(self) -> index766.IndexScore:
        return index766.score(self.unit, self.period, sums=self.sums)

    def figure(self, key: str) -> metrics.Figure | None:
        indicator = metrics.get(key)
        return metrics.figure(indicator, self.unit, self.period, self.sums) if indicator else None

    def list_url(self, key: str) -> str:
        url = reverse("scorecard:dashboard_list", args=[key])
        return f"{url}?{self.query}" if self.query else url


# Scope -------------------------------------------------------------------------------------------


def scope_ids(user) -> frozenset[int]:
    return frozenset(agencies_for(user, VIEWER_ROLES).values_list("pk", flat=True))


def board_for(user, *, period: Period, agency_code: str = "", now=None, query: str = "") -> Board:
    """The viewer's board; Forbidden (403) for anyone but an operations-centre viewer or a leader, or for
    an agency outside their scope; NotFound for an unknown agency."""
    ids = scope_ids(user)
    if not ids:
        raise Forbidden(_("Trang điều hành dành cho Trung tâm điều hành và lãnh đạo đơn vị."))
    if agency_code:
        unit = units.resolve("agency", agency_code)
        if not has_role(user, VIEWER_ROLES, unit.root):
            raise Forbidden(_("Cơ quan này ngoài phạm vi bạn được xem."))
        unit = units.Unit(
            "agency",
            unit.code,
            unit.name,
            agency_ids=unit.agency_ids & ids,
            root=unit.root,
            province_code=unit.province_code,
        )
    else:
        roots = list(
            Agency.objects.filter(pk__in=ids)
            .exclude(parent_id__in=ids)
            .order_by("path")
            .values("code", "name")
        )
        name = roots[0]["name"] if len(roots) == 1 else _("Các đơn vị trong phạm vi của bạn")
        code = roots[0]["code"] if len(roots) == 1 else ""
        unit = units.Unit("agency", code, name, agency_ids=ids)
    return Board(user, unit, period, now or timezone.now(), query=query, scope_ids=ids)


# Tiles -------------------------------------------------------------------------------------------


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{number_format(value, 2)}%"


def _indicator_tile(key: str, list_key: str):
    def compute(board: Board) -> TileValue | None:
        fig = board.figure(key)
        if fig is None:
            return None
        if not fig.computable or not fig.denominator:
            detail = _("Không có %(what)s trong kỳ.") % {"what": fig.indicator.denominator}
        else:
            detail = f"{fig.numerator}/{fig.denominator} {fig.indicator.denominator}"
        return TileValue(percent(fig.value), fig.value, detail, board.list_url(list_key))

    return compute


def received_today_by_channel(board: Board) -> dict[int, int]:
    """{channel: dossiers received today} in the board's unit: one grouped read of the dossiers
    received since today's midnight (index on receiving agency and submission time)."""
    start = dt.datetime.combine(board.today, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        _in_unit(board)
        .filter(submitted_at__gte=start, submitted_at__lt=start + dt.timedelta(days=1))
        .order_by()
        .values("channel")
        .annotate(n=Count("pk"))
    )
    return {r["channel"]: r["n"] for r in rows}


def _today(board: Board) -> TileValue:
    """Today's receipts by channel: in person (counter), online, by public post."""
    by_channel = received_today_by_channel(board)
    received = sum(by_channel.values())
    return TileValue(
        str(received),
        received,
        _("Tiếp nhận hôm nay %(d)s") % {"d": f"{board.today:%d/%m/%Y}"},
        board.list_url("today"),
        parts=tuple((str(c.label), by_channel.get(c.value, 0)) for c in Channel),
    )


def _overdue(board: Board) -> TileValue:
    n = overdue_dossiers(board).count()
    return TileValue(str(n), n, _("Hồ sơ đang xử lý đã quá hạn"), board.list_url("overdue"))


def _due_soon(board: Board) -> TileValue:
    n = due_soon_dossiers(board).count()
    return TileValue(
        str(n),
        n,
        _("Hồ sơ đến hạn trong %(n)s ngày làm việc") % {"n": DUE_SOON_WORKING_DAYS},
        board.list_url("due_soon"),
    )


def _index(board: Board) -> TileValue:
    s = board.index
    if s.score is None:
        return TileValue("—", None, _("Chưa có tiêu chí nào tính được trong kỳ."))
    detail = _("%(total)s/%(max)s điểm các tiêu chí tính được") % {
        "total": number_format(s.total, 3),
        "max": number_format(s.counted_max, 0),
    }
    return TileValue(number_format(s.score, 3), s.score, detail)


BUILT_IN = (
    Tile("today", gettext_lazy("Hồ sơ tiếp nhận hôm nay"), 10, _today),
    Tile("on_time", gettext_lazy("Tỷ lệ giải quyết đúng hạn"), 20, _indicator_tile("on_time", "late")),
    Tile("overdue", gettext_lazy("Hồ sơ quá hạn"), 30, _overdue),
    Tile("due_soon", gettext_lazy("Sắp đến hạn (2 ngày làm việc)"), 40, _due_soon),
    Tile(
        "online_filing",
        gettext_lazy("Tỷ lệ nộp trực tuyến"),
        50,
        _indicator_tile("online_filing", "not_online"),
    ),
    Tile(
        "online_payment",
        gettext_lazy("Tỷ lệ thanh toán trực tuyến"),
        60,
        _indicator_tile("online_payment", "not_paid_online"),
    ),
    Tile(
        "satisfaction",
        gettext_lazy("Tỷ lệ hài lòng"),
        70,
        _indicator_tile("satisfaction", "not_satisfied"),
    ),
    Tile("index766", gettext_lazy("Chỉ số 766 (thang 100)"), 80, _index),
)


def register(registry) -> None:
    for tile in BUILT_IN:
        registry.register(tile.key, tile)


def tile_values(board: Board) -> list[tuple[Tile, TileValue]]:
    out = []
    for tile in sorted(tile_registry, key=lambda t: (t.order, t.key)):
        value = tile.compute(board)
        if value is not None:
            out.append((tile, value))
    return out


# Dossiers behind the tiles -----------------------------------------------------------------------


def _in_unit(board: Board):
    return Dossier.objects.filter(receiving_agency_id__in=sorted(board.unit.agency_ids or ()))


def overdue_dossiers(board: Board):
    return dossier_selectors.overdue(_in_unit(board), board.now)


def due_soon_horizon(board: Board) -> dt.datetime:
    """The close of the second working day after today (the province's calendar)."""
    cal = calendar.get_calendar(units.default_province())
    return cal.closing(cal.nth_working_day_after(board.today, DUE_SOON_WORKING_DAYS))


def due_soon_dossiers(board: Board):
    return dossier_selectors.due_between(_in_unit(board), board.now, due_soon_horizon(board))


def _from_facts(board: Board, key: str):
    """The dossiers that lost the points of indicator ``key`` in the period (its drill-down), newest
    first, and how many (from the kept sums)."""
    indicator = metrics.get(key)
    lost = selectors.lost_facts(board.unit, board.period, indicator.drilldown)
    total = selectors.lost_count(indicator, board.unit, board.period, lost)
    return lost.order_by("-dossier_id").values_list("dossier_id", flat=True), total


def _received_today(board: Board):
    ids = DossierFact.objects.filter(board.unit.fact_filter(), received_day=board.today)
    return ids.order_by("-dossier_id").values_list("dossier_id", flat=True), None


def _by_due(dossiers):
    """Open dossiers, the soonest due first (the total is counted)."""
    return lambda b: (dossiers(b).order_by("due_at", "pk").values_list("pk", flat=True), None)


# How each list is ordered (shown in its caption).
NEWEST_FIRST = gettext_lazy("mới tiếp nhận trước")
SOONEST_DUE_FIRST = gettext_lazy("hạn xử lý sớm nhất trước")

# key: (label, the board's dossier ids in order and their total (None: count them), how they are ordered)
LISTS = {
    "today": (gettext_lazy("Hồ sơ tiếp nhận hôm nay"), _received_today, NEWEST_FIRST),
    "late": (gettext_lazy("Hồ sơ giải quyết trễ hạn"), lambda b: _from_facts(b, "on_time"), NEWEST_FIRST),
    "overdue": (gettext_lazy("Hồ sơ quá hạn"), _by_due(overdue_dossiers), SOONEST_DUE_FIRST),
    "due_soon": (gettext_lazy("Hồ sơ sắp đến hạn"), _by_due(due_soon_dossiers), SOONEST_DUE_FIRST),
    "not_online": (
        gettext_lazy("Hồ sơ không nộp trực tuyến"),
        lambda b: _from_facts(b, "online_filing"),
        NEWEST_FIRST,
    ),
    "not_paid_online": (
        gettext_lazy("Hồ sơ có phí không thanh toán trực tuyến"),
        lambda b: _from_facts(b, "online_payment"),
        NEWEST_FIRST,
    ),
    "not_satisfied": (
        gettext_lazy("Hồ sơ được đánh giá chưa hài lòng"),
        lambda b: _from_facts(b, "satisfaction"),
        NEWEST_FIRST,
    ),
}


@dataclass
class DossierList:
    key: str
    label: str
    dossiers: list
    total: int
    page: int
    pages: int
    order: str = ""


def dossier_list(board: Board, key: str, page: int = 1) -> DossierList:
    """The dossiers behind a tile, 50 a page, masked unless the viewer handles them; audited."""
    if key not in LISTS:
        raise NotFound(_("Không có danh sách hồ sơ này."))
    label, query, order_label = LISTS[key]
    ids, total = query(board)
    if total is None:
        total = ids.count()
    pages = max(1, -(-total // LIST_PAGE))
    page = min(max(1, page), pages)
    order = list(ids[(page - 1) * LIST_PAGE : page * LIST_PAGE])
    found = Dossier.objects.filter(pk__in=order).select_related(
        "procedure_version__procedure", "receiving_agency", "current_agency"
    )
    by_pk = {d.pk: d for d in found}
    rows = [by_pk[pk] for pk in order if pk in by_pk]
    # The viewer's memberships are read once for the 50 rule checks (core.memo), not once a dossier.
    with memo.scope():
        shown = [
            d if dossier_selectors.sees_personal_data(board.user, d) else dossier_selectors.masked(d)
            for d in rows
        ]
    audit.record(
        "scorecard.dashboard_list",
        obj=None,
        actor=board.user,
        data={"list": key, "unit": board.unit.code, "page": page, "dossiers": [d.pk for d in rows]},
    )
    return DossierList(key, str(label), shown, total, page, pages, str(order_label))


# Trends and comparison ---------------------------------------------------------------------------

CHART_W, CHART_H, PAD = 360, 160, 28
# The frame of every trend chart (the template draws the axes and labels from it).
CHART = {
    "w": CHART_W,
    "h": CHART_H,
    "pad": PAD,
    "bottom": CHART_H - PAD,
    "right": CHART_W - PAD,
    "top_label": PAD + 4,
    "zero_label": CHART_H - PAD + 4,
    "month_label": CHART_H - 10,
    "last_label": CHART_W - 70,
}


@dataclass
class Trend:
    key: str
    name: str
    points: list[tuple[str, Decimal | None]]  # (mm/yyyy, value)
    segments: list[str] = field(default_factory=list)  # polylines, broken where a month has no value
    dots: list[tuple[float, float, str, str]] = field(default_factory=list)


def trends(board: Board, today: dt.date | None = None) -> list[Trend]:
    """The 12 months up to the period's last one of the trend indicators (``selectors.monthly_series``),
    with the SVG geometry of each line (x: months, y: 0–100 %)."""
    series = selectors.monthly_series(board.unit, 12, today=today or board.period.end, keys=TREND_KEYS)
    out = []
    n = len(series)
    for key in TREND_KEYS:
        indicator = metrics.get(key)
        if indicator is None:
            continue
        points = [(f"{row['month'][5:]}/{row['month'][:4]}", row[key].value) for row in series]
        t = Trend(key, str(indicator.name), points)
        coords: list[str] = []
        for i, (label, value) in enumerate(points):
            if value is None:
                if coords:
                    t.segments.append(" ".join(coords))
                coords = []
                continue
            x = PAD + i * (CHART_W - 2 * PAD) / max(1, n - 1)
            y = CHART_H - PAD - float(value) * (CHART_H - 2 * PAD) / 100
            coords.append(f"{x:.1f},{y:.1f}")
            t.dots.append((round(x, 1), round(y, 1), label, percent(value)))
        if coords:
            t.segments.append(" ".join(coords))
        out.append(t)
    return out


@dataclass
class Compared:
    kind: str
    code: str
    name: str
    score: Decimal | None
    on_time: Decimal | None
    online: Decimal | None
    agency: str = ""  # the unit's root agency: its own dashboard is /dieu-hanh/?don-vi=<agency>


def comparison(board: Board) -> list[Compared]:
    """The province's departments and communes inside the viewer's scope (their agencies in it), each
    scored on the 766 index for the period from one grouped query, worst first; units with nothing to
    count last."""
    province = units.default_province()
    if province is None:
        return []
    with memo.scope():  # read-only: a higher app's indicators read their figures once for all units
        return _comparison(board, province)


def _comparison(board: Board, province) -> list[Compared]:
    scope = board.unit.agency_ids or frozenset()
    per_agency = metrics.sums_by_agency_procedure(scope, board.period)
    items = index766.load_items()
    on_time, online = metrics.get("on_time"), metrics.get("online_filing")
    rows = []
    for u in selectors.ranked_units(province):
        inside = u.agency_ids & scope
        if not inside:
            continue
        unit = units.Unit(
            u.kind, u.code, u.name, agency_ids=inside, root=u.root, province_code=u.province_code
        )
        sums = metrics.merge(per_agency[a] for a in inside if a in per_agency)
        s = index766.score(unit, board.period, items=items, sums=sums)
        rows.append(
            Compared(
                u.kind,
                u.code,
                u.name,
                s.score,
                metrics.figure(on_time, unit, board.period, sums).value if on_time else None,
                metrics.figure(online, unit, board.period, sums).value if online else None,
                u.root.code if u.root is not None else "",
            )
        )
    rows.sort(key=lambda r: (r.score is None, r.score or 0, r.name))
    return rows
