"""Reads of feedback that pages, the API, Open311 and other apps use.

- ``public_reports(...)``: the public board's queryset — public, accepted reports, without any column of
  the reporter's identity; ``public_name``/``mask_text`` mask what the public sees;
- ``inbox(user, ...)``: the reports a staff member's agencies handle or were asked to help with;
- ``stats(scope, start, end)``: answered on time and satisfaction (Decision 766), for the scorecard.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, Func, Q, QuerySet, TextField, Value, When
from django.utils import timezone

from congso.core.text import fold
from congso.core.walk import planner_settings, walk_limit
from congso.directory.models import AdministrativeUnit, Agency
from congso.directory.scope import agencies_for

from .models import OPEN_STATUSES, PUBLIC_STATUSES, Category, Rating, Report, RoutingRule, Status
from .permissions import HANDLER_ROLES

# what Open311 lists: accepted public reports, rejected ones excluded, merged ones included (closed)
PUBLIC_STATUSES_ALL = (*PUBLIC_STATUSES, Status.MERGED)
IDENTITY_FIELDS = ("reporter", "reporter_name", "reporter_phone", "reporter_email", "entered_by", "dossier")
PUBLIC_FIELDS = (
    "pk",
    "code",
    "title",
    "description",
    "status",
    "category__code",
    "category__name",
    "unit__name",
    "unit__code",
    "address",
    "lat",
    "lon",
    "received_at",
    "answered_at",
    "updated_at",
    "due_at",
    "answer",
    "agency__name",
    "show_name",
    "is_public",
    "closed_at",
    "rating",
)
_PHONE = re.compile(r"(?<!\d)(?:\+84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CCCD = re.compile(r"(?<!\d)\d{12}(?!\d)")
# what each of the three needs: an "@", or eight digits with at most one separator between two of them
_MAYBE_PERSONAL = re.compile(r"@|\d(?:[\s.-]?\d){7}")


def mask_text(text: str) -> str:
    """Phone numbers, e-mail addresses and identity numbers written in a report's text, masked."""
    if not text or not _MAYBE_PERSONAL.search(text):
        return text or ""  # most texts hold none: one scan instead of three (Open311 masks 2,000 a request)
    text = _EMAIL.sub("***@***", text)
    text = _CCCD.sub("************", text)
    return _PHONE.sub(lambda m: m.group(0)[:3] + "*******", text)


def public_name(report) -> str:
    """The reporter as the public sees them: "Nguyễn V. A." if they chose to show their name, else
    anonymous. Never a contact detail. A report read by ``public_reports`` carries the name only when it
    may be shown (``shown_name``): its deferred ``reporter_name`` is never loaded, one query a row."""
    if not getattr(report, "show_name", False):
        return "Người dân (ẩn danh)"
    shown = getattr(report, "shown_name", None)
    name = (shown if shown is not None else getattr(report, "reporter_name", "") or "").split()
    if not name:
        return "Người dân (ẩn danh)"
    return " ".join([name[0]] + [w[0] + "." for w in name[1:]])


def public_reports(
    *,
    category: str = "",
    unit: str = "",
    status: str = "",
    q: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    procedure: str = "",
) -> QuerySet[Report]:
    """The public board under its filters, newest first: every word of ``q`` (folded) must be found in
    the report's folded text (``with_words``: a short word at the start of a word, a longer one anywhere).
    To read a page of it, use ``public_board`` (the same rows, read by a bounded plan on PostgreSQL when
    searching)."""
    qs = _public(category=category, unit=unit, status=status, start=start, end=end, procedure=procedure)
    return with_words(qs, search_words(q))


def search_words(q: str) -> list[str]:
    """The words of a board search, folded (at most six)."""
    return fold(q).split()[:6]


# How a search word becomes a match condition (ADR 0185), for the board's list, its map and the API list,
# on every database: the folded text with a space before it (``SpacedText``) must contain the word's
# ``needle``. A word of SHORT_WORD letters or fewer is found at the start of a word of the text ("ia" finds
# "Ia Mơ Nông" and "Ia Grai", not "Gia Lai"); a longer one anywhere, inside a word too ("ong" finds
# "đường"). On PostgreSQL the trigram index is on that expression (migration 0008): " ia" gives it the
# trigrams of a word's start, "  i" and " ia", where "ia" alone has none.
SHORT_WORD = 2


