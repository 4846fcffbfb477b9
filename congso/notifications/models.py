"""The notification outbox: every message to an applicant is a row first, sent later by a background job.

Rows are written in the same transaction as the state change they announce, so a change that was
acknowledged never loses its notice, and a change that was rolled back never sends one. The job
(``tasks.send_notification``) claims a row, sends it through the channel's backend and records the
outcome; failures are retried with backoff and stay visible in the outbox page and the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        GIVEN_UP = "given_up", _("Đã ngừng thử lại")

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254, help_text="email address or phone number")
    event = models.CharField(_("sự kiện"), max_length=40, db_index=True)
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="when a job started sending it")
    provider = models.CharField(_("nhà cung cấp"), max_length=60, blank=True)
    provider_ref = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self):
        return f"{self.event} → {self.masked_address} ({self.status})"

    @property
    def masked_address(self) -> str:
        """Enough to recognise the address, not enough to copy it: 09******56, an***@example.vn."""
        a = self.address
        if self.channel == self.Channel.EMAIL and "@" in a:
            local, _, domain = a.partition("@")
            return f"{local[:2]}***@{domain}"
        return a[:2] + "*" * max(0, len(a) - 4) + a[-2:] if len(a) > 4 else "****"


class Notice(models.Model):
    """A notice to a person inside the platform (their "Thông báo của tôi" list), for events that are
    not about a dossier's applicant: a meeting invitation, a poll to answer, a report's answer.

    Written in the caller's transaction by ``services.notify_person``, with the email and SMS copies
    of the same notice as ``Notification`` rows of the outbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("sự kiện"), max_length=60)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True, help_text="a path inside the platform")
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo cá nhân")
        verbose_name_plural = _("thông báo cá nhân")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]

    def __str__(self):
        return f"{self.event} → {self.recipient_id}"
