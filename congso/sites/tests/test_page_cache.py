"""The lean path of a cached portal page (issue 21): a hit is answered before routing, with the same
headers as the full stack; restricted pages are never stored; a restriction forgets stored pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from congso.sites.testing import announcement

SAME = (
    "Content-Type",
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "Vary",
    "Content-Language",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_a_hit_skips_routing_and_keeps_the_full_stacks_headers(portals, client):
    page = announcement(
        portals.homes["pleiku"], "Thông báo lịch tiếp công dân", user=portals.users["pleiku_approver"]
    )
    miss = client.get(page.url)
    assert miss["X-Cache"] == "miss"
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(page.url)
    # no site lookup, no tree walk, no restriction query: only the cache (a table in the tests)
    assert not [q["sql"] for q in queries if "wagtailcore" in q["sql"] or "session" in q["sql"]]
    assert hit.status_code == 200 and hit["X-Cache"] == "hit"
    assert hit["X-Request-ID"] and hit["X-Request-ID"] != miss["X-Request-ID"]
    for header in SAME:
        assert hit.get(header) == miss.get(header), header
    body = hit.content.decode()
    assert "Thông báo lịch tiếp công dân" in body and "@@CSRF_TOKEN@@" not in body
    assert "csrftoken" in hit.cookies  # the language switch's token is fresh and its cookie set
    # the token in the page is accepted by Django's CSRF check on the language switch
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    client.cookies["csrftoken"] = hit.cookies["csrftoken"].value
    switch = client.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": page.url})
    assert switch.status_code == 302


def test_english_readers_get_their_own_stored_page(portals, client):
    page = announcement(portals.homes["pleiku"], "Thông báo", user=portals.users["pleiku_approver"])
    assert client.get(page.url)["X-Cache"] == "miss"
    english = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Cache"] == "miss" and english["Content-Language"] == "en"
    again = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en")
    assert again["X-Cache"] == "hit" and again["Content-Language"] == "en"


def test_a_restricted_page_is_never_stored(portals, client, django_capture_on_commit_callbacks):
    page = announcement(portals.homes["iagrai"], "Thông báo nội bộ", user=portals.users["iagrai_approver"])
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau-thon"
        )
    for _ in range(2):
        response = client.get(page.url)
        assert response.status_code == 200
        assert "Nội dung thông báo." not in response.content.decode()  # Wagtail's password form instead
        assert response.get("X-Cache") != "hit"
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert client.get(page.url)["X-Cache"] == "miss"
    assert client.get(page.url)["X-Cache"] == "hit"


def test_a_new_restriction_forgets_the_stored_page(portals, client, django_capture_on_commit_callbacks):
    page = announcement(portals.homes["iagrai"], "Thông báo thôn", user=portals.users["iagrai_approver"])
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302  # to the sign-in page: Wagtail's restriction, not the stored copy


def test_a_session_cookie_takes_the_full_stack(portals, client):
    page = announcement(portals.homes["pleiku"], "Thông báo", user=portals.users["pleiku_approver"])
    client.get(page.url)
    client.force_login(portals.users["pleiku_approver"])
    response = client.get(page.url)
    assert response.get("X-Cache") is None  # signed in: rendered, never served from the cache


def test_any_path_makes_a_safe_key(portals, client):
    """A path may carry a NUL or 2,000 bytes: the stored key is a digest that every backend takes (a
    PostgreSQL text column refuses NUL; memcached refuses spaces and keys over 250 bytes)."""
    from django.core.cache.backends.base import memcache_key_warnings
    from django.test import RequestFactory

    from congso.sites.cache import page_key

    for path in ("/cong-thong-tin/sitemap.xml\x00", "/cong-thong-tin/" + "dài quá/" * 250):
        key = page_key(RequestFactory().get(path), "vi")
        assert not list(memcache_key_warnings(key)), path
    page = announcement(portals.homes["pleiku"], "Thông báo", user=portals.users["pleiku_approver"])
    assert client.get(page.url + "%00").status_code in (400, 404)
    assert client.get(page.url + "x" * 2000 + "/").status_code == 404
    assert client.get(page.url)["X-Cache"] == "miss"
    assert client.get(page.url)["X-Cache"] == "hit"


def test_only_documents_a_portal_can_show_forget_the_stored_pages(db, django_capture_on_commit_callbacks):
    """Every registered incoming document used to forget every stored portal page: only an outgoing
    document is ever public (documents.selectors.may_show_on_portal), so only its changes do (ADR 0186)."""
    from django.db.models.signals import post_save

    from congso.documents.models import Document
    from congso.sites import cache

    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        post_save.send(sender=Document, instance=Document(direction="in"), created=True)
    assert cache.generation() == before
    with django_capture_on_commit_callbacks(execute=True):
        post_save.send(sender=Document, instance=Document(direction="out"), created=False)
    assert cache.generation() == before + 1
