"""Search over every published portal page, without diacritics (Decree 42; ADR 0166).

Every page indexes ``folded_text`` (core.text.fold of its title, summary and body) in Wagtail's database
search backend (SQLite FTS5, PostgreSQL full text with the "simple" configuration); the query is folded
the same way, so "thong bao lich tiep dan" finds "Thông báo lịch tiếp dân" and "đ" matches "d".
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from congso.core.text import fold

MAX_QUERY = 200
PER_PAGE = 10


def search_pages(query: str, *, within: Page | None = None):
    """Live, public pages matching every word of ``query`` (folded); ``within``: one portal's tree."""
    folded = fold(query)[:MAX_QUERY]
    if not folded:
        return Page.objects.none()
    pages = Page.objects.live().public().filter(depth__gt=2)
    if within is not None:
        pages = pages.descendant_of(within, inclusive=True)
    return pages.search(folded, operator="and")


def search_page(request, home):
    """The portal's search page: the form, and the results when a query was given (GET, no JavaScript)."""
    query = (request.GET.get("q") or "").strip()
    scope_all = request.GET.get("pham-vi") == "tat-ca"
    error = ""
    results = None
    if len(query) > MAX_QUERY:
        error = _("Từ khoá dài quá %(n)s ký tự.") % {"n": MAX_QUERY}
    elif query:
        found = search_pages(query, within=None if scope_all else home)
        paginator = Paginator(found, PER_PAGE)
        results = paginator.get_page(request.GET.get("trang"))
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
            "error": error,
        },
    )
