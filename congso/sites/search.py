"""Search over every published portal page, without diacritics (Decree 42; ADR 0166).

Every page indexes ``folded_text`` (core.text.fold of its title, summary and body) in Wagtail's database
search backend (SQLite FTS5, PostgreSQL full text with the "simple" configuration); the query is folded
the same way, so "thong bao lich tiep dan" finds "Thông báo lịch tiếp dân" and "đ" matches "d".

Each result shows where it lives (its portal and section), its date and a snippet of its text around
the first word found, the words of the query marked (``<mark>``), matched without diacritics too.

Results are the pages holding every word, the newest first, ten a page with the next page found by
reading one more row: no relevance ranking and no count of every match, which at 100,000 pages cost a
second for a common word (ADR 0178). The total is told once the last page is reached.

On PostgreSQL each slice of the results is read by the cheaper of two plans, chosen from what the data
holds rather than from the planner's guess (ADR 0179): first the newest pages are walked, each probed
for a match, up to a bounded number; when they hold too few matches, the matches are taken from the
GIN index and sorted. Both give exactly the rows of Wagtail's query.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from django.db import connections
from django.template.response import TemplateResponse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

from congso.core import pagination
from congso.core import walk as core_walk
from congso.core.text import fold, strip_diacritics

from . import locales

MAX_QUERY = 200
PER_PAGE = 10
SNIPPET_CHARS = 220
_SPACES = re.compile(r"\s+")


def search_pages(query: str, *, within: Page | None = None):
    """Live, public pages matching every word of ``query`` (folded); ``within``: one portal's tree."""
    folded = fold(query)[:MAX_QUERY]
    if not folded:
        return Page.objects.none()
    # the Vietnamese tree only: a translation is reached at its source's address (ADR 0181)
    source = Locale.objects.get(language_code=locales.source_language())
    pages = (
        Page.objects.live().public().filter(depth__gt=2, locale=source).order_by("-first_published_at", "-id")
    )
    if within is not None:
        pages = pages.descendant_of(within, inclusive=True)
    if connections[pages.db].vendor == "postgresql":
        return NewestFirst(pages, folded)
    return pages.search(folded, operator="and", order_by_relevance=False)


# Pages the newest-first walk may probe for ``stop`` rows: WALK_FACTOR × √stop (ADR 0179), 830 for a page
# of ten (eleven rows). At 100,000 pages a probe (reading and testing a page's vectors) costs somewhat
# more than reading one match from the GIN index (a heap row and its page): the walk wins when the query
# matches more than about one page in WALK_FACTOR / √stop, and a query that matches fewer (a rare word)
# wastes at most that many probes before the index answers. Past WALK_MAX rows the index answers alone.
WALK_FACTOR = 250
WALK_MAX = 20_000


def walk_limit(stop: int) -> int:
    return core_walk.walk_limit(stop, factor=WALK_FACTOR, maximum=WALK_MAX)