class SpacedText(Func):
    """``' ' || text_folded``: the folded text with a space before its first word, so that every word of
    it starts after a space. Written with no parameter, so that a prepared statement's plan (ADR 0079),
    generic or not, matches the trigram index on the same expression (migration 0008)."""

    template = "(' ' || %(expressions)s)"
    output_field = TextField()


def needle(word: str) -> str:
    """What a folded search word must find in the spaced folded text: a short word, with the space that
    starts a word before it; a longer one, as it is."""
    return f" {word}" if len(word) <= SHORT_WORD else word


def with_words(qs: QuerySet[Report], words: list[str]) -> QuerySet[Report]:
    """``qs`` (reports) limited to those whose folded text holds every one of the folded ``words``."""
    if not words:
        return qs
    qs = qs.alias(text_spaced=SpacedText("text_folded"))
    for word in words:
        qs = qs.filter(text_spaced__contains=needle(word))
    return qs


def words_sql(alias: str, words: list[str], ops) -> tuple[str, list[str]]:
    """``with_words`` as SQL over a subquery ``alias`` that has the column ``text_folded`` (the
    newest-first walk): the same expression, the same patterns. ``ops``: the connection's operations."""
    spaced = SpacedText.template % {"expressions": f"{alias}.text_folded"}
    sql = " AND ".join([f"{spaced} LIKE %s"] * len(words))
    return f"({sql})", [f"%{ops.prep_for_like_query(needle(w))}%" for w in words]


def _public(
    *,
    category: str = "",
    unit: str = "",
    status: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    procedure: str = "",
) -> QuerySet[Report]:
    """``public_reports`` without the search. The category and the commune are looked up first and
    compared by id, so PostgreSQL reads the partial index that matches the filter and the order
    (migration 0006, ADR 0184)."""
    qs = Report.objects.filter(is_public=True, status__in=PUBLIC_STATUSES).select_related(
        "category", "unit", "agency", "procedure"
    )
    # the linked dossier is never public: its column is not even read; the name only when it is shown
    qs = qs.defer(*[f for f in IDENTITY_FIELDS if f != "reporter"], "reporter_id", "text_folded").annotate(
        shown_name=Case(When(show_name=True, then=F("reporter_name")), default=Value(""))
    )
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if category:
        ids = list(
            Category.objects.filter(Q(code=category) | Q(parent__code=category)).values_list("pk", flat=True)
        )
        qs = qs.filter(category_id=ids[0]) if len(ids) == 1 else qs.filter(category_id__in=ids)
    if unit:
        ids = list(AdministrativeUnit.objects.filter(code=unit).values_list("pk", flat=True))
        qs = qs.filter(unit_id=ids[0]) if len(ids) == 1 else qs.filter(unit_id__in=ids)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(received_at__gte=_day(start))
    if end:
        qs = qs.filter(received_at__lt=_day(end + dt.timedelta(days=1)))
    return qs.order_by("-received_at", "-id")


# The board, its map and the API list read at most this many reports under one set of filters (500 pages
# of 20): an OFFSET reads every row it skips, and a million reports are read by narrowing the dates.
MAX_BOARD_ROWS = 10_000


def public_board(*, with_point: bool = False, **filters):
    """What the board, its map and the API list read: ``public_reports(**filters)`` (only the reports
    with a point on the map: ``with_point``), to be sliced (``[start:stop]``; ``.values(...)`` too).

    Without a search it is that queryset. With one, on PostgreSQL, it is a ``NewestFirst`` that reads
    each slice by the cheaper of two bounded plans (ADR 0184), and returns the same rows."""
    words = search_words(filters.get("q", ""))
    point = Q(lat__isnull=False, lon__isnull=False) if with_point else Q()
    if not words or connections[Report.objects.db].vendor != "postgresql":
        return public_reports(**filters).filter(point)
    return NewestFirst(
        _public(**{k: v for k, v in filters.items() if k != "q"}), words, with_point=with_point
    )


