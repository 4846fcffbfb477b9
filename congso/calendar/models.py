"""The working-day calendar's rows (docs/adr/0040-working-day-calendar.md).

Moved from ``core`` without losing rows: migration 0001 takes them over in Django's state only (the
tables were created by core's migrations), 0002 renames the tables from ``core_*`` to ``calendar_*``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class OfficeHours(models.Model):
    """Office hours of one province (or, with no unit, the nationwide default).

    Two sessions a day, Monday to Friday and on make-up Saturdays. A continuous day is
    expressed with ``morning_end == afternoon_start``. Deadlines count only these hours.
    """

    unit = models.OneToOneField(
        "directory.AdministrativeUnit",
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="office_hours",
        limit_choices_to={"level": 1},
        help_text=_("Để trống: giờ làm việc mặc định cho cả nước."),
    )
    morning_start = models.TimeField(_("bắt đầu buổi sáng"), default="07:30")
    morning_end = models.TimeField(_("kết thúc buổi sáng"), default="11:30")
    afternoon_start = models.TimeField(_("bắt đầu buổi chiều"), default="13:30")
    afternoon_end = models.TimeField(_("kết thúc buổi chiều"), default="17:00")
    receipt_cutoff = models.TimeField(
        _("giờ chốt tiếp nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Hồ sơ tiếp nhận từ giờ này trở đi được tính như tiếp nhận vào ngày làm việc tiếp theo. "
            "Để trống: giờ kết thúc buổi chiều."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        constraints = [
            # One nationwide row (unit NULL): NULLs are distinct in a plain unique index.
            models.UniqueConstraint(
                Coalesce("unit", models.Value(0)),
                name="office_hours_one_per_scope",
                violation_error_message=_("Đã có giờ làm việc cho phạm vi này."),
            ),
        ]

    def __str__(self):
        where = self.unit.name if self.unit_id else _("Cả nước")
        return f"{where}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, {self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"

    def clean(self):
        times = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if any(t is None for t in times):
            return
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(
                _(
                    "Giờ làm việc không hợp lệ: cần bắt đầu sáng < kết thúc sáng ≤ bắt đầu chiều < kết thúc chiều."
                )
            )
        if self.receipt_cutoff is not None and not (
            self.morning_start < self.receipt_cutoff <= self.afternoon_end
        ):
            raise ValidationError({"receipt_cutoff": _("Giờ chốt tiếp nhận phải nằm trong giờ làm việc.")})
        if self.unit_id and self.unit.level != 1:
            raise ValidationError({"unit": _("Chỉ đặt giờ làm việc cho đơn vị cấp tỉnh.")})


class CalendarException(models.Model):
    """A day that departs from the usual calendar: an extra day off or a make-up working day.

    With no unit it applies nationwide; with a province it applies there only and overrides a
    nationwide exception for the same day. Both override the public holidays of the
    ``holidays`` package and the Monday–Friday rule.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_exceptions",
        limit_choices_to={"level": 1},
        help_text=_("Để trống: áp dụng cho cả nước."),
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("lý do, căn cứ"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date"],
                name="calendar_exception_unit_date",
                violation_error_message=_("Ngày này đã được khai báo cho tỉnh này."),
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(unit__isnull=True),
                name="calendar_exception_nationwide_date",
                violation_error_message=_("Ngày này đã được khai báo cho cả nước."),
            ),
        ]
        indexes = [models.Index(fields=["date"], name="calendar_exception_date_idx")]

    def __str__(self):
        where = self.unit.name if self.unit_id else _("Cả nước")
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()} — {where}"

    def clean(self):
        if self.unit_id and self.unit.level != 1:
            raise ValidationError({"unit": _("Chỉ đặt ngày nghỉ, ngày làm bù cho đơn vị cấp tỉnh.")})


class CalendarRevision(models.Model):
    """One row whose counter rises with every calendar edit, in the edit's own transaction.

    Each process keeps the computed calendar in memory and compares this counter now and
    then, so an edit made in one worker reaches the others (ADR 0040).
    """

    revision = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản lịch làm việc")
        verbose_name_plural = _("phiên bản lịch làm việc")

    def __str__(self):
        return f"calendar revision {self.revision}"
