"""Signing keys, trust anchors, issued documents and the signatures made on them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrustAnchor(models.Model):
    """A root certificate whose chains the platform trusts (national root CA, the demo CA).

    Settings can add anchors from files (``CONGSO_SIGNING_TRUST_ANCHOR_FILES``); rows here are
    managed by administrators. The demo CA also keeps its (encrypted) private key here so that
    ``congso demo`` can issue certificates; real anchors never have one.
    """

    class Source(models.TextChoices):
        NATIONAL = "national", _("CA gốc quốc gia")
        DEMO = "demo", _("CA trình diễn (không dùng cho sản xuất)")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.NATIONAL)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    not_after = models.DateTimeField(_("hết hạn"))
    private_key_encrypted = models.BinaryField(blank=True, default=b"", editable=False)
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SigningKey(models.Model):
    """A key and certificate an official (personal signature) or an agency (seal) signs with."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Chữ ký cá nhân")
        SEAL = "seal", _("Chữ ký cơ quan (con dấu)")

    class Source(models.TextChoices):
        PKCS12 = "pkcs12", _("Tệp PKCS#12")
        PKCS11 = "pkcs11", _("USB token / HSM (PKCS#11)")
        DEMO = "demo", _("CA trình diễn")

    label = models.CharField(_("tên gọi"), max_length=100, unique=True)
    kind = models.CharField(_("loại chữ ký"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("nguồn khoá"), max_length=20, choices=Source.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    signer_name = models.CharField(_("tên hiển thị trên chữ ký"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    certificate_pem = models.TextField(_("chứng thư số (PEM)"))
    chain_pem = models.TextField(_("chuỗi chứng thư (PEM)"), blank=True)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, db_index=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hết hạn"))
    pkcs12_encrypted = models.BinaryField(blank=True, default=b"", editable=False)
    passphrase_encrypted = models.BinaryField(blank=True, default=b"", editable=False)
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=300, blank=True)
    pkcs11_token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("nhãn khoá"), max_length=100, blank=True)
    pin_encrypted = models.BinaryField(blank=True, default=b"", editable=False)
    image_png = models.BinaryField(_("ảnh chữ ký / con dấu (PNG)"), blank=True, default=b"", editable=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("khoá ký số")
        verbose_name_plural = _("khoá ký số")
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="personal") | models.Q(user__isnull=False),
                name="signingkey_personal_has_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="seal") | models.Q(agency__isnull=False),
                name="signingkey_seal_has_agency",
            ),
        ]

    def __str__(self):
        return f"{self.label} — {self.signer_name}"


class IssuedDocument(models.Model):
    """A result or slip the platform issued; its QR code opens /xac-thuc/<id>."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        SUBMISSION = "submission", _("Biên nhận hồ sơ nộp trực tuyến")
        SUPPLEMENT_REQUEST = "supplement_request", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
        APOLOGY = "apology", _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
        STOP_NOTICE = "stop_notice", _("Thông báo dừng giải quyết hồ sơ")
        CONTROL_SHEET = "control_sheet", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
        LOG_BOOK = "log_book", _("Sổ theo dõi hồ sơ")
        RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
        ATTACHMENT = "attachment", _("Phụ lục, tài liệu kèm theo")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại văn bản"), max_length=30, choices=Kind.choices)
    code = models.CharField(_("mã hồ sơ / số văn bản"), max_length=100, db_index=True)
    title = models.CharField(_("trích yếu"), max_length=300)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("ngày ban hành"), default=timezone.now)
    sha256 = models.CharField(_("mã băm SHA-256 của tệp"), max_length=64, blank=True, db_index=True)
    file = models.FileField(_("tệp PDF"), upload_to="signing/issued/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("văn bản đã phát hành")
        verbose_name_plural = _("văn bản đã phát hành")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"


class SignatureRecord(models.Model):
    """One signature the platform made: who, with which certificate, when, over which bytes."""

    class Level(models.TextChoices):
        B_B = "PAdES-B-B", "PAdES-B-B"
        B_T = "PAdES-B-T", "PAdES-B-T"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(
        IssuedDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="signatures")
    kind = models.CharField(_("loại chữ ký"), max_length=20, choices=SigningKey.Kind.choices)
    field_name = models.CharField(_("trường chữ ký"), max_length=100)
    signer_name = models.CharField(_("người ký"), max_length=200)
    certificate_fingerprint = models.CharField(max_length=64)
    certificate_subject = models.CharField(max_length=500)
    input_sha256 = models.CharField(_("mã băm trước khi ký"), max_length=64)
    document_sha256 = models.CharField(_("mã băm sau khi ký"), max_length=64, db_index=True)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    level = models.CharField(_("mức PAdES"), max_length=20, choices=Level.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chữ ký đã thực hiện")
        verbose_name_plural = _("chữ ký đã thực hiện")
        ordering = ["signed_at"]

    def __str__(self):
        return f"{self.signer_name} — {self.signed_at:%Y-%m-%d %H:%M}"
