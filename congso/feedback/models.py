"""Citizen feedback (phản ánh, kiến nghị): categories and their routing as data, reports, their media,
timeline, requests for help, notices and Open311 API keys (ADR 0151).

A report's state changes only through ``services`` along the table in ``transitions.py``. Contact
details (name, phone, email) live on the report but are shown only to the handling agencies
(``permissions.view_identity``); the public board and the Open311 API read ``selectors.public_reports``,
which never selects them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core.text import fold

DEFAULT_ANSWER_DAYS = 15  # Decision 766: the answer within 15 working days of submission or the last forward


class Category(models.Model):
    """A node of the category tree (lĩnh vực phản ánh). ``code`` is Open311's ``service_code``."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("lĩnh vực cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("mô tả"), blank=True, max_length=1000)
    keywords = models.CharField(_("từ khoá"), max_length=300, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("thời hạn trả lời (ngày làm việc)"), default=DEFAULT_ANSWER_DAYS
    )
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """Which agency handles a category in a commune or ward; ``unit`` empty: the province's fallback."""

    category = models.ForeignKey(
        Category, verbose_name=_("lĩnh vực"), on_delete=models.CASCADE, related_name="rules"
    )
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường (để trống: cả tỉnh)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "directory.AdministrativeUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("quy tắc chuyển xử lý")
        verbose_name_plural = _("quy tắc chuyển xử lý")
        constraints = [
            models.UniqueConstraint(fields=["category", "province", "unit"], name="feedback_rule_unique"),
            models.UniqueConstraint(
                fields=["category", "province"],
                condition=models.Q(unit__isnull=True),
                name="feedback_rule_fallback",
            ),
        ]

    def __str__(self):
        return f"{self.category} — {self.unit or self.province} → {self.agency}"


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    REJECTED = "rejected", _("Không tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    DRAFTED = "drafted", _("Chờ lãnh đạo duyệt trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")
    MERGED = "merged", _("Đã gộp vào phản ánh khác")


OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.DRAFTED)
PUBLIC_STATUSES = (Status.PROCESSING, Status.DRAFTED, Status.ANSWERED, Status.CLOSED)
# the rows of the public partial indexes: what the board lists and what Open311 lists (merged ones too)
PUBLIC_ROWS = models.Q(
    is_public=True,
    status__in=[Status.PROCESSING, Status.DRAFTED, Status.ANSWERED, Status.CLOSED, Status.MERGED],
)


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin, ứng dụng")
    HOTLINE = "hotline", _("Đường dây nóng")
    EMAIL = "email", _("Thư điện tử")
    SOCIAL = "social", _("Mạng xã hội")
    IN_PERSON = "in_person", _("Trực tiếp")
    OPEN311 = "open311", _("Ứng dụng Open311")


class RejectReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Trùng với phản ánh đã có")
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi xử lý")
    OFFENSIVE = "offensive", _("Nội dung xúc phạm, không phù hợp")
    NOT_ENOUGH_INFO = "not_enough_info", _("Không đủ thông tin")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


def new_code() -> str:
    return "PA" + secrets.token_hex(5).upper()


class Report(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True, default=new_code)
    category = models.ForeignKey(
        Category, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("nội dung"), max_length=4000)
    text_folded = models.TextField(editable=False, default="")
    province = models.ForeignKey(
        "directory.AdministrativeUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("địa chỉ, địa điểm"), max_length=300)
    lat = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_public = models.BooleanField(_("công khai"), default=True)
    show_name = models.BooleanField(_("hiện tên người phản ánh"), default=False)
    # the reporter: an account, or the contact details given (never public)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_reports",
    )
    reporter_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("thư điện tử"), blank=True)
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan xử lý"),
        on_delete=models.PROTECT,
        related_name="feedback_reports",
    )
    reject_reason = models.CharField(
        _("lý do không tiếp nhận"), max_length=20, choices=RejectReason.choices, blank=True
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True, max_length=8000)
    answer_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("gộp vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # Feedback about an administrative procedure may point to the catalogue's procedure, or to one of the
    # reporter's own dossiers (its procedure then set from it). The dossier is never shown to the public.
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục hành chính"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating = models.CharField(_("đánh giá"), max_length=12, choices=Rating.choices, blank=True)
    reopened = models.BooleanField(_("đã mở lại"), default=False)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    clock_start = models.DateTimeField(_("bắt đầu tính hạn"))
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    open311_token = models.CharField(max_length=32, blank=True, db_index=True)
    escalated = models.CharField(max_length=12, blank=True)  # "", "due_soon", "overdue" (last alert sent)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        # The public board, its map, the API list and Open311 read public reports newest first, under one
        # filter at most (category, commune, status, dates): a partial index per filter, in that order,
        # holds only what they read (ADR 0184). ``received_at`` alone serves the time filters.
        indexes = [
            models.Index(fields=["-received_at", "-id"], condition=PUBLIC_ROWS, name="feedback_public_idx"),
            models.Index(
                fields=["category", "-received_at", "-id"],
                condition=PUBLIC_ROWS,
                name="feedback_public_cat_idx",
            ),
            models.Index(
                fields=["unit", "-received_at", "-id"], condition=PUBLIC_ROWS, name="feedback_public_unit_idx"
            ),
            models.Index(
                fields=["status", "-received_at", "-id"],
                condition=PUBLIC_ROWS,
                name="feedback_public_status_idx",
            ),
            models.Index(fields=["unit", "-received_at"], name="feedback_unit_idx"),
            models.Index(fields=["category", "-received_at"], name="feedback_cat_idx"),
            models.Index(fields=["agency", "status"], name="feedback_inbox_idx"),
            models.Index(fields=["procedure", "-received_at"], name="feedback_procedure_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def public_status(self) -> str:
        """The status as the public board, the reporter and the public API see it: an answer waiting
        for the leader's approval is internal, so the report is still "being processed"."""
        return Status.PROCESSING if self.status == Status.DRAFTED else self.status

    def get_public_status_display(self) -> str:
        return Status(self.public_status).label

    def save(self, *args, **kwargs):
        self.text_folded = fold(f"{self.title} {self.description} {self.address}")
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Media(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    mime = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("ảnh, video phản ánh")
        verbose_name_plural = _("ảnh, video phản ánh")

    def __str__(self):
        return f"{self.report_id}: {self.file.name}"


class Event(models.Model):
    """One step of a report's timeline. ``public`` events are shown on the board (without people)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=30)
    label = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("directory.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report_id} {self.action}"


class HelpRequest(models.Model):
    """The handling agency asks another agency to help (phối hợp); that agency's staff see the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="help_requests")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    reply = models.TextField(blank=True)
    asked_at = models.DateTimeField()
    replied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.report_id} → {self.agency_id}"


class Follow(models.Model):
    """A citizen follows an existing report instead of filing a duplicate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="feedback_follow_unique")]

    def __str__(self):
        return f"{self.user_id} → {self.report_id}"


class Notice(models.Model):
    """A notice to a reporter (each public step) or to a leader (reopened, due soon, overdue)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=30)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.kind}: {self.text[:40]}"


class ApiKey(models.Model):
    """An Open311 ``api_key`` issued by an administrator to an application (stored hashed)."""

    name = models.CharField(_("ứng dụng"), max_length=150)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khoá API Open311")
        verbose_name_plural = _("khoá API Open311")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