# Reports the newest-first walk of a search may read for ``stop`` rows: WALK_FACTOR × √stop (4,583 for a
# page of the board, 21 rows; 22,361 for the map's 500), at most WALK_MAX. At a million reports, reading
# one report of the walk (the partial index in order, its row, the LIKE on its folded text) costs a few
# times less than one match from the trigram index (a bitmap's random heap row, then the sort): the walk
# wins when a query matches more than about one report in WALK_FACTOR / √stop. Past WALK_MAX rows (deep
# pages through the API), the index alone.
WALK_FACTOR = 1000
WALK_MAX = 50_000


# The planner settings of the walk. It reads a few thousand rows of a partial index in order; for a large
# LIMIT (the map's 22,361) PostgreSQL would rather read the whole scope and sort it (a busy ward: 205 ms
# against 30 ms), and a generic prepared plan (ADR 0079) guesses worse. It also preferred two workers
# reading the whole board by date for a ward's map, and compiled the statement (JIT) for the cost of
# walking all 22,361 rows: 220 ms against 17 ms for "o ga" in a busy ward (ADR 0185).
WALK_PLANNER = {
    "enable_seqscan": "off",
    "enable_bitmapscan": "off",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "plan_cache_mode": "force_custom_plan",
}


# A slice whose walk may read more than a page's (the map's 500: 22,361 reports) first walks a page's
# window (the 4,583 reports of PROBE_STOP rows), unless this request walked already (the board's list
# before its map): when the share of the reports read that matched says the longer walk would not find
# ``stop`` matches, the index answers at once. A rare word on the map API read 22,361 reports, then the
# index; now 4,583, then the index (ADR 0185).
PROBE_STOP = 21

# A search whose walk falls short reads every match from the index once (with whether it has a point) and
# keeps them for the request: the board's list and its map then share one index read. Past this many
# matches (deep pages of a common word), each slice is sorted and cut in SQL instead.
INDEX_ROWS = 5_000


