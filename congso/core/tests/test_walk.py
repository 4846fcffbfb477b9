"""``core.walk``: the walk or the index, chosen from what a first window holds (ADR 0179, 0183). A
search over a list in memory stands for the tables: every slice must be the same whichever plan reads
it."""

import pytest
from django.db import connection

from congso.core.walk import WalkOrIndex, planner_settings, walk_limit, wider_window


class ListSearch(WalkOrIndex):
    """Rows 0…n-1 in order; the matches are those ``matches(row)`` says. Counts what each plan read."""

    walk_factor = 2
    walk_max = 1_000

    def __init__(self, n, matches, *, widen=None):
        self.n, self.matches, self.widen = n, matches, widen
        self.walked, self.asked = [], 0

    def walk(self, limit, stop):
        self.walked.append(limit)
        window = range(min(limit, self.n))
        found = [r for r in window if self.matches(r)][:stop]
        return found, self.n >= limit

    def indexed(self, start, stop):
        self.asked += 1
        every = [r for r in range(self.n) if self.matches(r)]
        return every[start:stop]

    def wider_walk(self, limit, stop, seen):
        return self.widen(limit, stop, seen) if self.widen else None


def test_walk_limit_grows_as_the_square_root_and_stops_at_the_maximum():
    assert walk_limit(1, factor=250, maximum=20_000) == 250
    assert walk_limit(11, factor=250, maximum=20_000) == 830
    assert walk_limit(50, factor=1_400, maximum=20_000) == 9_900
    assert walk_limit(10_000, factor=250, maximum=20_000) == 20_000


def test_wider_window_walks_on_only_when_cheaper_than_the_index():
    # 2,122 rows walked, 30 of 50 matches found (1.4%): walking on reads ~4,400 rows, the index
    # would read 14,000 matches of a million: walk on, a quarter more than needed
    assert wider_window(2_122, 50, 30, rows=1_000_000, cost_ratio=2, maximum=20_000) == 4_421
    # 5 matches (0.24%): the index reads ~2,400 matches; walking on would read ~21,000 rows
    assert wider_window(2_122, 50, 5, rows=1_000_000, cost_ratio=2, maximum=20_000) is None
    # nothing found: the index
    assert wider_window(2_122, 50, 0, rows=1_000_000, cost_ratio=2, maximum=20_000) is None
    # the same share in a small table: the index reads few
    assert wider_window(2_122, 50, 30, rows=10_000, cost_ratio=2, maximum=20_000) is None
    # never more than the maximum
    assert wider_window(2_122, 50, 12, rows=10**9, cost_ratio=2, maximum=5_000) == 5_000


@pytest.mark.parametrize(
    "matches",
    [
        lambda r: True,  # every row
        lambda r: r % 3 == 0,  # common
        lambda r: r % 97 == 5,  # rare
        lambda r: r in (40, 41, 399),  # three rows
        lambda r: False,  # none
    ],
)
@pytest.mark.parametrize("n", [0, 7, 400])
def test_every_slice_is_the_same_whichever_plan_reads_it(matches, n):
    want = [r for r in range(n) if matches(r)]
    for widen in (None, lambda limit, stop, seen: 4 * limit):
        search = ListSearch(n, matches, widen=widen)
        assert list(search) == want
        for start in (0, 1, 5, 10):
            for stop in (1, 2, 10, 11, 50, 2_000):
                assert search[start:stop] == want[start:stop], (n, start, stop)
        if want:
            assert search[0] == want[0]
        with pytest.raises(IndexError):
            search[len(want)]
    with pytest.raises(ValueError):
        ListSearch(n, matches)[::2]


def test_common_queries_are_walked_rare_ones_asked_of_the_index():
    common = ListSearch(400, lambda r: r % 2 == 0)
    assert common.keys(0, 2) == ([0, 2], "walk")
    assert common.walked == [3] and common.asked == 0  # ⌈2·√2⌉ rows
    rare = ListSearch(400, lambda r: r in (40, 41, 399))
    assert rare.keys(0, 10) == ([40, 41, 399], "index")
    assert rare.asked == 1
    small = ListSearch(5, lambda r: r == 4)  # the window holds the whole scope: the walk is exact
    assert small.keys(0, 10) == ([4], "walk") and small.asked == 0


def test_a_wider_window_is_walked_before_the_index():
    search = ListSearch(400, lambda r: r % 10 == 0, widen=lambda limit, stop, seen: 200)
    assert search.keys(0, 10) == ([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], "walk")
    assert search.walked == [7, 200] and search.asked == 0


def test_planner_settings_hold_inside_and_come_back_after(db):
    def jit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            return cursor.fetchone()[0]

    if connection.vendor != "postgresql":
        with planner_settings("default", jit="off"):  # nothing to set
            pass
        return
    before = jit()
    with planner_settings("default", jit="off" if before == "on" else "on"):
        assert jit() != before
    assert jit() == before
