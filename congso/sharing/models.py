"""Data-sharing agreements (thỏa thuận chia sẻ dữ liệu) and the log of reads made under them (ADR 0155).

An ``Agreement`` lets one OAuth 2.0 client of another agency (client credentials, django-oauth-toolkit's
``Application``) read some kinds of personal data (its ``scopes``: keys of ``accounts.hooks.PERSONAL_DATA``)
for a stated purpose, on a legal basis, from one day until another. An application that has at least
one agreement is a *sharing client*: every read of personal data it makes through the JSON API needs an
agreement in force that covers it, and is written to ``DataRead`` — allowed with the agreement it used,
or refused (no such scope, expired, not yet in force, revoked) with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.accounts.hooks import PERSONAL_DATA


class Agreement(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("Đang hiệu lực")
        REVOKED = "revoked", _("Đã thu hồi")

    application = models.ForeignKey(
        "oauth2_provider.Application",
        verbose_name=_("ứng dụng (API client)"),
        on_delete=models.PROTECT,
        related_name="sharing_agreements",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan đề nghị"),
        on_delete=models.PROTECT,
        related_name="sharing_agreements",
    )
    number = models.CharField(_("số thỏa thuận"), max_length=80)
    scopes = models.JSONField(_("dữ liệu được chia sẻ"), default=list)
    purpose = models.CharField(_("mục đích sử dụng"), max_length=500)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_until = models.DateField(_("hiệu lực đến ngày"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.ACTIVE)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("thỏa thuận chia sẻ dữ liệu")
        verbose_name_plural = _("thỏa thuận chia sẻ dữ liệu")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="sharing_agreement_period"
            ),
            models.UniqueConstraint(fields=["agency", "number"], name="sharing_agreement_number"),
        ]

    def __str__(self):
        return f"{self.number} — {self.agency}"

    def in_force(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.state == self.State.ACTIVE and self.valid_from <= day <= self.valid_until

    @property
    def status_label(self) -> str:
        today = timezone.localdate()
        if self.state == self.State.REVOKED:
            return str(_("Đã thu hồi"))
        if today < self.valid_from:
            return str(_("Chưa đến ngày hiệu lực"))
        if today > self.valid_until:
            return str(_("Đã hết hạn"))
        return str(_("Đang hiệu lực"))

    @property
    def scope_labels(self) -> list[str]:
        return [str(PERSONAL_DATA.get(s, s)) for s in self.scopes or []]


class DataRead(models.Model):
    """One read of personal data by a sharing client through the API, allowed or refused."""

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("Được phép")
        NO_SCOPE = "no_scope", _("Từ chối: thỏa thuận không cho phép loại dữ liệu này")
        EXPIRED = "expired", _("Từ chối: thỏa thuận đã hết hạn")
        NOT_YET = "not_yet", _("Từ chối: thỏa thuận chưa đến ngày hiệu lực")
        REVOKED = "revoked", _("Từ chối: thỏa thuận đã bị thu hồi")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="reads"
    )
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("loại dữ liệu"), max_length=40)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="personal_data_reads",
    )
    identifier = models.CharField(_("số định danh"), max_length=20, blank=True, default="")
    object_type = models.CharField(max_length=60, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    path = models.CharField(max_length=300, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("lượt đọc dữ liệu cá nhân")
        verbose_name_plural = _("lượt đọc dữ liệu cá nhân")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="sharing_read_subject_idx"),
            models.Index(fields=["agreement", "-at"], name="sharing_read_agreement_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.agency_id} {self.category} {self.outcome}"

    @property
    def allowed(self) -> bool:
        return self.outcome == self.Outcome.ALLOWED

    @property
    def category_label(self) -> str:
        return str(PERSONAL_DATA.get(self.category, self.category))
