"""The working-day calendar page for administrators (/lich-lam-viec/): a province's (or the
nationwide) extra days off, make-up working Saturdays and office hours, listed by year and edited
through the calendar's service functions (``services.set_exception``, ``remove_exception``,
``set_office_hours``: permission, one transaction and an audit entry each — ADR 0040).

Who may edit which scope is the permission rule ``core.manage_calendar``, asked with the province
(or None for the nationwide calendar), so a per-province rule applies here as it does in the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congso.core.forms import DayField, parse_day
from congso.core.permissions import can
from congso.directory.models import AdministrativeUnit

from . import services
from .engine import CalendarError, get_calendar
from .models import CalendarException, OfficeHours

WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]
NATIONWIDE = "ca-nuoc"


class ExceptionForm(forms.Form):
    date = DayField(label=gettext_lazy("Ngày"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại ngày"), choices=CalendarException.Kind.choices)
    reason = forms.CharField(
        label=gettext_lazy("Lý do, căn cứ"),
        max_length=300,
        help_text=gettext_lazy("Ví dụ: số, ngày văn bản của Chính phủ hoặc Ủy ban nhân dân tỉnh."),
    )


class HoursForm(forms.Form):
    morning_start = forms.TimeField(
        label=gettext_lazy("Bắt đầu buổi sáng"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    morning_end = forms.TimeField(
        label=gettext_lazy("Kết thúc buổi sáng"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    afternoon_start = forms.TimeField(
        label=gettext_lazy("Bắt đầu buổi chiều"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    afternoon_end = forms.TimeField(
        label=gettext_lazy("Kết thúc buổi chiều"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    receipt_cutoff = forms.TimeField(
        label=gettext_lazy("Giờ chốt tiếp nhận trong ngày"),
        required=False,
        help_text=gettext_lazy("Để trống: giờ kết thúc buổi chiều."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )


def _scopes(user) -> list[tuple[str, str, object]]:
    """(key, label, unit) of every calendar the user may edit: nationwide (unit None) and provinces."""
    scopes = []
    if can(user, "core.manage_calendar", None):
        scopes.append((NATIONWIDE, _("Cả nước (mặc định)"), None))
    provinces = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.PROVINCE, valid_to__isnull=True
    )
    for province in provinces.order_by("name"):
        if can(user, "core.manage_calendar", province):
            scopes.append((province.code, province.name, province))
    return scopes


def _hours_initial(unit) -> dict:
    row = OfficeHours.objects.filter(unit=unit).first()
    if row is None and unit is not None:
        row = OfficeHours.objects.filter(unit__isnull=True).first()
    row = row or OfficeHours()
    return {
        "morning_start": row.morning_start,
        "morning_end": row.morning_end,
        "afternoon_start": row.afternoon_start,
        "afternoon_end": row.afternoon_end,
        "receipt_cutoff": row.receipt_cutoff,
    }


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    scopes = _scopes(request.user)
    if not scopes:
        raise PermissionDenied(_("Bạn không có quyền quản lý lịch làm việc."))
    data = request.POST if request.method == "POST" else request.GET
    key = data.get("tinh") or scopes[0][0]
    scope = next((s for s in scopes if s[0] == key), None)
    if scope is None:
        raise PermissionDenied(_("Bạn không có quyền quản lý lịch làm việc của tỉnh này."))
    _key, scope_label, unit = scope
    today = timezone.localdate()
    try:
        year = int(data.get("nam") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    back = reverse("calendar:page") + "?" + urlencode({"tinh": key, "nam": year})

    exception_form = ExceptionForm(request.POST if data.get("op") == "exception" else None)
    hours_form = HoursForm(request.POST if data.get("op") == "hours" else None, initial=_hours_initial(unit))
    if request.method == "POST":
        try:
            if data.get("op") == "exception" and exception_form.is_valid():
                c = exception_form.cleaned_data
                services.set_exception(request.user, c["date"], c["kind"], c["reason"], unit=unit)
                messages.success(request, _("Đã lưu ngày %(day)s.") % {"day": c["date"].strftime("%d/%m/%Y")})
                return redirect(back)
            if data.get("op") == "remove":
                day = parse_day(data.get("date", ""))
                if services.remove_exception(request.user, day, unit=unit):
                    messages.success(request, _("Đã xoá ngày %(day)s.") % {"day": day.strftime("%d/%m/%Y")})
                else:
                    messages.error(request, _("Ngày này chưa được khai báo."))
                return redirect(back)
            if data.get("op") == "hours" and hours_form.is_valid():
                values = {
                    k: v for k, v in hours_form.cleaned_data.items() if v is not None or k == "receipt_cutoff"
                }
                services.set_office_hours(request.user, unit=unit, **values)
                messages.success(request, _("Đã lưu giờ làm việc."))
                return redirect(back)
        except CalendarError as exc:
            form = hours_form if data.get("op") == "hours" else exception_form
            form.add_error(None, str(exc))
        except ValueError:
            messages.error(request, _("Ngày không hợp lệ."))
            return redirect(back)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
            return redirect(back)

    declared = CalendarException.objects.filter(unit=unit, date__year=year).order_by("date")
    cal = get_calendar(unit)
    effective = [
        {"date": day, "weekday": WEEKDAYS[day.weekday()], "working": working, "reason": reason}
        for day, (working, reason) in sorted(cal.day_notes(year).items())
        if working != (day.weekday() < 5)
    ]
    return render(
        request,
        "calendar/calendar.html",
        {
            "scopes": scopes,
            "scope_key": key,
            "scope_label": scope_label,
            "year": year,
            "years": list(range(today.year - 1, today.year + 3)),
            "declared": [{"row": row, "weekday": WEEKDAYS[row.date.weekday()]} for row in declared],
            "effective": effective,
            "hours": cal.hours,
            "exception_form": exception_form,
            "hours_form": hours_form,
        },
    )