class NewestFirst:
    """The board's search results on PostgreSQL: ``base`` (every filter but the words, newest first)
    whose folded text holds every word of ``words`` (``with_words``; only those with a point:
    ``with_point``). A slice is read in at most three bounded statements (ADR 0184, after ADR 0179's
    portal search; ADR 0185):

    1. the walk: the newest ``core.walk.walk_limit(stop)`` reports of ``base`` in order (a partial index,
       migration 0006), each tested for the words, stopping at ``stop`` matches. Common words stop early.
       One more report, numbered, tells whether ``base`` holds more than the walk read. A walk longer than
       a page's (the map's) comes after a page's walk (``PROBE_STOP``; this request's earlier walk, if
       any), and only when the share of matches seen there says it should find ``stop`` matches;
    2. when the walk finds fewer than ``stop`` and ``base`` holds more: every match (the trigram index on
       ``' ' || text_folded``, migration 0008), materialised, then sorted. Rare words have few matches;
       they are kept for the request (``INDEX_ROWS``), so the map reuses what the list read
       (``with_points``).

    PostgreSQL alone would guess the matches of ``LIKE '%via%' AND LIKE '% he%'`` from the trigrams and
    either read a hundred thousand matches and sort them, or walk the whole board for a rare word.
    """

    def __init__(self, base, words, *, fields=(), with_point=False, memo=None):
        self.base, self.words, self.fields, self.with_point = base, words, tuple(fields), with_point
        self._memo = {} if memo is None else memo

    def _copy(self, **changes) -> NewestFirst:
        kwargs = {"fields": self.fields, "with_point": self.with_point, "memo": self._memo, **changes}
        return NewestFirst(self.base, self.words, **kwargs)

    def values(self, *fields: str) -> NewestFirst:
        return self._copy(fields=fields)

    def with_points(self) -> NewestFirst:
        """The same search, only the reports with a point (the map), sharing what the index read."""
        return self._copy(with_point=True)

    @property
    def scope(self) -> QuerySet[Report]:
        return self.base.filter(lat__isnull=False, lon__isnull=False) if self.with_point else self.base

    def __getitem__(self, key: slice) -> list:
        if not isinstance(key, slice) or key.step not in (None, 1) or key.stop is None:
            raise TypeError("NewestFirst takes bounded slices, without a step.")
        start, stop = max(0, key.start or 0), key.stop
        if stop <= start:
            return []
        ids = self.ids(start, stop)
        if not ids:
            return []
        if self.fields:
            rows = {r["pk"]: r for r in self.scope.filter(pk__in=ids).values("pk", *self.fields)}
            if "pk" not in self.fields:
                rows = {pk: {k: v for k, v in r.items() if k != "pk"} for pk, r in rows.items()}
        else:
            rows = {r.pk: r for r in self.scope.filter(pk__in=ids)}
        return [rows[i] for i in ids if i in rows]

    def ids(self, start: int, stop: int) -> list[int]:
        """Ids of matches ``start``…``stop``, by the walk when it finds them, else by the index (at once
        when this request already read every match from it: the map after the list)."""
        if self._memo.get("matches") is not None:
            return self._indexed(start, stop)
        limit = walk_limit(stop, factor=WALK_FACTOR, maximum=WALK_MAX)
        if limit >= stop:
            probe = walk_limit(PROBE_STOP, factor=WALK_FACTOR, maximum=WALK_MAX)
            if limit > probe and "share" not in self._memo:
                found, more = self._walk(probe, stop)  # nothing walked yet in this request: a page's walk
                if len(found) >= stop or not more:
                    return found[start:stop]
            share = self._memo.get("share")
            if share is None or share * limit >= stop:  # the walk should find them: else the index at once
                found, more = self._walk(limit, stop)
                if len(found) >= stop or not more:
                    return found[start:stop]  # enough matches, or the walk read every report of the scope
        return self._indexed(start, stop)

    def _like(self, alias: str) -> tuple[str, list[str]]:
        return words_sql(alias, self.words, connections[self.base.db].ops)

    def _walk(self, limit: int, stop: int) -> tuple[list[int], bool]:
        """The first ``stop`` matches among the newest ``limit`` reports, and whether there are more
        reports than ``limit`` (the report after them, numbered ``limit + 1``, comes back unmatched).
        Keeps the share of the reports read that matched, for the request's next walk (``ids``)."""
        try:
            window_sql, window_params = self.scope.values_list("id", "received_at", "text_folded")[
                : limit + 1
            ].query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an unknown category or commune)
            return [], False
        like_sql, like_params = self._like("w")
        # row_number() follows the window's own order: PostgreSQL streams it, and stops at ``stop`` matches
        sql = (
            f"SELECT w.id, w.n <= {int(limit)} AND {like_sql}, w.n FROM ("  # noqa: S608 — compiled SQL, ints
            f"SELECT ww.*, row_number() OVER (ORDER BY ww.received_at DESC, ww.id DESC) AS n FROM ({window_sql}) ww"
            f") w WHERE {like_sql} OR w.n = {int(limit) + 1}"
            f" ORDER BY w.received_at DESC, w.id DESC LIMIT {int(stop) + 1}"
        )
        with planner_settings(self.base.db, **WALK_PLANNER), connections[self.base.db].cursor() as cursor:
            cursor.execute(sql, [*like_params, *window_params, *like_params])
            rows = cursor.fetchall()
        found, more = [pk for pk, hit, _n in rows if hit], any(not hit for _pk, hit, _n in rows)
        # the walk stopped at its ``stop + 1``-th row (numbered n), or read its whole window
        read = rows[-1][2] if len(rows) > stop else limit if more else 0
        if read:
            self._memo["share"] = len(found) / min(read, limit)
        return found, more

    def _matches(self):
        """Every match of the search in ``base``, newest first, as (id, has a point), read once from the
        index; None when there are more than ``INDEX_ROWS``."""
        if "matches" not in self._memo:
            sql, params = self._index_sql(self.base, ", (lat IS NOT NULL AND lon IS NOT NULL)")
            if sql is None:
                self._memo["matches"] = []
            else:
                with connections[self.base.db].cursor() as cursor:
                    cursor.execute(f"{sql} LIMIT {INDEX_ROWS + 1}", params)
                    rows = cursor.fetchall()
                self._memo["matches"] = rows if len(rows) <= INDEX_ROWS else None
        return self._memo["matches"]

    def _index_sql(self, scope, extra: str = ""):
        matches = with_words(scope, self.words)
        try:
            matches_sql, params = (
                matches.order_by().values_list("id", "received_at", "lat", "lon").query.sql_with_params()
            )
        except EmptyResultSet:
            return None, []
        sql = (
            f"WITH m AS MATERIALIZED ({matches_sql}) SELECT id{extra} FROM m"  # noqa: S608 — compiled SQL
            " ORDER BY received_at DESC, id DESC"
        )
        return sql, params

    def _indexed(self, start: int, stop: int) -> list[int]:
        matches = self._matches()
        if matches is not None:
            return [pk for pk, point in matches if point or not self.with_point][start:stop]
        sql, params = self._index_sql(self.scope)
        with connections[self.base.db].cursor() as cursor:
            cursor.execute(f"{sql} OFFSET {int(start)} LIMIT {int(stop - start)}", params)
            return [row[0] for row in cursor.fetchall()]


