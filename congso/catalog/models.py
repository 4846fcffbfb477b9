"""The procedure catalogue (TTHC): procedures, their versions, and each agency's local offering.

A ``Procedure`` is identified by its national code and points at its current ``ProcedureVersion``.
A version is immutable: its ``content`` is the structured record (see ``parser.parse_record``) and a
re-import that changes anything adds a new version, so a dossier can keep a foreign key to the exact
version it was filed under. ``Procedure`` also carries denormalised, folded columns for search and
filtering; the full-text index over them is created by migration 0002 (FTS5 on SQLite, a generated
tsvector with GIN on PostgreSQL), see docs/adr/0020-catalog-search.md.
"""

import re

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.text import fold

# Procedures filed jointly by two people, each an applicant (ADR 0147): the folded name's pattern and
# the label of the second applicant. Marriage is registered by both spouses (Luật Hộ tịch 2014, art. 18).
JOINT_APPLICANT_RULES = (
    (
        re.compile(r"^(?:thu tuc )?dang ky (?:lai )?ket hon\b"),
        _("Bên thứ hai đăng ký kết hôn (vợ hoặc chồng)"),
    ),
)


def joint_applicant_label(name: str) -> str:
    """The second applicant a procedure of this name needs by the rules above; "" for one applicant."""
    folded = fold(name)
    return next((str(label) for pattern, label in JOINT_APPLICANT_RULES if pattern.search(folded)), "")


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 1/7/2025)")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Cơ quan khác")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Trực tuyến toàn trình")
    PARTIAL = "partial", _("Trực tuyến một phần")
    INFO = "info", _("Cung cấp thông tin")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính công ích")


class Currency(models.TextChoices):
    VND = "VND", _("đồng (VND)")
    USD = "USD", _("đô la Mỹ (USD)")
    EUR = "EUR", _("euro (EUR)")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", _("ngày")
    HOURS = "hours", _("giờ")
    WEEKS = "weeks", _("tuần")
    MONTHS = "months", _("tháng")
    YEARS = "years", _("năm")
    MINUTES = "minutes", _("phút")
    # No count: the result is returned at receipt, or by the close of the receipt's working day (ADR 0143).
    IMMEDIATE = "immediate", _("trả ngay")
    SAME_DAY = "same_day", _("trong ngày làm việc")


