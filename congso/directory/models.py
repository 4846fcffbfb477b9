"""Administrative units, agencies and the staff who work in them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congso.core.text import fold

AGENCY_CODE_RE = re.compile(r"^[0-9A-Z.]{1,35}$")
validate_agency_code = RegexValidator(
    AGENCY_CODE_RE,
    _("Mã định danh điện tử của cơ quan chỉ gồm chữ số, chữ in hoa A–Z và dấu chấm, tối đa 35 ký tự."),
    code="invalid_agency_code",
)


def _is_english(language: str | None) -> bool:
    """``language`` (the active language when None) is English: "en", "en-us", "EN_GB"…"""
    return (language if language is not None else get_language() or "").lower().startswith("en")


class AdministrativeUnit(models.Model):
    """A province, commune, ward or special zone — or a historical unit such as a district.

    Units carry validity dates: since 1 July 2025 there are two tiers (34 provinces and 3,321
    communes); records from before that still name districts and merged communes.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")
        DISTRICT = "district", _("Huyện, quận, thị xã (trước 1/7/2025)")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        TOWNSHIP = "township", _("Thị trấn (trước 1/7/2025)")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện (đã bãi bỏ)")
        COMMUNE = 3, _("Cấp xã")

    code = models.CharField(_("mã đơn vị hành chính"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"), default="2025-07-01")
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("được sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Đơn vị kế thừa sau khi sắp xếp (cho đơn vị đã hết hiệu lực)."),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_unique_code_from"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def clean(self):
        if self.valid_to and self.valid_from and str(self.valid_to) <= str(self.valid_from):
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")})


class Agency(models.Model):
    """A state agency: People's Committee, department (sở), service centre, or a division of one."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
        DIVISION = "division", _("Phòng, đơn vị trực thuộc")
        OTHER = "other", _("Cơ quan khác")

    code = models.CharField(
        _("mã định danh điện tử"),
        max_length=35,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("Theo Quyết định 20/2020/QĐ-TTg; cũng là tiền tố của mã hồ sơ."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    # The official English name, for the English pages of the portals (issue 21); empty: none given.
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=Kind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=500, editable=False, db_index=True, default="/")
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # A service centre's counter receives (and returns) dossiers for these agencies and their sub-trees,
    # and for no other (issue 15: not every agency under its parent).
    serves = models.ManyToManyField(
        "self",
        verbose_name=_("tiếp nhận hồ sơ cho"),
        symmetrical=False,
        blank=True,
        related_name="served_by",
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.code:
            self.code = self.code.strip().upper()
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("Cơ quan không thể là cấp trên của chính nó.")})
                node = node.parent

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            Agency.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path != "/":
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def subtree(self):
        return Agency.objects.filter(path__startswith=self.path)

    def display_name(self, language: str | None = None) -> str:
        """The name to show in ``language`` (a language code such as "en" or "en-gb"; the active one
        when None): the English name for English when there is one, else the Vietnamese name."""
        return self.name_en if self.name_en and _is_english(language) else self.name

    def default_served(self) -> list:
        """What a service centre serves unless configured otherwise: its parent's own agencies (the
        departments under a province's committee), never another committee with its own centre; a
        committee without such committees under it (a commune's) is served whole."""
        parent = self.parent
        if parent is None:
            return []
        children = list(parent.children.exclude(pk=self.pk))
        if any(c.kind == Agency.Kind.PEOPLES_COMMITTEE for c in children):
            return [
                c
                for c in children
                if c.kind not in (Agency.Kind.PEOPLES_COMMITTEE, Agency.Kind.SERVICE_CENTRE)
            ]
        return [parent]


class Role(models.TextChoices):
    CLERK = "clerk", _("Cán bộ một cửa (tiếp nhận, trả kết quả)")
    OFFICER = "officer", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo phê duyệt")
    CLERICAL = "clerical", _("Văn thư")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    IOC_VIEWER = "ioc_viewer", _("Trung tâm điều hành (xem)")
    # Reviews the units' self-assessments in an evaluation round (congso.evaluations, ADR 0150).
    EVALUATOR = "evaluator", _("Cán bộ thẩm định đánh giá, xếp hạng")
    SYSADMIN = "sysadmin", _("Quản trị hệ thống")
    # The agency's information portal (congso.sites, ADR 0166): writes pages, and approves/publishes them.
    WEB_EDITOR = "web_editor", _("Biên tập viên cổng thông tin")
    WEB_APPROVER = "web_approver", _("Duyệt tin, bài cổng thông tin")


class Membership(models.Model):
    """An official's role in an agency, optionally reaching down its sub-tree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    position_en = models.CharField(_("chức vụ (tiếng Anh)"), max_length=150, blank=True)
    include_subtree = models.BooleanField(_("áp dụng cho cả đơn vị trực thuộc"), default=False)
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.agency}"

    def display_position(self, language: str | None = None) -> str:
        """The position to show in ``language`` (the active one when None): the English title for
        English when there is one, else the Vietnamese position ("" when neither is set)."""
        return self.position_en if self.position_en and _is_english(language) else self.position

    def is_active_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
