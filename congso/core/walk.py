"""Ordered search results read by the cheaper of two plans, chosen from what the data holds (ADR 0179,
ADR 0183).

A search that lists "every row holding every word, in one fixed order, the first few" can be answered
two ways on PostgreSQL:

1. **the walk**: read the rows in the wanted order through a B-tree index, test each for the words,
   stop after ``stop`` matches. Cheap when the words are common (a few hundred rows read), ruinous when
   they are rare (every row of the scope);
2. **the index**: take every match from a text index (GIN), then sort them. Cheap when the words are
   rare, ruinous when they are common (every match read and sorted for a page of ten).

The planner chooses from its estimate of how many rows match, which for several words or substrings is
a guess, often wrong by a factor of twenty either way. ``WalkOrIndex`` chooses from the data instead:
it walks at most ``walk_limit(stop)`` rows first; when those hold ``stop`` matches, or are all the rows
there are, the walk's answer is the answer. Otherwise the words are rarer in this scope; a subclass may
then walk a wider window when the first one says the query is common enough for walking on to cost
less than the index (``wider_window``), and else the index answers. A rare query pays for one short
walk; a common one never reads all its matches.

Subclasses say how to walk and how to ask the index; both must return exactly the same keys as the one
plain query they replace (tests compare them). This module holds no SQL: the apps own their tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import contextmanager

from django.db import connections, transaction


def walk_limit(stop: int, *, factor: float, maximum: int) -> int:
    """Rows the walk may read for ``stop`` results: ``factor`` × √stop, at most ``maximum``.

    Reading one more row in the walk costs about as much as reading one more match from the index. If
    the query matches a share *p* of the scope, the walk reads ``stop / p`` rows and the index
    ``p · N``; the bound makes the walk give up once *p* is below about √stop / factor, where the index
    starts to be cheaper. The best factor grows as √N (the rows a query could match): measure it."""
    return min(math.ceil(factor * math.sqrt(max(stop, 1))), maximum)


@contextmanager
def planner_settings(using: str = "default", **settings: str):
    """PostgreSQL settings for the statements run inside, in a transaction (a savepoint when one is
    open), then back to the session's values. For a search whose plan is chosen by the application:

    - ``plan_cache_mode="force_custom_plan"``: statements are prepared (ADR 0079), and a generic plan
      does not know the words or the agencies;
    - ``jit="off"``: PostgreSQL compiles a statement whose estimated cost is high, and the estimates
      of a walk that stops early are the cost of walking everything: 0.4 s of compiling for a query
      that runs in 1 ms;
    - ``enable_seqscan="off"``: the index plan is index-driven by design.

    Elsewhere than PostgreSQL, nothing is set."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    names = sorted(settings)
    nested = connection.in_atomic_block  # else the transaction's end puts the session's values back
    with transaction.atomic(using=using), connection.cursor() as cursor:
        marks = ", ".join("set_config(%s, %s, true)" for _ in names)
        cursor.execute(f"SELECT {marks}", [v for n in names for v in (n, str(settings[n]))])  # noqa: S608
        yield
        if nested:
            cursor.execute(
                "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)", [names]
            )


def wider_window(
    limit: int, stop: int, seen: int, *, rows: float, cost_ratio: float, maximum: int
) -> int | None:
    """After a walk of ``limit`` rows found only ``seen`` < ``stop`` matches: the rows a second walk
    should read to find ``stop``, when walking on is cheaper than the index — else None.

    The first window tells how common the query is: a share *p* ≈ seen / limit of the rows. Walking to
    ``stop`` matches reads about stop / p rows; the index reads every match, p · ``rows`` of them (the
    rows the index covers), each ``cost_ratio`` times the price of a walked row. The walk goes on while
    stop / p < cost_ratio · p · rows, i.e. p > √(stop / (cost_ratio · rows)), with a margin of a quarter
    more rows, at most ``maximum``. A query with no match in the first window goes to the index."""
    if seen <= 0 or limit <= 0:
        return None
    share = seen / limit
    if share * share * cost_ratio * max(rows, 1) < stop:
        return None
    wider = math.ceil(1.25 * stop / share)
    return min(wider, maximum) if wider > limit else None


class WalkOrIndex:
    """Slices ``[start:stop]`` of ordered results, each read by the walk or by the index.

    Subclasses define:

    - ``walk(limit, stop)``: the keys of the first ``stop`` matches among the first ``limit`` rows of
      the scope, in order, and whether the scope has ``limit`` rows or more (the window was full). A
      walk that found ``stop`` matches, or read the whole scope, is the answer;
    - ``indexed(start, stop)``: keys ``start``…``stop`` (``stop`` None: to the end) from the index;
    - ``rows(keys)``: the objects for those keys, in their order (default: the keys themselves);
    - optionally ``wider_walk(limit, stop, seen)``: when the first window held only ``seen`` matches,
      a larger window to walk before giving up (``wider_window``), or None (the default: the index).

    ``walk_factor`` and ``walk_max`` bound the walk (``walk_limit``); past ``walk_max`` rows (deep
    offsets) the index answers alone.
    """

    walk_factor: float = 250
    walk_max: int = 20_000

    def walk(self, limit: int, stop: int) -> tuple[list, bool]:
        raise NotImplementedError

    def indexed(self, start: int, stop: int | None) -> list:
        raise NotImplementedError

    def rows(self, keys: Sequence) -> list:
        return list(keys)

    def wider_walk(self, limit: int, stop: int, seen: int) -> int | None:
        return None

    def walk_limit(self, stop: int) -> int:
        return walk_limit(stop, factor=self.walk_factor, maximum=self.walk_max)

    def keys(self, start: int, stop: int | None) -> tuple[list, str]:
        """Keys ``start``…``stop`` and the plan that read them ("walk" or "index")."""
        if stop is not None and stop <= start:
            return [], "walk"
        if stop is not None and stop <= self.walk_max:
            limit = self.walk_limit(stop)
            found, full = self.walk(limit, stop)
            if len(found) >= stop or not full:
                return list(found[start:stop]), "walk"
            wider = self.wider_walk(limit, stop, len(found))
            if wider is not None and wider > limit:
                found, full = self.walk(wider, stop)
                if len(found) >= stop or not full:
                    return list(found[start:stop]), "walk"
        return list(self.indexed(start, stop)), "index"

    def __iter__(self):
        return iter(self._slice(0, None))

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step not in (None, 1) or (key.start or 0) < 0 or (key.stop or 0) < 0:
                raise ValueError(f"{type(self).__name__} takes slices with non-negative bounds and no step.")
            return self._slice(key.start or 0, key.stop)
        rows = self._slice(key, key + 1)
        if not rows:
            raise IndexError(key)
        return rows[0]

    def _slice(self, start: int, stop: int | None) -> list:
        keys, _plan = self.keys(start, stop)
        return self.rows(keys) if keys else []
