"""Search the catalogue: diacritic-insensitive, typo- and word-order-tolerant, name matches first.

The same algorithm runs on SQLite and PostgreSQL (docs/adr/0020-catalog-search.md):

1. The query is folded with ``core.text.fold`` ("Đăng ký" and "dang ky" become the same words).
2. Each word is widened to the catalogue words within a small edit distance (rapidfuzz, optimal string
   alignment, so a swapped pair of letters counts as one typo), using the ``SearchTerm`` vocabulary.
   The last word also matches as a prefix (people search while typing).
3. The database's full-text index answers "procedures containing every word (or one of its variants)":
   FTS5 over the folded columns of ``SearchDocument`` on SQLite, a GIN-indexed ``tsvector('simple', …)`` on PostgreSQL.
4. Matches are ranked in tiers (every word exactly in the name, then in the name counting typo variants,
   then anywhere), then shorter names, then code. PostgreSQL answers page and total in one query over
   the search document alone (it carries the filter columns, migration 0003); SQLite counts in FTS5
   first, then sorts a small match set or walks the tiers through the ordering index.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext

from congso.core.text import ascii_digits, fold
from congso.directory.selectors import agency_by_code

from .models import Level, OnlineLevel, Procedure, ProcedureField, SearchDocument, SearchTerm

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
    if connection.vendor == "postgresql":
        # GIN indexes take new rows into a pending list that every search scans until VACUUM merges
        # it; merge it now, after an import, instead of whenever autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
                "WHERE c.relname IN ('catalog_procedure_search_gin', 'catalog_procedure_name_gin')"
            )
    return len(counts)


def _vocabulary() -> tuple[list[str], dict[str, int]]:
    now = time.monotonic()
    if now - _vocab["checked"] < 2.0 and _vocab["generation"] is not None:
        return _vocab["terms"], _vocab["frequency"]

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
# Tiers: every word exactly in the name; every word in the name counting typo variants; every word
# anywhere (name or body). They nest, so a row's tier is the first name query it satisfies. Within a
# tier, shorter names come first.


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


def _filter_sql(level, field, agency, subject, online, table="p", id_column="id") -> tuple[list[str], list]:
    """The filters as SQL over ``table`` (the procedure, or PostgreSQL's search document, which carries
    copies of the same columns; see migration 0003). Only fixed fragments here; values are parameters."""
    t, pk = table, f"{table}.{id_column}"
    where, params = [f"{t}.is_active = %s"], [True]
    if level:
        where.append(f"{t}.levels LIKE %s")
        params.append(f"%|{level}|%")
    if field:
        if ascii_digits(str(field)):
            where.append(f"{t}.field_id = %s")
            params.append(int(field))
        else:
            where.append(f"{t}.field_id IN (SELECT f.id FROM catalog_procedurefield f WHERE f.name = %s)")  # noqa: S608
            params.append(field)
    if agency:
        where.append(
            f"{pk} IN (SELECT o.procedure_id FROM catalog_offering o JOIN directory_agency a "  # noqa: S608
            "ON a.id = o.agency_id WHERE a.code = %s AND o.is_active = %s)"
        )
        params += [agency, True]
    if subject:
        where.append(f"{t}.subjects_folded LIKE %s")
        params.append(f"%|{fold(subject)}|%")
    if online:
        where.append(f"{t}.online_level = %s")
        params.append(online)
    return where, params


def subject_counts() -> list[tuple[str, int]]:
    """Every target subject the active procedures state, with how many state it, most used first.

    Grouped by the database on the whole list (a few hundred distinct lists), then split here; two
    spellings of one subject (same folded form) count as one, under the more frequent spelling."""
    from django.db.models import Count

    rows = (
        Procedure.objects.filter(is_active=True)
        .exclude(subjects="")
        .values_list("subjects")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for subjects, n in rows:
        for subject in {s for s in subjects.strip("|").split("|") if s}:
            key = fold(subject)
            counts[key] = counts.get(key, 0) + n
            spelling = spellings.setdefault(key, {})
            spelling[subject] = spelling.get(subject, 0) + n
    named = [(max(spellings[key].items(), key=lambda kv: (kv[1], kv[0]))[0], n) for key, n in counts.items()]
    return sorted(named, key=lambda item: (-item[1], fold(item[0])))


FILTERS = ("level", "field", "agency", "subject", "online")


def clean_filters(params, *, subjects: list[tuple[str, int]] | None = None) -> tuple[dict, dict]:
    """The search filters of a request, as the HTML page and ``GET /api/v1/procedures`` both read them.

    Returns ``(filters, ignored)``: each valid filter in its canonical form (a field by name or number
    → its name; a subject in any spelling the catalogue folds the same → as the catalogue writes it),
    and for each invalid one a Vietnamese message saying it was left out. One bad value never drops
    the query or the other filters. ``subjects``: ``subject_counts()`` when the caller has it."""

    filters = dict.fromkeys(FILTERS, "")
    ignored: dict[str, str] = {}
    for name in FILTERS:
        raw = params.get(name, "")
        value = (raw if isinstance(raw, str) else "").strip()[:200]
        if not value:
            continue
        shown = value[:60]
        if name == "level":
            ok = value in Level.values
            canonical = value
            message = gettext("Không có cấp thực hiện “%(value)s”; đã bỏ qua bộ lọc này.")
        elif name == "online":
            ok = value in OnlineLevel.values
            canonical = value
            message = gettext("Không có mức độ trực tuyến “%(value)s”; đã bỏ qua bộ lọc này.")
        elif name == "field":
            fields = ProcedureField.objects.values_list("name", flat=True)
            canonical = (
                fields.filter(pk=int(value)).first()
                if ascii_digits(value) and len(value) < 10
                else (fields.filter(name=value).first() or fields.filter(name_folded=fold(value)).first())
            )
            ok = canonical is not None
            message = gettext("Không có lĩnh vực “%(value)s” trong danh mục; đã bỏ qua bộ lọc này.")
        elif name == "agency":
            canonical = value
            ok = agency_by_code(value) is not None
            message = gettext("Không có cơ quan mang mã “%(value)s”; đã bỏ qua bộ lọc này.")
        else:  # subject: any subject the active procedures state
            known = {
                fold(subject): subject for subject, _n in (subject_counts() if subjects is None else subjects)
            }
            canonical = known.get(fold(value))
            ok = canonical is not None
            message = gettext("Không có thủ tục nào dành cho đối tượng “%(value)s”; đã bỏ qua bộ lọc này.")
        if ok:
            filters[name] = canonical
        else:
            ignored[name] = message % {"value": shown}
    return filters, ignored


@dataclass
class SearchResult:
    total: int
    items: list
    words: list[QueryWord]


def filtered(level: str = "", field: str = "", agency: str = "", subject: str = "", online: str = ""):
    qs = Procedure.objects.filter(is_active=True)
    if level:
        qs = qs.filter(levels__contains=f"|{level}|")
    if field:
        qs = qs.filter(field_id=field) if ascii_digits(str(field)) else qs.filter(field__name=field)
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

    query = (query or "").strip()[:200]
    words = analyse(query) if query else []
    base = Procedure.objects.select_related("field").defer("subjects", "subjects_folded")
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
    scan 10-20 times slower than the GIN index; these queries are index-driven by design. They are
    also planned for each call's own words (statements are prepared, ADR 0079): the best plan depends on
    how common the words are, and a generic plan doubled the 95th percentile."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('plan_cache_mode', 'force_custom_plan', true)"
        )
        yield
        # back to the session's values (an error rolls the savepoint back instead)
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings "
            "WHERE name IN ('enable_seqscan', 'plan_cache_mode')"
        )


def _rank_sql(words: list[QueryWord], name_match) -> tuple[str, list]:
    """ORDER BY: the first tier whose name match the row satisfies (exact words, then words with their
    typo variants), then shorter names, then code. A tier that cannot match (a word with no exact
    form in the catalogue) is left out."""
    tiers = [_match_sql(words, name_only=True, exact_only=True)]
    if any(v != w.word for w in words for v in w.variants):
        tiers.append(_match_sql(words, name_only=True))
    tiers = [t for t in tiers if t is not None]
    if not tiers:
        return "", []
    cases = " ".join(f"WHEN {name_match} THEN {rank}" for rank in range(len(tiers)))
    return f"CASE {cases} ELSE {len(tiers)} END, ", [t[1][0] for t in tiers]


def _search_ids(words, level, field, agency, subject, online, offset, limit) -> tuple[list[int], int]:
    if connection.vendor == "postgresql":
        return _search_ids_postgresql(words, level, field, agency, subject, online, offset, limit)
    return _search_ids_sqlite(words, level, field, agency, subject, online, offset, limit)


def _search_ids_postgresql(words, level, field, agency, subject, online, offset, limit):
    """One query over ``catalog_searchdocument`` alone (narrow rows carrying copies of the filter
    columns, see migration 0003): a bitmap scan of the GIN index, the filters and the name tiers
    evaluated on the matching rows, the count as a window, a top-N sort."""
    match_sql, match_params = _match_sql(words)
    where, params = _filter_sql(level, field, agency, subject, online, "d", "procedure_id")
    where.insert(0, "d.search_vector @@ to_tsquery('simple', %s)")
    params.insert(0, match_params[0])
    rank, rank_params = _rank_sql(words, "d.name_vector @@ to_tsquery('simple', %s)")
    condition = " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.procedure_id, COUNT(*) OVER () FROM catalog_searchdocument d "  # noqa: S608
            f"WHERE {condition} ORDER BY {rank}d.name_length, d.code LIMIT %s OFFSET %s",
            [*params, *rank_params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if offset <= 0 and limit > 0:
            return [], 0
        # A page past the end: count on its own.
        cursor.execute(f"SELECT COUNT(*) FROM catalog_searchdocument d WHERE {condition}", params)  # noqa: S608
        return [], cursor.fetchone()[0]


SQLITE_SORT_LIMIT = 1500


def _search_ids_sqlite(words, level, field, agency, subject, online, offset, limit):
    """Count first: without filters in the FTS5 index alone. Up to SQLITE_SORT_LIMIT matches, one
    query driven by the FTS5 match sorts them (tiers as in PostgreSQL). More matches: walk the tiers
    in order, each through the (is_active, name_length, code) index, which stops at the end of the
    page (SQLite runs each ``IN (FTS5 match)`` once into a temporary index)."""
    match_sql, match_params = _match_sql(words)
    filters, filter_params = _filter_sql(level, field, agency, subject, online)
    tiers = [_match_sql(words, name_only=True, exact_only=True)]
    if any(v != w.word for w in words for v in w.variants):
        tiers.append(_match_sql(words, name_only=True))
    tiers = [t for t in tiers if t is not None]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if len(filters) == 1:  # only is_active: count in the FTS5 index, minus withdrawn procedures
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM ({match_sql}) AS m) - (SELECT COUNT(*) "  # noqa: S608
                f"FROM catalog_procedure p WHERE p.is_active = %s AND p.id IN ({match_sql}))",
                [*match_params, False, *match_params],
            )
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM catalog_procedure p WHERE {' AND '.join(filters)} "  # noqa: S608
                f"AND p.id IN ({match_sql})",
                [*filter_params, *match_params],
            )
        total = cursor.fetchone()[0]
        if not total or offset >= total or limit <= 0:
            return [], total
        if total <= SQLITE_SORT_LIMIT:
            rank, rank_params = _rank_sql(
                words,
                "p.id IN (SELECT rowid FROM catalog_searchdocument_fts WHERE catalog_searchdocument_fts MATCH %s)",
            )
            cursor.execute(
                "SELECT p.id FROM catalog_searchdocument_fts f CROSS JOIN catalog_procedure p "  # noqa: S608
                f"ON p.id = f.rowid WHERE f.catalog_searchdocument_fts MATCH %s AND {' AND '.join(filters)} "
                f"ORDER BY {rank}p.name_length, p.code LIMIT %s OFFSET %s",
                [match_params[0], *filter_params, *rank_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()], total
        skip, need = offset, limit
        earlier: list[tuple[str, list]] = []
        for tier_sql, tier_params in [*tiers, (match_sql, match_params)]:
            if need <= 0:
                break
            where = [*filters, f"p.id IN ({tier_sql})", *(f"p.id NOT IN ({sql})" for sql, _ in earlier)]
            params = [*filter_params, *tier_params, *(v for _, values in earlier for v in values)]
            earlier.append((tier_sql, tier_params))
            condition = " AND ".join(where)
            if skip:
                cursor.execute(f"SELECT COUNT(*) FROM catalog_procedure p WHERE {condition}", params)  # noqa: S608
                size = cursor.fetchone()[0]
                if skip >= size:
                    skip -= size
                    continue
            cursor.execute(
                f"SELECT p.id FROM catalog_procedure p WHERE {condition} "  # noqa: S608
                "ORDER BY p.name_length, p.code LIMIT %s OFFSET %s",
                [*params, need, skip],
            )
            found = [row[0] for row in cursor.fetchall()]
            ids += found
            need -= len(found)
            skip = 0
    return ids, total
