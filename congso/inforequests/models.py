"""Access to information (Luật Tiếp cận thông tin 104/2016/QH13, Decree 13/2018/NĐ-CP; ADR 0167).

- ``DisclosureCategory``: the kinds of information an agency must publish (Điều 17), as data;
  ``DisclosureItem``: one agency's entries in its list (danh mục thông tin phải được công khai).
- ``TimeLimit``: the law's time limits (answer, extension, notice) as data, in working days on the
  platform's calendar (``congso.calendar.engine``) or calendar days.
- ``RefusalGround``: the legal grounds to refuse (Điều 6, 7, 28), as data.
- ``InfoRequest``: a request (phiếu yêu cầu cung cấp thông tin, Decree 13/2018 annex) and its
  handling; its state changes only through ``services`` along ``transitions.REQUESTS``.
  ``Event``: its timeline.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureCategory(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("nhóm thông tin"), max_length=300)
    legal_basis = models.CharField(_("căn cứ"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm thông tin phải công khai")
        verbose_name_plural = _("nhóm thông tin phải công khai")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class DisclosureItem(models.Model):
    """An entry of an agency's list of information it must publish: where to read it."""

    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        DisclosureCategory, verbose_name=_("nhóm thông tin"), on_delete=models.PROTECT, related_name="items"
    )
    title = models.CharField(_("tên thông tin"), max_length=300)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    how = models.CharField(_("hình thức công khai"), max_length=300, blank=True)
    published_on = models.DateField(_("ngày công khai"), null=True, blank=True)
    is_active = models.BooleanField(_("đang công khai"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thông tin công khai")
        verbose_name_plural = _("danh mục thông tin phải được công khai")
        ordering = ["category__order", "-published_on", "title"]
        indexes = [models.Index(fields=["agency", "category"], name="inforeq_disclosure_idx")]

    def __str__(self):
        return self.title


class TimeLimit(models.Model):
    """A legal time limit of the request service (code: "answer", "extension", "notice")."""

    ANSWER, EXTENSION, NOTICE = "answer", "extension", "notice"

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("thời hạn"), max_length=200)
    days = models.PositiveSmallIntegerField(_("số ngày"))
    working_days = models.BooleanField(_("tính theo ngày làm việc"), default=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=120)

    class Meta:
        verbose_name = _("thời hạn cung cấp thông tin")
        verbose_name_plural = _("thời hạn cung cấp thông tin")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}: {self.days}"


class RefusalGround(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    label = models.CharField(_("lý do từ chối"), max_length=300)
    legal_basis = models.CharField(_("căn cứ"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("căn cứ từ chối cung cấp thông tin")
        verbose_name_plural = _("căn cứ từ chối cung cấp thông tin")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.label} ({self.legal_basis})"


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    EXTENDED = "extended", _("Đã gia hạn")
    ANSWERED = "answered", _("Đã cung cấp thông tin")
    REFUSED = "refused", _("Từ chối cung cấp")


OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.EXTENDED)
CLOSED_STATUSES = (Status.ANSWERED, Status.REFUSED)


class Form(models.TextChoices):
    """Hình thức cung cấp thông tin (Decree 13/2018 annex, Mẫu số 01a)."""

    ELECTRONIC = "electronic", _("Bản điện tử (tệp)")
    COPY = "copy", _("Bản sao, bản chụp giấy")
    READ = "read", _("Đọc, xem, nghe, ghi chép tại nơi cung cấp")


class Means(models.TextChoices):
    """Phương thức nhận thông tin."""

    ONLINE = "online", _("Qua mạng điện tử (trang này và thư điện tử)")
    OFFICE = "office", _("Nhận tại nơi cung cấp thông tin")
    POST = "post", _("Qua dịch vụ bưu chính")


def new_code() -> str:
    return "TT" + secrets.token_hex(5).upper()


def new_token() -> str:
    return secrets.token_urlsafe(18)


class InfoRequest(models.Model):
    code = models.CharField(_("mã yêu cầu"), max_length=20, unique=True, default=new_code)
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan được yêu cầu"),
        on_delete=models.PROTECT,
        related_name="info_requests",
    )
    # the requester: an account (or not), and always the identity the law asks for
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="info_requests",
    )
    name = models.CharField(_("họ và tên"), max_length=150)
    address = models.CharField(_("nơi cư trú"), max_length=300)
    id_number = models.CharField(_("số định danh cá nhân (CCCD)"), max_length=12)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    information = models.TextField(_("thông tin yêu cầu cung cấp"), max_length=4000)
    purpose = models.TextField(_("mục đích yêu cầu"), max_length=1000)
    form = models.CharField(_("hình thức cung cấp"), max_length=20, choices=Form.choices)
    means = models.CharField(_("phương thức nhận"), max_length=20, choices=Means.choices)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    # handling
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("hạn cung cấp"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(_("lý do gia hạn"), blank=True, max_length=2000)
    closed_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answer = models.TextField(_("nội dung cung cấp"), blank=True, max_length=8000)
    answer_file = models.FileField(upload_to="inforequests/%Y/%m/", blank=True)
    answer_mime = models.CharField(max_length=40, blank=True)
    answer_sha256 = models.CharField(max_length=64, blank=True)
    ground = models.ForeignKey(
        RefusalGround,
        verbose_name=_("căn cứ từ chối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_note = models.TextField(_("giải thích lý do từ chối"), blank=True, max_length=2000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # an anonymous requester reads the request with this token (sent once, in the link)
    access_token = models.CharField(max_length=32, default=new_token, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yêu cầu cung cấp thông tin")
        verbose_name_plural = _("yêu cầu cung cấp thông tin")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="inforeq_inbox_idx"),
            models.Index(fields=["requester", "-received_at"], name="inforeq_mine_idx"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def on_time(self) -> bool | None:
        """Closed before its due moment (None while open)."""
        if self.closed_at is None:
            return None
        return self.closed_at <= self.due_at


class Event(models.Model):
    """One step of a request's timeline; the requester sees every step, not who took it."""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=20)
    label = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request_id} {self.action}"
