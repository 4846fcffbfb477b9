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
there are, the walk's answer is the answer. Otherwise the words are rare in this scope and the index
answers. A rare query pays for one bounded walk; a common one never reads all its matches.

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
    with transaction.atomic(using=using), connection.cursor() as cursor:
        marks = ", ".join("set_config(%s, %s, true)" for _ in names)
        cursor.execute(f"SELECT {marks}", [v for n in names for v in (n, str(settings[n]))])  # noqa: S608
        yield
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)", [names]
        )


class WalkOrIndex:
    """Slices ``[start:stop]`` of ordered results, each read by the walk or by the index.

    Subclasses define:

    - ``walk(limit, stop)``: the keys of the first ``stop`` matches among the first ``limit`` rows of
      the scope, in order — or ``None`` when those rows hold fewer than ``stop`` matches and the scope
      has more rows than ``limit`` (the walk cannot tell; the index must);
    - ``indexed(start, stop)``: keys ``start``…``stop`` (``stop`` None: to the end) from the index;
    - ``rows(keys)``: the objects for those keys, in their order (default: the keys themselves).

    ``walk_factor`` and ``walk_max`` bound the walk (``walk_limit``); past ``walk_max`` rows (deep
    offsets) the index answers alone.
    """

    walk_factor: float = 250
    walk_max: int = 20_000

    def walk(self, limit: int, stop: int) -> list | None:
        raise NotImplementedError

    def indexed(self, start: int, stop: int | None) -> list:
        raise NotImplementedError

    def rows(self, keys: Sequence) -> list:
        return list(keys)

    def walk_limit(self, stop: int) -> int:
        return walk_limit(stop, factor=self.walk_factor, maximum=self.walk_max)

    def keys(self, start: int, stop: int | None) -> tuple[list, str]:
        """Keys ``start``…``stop`` and the plan that read them ("walk" or "index")."""
        if stop is not None and stop <= start:
            return [], "walk"
        if stop is not None and stop <= self.walk_max:
            found = self.walk(self.walk_limit(stop), stop)
            if found is not None:
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
