"""Search the catalogue: diacritic-insensitive, typo- and word-order-tolerant, name matches first.

The same algorithm runs on SQLite and PostgreSQL (docs/adr/0020-catalog-search.md):

1. The query is folded with ``core.text.fold`` ("Đăng ký" and "dang ky" become the same words).
2. Each word is widened to the catalogue words within a small edit distance (rapidfuzz, optimal string
   alignment, so a swapped pair of letters counts as one typo), using the ``SearchTerm`` vocabulary.
   The last word also matches as a prefix (people search while typing).
3. The database's full-text index answers "procedures containing every word (or one of its variants)":
   FTS5 over the folded columns of ``SearchDocument`` on SQLite, a GIN-indexed ``tsvector('simple', …)`` on PostgreSQL.
4. Matches are ordered by one portable SQL expression: words found in the name (exact above corrected),
   the whole phrase in the name, then shorter names, then code.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from congso.core.text import fold

MAX_VARIANTS = 5
TYPO_RATIO = 5
COMMON_SHARE = 0.02  # a word in 2% of procedures is a real word, not a typo
_CODE_RE = re.compile(r"^\d\.\d{6}(\.[A-Za-z0-9]+)?$")

_vocab_lock = threading.Lock()
_vocab: dict = {"generation": None, "terms": [], "frequency": {}, "by_length": {}, "checked": 0.0}
_variants_cache: dict[str, list[str]] = {}  # token → its typo variants, for the current vocabulary


@dataclass
class QueryWord:
    word: str
    variants: list[str]  # exact word first when the catalogue has it
    prefix: bool = False


def rebuild_vocabulary() -> int:
    """Recount the folded words of all active procedures (after an import)."""
    from collections import Counter

    from .models import SearchDocument, SearchTerm

    counts: Counter = Counter()
    rows = SearchDocument.objects.filter(procedure__is_active=True).values_list("name_folded", "search_text")
    for name, body in rows.iterator(chunk_size=2000):
        counts.update(set(f"{name} {body}".split()))
    generation = (SearchTerm.objects.filter(term="").values_list("frequency", flat=True).first() or 0) + 1
    SearchTerm.objects.all().delete()
    # The row with the empty term carries the vocabulary's generation, so every process reloads it.
    SearchTerm.objects.bulk_create(
        [SearchTerm(term="", frequency=generation)]
        + [SearchTerm(term=term, frequency=n) for term, n in counts.items() if 1 < len(term) <= 64],
        batch_size=2000,
    )
    _vocab["checked"] = 0.0
    _vocab["generation"] = None
    return len(counts)


def _vocabulary() -> tuple[list[str], dict[str, int]]:
    now = time.monotonic()
    if now - _vocab["checked"] < 2.0 and _vocab["generation"] is not None:
        return _vocab["terms"], _vocab["frequency"]
    from .models import SearchTerm

    generation = SearchTerm.objects.filter(term="").values_list("frequency", flat=True).first() or 0
    with _vocab_lock:
        if generation != _vocab["generation"] or not _vocab["terms"]:
            frequency = dict(SearchTerm.objects.exclude(term="").values_list("term", "frequency"))
            by_length: dict[int, list[str]] = {}
            for term in frequency:
                by_length.setdefault(len(term), []).append(term)
            _vocab.update(
                terms=list(frequency), frequency=frequency, by_length=by_length, generation=generation
            )
            _variants_cache.clear()
        _vocab["checked"] = now
    return _vocab["terms"], _vocab["frequency"]


def _max_typos(word: str) -> int:
    if word.isdigit():
        return 0
    if len(word) <= 1:
        return 0
    if len(word) <= 4:
        return 1
    return 2


def _variants(token: str, terms, frequency, top) -> list[str]:
    cached = _variants_cache.get(token)
    if cached is not None:
        return cached
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    known = frequency.get(token, 0)
    common = known >= COMMON_SHARE * top
    variants = [token] if known or not terms else []
    limit = _max_typos(token)
    if limit and terms:
        by_length = _vocab["by_length"]
        candidates = [
            t for n in range(len(token) - limit, len(token) + limit + 1) for t in by_length.get(n, ())
        ]
        found = process.extract(
            token, candidates, scorer=OSA.distance, score_cutoff=limit, limit=60, processor=None
        )
        found.sort(key=lambda item: (item[1], -frequency.get(item[0], 0)))
        for term, _distance, _ in found:
            if term == token or len(variants) >= MAX_VARIANTS:
                continue
            # A word the catalogue knows well is taken as typed; a rare or unknown one is widened
            # to the much more common words it is a typo of ("ki" → "ky").
            if not known or (not common and frequency.get(term, 0) >= TYPO_RATIO * known):
                variants.append(term)
    if len(_variants_cache) > 20000:
        _variants_cache.clear()
    _variants_cache[token] = variants
    return variants


def analyse(query: str) -> list[QueryWord]:
    tokens = fold(query).replace(".", " ").split()[:12]
    if not tokens:
        return []
    terms, frequency = _vocabulary()
    top = max(frequency.values(), default=0)
    words = []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        variants = _variants(token, terms, frequency, top)
        prefix = last and len(token) >= 3 and not token.isdigit()  # "sa*" would match half the catalogue
        if variants or prefix:
            words.append(QueryWord(token, variants, prefix))
    return words


# --- full-text match, per database ---------------------------------------------------------------
# Tiers, each one full-text query: every word exactly in the name; every word in the name counting typo
# variants; every word anywhere (name or body). Within a tier, shorter names come first.


def _options(word: QueryWord, exact_only: bool) -> list[str]:
    return [v for v in word.variants if v == word.word] if exact_only else list(word.variants)


def _fts5_expression(words: list[QueryWord], exact_only=False) -> str | None:
    groups = []
    for word in words:
        options = [f'"{v}"' for v in _options(word, exact_only) if not (word.prefix and v == word.word)]
        if word.prefix:
            options.append(f'"{word.word}"*')
        if not options:
            return None
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def _tsquery_expression(words: list[QueryWord], exact_only=False) -> str | None:
    groups = []
    for word in words:
        options = [v for v in _options(word, exact_only) if not (word.prefix and v == word.word)]
        if word.prefix:
            options.append(f"{word.word}:*")
        if not options:
            return None
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


def _match_sql(words: list[QueryWord], *, name_only=False, exact_only=False) -> tuple[str, list] | None:
    if connection.vendor == "postgresql":
        expression = _tsquery_expression(words, exact_only)
        if expression is None:
            return None
        column = "name_vector" if name_only else "search_vector"
        sql = f"SELECT procedure_id FROM catalog_searchdocument WHERE {column} @@ to_tsquery('simple', %s)"  # noqa: S608
        return (sql, [expression])
    expression = _fts5_expression(words, exact_only)
    if expression is None:
        return None
    if name_only:
        expression = f"name_folded : ({expression})"
    return (
        "SELECT rowid FROM catalog_searchdocument_fts WHERE catalog_searchdocument_fts MATCH %s",
        [expression],
    )


def _count(where, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM catalog_procedure p WHERE " + " AND ".join(where), params)  # noqa: S608
        return cursor.fetchone()[0]


def _fts_count(match_sql: str, match_params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({match_sql}) AS matches", match_params)  # noqa: S608
        return cursor.fetchone()[0]


SMALL_TIER = 1000


def _ranked_page(where, params, tiers, offset, limit, match_param_count, match=None) -> list[int]:
    """Walk the tiers in order, each sorted by (name length, code), skipping ids of earlier tiers.

    ``where`` ends with the full-text match; the conditions before it are filters. A small
    tier (names that match) is fetched from the index as ids and sorted through the primary key; the
    last tier walks the covering index (is_active, name_length, code) and stops at the page's end.
    Only fixed SQL fragments are joined here; every value is a query parameter.
    """
    ids: list[int] = []
    skip, need = offset, limit
    excluded: list[int] = []
    excluded_sql: list[tuple[str, list]] = []
    filters, filter_params = where[:-1], params[: len(params) - match_param_count]  # the match is last
    for tier in [*tiers, None]:
        if need <= 0:
            break
        if tier is not None:
            with connection.cursor() as cursor:
                cursor.execute(tier[0], tier[1])
                tier_ids = [row[0] for row in cursor.fetchall()]
            if len(tier_ids) <= SMALL_TIER:
                tier_where = (
                    [*where, "p.id IN (" + ", ".join(["%s"] * len(tier_ids)) + ")"] if tier_ids else None
                )
                tier_params = [*params, *tier_ids]
                current = ("ids", tier_ids)
            else:
                tier_where = [*filters, f"p.id IN ({tier[0]})"]
                tier_params = [*filter_params, *tier[1]]
                current = ("sql", tier)
        else:
            # The last tier (body matches): a small match set is fetched from the GIN index and sorted
            # through the primary key; only a large one walks the (is_active, name_length, code) index,
            # which then fills a page after a few rows.
            with connection.cursor() as cursor:
                cursor.execute(*match)
                match_ids = [row[0] for row in cursor.fetchall()]
            if len(match_ids) <= SMALL_TIER:
                if not match_ids:
                    break
                tier_where = [*filters, "p.id IN (" + ", ".join(["%s"] * len(match_ids)) + ")"]
                tier_params = [*filter_params, *match_ids]
            else:
                tier_where, tier_params = list(where), list(params)
            current = None
        if tier_where is None:
            continue
        if excluded:
            tier_where.append("p.id NOT IN (" + ", ".join(["%s"] * len(excluded)) + ")")
            tier_params += excluded
        for sql, sql_params in excluded_sql:
            tier_where.append(f"p.id NOT IN ({sql})")
            tier_params += sql_params
        if current is not None:
            if current[0] == "ids":
                excluded += current[1]
            else:
                excluded_sql.append(current[1])
        if skip:
            size = _count(tier_where, tier_params)
            if skip >= size:
                skip -= size
                continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id FROM catalog_procedure p WHERE "  # noqa: S608
                + " AND ".join(tier_where)
                + " ORDER BY p.name_length, p.code LIMIT %s OFFSET %s",
                [*tier_params, need, skip],
            )
            found = [row[0] for row in cursor.fetchall()]
        ids += found
        need -= len(found)
        skip = 0
    return ids


def _filter_sql(level, field, agency, subject, online) -> tuple[list[str], list]:
    where, params = ["p.is_active = %s"], [True]
    if level:
        where.append("p.levels LIKE %s")
        params.append(f"%|{level}|%")
    if field:
        if str(field).isdigit():
            where.append("p.field_id = %s")
            params.append(int(field))
        else:
            where.append("p.field_id IN (SELECT f.id FROM catalog_procedurefield f WHERE f.name = %s)")
            params.append(field)
    if agency:
        where.append(
            "p.id IN (SELECT o.procedure_id FROM catalog_offering o JOIN directory_agency a "
            "ON a.id = o.agency_id WHERE a.code = %s AND o.is_active = %s)"
        )
        params += [agency, True]
    if subject:
        where.append("p.subjects_folded LIKE %s")
        params.append(f"%|{fold(subject)}|%")
    if online:
        where.append("p.online_level = %s")
        params.append(online)
    return where, params


@dataclass
class SearchResult:
    total: int
    items: list
    words: list[QueryWord]


def filtered(level: str = "", field: str = "", agency: str = "", subject: str = "", online: str = ""):
    from .models import Procedure

    qs = Procedure.objects.filter(is_active=True)
    if level:
        qs = qs.filter(levels__contains=f"|{level}|")
    if field:
        qs = qs.filter(field_id=field) if str(field).isdigit() else qs.filter(field__name=field)
    if agency:
        qs = qs.filter(offerings__agency__code=agency, offerings__is_active=True)
    if subject:
        qs = qs.filter(subjects_folded__contains=f"|{fold(subject)}|") if "|" not in subject else qs.none()
    if online:
        qs = qs.filter(online_level=online)
    return qs


def search(
    query: str = "",
    *,
    level: str = "",
    field: str = "",
    agency: str = "",
    subject: str = "",
    online: str = "",
    offset: int = 0,
    limit: int = 20,
) -> SearchResult:
    from .models import Procedure

    query = (query or "").strip()[:200]
    words = analyse(query) if query else []
    base = Procedure.objects.select_related("field").defer("subjects_folded")
    if query and _CODE_RE.match(query):
        exact = filtered(level, field, agency, subject, online).filter(code__iexact=query)
        if exact.exists():
            items = list(base.filter(code__iexact=query)[:1]) if offset == 0 else []
            return SearchResult(1, items, words)
    if query and not words:
        return SearchResult(0, [], words)
    if not words:
        qs = filtered(level, field, agency, subject, online)
        total = qs.count()
        page = list(
            base.filter(pk__in=qs.values("pk")).order_by("field__name", "code")[offset : offset + limit]
        )
        return SearchResult(total, page, words)
    with _prefer_indexes():
        ids, total = _search_ids(words, level, field, agency, subject, online, offset, limit)
    by_id = base.in_bulk(ids) if ids else {}
    return SearchResult(total, [by_id[i] for i in ids if i in by_id], words)


@contextmanager
def _prefer_indexes():
    """PostgreSQL underrates matching a large (TOASTed) tsvector row by row and may pick a sequential
    scan 10-20 times slower than the GIN index; these queries are index-driven by design."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")  # (an error rolls the savepoint back instead)


