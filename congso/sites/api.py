"""The portals' API under /api/v1/sites.

Public (ADR 0166): the portals, their published pages (open data) and the search without diacritics.

Editorial (ADR 0180), for the officials Wagtail lets edit a portal (its editors and approvers from the
directory, synced into Wagtail's groups; a superuser as in /cms/): the portals they may edit, a portal's
news and announcements with their state (draft, in moderation, changes asked for, live, locked), one
article as its latest revision, a new draft (``POST …/portals/{id}/articles``; the body is HTML cleaned
by Wagtail's converter for the field's features, an element outside them refused with 422), an edit (a
new revision, ``expected_revision`` against a lost update), submit to the portal's moderation workflow,
approve or reject its current task with a comment, publish, unpublish, lock and unlock. Each is a
service in ``services`` behind one permission check in ``permissions`` (Wagtail's page permissions, its
locks and its workflow task), and the same Wagtail calls as /cms/, so the audit chain gets the same
entries (``signals``). A page the caller may not edit is 404; a right they lack 403; a state that does
not allow the action 409."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from wagtail.models import Page

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound
from congso.core.pagination import MAX_OFFSET

from . import articles, locales, permissions, services
from .models import SectionPage, SiteHome
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


# --- The editorial journey (ADR 0180) -----------------------------------------------------------------

ArticleKind = Literal["news", "announcement"]
ArticleStatus = Literal["draft", "in_moderation", "changes_requested", "live", "live_with_draft"]


class SitesEditablePortal(Schema):
    id: int
    title: str
    url: str
    agency_code: str
    agency_name: str
    can_publish: bool = Field(description="the caller may publish there (an approver), not only submit")


class SitesSectionRef(Schema):
    id: int
    title: str


class SitesArticleRow(Schema):
    id: int
    kind: ArticleKind
    title: str = Field(description="the latest revision's title")
    section: SitesSectionRef
    status: ArticleStatus
    status_label: str
    live: bool
    locked: bool
    locked_by: str
    url: str = Field(description="the live address; empty while the article was never published")
    updated_at: dt.datetime | None
    first_published_at: dt.datetime | None


class SitesArticleList(Schema):
    items: list[SitesArticleRow]
    next_offset: int | None


class SitesArticleDetail(SitesArticleRow):
    portal: int
    slug: str
    date: dt.date
    summary: str
    body: str = Field(description="the text of the body, in Wagtail's stored rich-text format")
    has_media: bool = Field(description="the body has images, attachments or quotes: edit it in /cms/")
    search_description: str
    issuer: str = ""
    valid_until: dt.date | None = None
    latest_revision: int | None
    has_unpublished_changes: bool
    task: str = Field(description="the moderation task the article waits at, when in moderation")
    reviewer_comment: str = Field(description="the approver's comment when changes were asked for")
    actions: list[str] = Field(
        description=f"what the caller may do now, among {', '.join(permissions.ARTICLE_ACTIONS)}"
    )


class SitesArticlesQuery(Schema):
    kind: ArticleKind | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SitesArticleIn(Schema):
    kind: ArticleKind
    section: int | None = Field(None, description="a section of the portal; default Tin tức or Thông báo")
    title: str
    summary: str = ""
    body: str = Field("", description="HTML: paragraphs, h2–h4, bold, italic, lists, links, rules")
    date: dt.date | None = None
    search_description: str = ""
    slug: str = Field("", description="the address; made from the title without diacritics when empty")
    issuer: str = Field("", description="announcements only")
    valid_until: dt.date | None = Field(None, description="announcements only")


class SitesArticleChange(Schema):
    """The fields to change (those absent stay as they are)."""

    title: str | None = None
    summary: str | None = None
    body: str | None = None
    date: dt.date | None = None
    search_description: str | None = None
    slug: str | None = None
    issuer: str | None = None
    valid_until: dt.date | None = None
    expected_revision: int | None = Field(
        None, description="the latest_revision the change was made on: 409 when someone saved since"
    )


class SitesModerationIn(Schema):
    comment: str = Field("", max_length=2000, description="required to reject: what must change")


def _portal_for_editing(request, portal_id: int) -> SiteHome:
    home = SiteHome.objects.select_related("agency").filter(locales.in_source(), pk=portal_id).first()
    if home is None:
        raise NotFound(_("Không tìm thấy cổng thông tin."))
    permissions.require_portal(request.auth, home)
    return home


def _article(request, page_id: int):
    page = (
        Page.objects.filter(pk=page_id)
        .type(*articles.KINDS.values())
        .specific()
        .prefetch_workflow_states()
        .select_related("locked_by")
        .first()
    )
    if page is None:
        raise NotFound(_("Không tìm thấy tin, bài."))
    permissions.require_article(request.auth, page, "view")
    return page


def _row(page, section=None) -> dict:
    section = section or page.get_parent()
    state = articles.status(page)
    return {
        "id": page.pk,
        "kind": articles.kind_of(page),
        "title": page.draft_title or page.title,
        "section": {"id": section.pk, "title": section.title},
        "status": state,
        "status_label": str(articles.STATUS_LABELS[state]),
        "live": page.live,
        "locked": page.locked,
        "locked_by": str(page.locked_by) if page.locked_by_id else "",
        "url": (page.get_url() or "") if page.live else "",
        "updated_at": page.latest_revision_created_at,
        "first_published_at": page.first_published_at,
    }


def _detail(request, page) -> dict:
    draft = page.get_latest_revision_as_object()
    task = page.current_workflow_task
    return {
        **_row(page),
        "title": draft.title,
        "portal": page.site_home().pk,
        "slug": draft.slug,
        "date": draft.date,
        "summary": draft.summary,
        "body": "".join(c.value.source for c in draft.body if c.block_type == "paragraph"),
        "has_media": any(c.block_type != "paragraph" for c in draft.body),
        "search_description": draft.search_description,
        "issuer": getattr(draft, "issuer", ""),
        "valid_until": getattr(draft, "valid_until", None),
        "latest_revision": page.latest_revision_id,
        "has_unpublished_changes": page.has_unpublished_changes,
        "task": task.name if task else "",
        "reviewer_comment": articles.reviewer_comment(page),
        "actions": permissions.article_actions(request.auth, page),
    }


def _answer(request, page) -> dict:
    return _detail(request, _article(request, page.pk))


@router.get(
    "/editing/portals",
    response=list[SitesEditablePortal],
    auth=read_auth,
    summary="Các cổng thông tin tôi được biên tập",
)
def editable_portals(request):
    homes = permissions.editable_portals(request.auth).select_related("agency").order_by("path")
    return [
        {
            "id": h.pk,
            "title": h.title,
            "url": h.get_url() or "",
            "agency_code": h.agency.code,
            "agency_name": h.agency.name,
            "can_publish": h.permissions_for_user(request.auth).can_publish(),
        }
        for h in homes
    ]


@router.get(
    "/editing/portals/{portal_id}/articles",
    response=SitesArticleList,
    auth=read_auth,
    summary="Tin tức, thông báo của một cổng và trạng thái biên tập",
)
def portal_articles(request, portal_id: int, f: Query[SitesArticlesQuery]):
    home = _portal_for_editing(request, portal_id)
    rows = list(articles.articles_of(home, f.kind)[f.offset : f.offset + f.limit + 1])
    sections = {s.path: s for s in SectionPage.objects.descendant_of(home)}
    items = [_row(p, sections.get(p.path[: -Page.steplen])) for p in rows[: f.limit]]
    return {"items": items, "next_offset": f.offset + f.limit if len(rows) > f.limit else None}


@router.post(
    "/editing/portals/{portal_id}/articles",
    response={201: SitesArticleDetail},
    auth=write_auth,
    summary="Viết bản nháp tin tức hoặc thông báo",
)
def create_article(request, portal_id: int, payload: SitesArticleIn):
    data = payload.dict(exclude={"kind", "section"})
    page = services.create_article(
        portal_id, kind=payload.kind, section_id=payload.section, data=data, by=request.auth
    )
    return Status(201, _answer(request, page))


@router.get(
    "/editing/articles/{page_id}",
    response=SitesArticleDetail,
    auth=read_auth,
    summary="Một tin, bài (bản mới nhất) và các thao tác được làm",
)
def article(request, page_id: int):
    return _detail(request, _article(request, page_id))


@router.patch(
    "/editing/articles/{page_id}",
    response=SitesArticleDetail,
    auth=write_auth,
    summary="Sửa tin, bài (lưu phiên bản mới)",
)
def update_article(request, page_id: int, payload: SitesArticleChange):
    data = payload.dict(exclude={"expected_revision"}, exclude_unset=True)
    page = services.update_article(
        page_id, data=data, by=request.auth, expected_revision=payload.expected_revision
    )
    return _answer(request, page)


@router.post(
    "/editing/articles/{page_id}/submit", response=SitesArticleDetail, auth=write_auth, summary="Gửi duyệt"
)
def submit_article(request, page_id: int):
    return _answer(request, services.submit_article(page_id, by=request.auth))


@router.post(
    "/editing/articles/{page_id}/approve",
    response=SitesArticleDetail,
    auth=write_auth,
    summary="Duyệt bài (bước duyệt cuối thì bài được đăng)",
)
def approve_article(request, page_id: int, payload: SitesModerationIn):
    page = services.moderate_article(page_id, decision="approve", comment=payload.comment, by=request.auth)
    return _answer(request, page)


@router.post(
    "/editing/articles/{page_id}/reject",
    response=SitesArticleDetail,
    auth=write_auth,
    summary="Trả lại bài để sửa, kèm ý kiến",
)
def reject_article(request, page_id: int, payload: SitesModerationIn):
    page = services.moderate_article(page_id, decision="reject", comment=payload.comment, by=request.auth)
    return _answer(request, page)


@router.post(
    "/editing/articles/{page_id}/publish", response=SitesArticleDetail, auth=write_auth, summary="Đăng bài"
)
def publish_article(request, page_id: int):
    return _answer(request, services.publish_article(page_id, by=request.auth))


@router.post(
    "/editing/articles/{page_id}/unpublish", response=SitesArticleDetail, auth=write_auth, summary="Gỡ bài"
)
def unpublish_article(request, page_id: int):
    return _answer(request, services.unpublish_article(page_id, by=request.auth))


@router.post(
    "/editing/articles/{page_id}/lock", response=SitesArticleDetail, auth=write_auth, summary="Khóa bài"
)
def lock_article(request, page_id: int):
    return _answer(request, services.lock_article(page_id, by=request.auth))


@router.post(
    "/editing/articles/{page_id}/unlock", response=SitesArticleDetail, auth=write_auth, summary="Mở khóa bài"
)
def unlock_article(request, page_id: int):
    return _answer(request, services.unlock_article(page_id, by=request.auth))
