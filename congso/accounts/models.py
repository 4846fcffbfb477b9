"""User accounts: citizens, representatives of organisations, and officials."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import cccd_validator, tax_code_validator


class User(AbstractUser):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        OFFICIAL = "official", _("Cán bộ, công chức")
        SERVICE = "service", _("Tài khoản hệ thống")

    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL

    @property
    def needs_otp(self) -> bool:
        """Officials and anyone with staff powers must pass a second factor (TOTP)."""
        return self.kind == self.Kind.OFFICIAL or self.is_staff or self.is_superuser


class CitizenProfile(models.Model):
    """A citizen's identity: CCCD number, date of birth and address in a commune. Personal data."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    cccd = models.CharField(
        _("số CCCD"), max_length=12, unique=True, null=True, blank=True, validators=[cccd_validator]
    )
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường, đặc khu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ công dân")
        verbose_name_plural = _("hồ sơ công dân")

    def __str__(self):
        return str(self.user)


class Organisation(models.Model):
    """A business or organisation identified by its tax code."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Doanh nghiệp")
        HOUSEHOLD_BUSINESS = "household", _("Hộ kinh doanh")
        ORGANISATION = "organisation", _("Tổ chức")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    name = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=255)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True, validators=[tax_code_validator])
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ trụ sở"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường, đặc khu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tổ chức, doanh nghiệp")
        verbose_name_plural = _("tổ chức, doanh nghiệp")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Representative(models.Model):
    """A person authorised to act for an organisation (legal representative or by authorisation)."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Người đại diện theo pháp luật")
        AUTHORISED = "authorised", _("Người được ủy quyền")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="representations")
    kind = models.CharField(_("tư cách"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("người đại diện")
        verbose_name_plural = _("người đại diện")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="representative_unique")]

    def __str__(self):
        return f"{self.user} — {self.organisation}"


class OidcIdentity(models.Model):
    """Links an identity at an OpenID Connect provider (issuer + subject) to a local citizen account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("định danh OIDC")
        verbose_name_plural = _("định danh OIDC")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")]

    def __str__(self):
        return f"{self.issuer} {self.subject}"


class CommunityTeam(models.Model):
    """A community digital technology team (tổ công nghệ số cộng đồng) of a commune."""

    name = models.CharField(_("tên tổ"), max_length=200)
    commune = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường, đặc khu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan quản lý"),
        on_delete=models.PROTECT,
        related_name="community_teams",
        help_text=_("Thường là Ủy ban nhân dân xã, phường."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommunityHelper(models.Model):
    """A registered member of a community digital technology team."""

    team = models.ForeignKey(CommunityTeam, on_delete=models.PROTECT, related_name="helpers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="helper_memberships")
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên tổ công nghệ số")
        verbose_name_plural = _("thành viên tổ công nghệ số")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="helper_unique")]

    def __str__(self):
        return f"{self.user} — {self.team}"


class AssistanceConsent(models.Model):
    """A citizen's consent that a helper may start and submit work on their behalf: who, when, for what."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Công dân tự xác nhận trực tuyến")
        PAPER = "paper", _("Giấy đồng ý có chữ ký, cán bộ ghi nhận")

    citizen = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consents_given")
    helper = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consents_received")
    team = models.ForeignKey(CommunityTeam, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("mục đích"), max_length=300)
    procedure_code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        blank=True,
        help_text=_("Để trống nếu đồng ý cho mọi thủ tục trong thời hạn."),
    )
    method = models.CharField(_("hình thức"), max_length=20, choices=Method.choices)
    paper_reference = models.CharField(_("số, ký hiệu giấy đồng ý"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("thời điểm đồng ý"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đồng ý hỗ trợ")
        verbose_name_plural = _("đồng ý hỗ trợ")
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.citizen} → {self.helper}: {self.purpose}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def covers(self, purpose: str) -> bool:
        return not self.procedure_code or self.procedure_code == purpose


class AssistedAction(models.Model):
    """One action a helper performed for a citizen under a consent. Counted in statistics."""

    consent = models.ForeignKey(AssistanceConsent, on_delete=models.PROTECT, related_name="actions")
    helper = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(CommunityTeam, on_delete=models.PROTECT, related_name="actions")
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("thao tác hỗ trợ")
        verbose_name_plural = _("thao tác hỗ trợ")
        indexes = [models.Index(fields=["object_type", "object_id"], name="assisted_object_idx")]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class SecondFactorLock(models.Model):
    """Wrong second-factor codes of one official, and the lock they led to (as django-axes locks a
    password): after ``CONGSO_OTP_FAILURE_LIMIT`` wrong codes in a row the second factor is locked until
    ``locked_until`` (``CONGSO_OTP_LOCKOUT_MINUTES``); a right code resets the count. See accounts/otp.py."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor_lock")
    failures = models.PositiveIntegerField(_("số lần nhập sai liên tiếp"), default=0)
    locked_until = models.DateTimeField(_("khoá đến"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("khoá xác thực hai lớp")
        verbose_name_plural = _("khoá xác thực hai lớp")

    def __str__(self):
        return f"{self.user_id}: {self.failures}"
