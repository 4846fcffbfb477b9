"""Seed the working-day calendar: the revision counter, nationwide office hours, Tết 2027.

Tết Nguyên đán Đinh Mùi 2027: the government's announced closure for public servants runs from
Thursday 4 to Wednesday 10 February 2027 (29 tháng Chạp Bính Ngọ to mùng 5 tháng Giêng Đinh
Mùi). The `holidays` package (0.109) lists the same seven days, but the closure is recorded here as
editable nationwide rows so that it does not depend on a third-party package's version and an
administrator can see and change it (docs/adr/0040-working-day-calendar.md).
"""

import datetime

from django.db import migrations

TET_2027_REASON = "Nghỉ Tết Nguyên đán Đinh Mùi 2027 (04/02–10/02/2027) theo thông báo của Chính phủ"
TET_2027_DAYS = [datetime.date(2027, 2, day) for day in range(4, 11)]


def seed(apps, schema_editor):
    CalendarRevision = apps.get_model("core", "CalendarRevision")
    OfficeHours = apps.get_model("core", "OfficeHours")
    CalendarException = apps.get_model("core", "CalendarException")
    CalendarRevision.objects.get_or_create(pk=1, defaults={"revision": 1})
    if not OfficeHours.objects.filter(unit__isnull=True).exists():
        OfficeHours.objects.create(
            unit=None,
            morning_start=datetime.time(7, 30),
            morning_end=datetime.time(11, 30),
            afternoon_start=datetime.time(13, 30),
            afternoon_end=datetime.time(17, 0),
        )
    for day in TET_2027_DAYS:
        if not CalendarException.objects.filter(unit__isnull=True, date=day).exists():
            CalendarException.objects.create(unit=None, date=day, kind="day_off", reason=TET_2027_REASON)


def unseed(apps, schema_editor):
    CalendarException = apps.get_model("core", "CalendarException")
    CalendarException.objects.filter(unit__isnull=True, date__in=TET_2027_DAYS, reason=TET_2027_REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_working_day_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
