"""Online payments of dossiers' financial obligations through a payment gateway.

``Payment`` is our order at the gateway (its ``txn_ref`` is the gateway's order reference): one per
attempt; at most one is pending per obligation. ``Notification`` keeps every server-to-server
notification received, accepted or not, for reconciliation and investigation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")
        EXPIRED = "expired", _("Hết hạn")
        CANCELLED = "cancelled", _("Đã hủy")

    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    obligation = models.ForeignKey(
        "dossiers.FinancialObligation", on_delete=models.PROTECT, related_name="payments"
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan thu"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the dossier's receiving agency, for reconciliation",
    )
    amount = models.DecimalField(_("số tiền"), max_digits=14, decimal_places=0)
    currency = models.CharField(max_length=3, default="VND")
    description = models.CharField(_("nội dung"), max_length=255)
    provider = models.CharField(_("cổng thanh toán"), max_length=30)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thanh toán"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="when it stopped being pending")
    gateway_transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=40, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(max_length=10, blank=True)
    ipn_data = models.JSONField(default=dict, blank=True, help_text="the accepted notification, as received")
    receipt_number = models.CharField(_("số biên lai"), max_length=60, unique=True, null=True, blank=True)
    needs_review = models.CharField(
        _("cần đối soát"),
        max_length=200,
        blank=True,
        help_text="why a person must look at this payment (e.g. paid twice: refund due)",
    )

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(status="pending"),
                name="payment_one_pending_per_obligation",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="payment_agency_created_idx"),
            models.Index(fields=["status", "expires_at"], name="payment_status_expiry_idx"),
        ]

    def __str__(self):
        return self.txn_ref


S = Payment.Status

# A payment's statuses, declared as data (core.statemachine). Only the system moves a payment (the
# gateway's notification, expiry, a new order superseding the old one): no roles, no permission rule.
# Every transition stamps ``closed_at``, the moment the payment stopped being pending.
PAYMENT = StateMachine(
    "giao dịch thanh toán",
    [
        Transition("expire", S.EXPIRED.label, {S.PENDING}, S.EXPIRED, stamps="closed_at"),
        Transition(
            "supersede", S.CANCELLED.label, {S.PENDING}, S.CANCELLED, stamps="closed_at"
        ),  # a new order
        Transition("fail", S.FAILED.label, {S.PENDING}, S.FAILED, stamps="closed_at"),
        Transition("cancel", S.CANCELLED.label, {S.PENDING}, S.CANCELLED, stamps="closed_at"),  # by the payer
        # A success for an order we had closed (expired, superseded) is still money received.
        Transition("pay", S.PAID.label, {S.PENDING, S.EXPIRED, S.CANCELLED}, S.PAID, stamps="closed_at"),
    ],
    state_labels=dict(Payment.Status.choices),
)


class Notification(models.Model):
    """One server-to-server notification (IPN) as received, with what we answered."""

    provider = models.CharField(max_length=30)
    received_at = models.DateTimeField(db_index=True)
    txn_ref = models.CharField(max_length=40, blank=True, db_index=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    signature_valid = models.BooleanField(default=False)
    result = models.CharField(max_length=20)  # providers.IpnResult value
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.provider} {self.txn_ref} {self.result}"


class ReceiptSequence(models.Model):
    """The last electronic receipt number an agency gave in a year; one locked row per (agency, year)."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="payment_receipt_seq_unique")]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last_value}"