MAP_LIMIT = 500


def board_province_code() -> str:
    """The province of the board (the one the routing rules serve), for the map's area."""
    rules = RoutingRule.objects.filter(province__isnull=False).order_by("pk")
    return rules.values_list("province__code", flat=True).first() or ""


def public_points(limit: int = MAP_LIMIT, *, board=None, **filters) -> list[dict]:
    """The board-wide map's markers: the newest public reports with a point, under the board's filters
    (``public_reports``' arguments), at most ``limit`` — code, title, place and status, nothing else.
    ``board``: the list's ``public_board(**filters)``, when already read (a search shares its index read)."""
    found = (
        board.with_points() if isinstance(board, NewestFirst) else public_board(with_point=True, **filters)
    )
    rows = found.values("code", "title", "lat", "lon", "status")[:limit]
    return [
        {
            "code": r["code"],
            "title": r["title"],
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
            "status": r["status"],
            "status_label": str(Status(r["status"]).label),
        }
        for r in rows
    ]


def public_report(code: str) -> Report | None:
    return public_reports().filter(code=code).first()


def public_timeline(report) -> list:
    return list(
        report.events.filter(public=True).order_by("at", "id").values("at", "label", "action", "note")
    )


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=timezone.get_current_timezone())


def staff_agencies(user) -> QuerySet[Agency]:
    return agencies_for(user, HANDLER_ROLES)


def inbox(user, *, status: str = "open", procedure: str = "", dossier: str = "") -> QuerySet[Report]:
    """The reports the user's agencies handle (or were asked to help with), most urgent first; with
    ``procedure`` / ``dossier``, those linked to that catalogue code or dossier code."""
    agencies = staff_agencies(user)
    qs = Report.objects.filter(Q(agency__in=agencies) | Q(help_requests__agency__in=agencies)).distinct()
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if dossier:
        qs = qs.filter(dossier__code=dossier)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("category", "unit", "agency").order_by(F("due_at").asc(nulls_last=True), "id")