class ProcedureField(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to (Hộ tịch, Chứng thực, ...)."""

    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.TextField(_("tên thủ tục"))
    field = models.ForeignKey(
        ProcedureField,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    # "|province|commune|": portable containment filters on SQLite and PostgreSQL.
    levels = models.CharField(_("cấp thực hiện"), max_length=100, blank=True, default="")
    # "|Công dân Việt Nam|Doanh nghiệp|": the target subjects as the record states them (the search
    # page's choices, counted), and folded for the filter.
    subjects = models.TextField(_("đối tượng thực hiện"), blank=True, default="", editable=False)
    subjects_folded = models.TextField(blank=True, default="", editable=False)
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.INFO,
    )
    # is_active and online_level are the effective values that search, pages, the API and the portal
    # read; only apply_state() computes them, from the record and the administrator's overrides below,
    # which an import never touches.
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    withdrawn_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True, default="")
    online_level_override = models.CharField(
        _("mức độ trực tuyến do quản trị viên đặt"),
        max_length=10,
        choices=OnlineLevel.choices,
        blank=True,
        default="",
        help_text=_("Để trống để dùng mức độ theo hồ sơ thủ tục."),
    )
    # Whether the law lets a province set this procedure's fee (so an agency may set a local one): the
    # record's guess (content["fee_set_locally"]) unless an administrator states it here.
    local_fee_allowed_override = models.BooleanField(
        _("cho phép địa phương đặt mức phí (quản trị viên xác định)"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Để trống để dùng nhận định từ hồ sơ thủ tục (mức thu do Hội đồng nhân dân tỉnh quyết định)."
        ),
    )
    # A second applicant filing together with the first (the other spouse of a marriage registration):
    # its label, "" for none, or NULL to follow JOINT_APPLICANT_RULES. See ``co_applicant_label``.
    co_applicant_override = models.CharField(
        _("người nộp thứ hai (quản trị viên xác định)"),
        max_length=200,
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Tên gọi người cùng đứng tên hồ sơ, ví dụ “Bên thứ hai đăng ký kết hôn”. Để trống để theo quy tắc "
            "của hệ thống (đăng ký kết hôn: hai bên)."
        ),
    )
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name_length = models.PositiveIntegerField(default=0, editable=False)  # shorter names rank first
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["is_active", "online_level"], name="catalog_proc_active_online"),
            models.Index(fields=["is_active", "name_length", "code"], name="catalog_proc_rank_order"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("catalog:detail", args=[self.code])

    @property
    def co_applicant_label(self) -> str:
        """The label of the second applicant who files with the first, or "" when one applicant files."""
        if self.co_applicant_override is not None:
            return self.co_applicant_override.strip()
        return joint_applicant_label(self.name)

    @property
    def level_list(self) -> list[str]:
        return [level for level in self.levels.strip("|").split("|") if level]

    def get_level_labels(self) -> list[str]:
        labels = dict(Level.choices)
        return [str(labels.get(level, level)) for level in self.level_list]

    def apply_state(self, content: dict | None = None) -> None:
        """Compute the effective ``is_active`` and ``online_level`` — the one place they are decided.

        A procedure an administrator withdrew stays withdrawn, and one whose online level an
        administrator corrected keeps that level, whatever a later import of its record says."""
        if content is None:
            content = self.content
        self.is_active = self.withdrawn_at is None
        self.online_level = self.online_level_override or content.get("online_level") or OnlineLevel.INFO

    @property
    def local_fee_allowed(self) -> bool:
        """May an agency set its own fee? The administrator's statement, else the record's guess."""
        if self.local_fee_allowed_override is not None:
            return self.local_fee_allowed_override
        return bool(self.content.get("fee_set_locally"))

    @property
    def record_online_level(self) -> str:
        """The online level the record gives (before an administrator's correction)."""
        return self.content.get("online_level") or OnlineLevel.INFO

    @property
    def subject_list(self) -> list[str]:
        return [subject for subject in self.subjects.strip("|").split("|") if subject]

    @property
    def content(self) -> dict:
        return self.current_version.content if self.current_version_id else {}


class ProcedureVersion(models.Model):
    """One immutable state of a procedure. Dossiers refer to the version they were filed under."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    content = models.JSONField(_("nội dung"))
    content_hash = models.CharField(max_length=64)
    source = models.CharField(_("nguồn nhập"), max_length=300, blank=True)
    # The portal's own fields as imported, so an export can give them back unchanged.
    source_record = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="catalog_version_unique_number"),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"


class SearchDocument(models.Model):
    """The folded text full-text search indexes, one row per procedure (indexed by migration 0002).

    Kept out of ``Procedure`` so that its rows stay narrow: filters and ordering read many of them.
    """

    procedure = models.OneToOneField(
        Procedure, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    name_folded = models.TextField(blank=True, default="")
    search_text = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("chỉ mục tra cứu")
        verbose_name_plural = _("chỉ mục tra cứu")

    def __str__(self):
        return self.name_folded[:80]


class SearchTerm(models.Model):
    """The vocabulary of the catalogue (folded words and how many procedures use them), for typo fixes."""

    term = models.CharField(max_length=64, unique=True)
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("từ tra cứu")
        verbose_name_plural = _("từ tra cứu")

    def __str__(self):
        return self.term


class Offering(models.Model):
    """An agency offers a procedure, with its local settings (shorter time, local fee, counters, online)."""

    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="offerings"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="offerings"
    )
    is_active = models.BooleanField(_("đang tiếp nhận"), default=True)
    online_open = models.BooleanField(_("mở nộp hồ sơ trực tuyến"), default=False)
    local_time_value = models.DecimalField(
        _("thời hạn giải quyết tại địa phương"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    local_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, blank=True, default=""
    )
    # A local fee per submission channel, each in its currency (0 = free); only where the law lets the
    # province set the fee (Procedure.local_fee_allowed).
    local_fee_in_person = models.DecimalField(
        _("mức phí, lệ phí tại địa phương — nộp trực tiếp"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    local_fee_in_person_currency = models.CharField(
        _("đơn vị tiền — nộp trực tiếp"), max_length=3, choices=Currency.choices, default=Currency.VND
    )
    local_fee_online = models.DecimalField(
        _("mức phí, lệ phí tại địa phương — nộp trực tuyến"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    local_fee_online_currency = models.CharField(
        _("đơn vị tiền — nộp trực tuyến"), max_length=3, choices=Currency.choices, default=Currency.VND
    )
    local_fee_post = models.DecimalField(
        _("mức phí, lệ phí tại địa phương — nộp qua bưu chính"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    local_fee_post_currency = models.CharField(
        _("đơn vị tiền — nộp qua bưu chính"), max_length=3, choices=Currency.choices, default=Currency.VND
    )
    local_fee_note = models.CharField(_("ghi chú về phí, lệ phí"), max_length=500, blank=True)
    # The provincial decision that set the local time limit or fee (number and date), so a local term
    # that differs from the national catalogue is not reported as an inconsistency (ADR 0155).
    local_decision = models.CharField(
        _("quyết định của địa phương về thời hạn, phí"), max_length=200, blank=True, default=""
    )
    counters = models.TextField(_("nơi tiếp nhận (quầy, địa chỉ)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("thủ tục cơ quan cung cấp")
        verbose_name_plural = _("thủ tục cơ quan cung cấp")
        ordering = ["agency", "procedure__code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure"], name="catalog_offering_unique"),
        ]

    def __str__(self):
        return f"{self.agency.code} — {self.procedure.code}"

    def local_fee(self, channel: str):
        """(amount, currency) of the agency's fee for a channel (in_person, online, post), or None."""
        amount = getattr(self, f"local_fee_{channel}", None)
        if amount is None:
            return None
        return amount, getattr(self, f"local_fee_{channel}_currency") or Currency.VND

    @property
    def local_fee_amount(self):
        """Compatibility: the one fee in đồng of every channel, as before fees were set per channel."""
        fees = {self.local_fee(channel) for channel in LOCAL_FEE_CHANNELS}
        if len(fees) == 1:
            fee = fees.pop()
            if fee is not None and fee[1] == Currency.VND:
                return fee[0]
        return None

    @local_fee_amount.setter
    def local_fee_amount(self, value):
        for channel in LOCAL_FEE_CHANNELS:
            setattr(self, f"local_fee_{channel}", value)
            setattr(self, f"local_fee_{channel}_currency", Currency.VND)


LOCAL_FEE_CHANNELS = ("in_person", "online", "post")


class FormTemplateFile(models.Model):
    """A downloadable form: the records name form templates by file name; an administrator uploads the file."""

    file_name = models.CharField(_("tên tệp mẫu"), max_length=255, unique=True)
    file = models.FileField(_("tệp"), upload_to="catalog/forms/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp mẫu đơn, tờ khai")
        verbose_name_plural = _("tệp mẫu đơn, tờ khai")

    def __str__(self):
        return self.file_name


class ConsistencyReport(models.Model):
    """One comparison of the local catalogue with a national catalogue export (ADR 0155)."""

    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("bản xuất quốc gia"), max_length=300)
    checked = models.PositiveIntegerField(_("số thủ tục đối chiếu"), default=0)
    failures = models.JSONField(_("bản ghi không đọc được"), default=list, blank=True)

    class Meta:
        verbose_name = _("báo cáo đối chiếu danh mục")
        verbose_name_plural = _("báo cáo đối chiếu danh mục")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.source} ({self.created_at:%d/%m/%Y %H:%M})"


