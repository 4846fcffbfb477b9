"""The integration outbox (ADR 0154): domain events written in the transaction of their cause, the
subscribers that receive them, one delivery per (event, subscriber) and every attempt of it."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AggregateSequence(models.Model):
    """The last sequence number given to an aggregate's events (one row per aggregate, bumped with one
    upsert in the writer's transaction: concurrent writers of one aggregate queue behind its row)."""

    aggregate_type = models.CharField(max_length=40)
    aggregate_id = models.CharField(max_length=80)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["aggregate_type", "aggregate_id"], name="integration_aggseq_unique"
            )
        ]

    def __str__(self):
        return f"{self.aggregate_type}:{self.aggregate_id}#{self.last}"


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change that caused it; never changed."""

    event_type = models.CharField(_("loại sự kiện"), max_length=60)
    aggregate_type = models.CharField(_("loại đối tượng"), max_length=40)
    aggregate_id = models.CharField(_("mã đối tượng"), max_length=80)
    sequence = models.PositiveBigIntegerField(_("số thứ tự trong đối tượng"))
    payload = models.JSONField(_("nội dung"), default=dict, encoder=DjangoJSONEncoder)
    idempotency_key = models.UUIDField(_("khoá chống trùng"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("sự kiện tích hợp")
        verbose_name_plural = _("sự kiện tích hợp")
        constraints = [
            models.UniqueConstraint(
                fields=["aggregate_type", "aggregate_id", "sequence"], name="integration_event_sequence"
            )
        ]

    def __str__(self):
        return f"{self.event_type} {self.aggregate_type}:{self.aggregate_id}#{self.sequence}"


class Subscriber(models.Model):
    """A delivery target an administrator registered: a provincial system's webhook, or the National
    Public Service Portal (``kind="national"``: its messages are built by ``national.adapter``, ADR 0168)."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")
        NATIONAL = "national", _("Cổng Dịch vụ công quốc gia")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.WEBHOOK)
    name = models.CharField(_("tên hệ thống nhận"), max_length=200)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    secret = models.CharField(_("khoá bí mật ký HMAC"), max_length=200)
    event_types = models.JSONField(_("các loại sự kiện nhận"), default=list)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hệ thống nhận sự kiện")
        verbose_name_plural = _("hệ thống nhận sự kiện")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def wants(self, event_type: str) -> bool:
        return "*" in self.event_types or event_type in self.event_types


class Delivery(models.Model):
    """One event for one subscriber. Delivered in order per (subscriber, stream); leased by a worker
    while it is being sent; dead after the last attempt (it then holds its stream back until replayed)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        DELIVERED = "delivered", _("Đã gửi")
        DEAD = "dead", _("Ngừng thử (thư hỏng)")

    uuid = models.UUIDField(_("mã lần giao"), default=uuid.uuid4, unique=True, editable=False)
    # indexed by the (event, subscriber) unique constraint
    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    stream = models.CharField(max_length=130)  # "<aggregate_type>:<aggregate_id>"
    sequence = models.PositiveBigIntegerField()
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"))
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    dead_at = models.DateTimeField(_("ngừng thử lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("lần giao sự kiện")
        verbose_name_plural = _("lần giao sự kiện")
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="integration_delivery_once"),
        ]
        indexes = [
            # the workers' scan: what is due
            models.Index(
                fields=["next_attempt_at", "id"],
                name="integration_delivery_due",
                condition=Q(status="pending"),
            ),
            # "is an earlier one of this stream still undelivered?"
            models.Index(
                fields=["subscriber", "stream", "sequence"],
                name="integration_delivery_stream",
                condition=~Q(status="delivered"),
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscriber_id} ({self.status})"


class Attempt(models.Model):
    """One try at sending a delivery: when, the answer's status code, the error, how long it took."""

    # indexed by (delivery, -at)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log", db_index=False)
    at = models.DateTimeField(_("lúc"))
    status_code = models.PositiveSmallIntegerField(_("mã trả lời HTTP"), null=True, blank=True)
    ok = models.BooleanField(_("thành công"), default=False)
    error = models.TextField(_("lỗi"), blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("lần thử giao")
        verbose_name_plural = _("lần thử giao")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["delivery", "-at"], name="integration_attempt_delivery")]

    def __str__(self):
        return f"{self.delivery_id} {self.at:%d/%m/%Y %H:%M:%S} {'ok' if self.ok else self.error[:40]}"


class InboundDossier(models.Model):
    """A dossier filed on the National Public Service Portal and sent to the local one-stop (ADR 0168).

    Every signed message with a new id is kept here before anything else, so none is dropped: received
    (the local dossier exists with the national code), or parked (unknown procedure or agency, or the
    one-stop refused it) until a person maps its codes and retries."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận vào một cửa")
        PARKED = "parked", _("Chờ xử lý (chưa tiếp nhận được)")

    message_id = models.CharField(_("mã thông điệp"), max_length=100, unique=True)
    code = models.CharField(_("mã hồ sơ quốc gia"), max_length=60, db_index=True)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40)
    agency_code = models.CharField(_("mã cơ quan"), max_length=60)
    payload = models.JSONField(_("nội dung"), default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices)
    problem = models.TextField(_("vướng mắc"), blank=True)
    attempts = models.PositiveIntegerField(_("số lần tiếp nhận"), default=0)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("nhận lúc"))
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng quốc gia")
        verbose_name_plural = _("hồ sơ nhận từ Cổng quốc gia")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "-received_at"], name="integration_inbound_status")]

    def __str__(self):
        return f"{self.code} ({self.status})"


class ReconcileRun(models.Model):
    """One comparison of the local dossiers' national statuses with the National Portal's (ADR 0168):
    what differed, and what was sent again."""

    started_at = models.DateTimeField(_("bắt đầu lúc"))
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("số hồ sơ đối chiếu"), default=0)
    differing = models.PositiveIntegerField(_("số hồ sơ lệch"), default=0)
    resent = models.PositiveIntegerField(_("số hồ sơ gửi lại"), default=0)
    in_flight = models.PositiveIntegerField(_("số hồ sơ đang chờ gửi"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    differences = models.JSONField(_("chênh lệch"), default=list, encoder=DjangoJSONEncoder)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("lần đối soát với Cổng quốc gia")
        verbose_name_plural = _("lần đối soát với Cổng quốc gia")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.started_at:%d/%m/%Y %H:%M} {self.differing}/{self.checked}"
