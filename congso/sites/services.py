"""Use cases of the portals outside Wagtail's editing interface (ADR 0166)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page, Site

from congso.core import audit
from congso.core.errors import ServiceError
from congso.core.permissions import require
from congso.core.text import fold
from congso.directory.models import Agency

from . import editors, locales
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
    root = PortalRoot.objects.filter(locales.in_source()).first()
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
    ensure_translation_parents(root)
    for home in SiteHome.objects.filter(locales.in_source()).child_of(root):
        ensure_translation_parents(home)
    return root


def ensure_translation_parents(page) -> None:
    """``page``'s place in every other content language's tree, as an alias (ADR 0181), so an editor can
    translate the portal's pages below it ("Dịch trang" needs the parent translated). Idempotent."""
    for locale in Locale.objects.exclude(language_code=locales.source_language()):
        if page.get_translation_or_none(locale) is None:
            page.copy_for_translation(locale, copy_parents=True, alias=True)


def portal_slug(agency) -> str:
    return slugify(fold(agency.short_name or agency.name))[:60] or agency.code.lower()


@transaction.atomic
def create_portal(agency, *, title: str, by, slug: str = "", intro: str = "") -> SiteHome:
    """Open ``agency``'s portal with Decree 42's sections, its editor groups and workflow (audited)."""
    require(by, "sites.create_portal", agency, _("Chỉ quản trị hệ thống được mở cổng thông tin mới."))
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Hãy nhập tên cổng thông tin."), field="title")
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one home per agency, in turn
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
    ensure_translation_parents(home)
    audit.record("sites.portal_created", obj=home, actor=by, data={"agency": agency.code, "slug": slug})
    return home


def _publish(parent, page, by):
    parent.add_child(instance=page)
    page.save_revision(user=by).publish(user=by)
    return page


@transaction.atomic
def translate(page, language: str, *, by, **fields):
    """A draft of ``page``'s translation into ``language`` with ``fields`` set, saved as a revision by ``by``
    (ADR 0181): what an editor's "Dịch trang" then editing does in /cms/. Wagtail's own action makes the
    copy in the language's tree (its parents are there: ``ensure_translation_parents``); the portal's
    workflow publishes it. Returns the translation (not live until published)."""
    page = Page.objects.select_for_update().get(pk=page.pk).specific
    home = page.site_home()
    if home is None or not locales.is_source(page):
        raise ServiceError(_("Chỉ dịch được trang tiếng Việt của một cổng thông tin."))
    require(by, "sites.edit", home, _("Bạn không được biên tập cổng thông tin này."))
    locale = Locale.objects.filter(language_code=language).exclude(language_code=locales.source_language())
    locale = locale.first()
    if locale is None:
        raise ServiceError(_("Ngôn ngữ “%(language)s” không có trên cổng.") % {"language": language})
    translation = page.get_translation_or_none(locale)
    if translation is None:
        ensure_translation_parents(page.get_parent().specific)
        CopyPageForTranslationAction(page=page, locale=locale, user=by).execute()
        translation = page.get_translation(locale)
    translation = translation.specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.full_clean()
    translation.save_revision(user=by)
    return translation
