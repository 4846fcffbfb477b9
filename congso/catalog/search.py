"""Search the catalogue: diacritic-insensitive, typo- and word-order-tolerant, name matches first.

The same algorithm runs on SQLite and PostgreSQL (docs/adr/0020-catalog-search.md):

1. The query is folded with ``core.text.fold`` ("Đăng ký" and "dang ky" become the same words).
2. Each word is widened to the catalogue words within a small edit distance (rapidfuzz, optimal string
   alignment, so a swapped pair of letters counts as one typo), using the ``SearchTerm`` vocabulary.
   The last word also matches as a prefix (people search while typing).
3. The database's full-text index answers "procedures containing every word (or one of its variants)":
   FTS5 over the folded columns on SQLite, a GIN-indexed ``tsvector('simple', …)`` on PostgreSQL.
4. Matches are ordered by one portable SQL expression: words found in the name (exact above corrected),
   the whole phrase in the name, then shorter names, then code.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from congso.core.text import fold

MAX_VARIANTS = 6
_CODE_RE = re.compile(r"^\d\.\d{6}(\.[A-Za-z0-9]+)?$")

_vocab_lock = threading.Lock()
_vocab: dict = {"generation": None, "terms": [], "frequency": {}, "checked": 0.0}


@dataclass
class QueryWord:
    word: str
    variants: list[str]  # exact word first when the catalogue has it
    prefix: bool = False


def rebuild_vocabulary() -> int:
    """Recount the folded words of all active procedures (after an import)."""
    from collections import Counter

    from .models import Procedure, SearchTerm

    counts: Counter = Counter()
    rows = Procedure.objects.filter(is_active=True).values_list("name_folded", "search_text")
    for name, body in rows.iterator(chunk_size=2000):
        counts.update(set(f"{name} {body}".split()))
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=term, frequency=n) for term, n in counts.items() if 1 < len(term) <= 64],
        batch_size=2000,
    )
    _vocab["checked"] = 0.0
    return len(counts)


def _vocabulary() -> tuple[list[str], dict[str, int]]:
    now = time.monotonic()
    if now - _vocab["checked"] < 2.0 and _vocab["generation"] is not None:
        return _vocab["terms"], _vocab["frequency"]
    from django.db.models import Max

    from .models import SearchTerm

    # Each rebuild recreates the rows, so the highest id identifies the vocabulary's generation.
    generation = SearchTerm.objects.aggregate(top=Max("id"))["top"] or 0
    with _vocab_lock:
        if generation != _vocab["generation"] or not _vocab["terms"]:
            frequency = dict(SearchTerm.objects.values_list("term", "frequency"))
            _vocab.update(terms=list(frequency), frequency=frequency, generation=generation)
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


def analyse(query: str) -> list[QueryWord]:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    tokens = fold(query).replace(".", " ").split()[:12]
    if not tokens:
        return []
    terms, frequency = _vocabulary()
    words = []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        variants = [token] if token in frequency or not terms else []
        limit = _max_typos(token)
        if limit and terms:
            found = process.extract(
                token, terms, scorer=OSA.distance, score_cutoff=limit, limit=40, processor=None
            )
            found.sort(key=lambda item: (item[1], -frequency.get(item[0], 0)))
            for term, _distance, _ in found:
                if term != token and len(variants) < MAX_VARIANTS and abs(len(term) - len(token)) <= limit:
                    variants.append(term)
        prefix = last and len(token) >= 2 and not token.isdigit()
        if variants or prefix:
            words.append(QueryWord(token, variants, prefix))
    return words


# --- full-text match, per database ---------------------------------------------------------------


def _fts5_expression(words: list[QueryWord]) -> str:
    groups = []
    for word in words:
        options = [f'"{v}"' for v in word.variants]
        if word.prefix:
            options.append(f'"{word.word}"*')
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def _tsquery_expression(words: list[QueryWord]) -> str:
    groups = []
    for word in words:
        options = list(word.variants)
        if word.prefix:
            options.append(f"{word.word}:*")
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


def _match_sql(words: list[QueryWord]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return (
            "SELECT id FROM catalog_procedure WHERE search_vector @@ to_tsquery('simple', %s)",
            [_tsquery_expression(words)],
        )
    return (
        "SELECT rowid FROM catalog_procedure_fts WHERE catalog_procedure_fts MATCH %s",
        [_fts5_expression(words)],
    )


def _score(words: list[QueryWord], phrase: str):
    whens = []
    for word in words:
        exact = [v for v in word.variants if v == word.word]
        others = [v for v in word.variants if v != word.word]
        branch = [When(Q(name_folded__contains=f" {v} ") | _edge(v), then=Value(4)) for v in exact]
        if word.prefix:
            branch.append(When(Q(name_folded__contains=f" {word.word}") | _start(word.word), then=Value(3)))
        branch += [When(Q(name_folded__contains=f" {v} ") | _edge(v), then=Value(2)) for v in others]
        whens.append(Case(*branch, default=Value(0), output_field=IntegerField()))
    total = whens[0]
    for expr in whens[1:]:
        total = total + expr
    if len(words) > 1 and phrase:
        total = total + Case(
            When(name_folded__contains=phrase, then=Value(6)), default=Value(0), output_field=IntegerField()
        )
    return total


def _edge(word: str) -> Q:
    """The word at the start or end of the name (name_folded has no padding spaces)."""
    return Q(name_folded__startswith=f"{word} ") | Q(name_folded__endswith=f" {word}") | Q(name_folded=word)


def _start(word: str) -> Q:
    return Q(name_folded__startswith=word)


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
    qs = filtered(level, field, agency, subject, online).select_related("field")
    query = (query or "").strip()[:200]
    words = analyse(query) if query else []
    if query and _CODE_RE.match(query):
        exact = qs.filter(code__iexact=query)
        if exact.exists():
            items = list(exact[:1]) if offset == 0 else []
            return SearchResult(1, items, words)
    if query and not words:
        return SearchResult(0, [], words)
    if words:
        sql, params = _match_sql(words)
        qs = qs.filter(id__in=RawSQL(sql, params))
        phrase = " ".join(w.word for w in words)
        qs = qs.annotate(score=_score(words, phrase), name_length=Length("name_folded")).order_by(
            "-score", "name_length", "code"
        )
    else:
        qs = qs.order_by("field__name", "code")
    total = qs.count()
    items = list(qs[offset : offset + limit]) if total else []
    return SearchResult(total, items, words)
