"""User accounts: citizens, representatives of organisations, and officials."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
