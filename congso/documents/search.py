"""Search of official documents on PostgreSQL: the walk or the index, per scope (ADR 0183).

``selectors.search`` lists, for one person, the documents they may see (``permissions.visible_filter``)
holding every word of the query (``search_folded`` contains it: substrings of the folded metadata and
text), Hỏa tốc first, then the newest, then the highest id, the first 50. ``selectors.search_plain`` is
that as one query, and what SQLite runs. On PostgreSQL, over a million documents, that one query reads
every candidate the trigram index gives (10% of the table for a common word) before the permission
filter and the top-50 sort. Here the same rows are read in two parts:

- **the agencies** whose documents the person sees by role (a leader: all of them; văn thư: those that
  are not secret), read by ``AgencyScope``: either the walk — the agencies' documents in the search's
  order through the index ``documents_doc_search_order`` (agency, urgency ↓, created ↓, id ↓), one
  ordered index scan per agency merged by PostgreSQL, each tested for the words, at most
  ``walk_limit(stop)`` of them, then a wider window if the first says that costs less than the index
  — or else the trigram index's candidates in those agencies, sorted;
- **the documents seen by name** (secret documents a leader named the person for, incoming documents
  assigned to them, their own outgoing documents), read from the person's own rows (assignments,
  named readers, documents they created), never from the whole table.

The two lists are merged by the search's order. ``selectors.search`` then reads the rows through
``visible(user)`` again, so no plan can show a document the plain query would not.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections

from congso.core.walk import WalkOrIndex, wider_window

from .models import Assignment, Document, SecretReader
from .permissions import agency_scopes

Key = tuple[int, dt.datetime, int]  # (urgency, created_at, id): the search's order, descending

TABLE = Document._meta.db_table
ORDER = "urgency DESC, created_at DESC, id DESC"
# Past this many agencies (a province's leader over its whole tree) merging one index scan per agency
# costs more than it saves (PostgreSQL plans each: 30 ms for 300 agencies, 140 ms for 1,000): the walk
# reads every document in the search's order instead, and tests the agency like the words.
MERGE_MAX = 100


def _like(words: list[str], column: str = "search_folded", named: bool = False) -> tuple[str, list[str]]:
    """``column`` contains every word, as ``selectors.search_plain``'s ``__contains`` (LIKE)."""
    for w in words:  # fold() keeps [0-9a-z.] only: nothing to escape in a LIKE pattern
        if any(c in w for c in "%_\\"):
            raise ValueError("search words must be folded")
    marks = [f"%(w{i})s" if named else "%s" for i in range(len(words))]
    return " AND ".join(f"{column} LIKE {m}" for m in marks), [f"%{w}%" for w in words]


class AgencyScope(WalkOrIndex):
    """The documents of the agencies a person sees by role, holding every word, in the search's order.

    ``scopes``: (agency id, every document) pairs: True for a leader's agency, False for văn thư's
    (its documents that are not secret). Keys are ``Key`` tuples."""

    # The first window: 150 × √stop rows (1,061 for a page of 50), enough for a query matching 4.7% of
    # the scope. Measured at 1,000,000 documents (ADR 0183): a walked row costs about 3 µs, a candidate
    # of the trigram index about twice that (its heap block, read out of order; ``index_cost_ratio``).
    # A query found less often in the first window walks a wider one only when walking on costs less
    # than the index (``core.walk.wider_window``: above about 0.5% of the rows at a million); a rare or
    # absent word pays the first window (3–5 ms) and the index.
    walk_factor = 150
    index_cost_ratio = 2.0
    walk_max = 20_000

    def __init__(self, scopes: list[tuple[int, bool]], words: list[str], *, using: str = "default"):
        self.scopes = scopes
        self.words = words
        self.using = using

    def _branches(self, limit: int) -> tuple[str, list]:
        """Each agency's first ``limit`` documents in the search's order, one ordered scan of
        ``documents_doc_search_order`` each. The ORDER BY and LIMIT of each branch let PostgreSQL
        merge them (Merge Append) rather than sort every document of the agencies: the merged window's
        first ``limit`` rows are among them."""
        sql, params = [], []
        for agency_id, every in self.scopes:
            secret = "" if every else " AND secrecy = ''"
            sql.append(
                f"(SELECT id, urgency, created_at, search_folded FROM {TABLE}"  # noqa: S608 — constants, ints
                f" WHERE agency_id = %s{secret} ORDER BY {ORDER} LIMIT {int(limit)})"
            )
            params.append(agency_id)
        return " UNION ALL ".join(sql), params

    def _visible(self) -> tuple[str, list]:
        """The agencies' documents as a condition: every one where they lead, the open ones elsewhere."""
        every = [a for a, e in self.scopes if e]
        open_only = [a for a, e in self.scopes if not e]
        return "(agency_id = ANY(%s) OR (agency_id = ANY(%s) AND secrecy = ''))", [every, open_only]

    def _window(self, limit: int) -> tuple[str, list]:
        """The first ``limit`` rows of the walk, each with ``m``: it is the agencies' and holds every
        word. Up to ``MERGE_MAX`` agencies: their own documents, merged; more (a province's leader over
        its whole tree): every document in the search's order (``documents_doc_search_all``), the
        agencies' tested like the words."""
        like, like_params = _like(self.words)
        if len(self.scopes) <= MERGE_MAX:
            branches, params = self._branches(limit)
            sql = (
                f"SELECT id, urgency, created_at, ({like}) AS m FROM ({branches}) u"  # noqa: S608
                f" ORDER BY {ORDER} LIMIT {int(limit)}"
            )
            return sql, [*like_params, *params]
        visible, params = self._visible()
        sql = (
            f"SELECT id, urgency, created_at, ({visible} AND {like}) AS m FROM {TABLE}"  # noqa: S608
            f" ORDER BY {ORDER} LIMIT {int(limit)}"
        )
        return sql, [*params, *like_params]

    def walk(self, limit: int, stop: int) -> tuple[list[Key], bool]:
        """The first ``stop`` matches among the first ``limit`` rows of the walk, in order, and whether
        the window was full (there are ``limit`` rows or more).

        The ``limit``-th row comes back whether it matches or not (``n = limit``): it tells that the
        window was full."""
        if not self.scopes:
            return [], False
        window, params = self._window(limit)
        sql = (
            f"SELECT urgency, created_at, id, m, n FROM ("  # noqa: S608 — compiled from constants, ints
            f" SELECT w.*, row_number() OVER (ORDER BY {ORDER}) AS n FROM ({window}) w"
            f") x WHERE m OR n = {int(limit)} LIMIT {int(stop)}"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = [(u, c, i) for u, c, i, m, _n in rows if m]
        return found[:stop], any(n == limit for *_rest, n in rows)

    def wider_walk(self, limit: int, stop: int, seen: int) -> int | None:
        """A second, wider window when the first says walking on costs less than the index (the index
        reads every match in the whole table: it does not know agencies)."""
        return wider_window(
            limit,
            stop,
            seen,
            rows=self._table_rows(),
            cost_ratio=self.index_cost_ratio,
            maximum=self.walk_max,
        )

    def _table_rows(self) -> float:
        with connections[self.using].cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
            row = cursor.fetchone()
        return max(float(row[0]) if row else 0.0, 0.0)

    def indexed(self, start: int, stop: int | None) -> list[Key]:
        """Matches ``start``…``stop`` in the agencies: every match of the words taken from the trigram
        index (materialised: no walk, whatever the planner guesses), then those of the agencies, sorted.

        The agencies are tested after the CTE, not in it: there PostgreSQL ANDs the trigram bitmap with
        a bitmap of every document of the agencies, which costs more than the candidates it saves (a
        province leader's thirteen agencies: a million-row bitmap, 99 ms against 38 ms for "kbang")."""
        if not self.scopes:
            return []
        like, like_params = _like(self.words)
        visible, params = self._visible()
        sql = (
            f"WITH m AS MATERIALIZED (SELECT urgency, created_at, id, agency_id, secrecy FROM {TABLE}"  # noqa: S608
            f" WHERE {like})"
            f" SELECT urgency, created_at, id FROM m WHERE {visible} ORDER BY {ORDER} OFFSET {int(start)}"
        )
        if stop is not None:
            sql += f" LIMIT {int(stop - start)}"
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [*like_params, *params])
            return [tuple(r) for r in cursor.fetchall()]


