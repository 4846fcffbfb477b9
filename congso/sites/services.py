"""Use cases of the portals outside Wagtail's editing interface (ADR 0166)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from congso.core import audit
from congso.core.errors import ServiceError
from congso.core.permissions import require
from congso.core.text import fold

from . import editors
from .models import (
    ContactsPage,
    OpenDataPage,
    PortalRoot,
    ProceduresPage,
    SectionPage,
    SiteHome,
    StatisticsPage,
)

ROOT_SLUG = "cong-thong-tin"

# The sections every portal opens with (Decree 42/2022, Art. 6: what a portal must publish).
DEFAULT_SECTIONS = [
    ("tin-tuc", "Tin tức"),
    ("thong-bao", "Thông báo"),
    ("ke-hoach", "Kế hoạch, chiến lược, quy hoạch"),
    ("ngan-sach", "Công khai ngân sách"),
    ("dau-tu-cong", "Đầu tư công, mua sắm công"),
    ("hoi-dap", "Hỏi đáp"),
]


@transaction.atomic
def ensure_root() -> PortalRoot:
    """The tree's ``PortalRoot`` under Wagtail's root, and the default Site pointing to it (idempotent)."""
    root = PortalRoot.objects.first()
    if root is None:
        tree_root = Page.get_first_root_node()
        root = tree_root.add_child(
            instance=PortalRoot(
                title="Cổng thông tin điện tử tỉnh Gia Lai", slug=ROOT_SLUG, show_in_menus=False
            )
        )
        root.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=root, is_default_site=True, site_name=root.title
        )
    elif site.root_page_id != root.pk:
        old = site.root_page
        site.root_page = root
        site.site_name = root.title
        site.save()
        # Wagtail's "Welcome" page of a fresh install is left without a site: remove it.
        if old.depth == 2 and old.specific_class is Page and not old.get_children().exists():
            old.delete()
    return root


def portal_slug(agency) -> str:
    return slugify(fold(agency.short_name or agency.name))[:60] or agency.code.lower()


@transaction.atomic
def create_portal(agency, *, title: str, by, slug: str = "", intro: str = "") -> SiteHome:
    """Open ``agency``'s portal with Decree 42's sections, its editor groups and workflow (audited)."""
    require(by, "sites.create_portal", agency, _("Chỉ quản trị hệ thống được mở cổng thông tin mới."))
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Hãy nhập tên cổng thông tin."), field="title")
    if SiteHome.objects.filter(agency=agency).exists():
        raise ServiceError(_("Cơ quan này đã có cổng thông tin."), field="agency")
    root = ensure_root()
    slug = slug or portal_slug(agency)
    if root.get_children().filter(slug=slug).exists():
        raise ServiceError(_("Địa chỉ “%(slug)s” đã được dùng.") % {"slug": slug}, field="slug")
    home = root.add_child(
        instance=SiteHome(title=title, slug=slug, agency=agency, intro=intro, show_in_menus=True)
    )
    home.save_revision(user=by).publish(user=by)
    for section_slug, section_title in DEFAULT_SECTIONS:
        _publish(home, SectionPage(title=section_title, slug=section_slug, show_in_menus=True), by)
    _publish(home, ContactsPage(title="Cơ cấu tổ chức, liên hệ", slug="lien-he", show_in_menus=True), by)
    _publish(home, ProceduresPage(title="Thủ tục hành chính", slug="thu-tuc", show_in_menus=True), by)
    _publish(home, StatisticsPage(title="Thống kê, chỉ số phục vụ", slug="thong-ke", show_in_menus=True), by)
    _publish(home, OpenDataPage(title="Dữ liệu mở", slug="du-lieu-mo", show_in_menus=True), by)
    editors.sync_site(home)
    audit.record("sites.portal_created", obj=home, actor=by, data={"agency": agency.code, "slug": slug})
    return home


def _publish(parent, page, by):
    parent.add_child(instance=page)
    page.save_revision(user=by).publish(user=by)
    return page
