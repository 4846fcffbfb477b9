"""The information portals' page types (Wagtail, ADR 0166).

The tree: Wagtail's root → ``PortalRoot`` (served at ``/cong-thong-tin/``, lists every portal) → one
``SiteHome`` per unit (the province, each commune, ward or agency that wants a site) → its sections and
articles. A ``SiteHome`` names its directory ``Agency``: editors and approvers of that agency's portal
are the officials the directory gives the roles ``web_editor`` / ``web_approver`` there
(``congso.sites.editors`` keeps Wagtail's groups and page permissions in step with the directory).

Content that the platform already owns is rendered from it, never copied: contacts and structure from
the directory, procedures from the catalogue, the Decision 766 index from the scorecard.

Rich text is Wagtail's sanitised rich text only (a whitelist of features): there is no raw-HTML block.
Every page indexes a diacritic-folded copy of its text (``folded_text``) so "thong bao" finds
"thông báo" (congso.sites.search).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.widgets import SlugInput
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from congso.core.text import fold

from . import cache, feeds, locales, search, selectors

# The rich-text features editors get: no raw HTML, no embeds. Wagtail's converter drops anything else.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("ảnh"))
    alt = blocks.CharBlock(label=_("mô tả ảnh (cho người khiếm thị)"), max_length=250)
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "sites/blocks/image.html"
        label = _("Ảnh")


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("tệp PDF"))
    title = blocks.CharBlock(label=_("tên tệp hiển thị"), max_length=250)

    class Meta:
        icon = "doc-full"
        template = "sites/blocks/attachment.html"
        label = _("Tệp đính kèm")


def body_blocks():
    """The article body's blocks: sanitised rich text, captioned images, PDF attachments, quotes."""
    return [
        ("paragraph", blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Đoạn văn"))),
        ("image", CaptionedImageBlock()),
        ("attachment", AttachmentBlock()),
        ("quote", blocks.BlockQuoteBlock(label=_("Trích dẫn"))),
    ]


def stream_text(value) -> str:
    """Plain text of a StreamField value (for the folded search copy and feeds)."""
    parts = []
    for child in value or []:
        raw = child.value
        if hasattr(raw, "source"):
            parts.append(raw.source)
        elif isinstance(raw, str):
            parts.append(raw)
        elif hasattr(raw, "get"):
            parts.extend(str(raw.get(k) or "") for k in ("caption", "title", "alt"))
    return " ".join(parts)


# The editor's address field (Wagtail's slug input) turns the title into an ASCII address in the
# browser, but its transliteration table lacks most Vietnamese letters ("lịch" became "lch"): these
# formatters run first, as ``core.text.fold`` does on the server ("Định kỳ" → "Dinh ky").
VIETNAMESE_SLUG = [
    (r"[\u0300-\u036f]", ""),  # combining marks, when a title is typed decomposed
    ("[àáạảãâầấậẩẫăằắặẳẵ]", "a"),
    ("[ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ]", "A"),
    ("[èéẹẻẽêềếệểễ]", "e"),
    ("[ÈÉẸẺẼÊỀẾỆỂỄ]", "E"),
    ("[ìíịỉĩ]", "i"),
    ("[ÌÍỊỈĨ]", "I"),
    ("[òóọỏõôồốộổỗơờớợởỡ]", "o"),
    ("[ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ]", "O"),
    ("[ùúụủũưừứựửữ]", "u"),
    ("[ÙÚỤỦŨƯỪỨỰỬỮ]", "U"),
    ("[ỳýỵỷỹ]", "y"),
    ("[ỲÝỴỶỸ]", "Y"),
    ("đ", "d"),
    ("Đ", "D"),
]


def free_slug(parent, title: str, page=None, *, fallback: str = "trang") -> str:
    """An ASCII address from the folded title ("đường" → "duong"), free under ``parent`` ("dinh-ky",
    "dinh-ky-2", …); without a parent, the first one."""
    base = slugify(fold(title))[:80].strip("-") or fallback
    slug, n = base, 2
    while parent is not None and not Page._slug_is_available(slug, parent, page):
        slug, n = f"{base}-{n}", n + 1
    return slug


class PortalPage(Page):
    """Base of every portal page: the folded search copy, the owning portal, the page cache."""

    class Meta:
        abstract = True

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", widget=SlugInput(formatters=VIETNAMESE_SLUG)),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            _("Cho máy tìm kiếm"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], _("Cho trình đơn của trang")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("folded_text"),
        index.FilterField("path"),
    ]

    def own_text(self) -> str:
        return ""

    def full_clean(self, *args, **kwargs):
        # ASCII addresses from the folded title ("đường" → "duong"), before Wagtail's own slug default
        if not self.slug and self.title:
            parent = self.get_parent() if self.path and self.depth and self.depth > 1 else None
            self.slug = free_slug(parent, self.title, self)
        return super().full_clean(*args, **kwargs)

    def folded_text(self) -> str:
        return fold(f"{self.title} {self.search_description} {self.own_text()}")

    def snippet_text(self) -> str:
        """The text a search result quotes from (its title stands apart)."""
        return f"{self.search_description} {self.own_text()}"

    def listing_date(self) -> dt.date | None:
        """The date shown in lists and search results: the page's own date, else its last publication."""
        published = self.last_published_at or self.first_published_at
        return timezone.localdate(published) if published else None

    def site_home(self) -> SiteHome | None:
        """The portal's home in the source tree, for a translation too (its menu, agency and search)."""
        source = locales.source_of(self)
        return source if isinstance(source, SiteHome) else SiteHome.objects.ancestor_of(source).first()

    def route(self, request, path_components):
        """Addresses are the Vietnamese tree's (ADR 0181): a page of another language's tree routes
        through its source, and the page found is replaced by its live translation in the reader's
        language, when an editor wrote one."""
        source = locales.source_of(self)
        if source.pk != self.pk:
            return source.route(request, path_components)
        result = super().route(request, path_components)
        if not path_components:
            translation = locales.reader_translation(self)
            if translation is not None:
                return RouteResult(translation)
        return result

    def get_url_parts(self, request=None):
        """A translation lives at its source page's address (ADR 0181)."""
        source = locales.source_of(self)
        if source.pk != self.pk:
            return source.get_url_parts(request)
        return super().get_url_parts(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["site_home"] = self.site_home()
        context["content_language"] = locales.language_of(self)
        return context

    def serve(self, request, *args, **kwargs):
        return cache.serve_cached(
            self, request, lambda: super(PortalPage, self).serve(request, *args, **kwargs)
        )


class PortalRoot(PortalPage):
    """``/cong-thong-tin/``: the list of every unit's portal."""

    intro = RichTextField(_("giới thiệu"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["sites.SiteHome"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "sites/portal_root.html"

    class Meta:
        verbose_name = _("danh mục cổng thông tin")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["homes"] = SiteHome.objects.child_of(self).live().select_related("agency").order_by("path")
        return context


class SiteHome(RoutablePageMixin, PortalPage):
    """A unit's portal: its home page lists the latest news and announcements and its sections."""

    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="portal_homes",
        verbose_name=_("cơ quan, đơn vị chủ quản"),
    )
    intro = RichTextField(_("giới thiệu"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["sites.PortalRoot"]
    subpage_types = [
        "sites.SectionPage",
        "sites.ContactsPage",
        "sites.ProceduresPage",
        "sites.StatisticsPage",
        "sites.OpenDataPage",
    ]
    content_panels = [*Page.content_panels, FieldPanel("agency"), FieldPanel("intro")]
    template = "sites/site_home.html"

    class Meta:
        verbose_name = _("trang chủ cổng thông tin")

    def own_text(self) -> str:
        return self.intro

    def clean(self):
        """One home per agency and language (ADR 0181: the English tree's home shares its agency). Not a
        database constraint: ``locale`` lives in Wagtail's page table; ``services.create_portal`` locks the
        agency's row."""
        super().clean()
        others = SiteHome.objects.filter(agency_id=self.agency_id, locale_id=self.locale_id).exclude(
            pk=self.pk
        )
        if self.agency_id and others.exists():
            raise ValidationError({"agency": _("Cơ quan này đã có cổng thông tin.")})

    def articles(self):
        return (
            Page.objects.live()
            .public()
            .descendant_of(self)
            .type(NewsPage, AnnouncementPage)
            .specific()
            .order_by("-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest"] = self.articles()[:8]
        context["sections"] = self.get_children().live().public().in_menu()
        context["related"] = related_portals(self)
        context["documents"] = selectors.legal_documents(self.agency)
        context["calendars"] = selectors.work_calendars(self.agency)
        context["disclosure"] = selectors.disclosure(self.agency)
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The home page, through the page cache like every other portal page."""
        return cache.serve_cached(
            self, request, lambda: super(SiteHome, self).index_route(request, *args, **kwargs)
        )

    @path("tim-kiem/", name="search")
    def search_view(self, request):
        return search.search_page(request, self)

    @path("rss/", name="rss")
    def rss_view(self, request):
        return feeds.SiteFeed()(request, home=self)


def related_portals(home: SiteHome) -> list[SiteHome]:
    """Portals of related agencies (Decree 42): the parent agency's, its children's, then the province's."""
    agency = home.agency
    ids = [a for a in (agency.parent_id,) if a] + list(agency.children.values_list("id", flat=True))
    homes = SiteHome.objects.live().filter(locales.in_source()).exclude(pk=home.pk).select_related("agency")
    found = list(homes.filter(agency_id__in=ids))
    if not found:
        found = list(homes[:10])
    return found


class SectionPage(PortalPage):
    """A section that lists its children (Tin tức, Thông báo, Kế hoạch, Ngân sách …)."""

    intro = RichTextField(_("giới thiệu"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["sites.SiteHome", "sites.SectionPage"]
    subpage_types = [
        "sites.SectionPage",
        "sites.NewsPage",
        "sites.AnnouncementPage",
        "sites.PlanPage",
        "sites.BudgetPage",
        "sites.InvestmentPage",
        "sites.QuestionPage",
    ]
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "sites/section.html"

    class Meta:
        verbose_name = _("chuyên mục")

    def own_text(self) -> str:
        return self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.get_children().live().public().specific().order_by("-first_published_at")
        return context


class ArticlePage(PortalPage):
    """What news and announcements share: a date, a summary, a body of sanitised blocks."""

    date = models.DateField(_("ngày đăng"), default=dt.date.today)
    summary = models.TextField(
        _("tóm tắt"),
        max_length=600,
        blank=True,
        help_text=_(
            "Một, hai câu in đậm ở đầu bài và trong danh sách tin; không cần chép lại vào phần nội dung."
        ),
    )
    body = StreamField(body_blocks(), verbose_name=_("nội dung"), blank=True)

    parent_page_types = ["sites.SectionPage"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    template = "sites/article.html"

    class Meta:
        abstract = True

    def own_text(self) -> str:
        return f"{self.summary} {stream_text(self.body)}"

    def listing_date(self) -> dt.date | None:
        return self.date

    def lead(self) -> str:
        """The summary shown above the body, unless the body already says it (shown once, not twice)."""
        summary = fold(self.summary)
        if summary and summary in fold(search.plain_text(stream_text(self.body))):
            return ""
        return self.summary


class NewsPage(ArticlePage):
    template = "sites/article.html"

    class Meta:
        verbose_name = _("tin tức")
        verbose_name_plural = _("tin tức")


class AnnouncementPage(ArticlePage):
    template = "sites/article.html"
    issuer = models.CharField(_("cơ quan thông báo"), max_length=255, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    content_panels = [
        *ArticlePage.content_panels,
        MultiFieldPanel([FieldPanel("issuer"), FieldPanel("valid_until")], heading=_("Thông báo")),
    ]

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")


class ContactsPage(PortalPage):
    """The organisation's structure, functions, leaders and contacts, read from the directory."""

    functions = RichTextField(_("chức năng, nhiệm vụ"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["sites.SiteHome"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("functions")]
    template = "sites/contacts.html"

    class Meta:
        verbose_name = _("cơ cấu tổ chức và liên hệ")

    def own_text(self) -> str:
        return self.functions

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        home = context["site_home"]
        if home is not None:
            context["org"] = selectors.organisation(home.agency, translation.get_language())
        return context


class ProceduresPage(PortalPage):
    """Procedures of the unit, linked into the catalogue (one code per line)."""

    codes = models.TextField(_("mã thủ tục (mỗi dòng một mã)"), blank=True)

    parent_page_types = ["sites.SiteHome"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("codes")]
    template = "sites/procedures.html"

    class Meta:
        verbose_name = _("thủ tục hành chính")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["procedures"] = selectors.procedures(self.codes)
        return context


class StatisticsPage(PortalPage):
    """The Decision 766 service index and the unit's statistics, from the scorecard."""

    parent_page_types = ["sites.SiteHome"]
    subpage_types = []
    template = "sites/statistics.html"

    class Meta:
        verbose_name = _("thống kê, chỉ số phục vụ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        home = context["site_home"]
        if home is not None:
            context["stats"] = selectors.statistics(home.agency)
        return context


class OpenDataPage(PortalPage):
    """Open data: the portal's published content and the unit's statistics as downloadable files."""

    intro = RichTextField(_("giới thiệu"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["sites.SiteHome"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "sites/open_data.html"

    class Meta:
        verbose_name = _("dữ liệu mở")


# --- Decree 42/2022 categories -----------------------------------------------------------------------


class PlanPage(PortalPage):
    """Kế hoạch, chiến lược, quy hoạch (Decree 42, Art. 6)."""

    kind = models.CharField(
        _("loại"),
        max_length=20,
        choices=[
            ("strategy", _("Chiến lược")),
            ("plan", _("Kế hoạch")),
            ("master_plan", _("Quy hoạch")),
            ("programme", _("Chương trình")),
        ],
        default="plan",
    )
    period = models.CharField(_("giai đoạn"), max_length=40, help_text=_("ví dụ 2026–2030"))
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    body = StreamField(body_blocks(), verbose_name=_("nội dung"), blank=True)

    parent_page_types = ["sites.SectionPage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("period"),
        FieldPanel("decision_number"),
        FieldPanel("decision_date"),
        FieldPanel("body"),
    ]
    template = "sites/decree42.html"

    class Meta:
        verbose_name = _("kế hoạch, chiến lược")

    def own_text(self) -> str:
        return f"{self.period} {self.decision_number} {stream_text(self.body)}"

    def facts(self):
        return [
            (_("Loại"), self.get_kind_display()),
            (_("Giai đoạn"), self.period),
            (_("Quyết định phê duyệt"), self.decision_number),
            (_("Ngày phê duyệt"), self.decision_date),
        ]


class BudgetPage(PortalPage):
    """Ngân sách: estimates and settlements published under the State Budget Law (Decree 42, Art. 6)."""

    fiscal_year = models.PositiveSmallIntegerField(_("năm ngân sách"))
    kind = models.CharField(
        _("loại công khai"),
        max_length=20,
        choices=[
            ("estimate", _("Dự toán")),
            ("execution", _("Tình hình thực hiện")),
            ("settlement", _("Quyết toán")),
        ],
        default="estimate",
    )
    revenue = models.DecimalField(
        _("tổng thu (triệu đồng)"), max_digits=16, decimal_places=1, null=True, blank=True
    )
    expenditure = models.DecimalField(
        _("tổng chi (triệu đồng)"), max_digits=16, decimal_places=1, null=True, blank=True
    )
    body = StreamField(body_blocks(), verbose_name=_("nội dung"), blank=True)

    parent_page_types = ["sites.SectionPage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("fiscal_year"),
        FieldPanel("kind"),
        FieldPanel("revenue"),
        FieldPanel("expenditure"),
        FieldPanel("body"),
    ]
    template = "sites/decree42.html"

    class Meta:
        verbose_name = _("công khai ngân sách")

    def own_text(self) -> str:
        return f"{self.fiscal_year} {stream_text(self.body)}"

    def facts(self):
        return [
            (_("Năm ngân sách"), self.fiscal_year),
            (_("Loại công khai"), self.get_kind_display()),
            (_("Tổng thu (triệu đồng)"), self.revenue),
            (_("Tổng chi (triệu đồng)"), self.expenditure),
        ]


class InvestmentPage(PortalPage):
    """Đầu tư công, mua sắm công: a project and its procurement (Decree 42, Art. 6)."""

    investor = models.CharField(_("chủ đầu tư"), max_length=255)
    location = models.CharField(_("địa điểm"), max_length=255, blank=True)
    total_investment = models.DecimalField(
        _("tổng mức đầu tư (triệu đồng)"), max_digits=16, decimal_places=1, null=True, blank=True
    )
    procurement_method = models.CharField(
        _("hình thức lựa chọn nhà thầu"),
        max_length=30,
        choices=[
            ("open_bidding", _("Đấu thầu rộng rãi")),
            ("limited_bidding", _("Đấu thầu hạn chế")),
            ("direct", _("Chỉ định thầu")),
            ("quotation", _("Chào hàng cạnh tranh")),
            ("other", _("Khác")),
        ],
        default="open_bidding",
    )
    status = models.CharField(_("tình trạng"), max_length=150, blank=True)
    body = StreamField(body_blocks(), verbose_name=_("nội dung"), blank=True)

    parent_page_types = ["sites.SectionPage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("investor"),
        FieldPanel("location"),
        FieldPanel("total_investment"),
        FieldPanel("procurement_method"),
        FieldPanel("status"),
        FieldPanel("body"),
    ]
    template = "sites/decree42.html"

    class Meta:
        verbose_name = _("dự án đầu tư công, mua sắm công")

    def own_text(self) -> str:
        return f"{self.investor} {self.location} {self.status} {stream_text(self.body)}"

    def facts(self):
        return [
            (_("Chủ đầu tư"), self.investor),
            (_("Địa điểm"), self.location),
            (_("Tổng mức đầu tư (triệu đồng)"), self.total_investment),
            (_("Hình thức lựa chọn nhà thầu"), self.get_procurement_method_display()),
            (_("Tình trạng"), self.status),
        ]


class QuestionPage(PortalPage):
    """Hỏi đáp: a citizen's question and the unit's public answer (Decree 42, Art. 6)."""

    asker = models.CharField(_("người hỏi"), max_length=150)
    asked_on = models.DateField(_("ngày hỏi"), default=dt.date.today)
    question = models.TextField(_("câu hỏi"), max_length=4000)
    answer = RichTextField(_("trả lời"), features=RICH_TEXT_FEATURES)
    answered_by = models.CharField(_("cơ quan trả lời"), max_length=255, blank=True)

    parent_page_types = ["sites.SectionPage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("asker"),
        FieldPanel("asked_on"),
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("answered_by"),
    ]
    template = "sites/question.html"

    class Meta:
        verbose_name = _("hỏi đáp")

    def own_text(self) -> str:
        return f"{self.question} {self.answer}"

    def listing_date(self) -> dt.date | None:
        return self.asked_on
