"""Leaders' and units' weekly work calendars (lịch công tác tuần), ADR 0163.

A ``Calendar`` belongs to an agency (the unit's own calendar) or to a leader of it. Each week of a
calendar (``Week``, starting on Monday) has numbered ``Version``s: the secretaries (văn thư) draft one,
a leader of the agency approves it or returns it with a reason; an approved week is amended by a new
version, drafted and approved again, while the public page keeps showing the approved one
(``Week.published``, "cập nhật lúc" ``Week.published_at``). ``Entry`` rows belong to one version; an
amended version copies them with the same ``uid`` (the iCalendar UID stays stable).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.directory.models import Agency


class Calendar(models.Model):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Lịch cơ quan, đơn vị")
        LEADER = "leader", _("Lịch lãnh đạo")

    kind = models.CharField(_("loại lịch"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="work_calendars"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_calendars",
    )
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    is_public = models.BooleanField(_("công khai"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("lịch công tác")
        verbose_name_plural = _("lịch công tác")
        ordering = ["agency__code", "kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(kind="unit"), name="workcal_one_unit_calendar"
            ),
            models.UniqueConstraint(
                fields=["agency", "leader"], condition=models.Q(kind="leader"), name="workcal_one_per_leader"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="unit", leader__isnull=True)
                | models.Q(kind="leader", leader__isnull=False),
                name="workcal_leader_iff_kind",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.kind == self.Kind.LEADER and self.leader_id:
            name = getattr(self.leader, "full_name", "") or self.leader.get_username()
            return f"{name} — {self.position}" if self.position else name
        return self.agency.name


class Week(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="weeks")
    start = models.DateField(_("tuần bắt đầu (thứ Hai)"))
    current = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tuần")
        verbose_name_plural = _("tuần")
        ordering = ["calendar", "start"]
        constraints = [models.UniqueConstraint(fields=["calendar", "start"], name="workcal_week_unique")]

    def __str__(self):
        return f"{self.calendar} — {self.start:%d/%m/%Y}"

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Đã duyệt, công bố")
    SUPERSEDED = "superseded", _("Đã thay bằng bản điều chỉnh")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class Version(models.Model):
    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("lần"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    note = models.TextField(_("nội dung điều chỉnh"), blank=True)

    class Meta:
        verbose_name = _("phiên bản lịch tuần")
        verbose_name_plural = _("phiên bản lịch tuần")
        ordering = ["week", "number"]
        constraints = [models.UniqueConstraint(fields=["week", "number"], name="workcal_version_unique")]

    def __str__(self):
        return f"{self.week} — {self.number}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Part(models.TextChoices):
    TIMED = "timed", _("Theo giờ")
    MORNING = "morning", _("Buổi sáng")
    AFTERNOON = "afternoon", _("Buổi chiều")
    ALL_DAY = "all_day", _("Cả ngày")


class Entry(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="entries")
    uid = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    day = models.DateField(_("ngày"))
    part = models.CharField(_("thời gian"), max_length=10, choices=Part.choices, default=Part.TIMED)
    start_time = models.TimeField(_("từ giờ"), null=True, blank=True)
    end_time = models.TimeField(_("đến giờ"), null=True, blank=True)
    starts_at = models.DateTimeField(editable=False, db_index=True)
    ends_at = models.DateTimeField(editable=False)
    content = models.TextField(_("nội dung công việc"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo dự"), blank=True, related_name="+"
    )
    participants = models.CharField(_("thành phần khác"), max_length=500, blank=True)
    preparing_unit = models.CharField(_("đơn vị chuẩn bị"), max_length=255, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("mục lịch công tác")
        verbose_name_plural = _("mục lịch công tác")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "uid"], name="workcal_entry_uid_per_version"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="workcal_entry_order"
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.content[:60]}"

    @property
    def all_day(self) -> bool:
        return self.part == Part.ALL_DAY
