"""Use cases of the portals outside Wagtail's editing interface (ADR 0166): opening a portal, and the
editorial journey of news and announcements for the JSON API (ADR 0180)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Locale, Page, Site, WorkflowState
from wagtail.rich_text import RichText

from congso.core import audit
from congso.core.errors import Conflict, InvalidFields, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require
from congso.core.text import fold
from congso.directory.models import Agency

from . import articles, editors, locales, permissions, richtext
from .models import (
    ContactsPage,
    OpenDataPage,
    PortalRoot,
    ProceduresPage,
    SectionPage,
    SiteHome,
    StatisticsPage,
    free_slug,
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


# --- The editorial journey of news and announcements outside /cms/ (the JSON API, ADR 0180) ------------
#
# Each use case locks the page row (or, for a new article, its section's), asks ``permissions`` the one
# question Wagtail's editing interface asks, and then does what that interface does, with the same
# Wagtail calls: a new page and its first revision, a new revision per edit, ``Workflow.start`` (or
# ``WorkflowState.resume`` after changes were asked for), ``TaskState.approve``/``reject`` with the
# comment, ``Revision.publish`` and ``Page.unpublish``, the lock fields with their log entry. Wagtail
# writes its ``PageLogEntry`` for each; ``signals.on_log_entry`` copies publish, unpublish, the workflow's
# steps, locks and unlocks to the audit chain, so the API and the admin are audited by one path.

ARTICLE_KINDS = articles.KINDS
# The section a new article goes to when none is named (the sections every portal opens with).
DEFAULT_SECTION = {"news": "tin-tuc", "announcement": "thong-bao"}
ARTICLE_FIELDS = ("title", "summary", "date", "search_description", "slug")
ANNOUNCEMENT_FIELDS = ("issuer", "valid_until")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ArticleInvalid(InvalidFields):
    """An article Wagtail's validation (``full_clean``) refuses: 422 with the messages by field."""

    status = 422
    code = "invalid_article"


def _article_for_update(page_id: int):
    """The article ``page_id`` with its row locked, read afresh (specific); 404 when it is not one."""
    if not lock(Page, pk=page_id):
        raise NotFound(_("Không tìm thấy tin, bài."))
    page = Page.objects.get(pk=page_id).specific
    if not isinstance(page, tuple(ARTICLE_KINDS.values())):
        raise NotFound(_("Không tìm thấy tin, bài."))
    return page


def _section_for(home: SiteHome, kind: str, section_id: int | None) -> SectionPage:
    sections = SectionPage.objects.descendant_of(home)
    if section_id is not None:
        section = sections.filter(pk=section_id).first()
        if section is None:
            raise ServiceError(_("Chuyên mục này không thuộc cổng thông tin."), field="section")
    else:
        section = sections.child_of(home).filter(slug=DEFAULT_SECTION[kind]).first()
        if section is None:
            raise ServiceError(
                _("Cổng thông tin chưa có chuyên mục “%(slug)s”: hãy chọn chuyên mục.")
                % {"slug": DEFAULT_SECTION[kind]},
                field="section",
            )
    if not ARTICLE_KINDS[kind].can_create_at(section):
        raise ServiceError(
            _("Chuyên mục “%(title)s” không nhận loại bài này.") % {"title": section.title}, field="section"
        )
    return section


def _apply(page, kind: str, data: dict) -> None:
    """Set the article's fields from ``data`` (the keys present), its body through Wagtail's sanitising."""
    extra = sorted(k for k in ANNOUNCEMENT_FIELDS if data.get(k) not in (None, "") and kind != "announcement")
    if extra:
        raise ArticleInvalid({k: [_("Chỉ thông báo có trường này.")] for k in extra})
    errors = {}
    for name in (*ARTICLE_FIELDS, *(ANNOUNCEMENT_FIELDS if kind == "announcement" else ())):
        if name in data and data[name] is not None:
            value = data[name].strip() if isinstance(data[name], str) else data[name]
            # the checks of the editing interface's form field (a TextField's length is checked only there)
            form_field = type(page)._meta.get_field(name).formfield()
            try:
                if name == "title" and not value:
                    raise ValidationError(_("Hãy nhập tiêu đề bài."))
                if name == "slug":
                    if value and not SLUG.fullmatch(value):
                        raise ValidationError(
                            _(
                                "Địa chỉ chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: lich-tiep-dan)."
                            )
                        )
                    if not value:
                        continue  # made from the title
                form_field.clean(value)
            except ValidationError as exc:
                errors[name] = exc.messages
            setattr(page, name, value)
    if errors:
        raise ArticleInvalid(errors)
    if data.get("body") is not None:
        paragraph = type(page)._meta.get_field("body").stream_block.child_blocks["paragraph"]
        stored = richtext.clean(data["body"], paragraph.features, field="body")
        others = [child.block_type for child in page.body if child.block_type != "paragraph"]
        if others:
            # images, attachments and quotes are chosen in /cms/; the API's body is the text alone
            raise ServiceError(
                _("Bài có ảnh, tệp đính kèm hoặc trích dẫn: hãy sửa nội dung trong trang biên tập /cms/."),
                code="body_has_media",
                field="body",
            )
        page.body = [("paragraph", RichText(stored))] if stored else []