def inbox_counts(user) -> dict:
    agencies = staff_agencies(user)
    rows = (
        Report.objects.filter(agency__in=agencies, status__in=OPEN_STATUSES)
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {r["status"]: r["n"] for r in rows}
    counts["overdue"] = Report.objects.filter(
        agency__in=agencies, status__in=OPEN_STATUSES, due_at__lt=timezone.now()
    ).count()
    counts["open"] = sum(counts.get(s, 0) for s in OPEN_STATUSES)
    return counts


def _scoped(scope) -> QuerySet[Report]:
    qs = Report.objects.exclude(status=Status.MERGED)
    if isinstance(scope, Agency):
        return qs.filter(agency__path__startswith=scope.path)
    if isinstance(scope, AdministrativeUnit):
        if scope.level == AdministrativeUnit.Level.PROVINCE:
            return qs.filter(province=scope)
        return qs.filter(unit=scope)
    return qs


def share(n: int, total: int) -> Decimal | None:
    return (Decimal(n) * 100 / total).quantize(Decimal("0.01")) if total else None


def _stats_counts(now: dt.datetime) -> dict:
    """The counts behind ``stats``, as aggregates (additive: grouped rows can be summed)."""
    overdue_q = Q(answered_at__isnull=True, due_at__lt=now, status__in=OPEN_STATUSES) | Q(
        answered_at__gt=F("due_at")
    )
    return {
        "total": Count("pk"),
        "rejected": Count("pk", filter=Q(status=Status.REJECTED)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "on_time": Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        "overdue": Count("pk", filter=overdue_q),
        "due": Count("pk", filter=Q(answered_at__isnull=False) | Q(due_at__lt=now, status__in=OPEN_STATUSES)),
        "satisfied": Count("pk", filter=Q(rating=Rating.SATISFIED)),
        "disliked": Count("pk", filter=Q(rating=Rating.UNSATISFIED)),
        "recomplained": Count("pk", filter=Q(reopened=True)),
        "disliked_or_late": Count("pk", filter=Q(rating=Rating.UNSATISFIED) | Q(reopened=True) | overdue_q),
    }


def _with_rates(raw: dict) -> dict:
    total = raw["total"]
    return {
        **raw,
        "answered_on_time_rate": share(raw["on_time"], raw["due"]),
        "satisfaction_rate": share(total - raw["disliked_or_late"], total),
    }


def _received_in(start: dt.date, end: dt.date) -> Q:
    return Q(received_at__gte=_day(start), received_at__lt=_day(end + dt.timedelta(days=1)))


def stats(scope, start: dt.date, end: dt.date) -> dict:
    """Feedback figures for reports received from ``start`` to ``end`` (whole local days, inclusive) in a
    province or commune (``AdministrativeUnit``) or an agency and its sub-tree (``Agency``):

    - ``answered_on_time_rate``: answers published by their deadline ÷ reports answered or due by now;
    - ``satisfaction_rate`` (Decision 766): (all − disliked − overdue − re-complained) ÷ all.
    """
    counts = _stats_counts(timezone.now())
    return _with_rates(_scoped(scope).filter(_received_in(start, end)).aggregate(**counts))


def stats_by_place(start: dt.date, end: dt.date) -> list[dict]:
    """``stats``'s counts for every report received in the period, in one grouped read: rows of
    {"agency_path", "unit_id", "province_id", counts…}. ``stats_from`` picks a scope's figures out of
    them (a ranking of a hundred units reads once, not a hundred times)."""
    rows = (
        Report.objects.exclude(status=Status.MERGED)
        .filter(_received_in(start, end))
        .order_by()
        .values("agency__path", "unit_id", "province_id")
        .annotate(**_stats_counts(timezone.now()))
    )
    return [{**r, "agency_path": r.pop("agency__path")} for r in rows]


def stats_from(rows: list[dict], scope) -> dict:
    """``stats(scope, …)`` out of ``stats_by_place``'s rows for the same period: the same figures."""
    if isinstance(scope, Agency):
        mine = [r for r in rows if r["agency_path"] is not None and r["agency_path"].startswith(scope.path)]
    elif isinstance(scope, AdministrativeUnit) and scope.level == AdministrativeUnit.Level.PROVINCE:
        mine = [r for r in rows if r["province_id"] == scope.pk]
    elif isinstance(scope, AdministrativeUnit):
        mine = [r for r in rows if r["unit_id"] == scope.pk]
    else:
        mine = rows
    keys = _stats_counts(timezone.now()).keys()
    return _with_rates({k: sum(r[k] for r in mine) for k in keys})


def tile_counts(agency_ids, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    """The operations-centre tile's figures for the reports these agencies handle (one read): open now,
    open past their deadline, received in the period, and of those answered, answered by the deadline."""
    qs = Report.objects.filter(agency_id__in=sorted(agency_ids)).exclude(status=Status.MERGED)
    in_period = Q(received_at__gte=_day(start), received_at__lt=_day(end + dt.timedelta(days=1)))
    return qs.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        received=Count("pk", filter=in_period),
        answered=Count("pk", filter=in_period & Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=in_period & Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
    )