def by_name(user, words: list[str], stop: int, *, using: str = "default") -> list[Key]:
    """The first ``stop`` matches among the documents ``user`` sees by name, not by role (the personal
    terms of ``permissions.visible_filter``): secret ones a leader named them for (r), incoming
    non-secret ones assigned to them (a), their own outgoing non-secret ones (o). Read from their own
    rows (a handful to a few thousand), each document then read by its id (``OFFSET 0`` keeps
    PostgreSQL from joining through the trigram index instead, which costs most for common words)."""
    like, like_params = _like(words, "d.search_folded", named=True)
    assigned, readers = Assignment._meta.db_table, SecretReader._meta.db_table
    sql = (
        f"WITH c AS MATERIALIZED ("  # noqa: S608 — compiled from constants, ints
        f" SELECT r.document_id AS id, 'r' AS why FROM {readers} r WHERE r.user_id = %(u)s"
        f" UNION ALL SELECT a.document_id, 'a' FROM {assigned} a WHERE a.user_id = %(u)s"
        f" UNION ALL SELECT o.id, 'o' FROM {TABLE} o WHERE o.created_by_id = %(u)s AND o.direction = 'out')"
        f" SELECT DISTINCT x.urgency, x.created_at, x.id FROM c CROSS JOIN LATERAL ("
        f"  SELECT d.urgency, d.created_at, d.id FROM {TABLE} d WHERE d.id = c.id AND ({like}) AND ("
        f"   (c.why = 'r' AND d.secrecy <> '')"
        f"   OR (c.why = 'a' AND d.secrecy = '' AND d.direction = 'in')"
        f"   OR (c.why = 'o' AND d.secrecy = '' AND d.direction = 'out'))"
        f"  OFFSET 0) x"
        f" ORDER BY x.urgency DESC, x.created_at DESC, x.id DESC LIMIT {int(stop)}"
    )
    params = {"u": user.pk}
    params.update({f"w{i}": p for i, p in enumerate(like_params)})
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


# For every statement of a search (core.walk.planner_settings, set by selectors.search around ``keys``
# and the rows): a plan per call, no JIT compiling
PLANNER = {"plan_cache_mode": "force_custom_plan", "jit": "off"}


def keys(user, words: list[str], stop: int, *, using: str = "default") -> tuple[list[Key], str]:
    """The first ``stop`` keys of the search for ``user`` (PostgreSQL), and the agencies' plan. Run it
    under ``planner_settings(using, **PLANNER)``."""
    scopes = agency_scopes(user)
    found, plan = [], "none"
    if scopes:
        found, plan = AgencyScope(scopes, words, using=using).keys(0, stop)
    found = set(found) | set(by_name(user, words, stop, using=using))
    return sorted(found, reverse=True)[:stop], plan