def _validated(fn):
    """Run ``fn``; Wagtail's and Django's validation errors become ``ArticleInvalid`` (422)."""
    try:
        return fn()
    except ValidationError as exc:
        raise ArticleInvalid.from_django(exc) from exc


@transaction.atomic
def create_article(home_id: int, *, kind: str, data: dict, by, section_id: int | None = None):
    """A new draft article of ``kind`` in portal ``home_id``'s section (default: Tin tức / Thông báo)."""
    home = SiteHome.objects.filter(pk=home_id).first()
    if home is None:
        raise NotFound(_("Không tìm thấy cổng thông tin."))
    permissions.require_portal(by, home)
    if kind not in ARTICLE_KINDS:
        raise ServiceError(
            _("Loại bài phải là “news” (tin tức) hoặc “announcement” (thông báo)."), field="kind"
        )
    section = _section_for(home, kind, section_id)
    lock(Page, pk=section.pk)  # two articles added at once under one section would take one tree path
    section = SectionPage.objects.get(pk=section.pk)
    permissions.require_add(by, section)
    page = ARTICLE_KINDS[kind](owner=by, live=False)
    _apply(page, kind, data)
    if not (page.title or "").strip():
        raise ArticleInvalid({"title": [_("Hãy nhập tiêu đề bài.")]})
    if page.slug:
        if not Page._slug_is_available(page.slug, section):
            raise ArticleInvalid(
                {"slug": [_("Địa chỉ “%(slug)s” đã được dùng trong chuyên mục.") % {"slug": page.slug}]}
            )
    else:
        page.slug = free_slug(section, page.title, fallback="bai-viet")

    def write():
        section.add_child(instance=page)
        page.save_revision(user=by, log_action=True)

    _validated(write)
    return page


@transaction.atomic
def update_article(page_id: int, *, data: dict, by, expected_revision: int | None = None):
    """A new revision of the article with the fields in ``data``; the live version stays until published."""
    page = _article_for_update(page_id)
    permissions.require_article(by, page, "edit")
    if expected_revision is not None and page.latest_revision_id != expected_revision:
        raise Conflict(
            _("Bài đã được sửa sau khi bạn mở (phiên bản %(latest)s): hãy tải lại rồi sửa tiếp.")
            % {"latest": page.latest_revision_id},
            code="stale_revision",
        )
    draft = page.get_latest_revision_as_object()
    _apply(draft, articles.kind_of(page), data)
    if "slug" in data and data["slug"] and not Page._slug_is_available(draft.slug, page.get_parent(), page):
        raise ArticleInvalid(
            {"slug": [_("Địa chỉ “%(slug)s” đã được dùng trong chuyên mục.") % {"slug": draft.slug}]}
        )

    def write():
        if not draft.live:
            draft.save()  # as the editing interface does: a page never published keeps its row current
        draft.save_revision(user=by, log_action=True)

    _validated(write)
    return Page.objects.get(pk=page.pk).specific


@transaction.atomic
def submit_article(page_id: int, *, by):
    """Send the article to its portal's moderation workflow (or back to it after changes were asked)."""
    page = _article_for_update(page_id)
    permissions.require_article(by, page, "submit")
    state = page.workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).first()
    if state is not None:
        state.resume(by)
    else:
        page.get_workflow().start(page, by)
    return Page.objects.get(pk=page.pk).specific


@transaction.atomic
def moderate_article(page_id: int, *, decision: str, by, comment: str = ""):
    """Approve (the last task publishes, as in /cms/) or reject the article's current task, with a comment."""
    if decision not in ("approve", "reject"):
        raise ServiceError(_("Quyết định phải là duyệt hoặc trả lại."), field="decision")
    page = _article_for_update(page_id)
    permissions.require_article(by, page, decision)
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        raise ServiceError(_("Hãy ghi rõ cần sửa gì khi trả lại bài."), field="comment")
    task_state = page.current_workflow_task_state
    page.current_workflow_task.on_action(task_state, by, decision, comment=comment)
    return Page.objects.get(pk=page.pk).specific


@transaction.atomic
def publish_article(page_id: int, *, by):
    """Publish the article's latest revision (a workflow in progress is closed, as in /cms/)."""
    page = _article_for_update(page_id)
    permissions.require_article(by, page, "publish")
    revision = page.latest_revision or page.save_revision(user=by, log_action=True)
    PublishPageRevisionAction(revision, user=by, changed=page.has_unpublished_changes).execute()
    return Page.objects.get(pk=page.pk).specific


@transaction.atomic
def unpublish_article(page_id: int, *, by):
    """Take the article off the portal; its revisions stay, to edit and publish again."""
    page = _article_for_update(page_id)
    permissions.require_article(by, page, "unpublish")
    UnpublishPageAction(page, user=by).execute()
    return Page.objects.get(pk=page.pk).specific


@transaction.atomic
def lock_article(page_id: int, *, by):
    """Lock the article: only its locker (and those Wagtail lets unlock) may change or publish it."""
    page = _article_for_update(page_id)
    permissions.require_article(by, page, "lock")
    page.locked, page.locked_by, page.locked_at = True, by, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    log(instance=page, action="wagtail.lock", user=by)
    return page


@transaction.atomic
def unlock_article(page_id: int, *, by):
    page = _article_for_update(page_id)
    permissions.require_article(by, page, "unlock")
    page.locked, page.locked_by, page.locked_at = False, None, None
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    log(instance=page, action="wagtail.unlock", user=by)
    return page
