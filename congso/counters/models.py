"""Queue tickets at the counters of a Public Administration Service Centre.

A service centre is a ``directory.Agency`` of kind ``service_centre``. It has numbered counters
(quầy số 1, 2, …) and ticket services (dịch vụ lấy số: "Hộ tịch – chứng thực", "Đất đai", "Ưu tiên",
…), each with a letter prefix. A counter serves a configurable set of services. Tickets are numbered
per service per day (A001, A002, …) from a locked ``DailySequence`` row; see
docs/adr/0050-queue-tickets.md.
"""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

validate_prefix = RegexValidator(
    r"^[A-Z]{1,2}$",
    _("Chữ cái đầu số gồm 1–2 chữ in hoa A–Z, không dấu."),
    code="invalid_prefix",
)


class TicketService(models.Model):
    """A queue a citizen can take a number for (dịch vụ lấy số), e.g. "Đất đai" with prefix B."""

    centre = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        related_name="ticket_services",
    )
    name = models.CharField(_("tên dịch vụ"), max_length=150)
    description = models.CharField(_("mô tả ngắn"), max_length=300, blank=True)
    prefix = models.CharField(_("chữ cái đầu số"), max_length=2, validators=[validate_prefix])
    is_priority = models.BooleanField(
        _("ưu tiên"),
        default=False,
        help_text=_(
            "Người cao tuổi, người khuyết tật, phụ nữ mang thai…: được gọi trước ở mọi quầy phục vụ."
        ),
    )
    typical_minutes = models.PositiveSmallIntegerField(
        _("thời gian phục vụ thường lệ (phút)"),
        default=10,
        help_text=_("Dùng để ước tính thời gian chờ khi hôm nay chưa đủ số liệu đo được."),
    )
    daily_limit = models.PositiveIntegerField(
        _("số phiếu tối đa mỗi ngày"), null=True, blank=True, help_text=_("Để trống nếu không giới hạn.")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=0)
    is_active = models.BooleanField(_("đang phát số"), default=True)

    class Meta:
        verbose_name = _("dịch vụ lấy số")
        verbose_name_plural = _("dịch vụ lấy số")
        ordering = ["centre", "-is_priority", "position", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "prefix"], name="ticket_service_unique_prefix"),
        ]

    def __str__(self):
        return f"{self.prefix} — {self.name}"


class Counter(models.Model):
    """A one-stop counter (quầy) at a service centre, serving a set of ticket services."""

    centre = models.ForeignKey(
        "directory.Agency", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    label = models.CharField(
        _("ghi chú quầy"), max_length=150, blank=True, help_text=_("Ví dụ: Sở Tư pháp, tầng 1.")
    )
    services = models.ManyToManyField(
        TicketService, verbose_name=_("dịch vụ phục vụ"), related_name="counters", blank=True
    )
    is_active = models.BooleanField(_("đang mở"), default=True)
    last_called = models.ForeignKey(
        "Ticket",
        verbose_name=_("số gọi gần nhất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="counter_unique_number"),
        ]

    def __str__(self):
        return str(_("Quầy số %(number)s") % {"number": self.number})


class DailySequence(models.Model):
    """The last number issued for one service on one day. Locked while a number is issued."""

    service = models.ForeignKey(TicketService, on_delete=models.CASCADE, related_name="sequences")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="daily_sequence_unique_day"),
        ]

    def __str__(self):
        return f"{self.service.prefix} {self.day}: {self.last_number}"


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Ticket(models.Model):
    """One queue number, e.g. B014 of "Đất đai" on 21/11/2026."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đã gọi")
        SERVING = "serving", _("Đang phục vụ")
        DONE = "done", _("Đã xong")
        NO_SHOW = "no_show", _("Vắng mặt")
        TRANSFERRED = "transferred", _("Đã chuyển dịch vụ")

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Trang lấy số (máy tại trung tâm, điện thoại)")
        API = "api", _("API")
        TRANSFER = "transfer", _("Chuyển từ quầy khác")

    centre = models.ForeignKey(
        "directory.Agency", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="tickets"
    )
    service = models.ForeignKey(
        TicketService, verbose_name=_("dịch vụ"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    code = models.CharField(_("số phiếu"), max_length=8)
    priority = models.BooleanField(_("ưu tiên"), default=False)
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.WAITING)
    channel = models.CharField(
        _("kênh lấy số"), max_length=20, choices=Channel.choices, default=Channel.KIOSK
    )
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    taken_at = models.DateTimeField(_("lấy số lúc"))
    queued_at = models.DateTimeField(
        _("xếp hàng từ"), help_text=_("Thứ tự gọi số; phiếu chuyển dịch vụ giữ thời điểm lấy số ban đầu.")
    )
    first_called_at = models.DateTimeField(_("gọi lần đầu lúc"), null=True, blank=True)
    called_at = models.DateTimeField(_("gọi gần nhất lúc"), null=True, blank=True)
    serving_at = models.DateTimeField(_("bắt đầu phục vụ lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ gọi số"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recall_count = models.PositiveSmallIntegerField(_("số lần gọi lại"), default=0)
    transferred_from = models.OneToOneField(
        "self",
        verbose_name=_("chuyển từ phiếu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_to",
    )

    class Meta:
        verbose_name = _("phiếu số thứ tự")
        verbose_name_plural = _("phiếu số thứ tự")
        ordering = ["-day", "-priority", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "day", "number"], name="ticket_unique_number"),
        ]
        indexes = [
            models.Index(fields=["centre", "day", "state"], name="ticket_queue_idx"),
            models.Index(fields=["counter", "called_at"], name="ticket_counter_idx"),
        ]

    def __str__(self):
        return self.code

    @staticmethod
    def format_code(prefix: str, number: int) -> str:
        return f"{prefix}{number:03d}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.WAITING, self.State.CALLED, self.State.SERVING)

    @property
    def waited(self):
        if self.first_called_at:
            return self.first_called_at - self.taken_at
        return None

    @property
    def service_duration(self):
        if self.state == self.State.DONE and self.finished_at:
            return self.finished_at - (self.serving_at or self.first_called_at or self.finished_at)
        return None
