"""Pages of the work calendars: the public list, a published week (phone first, printable) and its
iCalendar feed; the secretaries' and leaders' list, the week page (entries, conflicts, sources,
versions) with its entry form and actions. Thin: every decision is in ``services``/``selectors``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can
from congso.directory.models import Agency
from congso.directory.scope import agencies_for

from . import ical, selectors, services
from .forms import CalendarForm, EntryForm
from .models import Calendar, Entry, Status, Week
from .transitions import VERSIONS


def _monday(value) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        raise Http404 from None
    if not (dt.date(2000, 1, 1) <= day <= dt.date(2100, 1, 1)):
        raise Http404
    return selectors.monday(day)


def _nav(start: dt.date) -> dict:
    return {
        "start": start,
        "end": start + dt.timedelta(days=6),
        "previous": start - dt.timedelta(days=7),
        "next": start + dt.timedelta(days=7),
        "this": selectors.monday(timezone.localdate()),
    }


# --- public ----------------------------------------------------------------------------------------


def public_index(request):
    calendars = list(selectors.public_calendars().order_by("agency__path", "kind", "position", "pk"))
    groups: dict[int, dict] = {}
    for cal in calendars:
        groups.setdefault(cal.agency_id, {"agency": cal.agency, "calendars": []})["calendars"].append(cal)
    return render(request, "workcalendars/public_index.html", {"groups": list(groups.values())})


def public_week(request, pk):
    calendar = selectors.public_calendar(pk)
    if calendar is None:
        raise Http404
    start = _monday(request.GET.get("tuan"))
    return render(
        request,
        "workcalendars/public_week.html",
        {"calendar": calendar, "nav": _nav(start), **selectors.public_week(calendar, start)},
    )


def ical_feed(request, pk):
    calendar = selectors.public_calendar(pk)
    if calendar is None:
        raise Http404
    rows, sources = selectors.feed_entries(calendar, today=timezone.localdate())
    response = HttpResponse(ical.feed(calendar, rows, sources), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="lich-cong-tac-{calendar.pk}.ics"'
    return response


# --- secretaries and leaders -----------------------------------------------------------------------


def _creatable_agencies(user):
    return agencies_for(user, ("clerical", "agency_admin")).filter(is_active=True).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def staff_index(request):
    agencies = list(_creatable_agencies(request.user))
    chosen = None
    if request.method == "POST":
        chosen = Agency.objects.filter(
            pk=request.POST.get("agency") or 0, pk__in=[a.pk for a in agencies]
        ).first()
    leaders = selectors.leader_choices(chosen or agencies[0], own_only=True) if agencies else []
    form = CalendarForm(request.POST or None, agencies=agencies, leaders=leaders)
    status = 200
    if request.method == "POST":
        if not agencies:
            raise PermissionDenied
        leader = next((u for u, _label in leaders if str(u.pk) == request.POST.get("leader")), None)
        if request.POST.get("leader") and leader is None:
            form.add_error("leader", _("Chọn một lãnh đạo của cơ quan."))
            status = 400
        else:
            try:
                calendar = services.create_calendar(agency=chosen, leader=leader, by=request.user)
            except ServiceError as exc:
                service_error_to_form(form, exc)
                status = exc.status
            except PermissionDenied:
                form.add_error(None, _("Bạn không có quyền tạo lịch cho cơ quan này."))
                status = 403
            else:
                messages.success(request, _("Đã tạo lịch công tác."))
                return redirect(
                    "workcalendars:week", pk=calendar.pk, start=selectors.monday(timezone.localdate())
                )
    calendars = list(
        selectors.staff_calendars(request.user).order_by("agency__path", "kind", "position", "pk")
    )
    if not calendars and not agencies:
        raise PermissionDenied
    this = selectors.monday(timezone.localdate())
    weeks = {
        (w.calendar_id, w.start): w
        for w in Week.objects.filter(
            calendar__in=calendars, start__in=[this, this + dt.timedelta(days=7)]
        ).select_related("current", "published")
    }
    rows = [
        {
            "calendar": cal,
            "weeks": [
                {"start": s, "week": weeks.get((cal.pk, s))} for s in (this, this + dt.timedelta(days=7))
            ],
        }
        for cal in calendars
    ]
    return render(
        request,
        "workcalendars/staff_index.html",
        {"rows": rows, "form": form if agencies else None, "this": this},
        status=status,
    )


def _staff_calendar(request, pk) -> Calendar:
    calendar = Calendar.objects.select_related("agency", "leader").filter(pk=pk).first()
    if calendar is None:
        raise Http404
    if not can(request.user, "workcalendars.view_staff", calendar):
        raise PermissionDenied
    return calendar


def _week_context(request, calendar, start, form):
    week = selectors.week_of(calendar, start)
    version = week.current if week else None
    version_no = request.GET.get("ban")
    if week and version_no and version_no.isdigit():
        version = week.versions.filter(number=int(version_no)).first() or version
    rows = list(version.entries.prefetch_related("attendees")) if version else []
    users = {calendar.leader_id} if calendar.leader_id else set()
    units = {calendar.agency_id} if calendar.kind == Calendar.Kind.UNIT else set()
    first, last = selectors.week_bounds(start)
    sources = selectors.source_entries(users, units, first, last)
    items = selectors.display_rows(rows, sources)
    conflicts = selectors.conflicts(version) if version else {}
    for item in items:
        item["conflicts"] = conflicts.get(item["pk"], []) if item["pk"] else []
    may_draft = can(request.user, "workcalendars.draft", calendar)
    editable = bool(version and version.editable and may_draft and week.current_id == version.pk)
    actions = (
        [
            t
            for t in VERSIONS.available(version.status, actor=request.user, obj=calendar)
            if week.current_id == version.pk
        ]
        if version
        else []
    )
    return {
        "calendar": calendar,
        "nav": _nav(start),
        "week": week,
        "version": version,
        "versions": list(week.versions.select_related("created_by", "decided_by")) if week else [],
        "items": items,
        "days": selectors.by_day(start, items),
        "conflict_count": len(conflicts),
        "may_draft": may_draft,
        "may_open": may_draft and version is None and start + dt.timedelta(days=6) >= timezone.localdate(),
        "editable": editable,
        "actions": actions,
        "form": form,
        "Status": Status,
    }


def _entry_form(calendar, data=None, initial=None):
    return EntryForm(data, initial=initial, leaders=selectors.leader_choices(calendar.agency))


@login_required
@require_http_methods(["GET", "POST"])
def week_page(request, pk, start):
    calendar = _staff_calendar(request, pk)
    monday = _monday(start)
    if str(monday) != start:
        return redirect("workcalendars:week", pk=pk, start=monday.isoformat())
    form = _entry_form(calendar, request.POST or None, initial={"day": max(monday, timezone.localdate())})
    status = 200
    if request.method == "POST":
        week = selectors.week_of(calendar, monday)
        if week is None or week.current_id is None:
            raise Http404
        try:
            services.add_entry(week.current_id, request.POST, by=request.user)
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền soạn lịch này."))
            status = 403
        else:
            messages.success(request, _("Đã thêm công việc vào lịch tuần."))
            return redirect("workcalendars:week", pk=pk, start=start)
    return render(
        request, "workcalendars/week.html", _week_context(request, calendar, monday, form), status=status
    )


@login_required
@require_POST
def week_action(request, pk, start):
    calendar = _staff_calendar(request, pk)
    monday = _monday(start)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            services.open_week(calendar.pk, monday, by=request.user)
            messages.success(request, _("Đã tạo dự thảo lịch tuần."))
        else:
            if action not in VERSIONS.transitions:
                raise Http404
            week = selectors.week_of(calendar, monday)
            if week is None or week.current_id is None:
                raise Http404
            services.act(
                week.current_id,
                action,
                by=request.user,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Đã cập nhật lịch tuần."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        messages.error(request, _("Bạn không có quyền thực hiện thao tác này."))
    return redirect("workcalendars:week", pk=pk, start=monday.isoformat())


def _staff_entry(request, entry_id) -> Entry:
    entry = Entry.objects.select_related("version__week__calendar__agency").filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    _staff_calendar(request, entry.version.week.calendar_id)
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request, entry_id):
    entry = _staff_entry(request, entry_id)
    week = entry.version.week
    initial = {
        "day": entry.day,
        "part": entry.part,
        "start_time": entry.start_time,
        "end_time": entry.end_time,
        "content": entry.content,
        "place": entry.place,
        "attendees": [str(pk) for pk in entry.attendees.values_list("pk", flat=True)],
        "participants": entry.participants,
        "preparing_unit": entry.preparing_unit,
        "notes": entry.notes,
    }
    form = _entry_form(week.calendar, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            services.update_entry(entry.pk, request.POST, by=request.user)
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền soạn lịch này."))
            status = 403
        else:
            messages.success(request, _("Đã sửa công việc."))
            return redirect("workcalendars:week", pk=week.calendar_id, start=week.start.isoformat())
    return render(
        request,
        "workcalendars/entry_form.html",
        {"entry": entry, "week": week, "calendar": week.calendar, "form": form},
        status=status,
    )


@login_required
@require_POST
def delete_entry(request, entry_id):
    entry = _staff_entry(request, entry_id)
    week = entry.version.week
    try:
        services.delete_entry(entry.pk, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        messages.error(request, _("Bạn không có quyền soạn lịch này."))
    else:
        messages.success(request, _("Đã xóa công việc."))
    return redirect("workcalendars:week", pk=week.calendar_id, start=week.start.isoformat())
