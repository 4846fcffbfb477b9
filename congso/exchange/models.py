"""The agency side of inter-agency exchange: the outbox, the inbox and the status messages.

An agency's edXML organ id is its ``directory.Agency.code`` (the electronic identifier of Decision
20/2020/QĐ-TTg, which is what edXML's ``OrganId`` is); other provinces' organs are agencies of kind
"other" in the directory.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .edxml import PRIORITIES, STATUS_CODES, Business


class OutgoingPacket(models.Model):
    """A packet (a document or a status message) waiting to go, or gone, to the hub.

    Written in the caller's transaction; a background job delivers it with retries and backoff. The
    hub keeps one copy per ``message_id``, so a retry after a lost answer never delivers twice."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản")
        STATUS = "status", _("Trạng thái xử lý")

    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi lên trục")
        FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
        GIVEN_UP = "given_up", _("Đã ngừng thử lại")

    message_id = models.UUIDField(_("mã gói tin"), unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    sender = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan gửi"), on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.JSONField(_("mã định danh cơ quan nhận"), default=list)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=300, db_index=True)
    code = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    business = models.PositiveSmallIntegerField(
        _("nghiệp vụ"), choices=list(Business.LABELS.items()), default=Business.NEW
    )
    priority = models.PositiveSmallIntegerField(_("độ khẩn"), choices=list(PRIORITIES.items()), default=0)
    status_code = models.CharField(
        _("mã trạng thái gửi đi"), max_length=2, blank=True, choices=list(STATUS_CODES.items())
    )
    envelope = models.BinaryField(_("gói tin edXML đã ký"), editable=False)
    state = models.CharField(_("trạng thái gửi"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # The receivers' answers, for a document: the latest status code each recipient reported.
    delivery = models.JSONField(_("trạng thái tại nơi nhận"), default=dict, blank=True)
    refusal = models.TextField(_("lý do bị từ chối"), blank=True)

    class Meta:
        verbose_name = _("gói tin gửi đi")
        verbose_name_plural = _("gói tin gửi đi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="exchange_out_due_idx")]

    def __str__(self):
        return f"{self.code or self.document_id} → {', '.join(self.recipients)} ({self.state})"


class IncomingPacket(models.Model):
    """A packet the hub delivered to one of our agencies: accepted (signatures verified) or refused.

    One row per (recipient, message id): a duplicate delivery finds the row and is only acknowledged."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản")
        STATUS = "status", _("Trạng thái xử lý")

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Đã nhận, chữ ký hợp lệ")
        REFUSED = "refused", _("Đã từ chối")

    recipient = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="+"
    )
    message_id = models.CharField(_("mã gói tin"), max_length=64)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    sender_organ_id = models.CharField(_("mã cơ quan gửi"), max_length=64, blank=True)
    sender_name = models.CharField(_("cơ quan gửi"), max_length=255, blank=True)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=300, blank=True, db_index=True)
    code = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    business = models.PositiveSmallIntegerField(
        _("nghiệp vụ"), choices=list(Business.LABELS.items()), default=Business.NEW
    )
    priority = models.PositiveSmallIntegerField(_("độ khẩn"), choices=list(PRIORITIES.items()), default=0)
    status_code = models.CharField(
        _("mã trạng thái"), max_length=2, blank=True, choices=list(STATUS_CODES.items())
    )
    verdict = models.CharField(_("kết quả kiểm tra"), max_length=10, choices=Verdict.choices)
    refusal_reason = models.CharField(_("mã lý do từ chối"), max_length=30, blank=True)
    refusal = models.TextField(_("lý do từ chối"), blank=True)
    signer = models.CharField(_("chứng thư ký gói tin"), max_length=255, blank=True)
    verification = models.JSONField(_("kết quả xác thực chữ ký"), default=dict, blank=True)
    envelope = models.BinaryField(_("gói tin edXML"), editable=False)
    local_status = models.CharField(
        _("trạng thái đã báo"), max_length=2, blank=True, choices=list(STATUS_CODES.items())
    )
    status_at = models.DateTimeField(_("thời điểm của trạng thái"), null=True, blank=True)
    deliveries = models.PositiveSmallIntegerField(_("số lần trục chuyển đến"), default=1)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gói tin nhận được")
        verbose_name_plural = _("gói tin nhận được")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "message_id"], name="exchange_incoming_once"),
        ]

    def __str__(self):
        return f"{self.code or self.message_id} ← {self.sender_organ_id} ({self.verdict})"