class ConsistencyDifference(models.Model):
    """One difference between the national export and the local catalogue or an agency's offering."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("Thiếu thủ tục trong danh mục địa phương")
        VERSION = "version", _("Thủ tục đã thay đổi so với danh mục quốc gia")
        TIME = "time", _("Thời hạn giải quyết khác, chưa có quyết định của địa phương")
        FEE = "fee", _("Phí, lệ phí khác, chưa có quyết định của địa phương")

    report = models.ForeignKey(ConsistencyReport, on_delete=models.CASCADE, related_name="differences")
    code = models.CharField(_("mã thủ tục"), max_length=40, db_index=True)
    name = models.TextField(_("tên thủ tục"), blank=True, default="")
    kind = models.CharField(_("loại khác biệt"), max_length=10, choices=Kind.choices)
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "directory.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    national = models.CharField(_("theo danh mục quốc gia"), max_length=500, blank=True, default="")
    local = models.CharField(_("tại địa phương"), max_length=500, blank=True, default="")
    record = models.JSONField(_("bản ghi quốc gia"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("đã cập nhật lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("khác biệt với danh mục quốc gia")
        verbose_name_plural = _("khác biệt với danh mục quốc gia")
        ordering = ["code", "kind", "pk"]

    def __str__(self):
        return f"{self.code} {self.kind}"