def _search_ids(words, level, field, agency, subject, online, offset, limit) -> tuple[list[int], int]:
    where, params = _filter_sql(level, field, agency, subject, online)
    match_sql, match_params = _match_sql(words)
    if connection.vendor == "postgresql" and len(where) > 1:
        # With filters, PostgreSQL joins the match to the procedure table by scanning tsvectors row by
        # row; taking the matching ids from the GIN index first keeps both sides indexed.
        with connection.cursor() as cursor:
            cursor.execute(match_sql, match_params)
            match_ids = [row[0] for row in cursor.fetchall()]
        match_sql, match_params = "SELECT unnest(%s::bigint[])", [match_ids]
        where.append("p.id = ANY(%s::bigint[])")  # half the cost of IN (SELECT unnest(...)) here
    else:
        where.append(f"p.id IN ({match_sql})")
    params += match_params
    tiers = [_match_sql(words, name_only=True, exact_only=True)]
    if any(v != w.word for w in words for v in w.variants):
        tiers.append(_match_sql(words, name_only=True))
    tiers = [t for t in tiers if t is not None]
    ids = _ranked_page(
        where, params, tiers, offset, limit, len(match_params), match=(match_sql, match_params)
    )
    if len(where) == 2:  # no filters: count in the full-text index, minus withdrawn procedures
        total = _fts_count(match_sql, match_params) - _count(
            ["p.is_active = %s", where[1]], [False, *match_params]
        )
    else:
        total = _count(where, params)
    return ids, total
