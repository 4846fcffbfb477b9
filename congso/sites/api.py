"""The portals' public API under /api/v1/sites (ADR 0166): the portals, their published pages (open data)
and the search without diacritics. Editing stays in Wagtail's interface at /cms/, whose workflow and
permissions are the portals' one editorial path."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from wagtail.models import Page

from congso.core.errors import NotFound
from congso.core.pagination import MAX_OFFSET

from . import locales
from .models import SiteHome
from .search import MAX_QUERY, search_pages

router = Router(tags=["Cổng thông tin điện tử"], auth=None)


class PortalOut(Schema):
    id: int
    title: str
    url: str
    agency_code: str
    agency_name: str


class PageOut(Schema):
    id: int
    title: str
    url: str
    kind: str
    first_published_at: dt.datetime | None
    search_description: str


class PagesOut(Schema):
    items: list[PageOut]
    next_offset: int | None


class PagesQuery(Schema):
    portal: int | None = Field(None, description="id of a portal (SiteHome); all portals when absent")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_QUERY)
    portal: int | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _page_out(page: Page) -> dict:
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.get_url() or "",
        "kind": page.specific_class._meta.model_name if page.specific_class else "page",
        "first_published_at": page.first_published_at,
        "search_description": page.search_description,
    }


def _portal(portal_id: int | None) -> SiteHome | None:
    if portal_id is None:
        return None
    home = SiteHome.objects.live().public().filter(locales.in_source(), pk=portal_id).first()
    if home is None:
        raise NotFound("Không tìm thấy cổng thông tin.")
    return home


@router.get("/portals", response=list[PortalOut], summary="Các cổng thông tin điện tử")
def portals(request):
    return [
        {
            "id": h.pk,
            "title": h.title,
            "url": h.get_url() or "",
            "agency_code": h.agency.code,
            "agency_name": h.agency.name,
        }
        for h in SiteHome.objects.live()
        .public()
        .filter(locales.in_source())
        .select_related("agency")
        .order_by("path")
    ]


@router.get("/pages", response=PagesOut, summary="Bài viết đã đăng (dữ liệu mở)")
def pages(request, f: Query[PagesQuery]):
    home = _portal(f.portal)
    qs = (
        Page.objects.live()
        .public()
        .filter(locales.in_source(), depth__gt=3)
        .order_by("-first_published_at", "-pk")
    )
    if home is not None:
        qs = qs.descendant_of(home)
    rows = list(qs[f.offset : f.offset + f.limit + 1])
    more = len(rows) > f.limit
    return {
        "items": [_page_out(p) for p in rows[: f.limit]],
        "next_offset": f.offset + f.limit if more else None,
    }


@router.get("/search", response=PagesOut, summary="Tìm kiếm không dấu trên các cổng thông tin")
def search(request, f: Query[SearchQuery]):
    home = _portal(f.portal)
    rows = list(search_pages(f.q, within=home)[f.offset : f.offset + f.limit + 1])
    more = len(rows) > f.limit
    return {
        "items": [_page_out(p) for p in rows[: f.limit]],
        "next_offset": f.offset + f.limit if more else None,
    }