class NewestFirst(core_walk.WalkOrIndex):
    """The results of ``search_pages`` on PostgreSQL: Wagtail's matches (every word, folded), the newest
    first; a slice is read by one of two plans (ADR 0179; the slicing is ``core.walk.WalkOrIndex``).

    PostgreSQL estimates the matches of several words by multiplying their frequencies, which may be a
    twentieth of the truth ("duong hung vuong": 443 guessed, 7,666 found), and then reads every match
    from the wide index table and sorts them when walking the newest pages would stop after a few
    hundred. So the choice is made here, on what the data holds:

    1. the walk: the newest ``walk_limit(stop)`` pages in order, each probed for a match through
       the index on ``object_id`` (migration 0005), stopping at ``stop`` matches. A correlated
       ``EXISTS … OFFSET 0`` keeps PostgreSQL from turning the probe into a join over every match;
    2. when those pages hold fewer than ``stop`` matches, and the scope has more pages than that:
       Wagtail's own query over every match (the GIN index), materialised, then sorted.
    """

    def __init__(self, pages, folded: str):
        self.pages = pages
        self.results = pages.search(folded, operator="and", order_by_relevance=False)

    @property
    def walk_max(self) -> int:  # the module's constants, read at each call (tests change them)
        return WALK_MAX

    def walk_limit(self, stop: int) -> int:
        return walk_limit(stop)

    def walk(self, limit: int, stop: int) -> tuple[list[int], bool]:
        ids = self._walk(limit, stop)
        # too few matches among the newest pages, and more pages: the index answers
        full = len(ids) < stop and bool(self.pages.values_list("pk")[limit - 1 : limit])
        return ids, full

    def indexed(self, start: int, stop: int | None) -> list[int]:
        return self._indexed(start, stop)

    def rows(self, keys) -> list[Page]:
        found = self.pages.in_bulk(keys)
        return [found[i] for i in keys if i in found]

    def _walk(self, limit: int, stop: int) -> list[int]:
        """Ids of the first ``stop`` matches among the newest ``limit`` pages, in order."""
        compiler = self.results.query_compiler
        tsquery = compiler.build_tsquery(compiler.query, config=compiler.get_config(self.results.backend))
        sql_compiler = self.pages.query.get_compiler(self.pages.db)
        tsquery_sql, tsquery_params = sql_compiler.compile(tsquery.resolve_expression(self.pages.query))
        window_sql, window_params = self.pages.values_list("id", "first_published_at")[
            :limit
        ].query.sql_with_params()
        sql = (
            f"SELECT w.id FROM ({window_sql}) w WHERE EXISTS ("  # noqa: S608 — compiled SQL, ints
            f"SELECT 1 FROM {IndexEntry._meta.db_table} e WHERE e.object_id = (w.id)::varchar(50)"
            f" AND e.content_type_id = ANY(%s::integer[]) AND (e.title || e.body) @@ {tsquery_sql} OFFSET 0)"
            f" ORDER BY w.first_published_at DESC, w.id DESC LIMIT {int(stop)}"
        )
        params = [*window_params, get_descendants_content_types_pks(Page), *tsquery_params]
        with connections[self.pages.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _indexed(self, start: int, stop: int | None) -> list[int]:
        """Ids of matches ``start``…``stop`` by Wagtail's own query, every match taken from the index
        (a materialised CTE: no walk, whatever the planner guesses), then sorted."""
        matches = self.results.get_queryset().order_by().values_list("id", "first_published_at")
        matches_sql, params = matches.query.sql_with_params()
        sql = (
            f"WITH m AS MATERIALIZED ({matches_sql}) SELECT id FROM m"  # noqa: S608 — compiled SQL, ints
            f" ORDER BY first_published_at DESC, id DESC OFFSET {int(start)}"
        )
        if stop is not None:
            sql += f" LIMIT {int(stop - start)}"
        with connections[self.pages.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


MAX_PAGE = 100  # a thousand results are enough to read; past them, a narrower query


def plain_text(value: str | None) -> str:
    """Readable text of rich text or plain text: no tags, entities decoded, single-spaced, NFC."""
    text = html.unescape(strip_tags(str(value or "")))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = strip_diacritics(char).lower()
    return folded if len(folded) == 1 and folded.isalnum() else " "


def _fold_chars(text: str) -> str:
    """``fold`` character by character, keeping positions: one folded character per character of text
    (each distinct character folded once: a results page folds some 30 texts)."""
    return "".join(map(_fold_char, text))


def _matches(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` where a word starts with one of ``terms`` (compared folded), merged, in order."""
    if not terms:
        return []
    folded = _fold_chars(text)
    pattern = re.compile(r"(?<![0-9a-z])(?:" + "|".join(re.escape(t) for t in terms) + ")")
    spans = sorted((m.start(), m.end()) for m in pattern.finditer(folded))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, the words of the query in ``<mark>``."""
    parts, last = [], 0
    for start, end in _matches(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 — every piece is escaped above


def snippet(text: str, terms: list[str], *, size: int = SNIPPET_CHARS) -> SafeString:
    """About ``size`` characters of ``text`` around the first word of the query found, marked."""
    text = plain_text(text)
    if not text:
        return mark_safe("")
    spans = _matches(text, terms)
    start = 0
    if spans and spans[0][0] > size // 3:
        start = spans[0][0] - size // 3
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    piece = highlight(text[start:end], terms)
    return mark_safe(("… " if start else "") + piece + (" …" if end < len(text) else ""))  # noqa: S308


def _ancestor_titles(pages) -> dict[str, str]:
    """Titles of the portals and sections above ``pages`` (depth 3 and below), by tree path, one query."""
    paths = {p.path[:n] for p in pages for n in range(3 * Page.steplen, len(p.path), Page.steplen)}
    return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))


def results_for(found, query: str, home: Page | None) -> list[dict]:
    """What the results page shows of each page of ``found``: title, where, date and snippet, marked."""
    terms = fold(query).split()
    found = list(found)
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in found]).specific()}
    pages = [specific[p.pk] for p in found if p.pk in specific]  # one query per page type, not per page
    titles = _ancestor_titles(pages)
    rows = []
    for page in pages:
        where = [titles[page.path[:n]] for n in range(3 * Page.steplen, len(page.path), Page.steplen)]
        other_portal = home is None or not page.path.startswith(home.path)
        if where and not other_portal and len(where) > 1:
            where = where[1:]  # the portal is the one searched: name the section only
        text_of = getattr(page, "snippet_text", None)
        rows.append(
            {
                "page": page,
                "title": highlight(page.title, terms),
                "where": " › ".join(where),
                "date": page.listing_date() if hasattr(page, "listing_date") else None,
                "snippet": snippet(text_of() if text_of else page.search_description, terms),
            }
        )
    return rows


def search_page(request, home):
    """The portal's search page: the form, and the results when a query was given (GET, no JavaScript)."""
    query = (request.GET.get("q") or "").strip()
    scope_all = request.GET.get("pham-vi") == "tat-ca"
    error = ""
    results = None
    rows = []
    if len(query) > MAX_QUERY:
        error = _("Từ khoá dài quá %(n)s ký tự.") % {"n": MAX_QUERY}
    elif query:
        found = search_pages(query, within=None if scope_all else home)
        results = pagination.uncounted_page(
            found, request.GET.get("trang"), per_page=PER_PAGE, max_page=MAX_PAGE
        )
        rows = results_for(results.rows, query, None if scope_all else home)
    elif "q" in request.GET:
        error = _("Hãy nhập từ khoá cần tìm.")
    return TemplateResponse(
        request,
        "sites/search.html",
        {
            "page": home,
            "self": home,
            "site_home": home,
            "query": query,
            "scope_all": scope_all,
            "results": results,
            "rows": rows,
            "error": error,
        },
    )
