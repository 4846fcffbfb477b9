"""Online filing: forms defined as data, and the citizen's drafts.

A ``FormDefinition`` says what a procedure's online form asks (ordered ``FormField`` rows) and which
dossier components must be uploaded (``FormComponent`` rows). One definition per procedure applies
everywhere; an agency may override it with its own. Without any, ``definitions.default_for`` derives
one from the catalogue's component list. A ``Draft`` keeps what the citizen typed and uploaded between
steps until it is submitted (it then points at its dossier) or it expires.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,49}$", _("Mã trường chỉ gồm chữ thường không dấu, số và dấu gạch dưới.")
)


class FieldType(models.TextChoices):
    TEXT = "text", _("Văn bản một dòng")
    TEXTAREA = "textarea", _("Văn bản nhiều dòng")
    DATE = "date", _("Ngày")
    NUMBER = "number", _("Số")
    SELECT = "select", _("Chọn một trong danh sách")
    CHECKBOX = "checkbox", _("Ô đánh dấu")
    CCCD = "cccd", _("Số căn cước công dân")
    PHONE = "phone", _("Số điện thoại")
    EMAIL = "email", _("Thư điện tử")
    BIRTH_DATE = "birth_date", _("Ngày sinh (không ở tương lai)")
    QUANTITY = "quantity", _("Số lượng, số bản (số nguyên dương)")


class FormDefinition(models.Model):
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="form_definitions",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan (để trống: áp dụng mọi nơi)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="form_definitions",
    )
    title = models.CharField(_("tên tờ khai"), max_length=300, blank=True)
    intro = models.TextField(_("hướng dẫn chung"), blank=True)
    # Partially online procedures (Decree 42/2022): what the applicant must still do at the agency, one
    # step per line; empty: the default (originals shown when the result is collected).
    in_person = models.TextField(_("việc còn phải làm trực tiếp"), blank=True)
    # Citizens fill in the published snapshot, never the rows being edited (builder.publish).
    is_active = models.BooleanField(_("đang áp dụng"), default=False)
    version = models.PositiveIntegerField(_("phiên bản đã công bố"), default=0)
    published = models.JSONField(_("nội dung đã công bố"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_changes = models.BooleanField(_("có thay đổi chưa công bố"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("biểu mẫu nộp trực tuyến")
        verbose_name_plural = _("biểu mẫu nộp trực tuyến")
        ordering = ["procedure__code", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency"], name="portal_form_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(agency__isnull=True),
                name="portal_form_unique_national",
            ),
        ]

    def __str__(self):
        return self.title or str(self.procedure)


class FormField(models.Model):
    definition = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    key = models.CharField(_("mã trường"), max_length=50, validators=[key_validator])
    label = models.CharField(_("nhãn"), max_length=300)
    help_text = models.CharField(_("hướng dẫn"), max_length=500, blank=True)
    type = models.CharField(_("kiểu"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("bắt buộc"), default=False)
    choices = models.TextField(
        _("các lựa chọn"), blank=True, help_text=_("Mỗi dòng một lựa chọn: “giá trị|Nhãn” hoặc chỉ “Nhãn”.")
    )
    show_if_field = models.CharField(_("chỉ hiện khi trường"), max_length=50, blank=True)
    show_if_value = models.CharField(_("có giá trị"), max_length=200, blank=True)
    max_length = models.PositiveIntegerField(_("độ dài tối đa"), null=True, blank=True)
    pattern = models.CharField(_("mẫu kiểm tra (biểu thức chính quy)"), max_length=300, blank=True)
    pattern_message = models.CharField(_("thông báo khi sai mẫu"), max_length=300, blank=True)
    # Data once: copy the answer from the person's latest dossier of the procedure. Only for stable
    # personal data (address, occupation…), never for what each dossier is about (a child's name).
    prefill = models.BooleanField(_("điền sẵn từ hồ sơ trước"), default=False)

    class Meta:
        verbose_name = _("trường của biểu mẫu")
        verbose_name_plural = _("các trường của biểu mẫu")
        ordering = ["definition", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["definition", "key"], name="portal_field_unique_key")]

    def __str__(self):
        return self.label


class FormComponent(models.Model):
    definition = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("thành phần hồ sơ"), max_length=500)
    required = models.BooleanField(_("bắt buộc tải lên"), default=True)
    originals = models.PositiveIntegerField(_("số bản chính"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("số bản sao"), null=True, blank=True)
    help_text = models.CharField(_("hướng dẫn"), max_length=500, blank=True)
    # Kinds of file accepted (core.uploads kinds, comma-separated); empty: every kind the platform takes.
    kinds = models.CharField(_("loại tệp được nhận"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("thành phần phải tải lên")
        verbose_name_plural = _("các thành phần phải tải lên")
        ordering = ["definition", "position", "pk"]

    def __str__(self):
        return self.name


class Draft(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.CASCADE,
        related_name="portal_drafts",
    )
    # Assisted filing: the helper owns the draft, filed for this citizen under a consent.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nộp thay cho công dân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    step = models.CharField(_("bước hiện tại"), max_length=20, default="applicant")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="portal_draft"
    )
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    # SHA-256 of the request filed under the key (services.request_fingerprint): the same key with another
    # request is refused, never answered with this dossier (issue 15)
    request_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["owner", "submitted_at", "-updated_at"], name="portal_draft_owner_idx")
        ]
        constraints = [
            # One dossier per idempotency key of a person, even for concurrent repeats.
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="portal_draft_idempotency_uniq",
            )
        ]

    def __str__(self):
        return f"{self.procedure_version} — {self.owner}"

    @property
    def procedure(self):
        return self.procedure_version.procedure


def staged_path(instance, filename):
    return f"portal/drafts/{instance.draft_id}/{instance.sha256[:16]}{instance.extension}"


class DraftUpload(models.Model):
    """A component file staged in a draft: checked (core.uploads) when uploaded, or a stored paper reused."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="uploads")
    component = models.CharField(_("thành phần hồ sơ"), max_length=500)
    file = models.FileField(upload_to=staged_path, max_length=300, blank=True)
    document = models.ForeignKey(
        "datastore.PersonalDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm hồ sơ nháp")
        verbose_name_plural = _("tệp đính kèm hồ sơ nháp")
        ordering = ["draft", "pk"]

    def __str__(self):
        return f"{self.component}: {self.original_name}"

    @property
    def is_reuse(self) -> bool:
        return self.document_id is not None
