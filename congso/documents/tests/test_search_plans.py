"""Search of documents reads by agency (the walk or the trigram index) and by name on PostgreSQL (ADR
0183): the same rows as the plain query (``selectors.search_plain``: ``visible(user)``, every word, Hỏa
tốc first, then the newest, then the highest id), for every kind of person — văn thư, leaders over a
sub-tree, a division's leader, handlers, named readers of secret documents, drafters, strangers — with
common, rare and absent words, at several limits. On SQLite ``search`` is the plain query: the same
comparisons hold there too."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from congso.core.text import fold
from congso.documents import search as plans
from congso.documents import selectors
from congso.documents.models import Assignment, Document, DocumentType, SecretReader
from congso.documents.permissions import agency_scopes

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search's plans")

QUERIES = [
    "van ban",  # every document
    "chuyển đổi số",  # one in three
    "ho tich",  # one in five
    "Đường Hùng Vương",  # one in seven, with diacritics and "đ"
    "ia grai hra",  # two documents
    "khong co dau",  # none
]
USERS = [
    "clerical",  # văn thư of the Justice department: its documents, not the secret ones
    "leader",  # leads Justice with its sub-tree (the civil division): everything there, secret too
    "head_civil",  # leads the civil division only
    "officer",  # an officer of the division: assigned, named, own drafts
    "cx_clerical",
    "cx_leader",
    "cx_officer",
    "other_admin",  # administers Construction: sees no document
    "ioc_viewer",
    "citizen",
]


def _subject(i: int) -> str:
    words = ["Văn bản số", str(i)]
    if i % 3 == 0:
        words.append("về công tác chuyển đổi số")
    if i % 5 == 1:
        words.append("thủ tục hộ tịch")
    if i % 7 == 2:
        words.append("trên đường Hùng Vương")
    if i in (11, 52):
        words.append("xã Ia Grai, xã Hra")
    return " ".join(words)


@pytest.fixture
def corpus(world):
    """72 documents in Justice, its civil division and Construction: incoming and outgoing, secret ones,
    urgencies, creation times with ties (then the id decides) not in the order of creation; handlers
    assigned, readers named, drafts owned."""
    u = world.users
    kinds = list(DocumentType.objects.order_by("pk")[:5])
    agencies = [world.agencies["justice"], world.agencies["justice_civil"], world.agencies["construction"]]
    drafters = [u["officer"], u["clerical"], u["cx_officer"]]
    start = timezone.now() - dt.timedelta(days=30)
    docs = []
    for i in range(72):
        incoming = i % 2 == 0
        doc = Document(
            direction="in" if incoming else "out",
            agency=agencies[i % 3],
            status="registered" if incoming else "draft",
            source="paper" if incoming else "drafted",
            doc_type=kinds[i % 5],
            subject=_subject(i),
            symbol=f"{i}/VB",
            secrecy="mat" if i % 9 == 4 else "",
            urgency=3 if i % 17 == 0 else (1 if i % 4 == 1 else 0),
            created_by=u["clerical"] if incoming else drafters[i % 3],
            created_at=start + dt.timedelta(hours=(i * 37) % 23),
        )
        doc.refresh_search()
        docs.append(doc)
    Document.objects.bulk_create(docs)
    for doc in docs:
        if doc.direction == "in" and doc.pk % 4 in (0, 1):
            Assignment.objects.create(document=doc, user=u["officer"], kind="lead")
        if doc.direction == "in" and doc.pk % 5 == 0:
            Assignment.objects.create(document=doc, user=u["cx_officer"], kind="co")
        if doc.secrecy and doc.pk % 2 == 0:
            SecretReader.objects.create(document=doc, user=u["officer"])
    return world


def _plain(user, query, limit=50) -> list[int]:
    return [d.pk for d in selectors.search_plain(user, query, limit=limit)]


def _ids(keys) -> list[int]:
    return [k[2] for k in keys]


def test_the_corpus_is_what_the_queries_need(corpus):
    clerical = corpus.users["clerical"]
    seen = selectors.visible(clerical).count()
    assert 20 < seen < 72
    assert len(_plain(clerical, "van ban", limit=100)) == seen
    assert _plain(clerical, "khong co dau") == []
    assert 0 < len(_plain(corpus.users["leader"], "ia grai hra")) <= 2
    assert Document.objects.values("created_at").distinct().count() < 72  # ties: the id decides


def test_search_lists_what_the_plain_query_lists(corpus):
    for key in USERS:
        user = corpus.users[key]
        for query in QUERIES:
            for limit in (1, 4, 50):
                found = [d.pk for d in selectors.search(user, query, limit=limit)]
                assert found == _plain(user, query, limit), (key, query, limit)


def test_search_of_nothing_is_empty(corpus):
    assert selectors.search(corpus.users["clerical"], "  ") == []
    assert selectors.search(corpus.users["clerical"], "!!") == []
    assert selectors.search(corpus.users["clerical"], "van ban", limit=0) == []


def test_secret_documents_only_to_leaders_and_named_readers(corpus):
    u = corpus.users
    secret = set(Document.objects.exclude(secrecy="").values_list("pk", flat=True))
    named = set(SecretReader.objects.filter(user=u["officer"]).values_list("document_id", flat=True))
    for key in USERS:
        found = {d.pk for d in selectors.search(u[key], "van ban", limit=100)} & secret
        if key == "leader":
            justice = {corpus.agencies["justice"].pk, corpus.agencies["justice_civil"].pk}
            assert found == set(
                Document.objects.filter(pk__in=secret, agency_id__in=justice).values_list("pk", flat=True)
            )
        elif key == "officer":
            assert found == named
        elif key not in ("head_civil", "cx_leader"):
            assert found == set(), key


@postgresql_only
def test_by_role_and_by_name_together_are_visible(corpus):
    """The agencies read by role and the documents read by name make up ``visible(user)`` exactly."""
    words = fold("van ban").split()
    for key in USERS:
        user = corpus.users[key]
        by_role = set(_ids(plans.AgencyScope(agency_scopes(user), words).indexed(0, None)))
        by_name = set(_ids(plans.by_name(user, words, 1000)))
        assert by_role | by_name == set(selectors.visible(user).values_list("pk", flat=True)), key


@postgresql_only
@pytest.mark.parametrize("merge_max", [100, 1])  # one index scan per agency, merged; or every document
def test_the_walk_and_the_index_give_the_same_rows(corpus, monkeypatch, merge_max):
    monkeypatch.setattr(plans, "MERGE_MAX", merge_max)
    for key in ("clerical", "leader", "cx_leader", "officer"):
        scopes = agency_scopes(corpus.users[key])
        for query in QUERIES:
            scope = plans.AgencyScope(scopes, fold(query).split())
            for stop in (1, 3, 10, 50):
                expected = scope.indexed(0, stop)
                for limit in (2, 5, 20, 1000):  # small windows fill up, large ones hold everything
                    walked, full = scope.walk(limit, stop)
                    if len(walked) >= stop or not full:
                        assert walked == expected, (key, query, stop, limit)
                    else:  # the first matches, in order: the rest lies past the window
                        assert walked == expected[: len(walked)], (key, query, stop, limit)
                assert scope.walk(1000, stop) == (expected, False), (key, query, stop)
                assert scope.indexed(1, stop) == expected[1:]  # slices past the first row


@postgresql_only
def test_the_walk_answers_common_words_and_the_index_rare_ones(corpus, monkeypatch):
    user = corpus.users["leader"]
    words = fold("van ban").split()
    scope = plans.AgencyScope(agency_scopes(user), words)
    monkeypatch.setattr(plans.AgencyScope, "walk_factor", 3)  # a window of 3·√stop rows
    assert scope.keys(0, 4)[1] == "walk"  # every document matches: four rows read
    rare = plans.AgencyScope(agency_scopes(user), fold("ia grai hra").split())
    keys, plan = rare.keys(0, 4)
    assert plan == "index"  # six rows walked hold no match, and there are more
    assert _ids(keys) == _plain(user, "ia grai hra", 4)
    monkeypatch.setattr(plans.AgencyScope, "walk_factor", 10_000)
    assert rare.keys(0, 4) == (keys, "walk")  # the window holds every document: the walk is exact


@postgresql_only
def test_a_first_window_with_some_matches_walks_a_wider_one_when_that_is_cheaper(corpus, monkeypatch):
    user = corpus.users["leader"]
    scope = plans.AgencyScope(agency_scopes(user), fold("chuyen doi so").split())
    monkeypatch.setattr(plans.AgencyScope, "walk_factor", 2)  # 7 rows for 10
    first, full = scope.walk(scope.walk_limit(10), 10)
    assert full and 0 < len(first) < 10  # some matches, not enough
    expected = _ids(scope.indexed(0, 10))
    # a large table: the index would read many matches, walking on is cheaper
    monkeypatch.setattr(plans.AgencyScope, "_table_rows", lambda self: 1_000_000.0)
    keys, plan = scope.keys(0, 10)
    assert (plan, _ids(keys)) == ("walk", expected)
    # a small one: the index reads few
    monkeypatch.setattr(plans.AgencyScope, "_table_rows", lambda self: 10.0)
    keys, plan = scope.keys(0, 10)
    assert (plan, _ids(keys)) == ("index", expected)


@postgresql_only
def test_past_merge_max_agencies_the_walk_reads_every_document(corpus, monkeypatch):
    """A person over many agencies: the walk reads every document in the search's order and tests the
    agency like the words; its window counts every document, so a small share of them gives up to the
    index."""
    monkeypatch.setattr(plans, "MERGE_MAX", 1)
    for key in ("leader", "cx_clerical"):
        user = corpus.users[key]
        scope = plans.AgencyScope(agency_scopes(user), fold("van ban").split())
        assert scope.keys(0, 5)[1] == "walk"
        for query in QUERIES:
            for limit in (1, 5, 50):
                found = [d.pk for d in selectors.search(user, query, limit=limit)]
                assert found == _plain(user, query, limit), (key, query, limit)
    monkeypatch.setattr(plans.AgencyScope, "walk_factor", 3)
    scope = plans.AgencyScope(agency_scopes(corpus.users["cx_clerical"]), fold("ia grai hra").split())
    assert scope.keys(0, 1)[1] == "index"


def _explain(sql, params) -> str:
    with connection.cursor() as cursor:
        # a tiny table, where reading everything costs nothing: show that the indexes serve the order
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(r[0] for r in cursor.fetchall())


@postgresql_only
def test_each_plan_reads_its_index(corpus, monkeypatch):
    """The walk merges one ordered scan of ``documents_doc_search_order`` per agency (no sort of every
    document); past ``MERGE_MAX`` it reads ``documents_doc_search_all``. (The index plan's use of the
    trigram index shows at scale only: docs/benchmarks.md.)"""
    scope = plans.AgencyScope(agency_scopes(corpus.users["leader"]), fold("chuyen doi so").split())
    window, params = scope._window(50)
    plan = _explain(window, params)
    assert "Merge Append" in plan and "documents_doc_search_order" in plan
    assert "Sort  (" not in plan
    monkeypatch.setattr(plans, "MERGE_MAX", 1)
    window, params = scope._window(50)
    plan = _explain(window, params)
    assert "documents_doc_search_all" in plan and "Sort  (" not in plan
