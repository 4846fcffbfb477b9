"""The citizen's personal data store (kho dữ liệu cá nhân): papers they uploaded and results they
received, kept so that a new dossier can reuse them instead of asking for them again.

Every reuse is recorded (``DocumentReuse``): which paper went into which dossier, when, by whom.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def document_path(instance, filename):
    return f"datastore/{instance.owner_id}/{instance.sha256[:16]}{instance.extension}"


class PersonalDocument(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Công dân tải lên")
        DOSSIER = "dossier", _("Thành phần hồ sơ đã nộp")
        RESULT = "result", _("Kết quả giải quyết thủ tục")
        REGISTRY = "registry", _("Cơ sở dữ liệu chuyên ngành")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ sở hữu"),
        on_delete=models.CASCADE,
        related_name="personal_documents",
    )
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.UPLOAD)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10)  # pdf | jpeg | png (core.uploads)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where it came from, when it came from a dossier (its component or its result).
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu cá nhân")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "deleted_at", "-created_at"], name="datastore_owner_idx")]

    def __str__(self):
        return self.title


class DocumentReuse(models.Model):
    """One use of a stored paper as a component of a dossier (the citizen gave it only once)."""

    document = models.ForeignKey(PersonalDocument, on_delete=models.PROTECT, related_name="reuses")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    component = models.CharField(_("thành phần hồ sơ"), max_length=500)
    reused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reused_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt dùng lại giấy tờ")
        verbose_name_plural = _("lượt dùng lại giấy tờ")
        ordering = ["-reused_at"]

    def __str__(self):
        return f"{self.document_id} → {self.dossier_id}"
