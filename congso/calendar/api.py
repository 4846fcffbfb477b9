"""JSON API of the working-day calendar, mounted at /api/v1/calendar/ (congso/api.py).

Reading (anyone may check a deadline): ``GET /due``, ``POST /due`` (with pauses), ``GET /days``,
``GET /office-hours``. Changing (a signed-in session or a bearer token with the ``write`` scope, and
permission ``core.manage_calendar`` on the province: its own administrators, or a system
administrator; nationwide rows: system administrators): ``POST /exceptions``, ``DELETE /exceptions``,
``PUT /office-hours``. Each endpoint calls the same
functions as the admin and the ``congso calendar`` command (services.py, engine.py).
Bad input gets HTTP 400 with a Vietnamese ``detail``; nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status

from congso.core.api_auth import write_auth
from congso.core.api_errors import ApiError
from congso.core.errors import NotFound

from . import engine, services
from .engine import CalendarError

router = Router(tags=["Lịch làm việc"])

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


class PauseIn(Schema):
    start: str
    end: str | None = None


class DueIn(Schema):
    received: str
    amount: str
    hours: bool = False
    province: str | None = None
    pauses: list[PauseIn] = []


class DueOut(Schema):
    received: dt.datetime
    start: dt.datetime
    allowance: str
    due: dt.datetime | None
    paused: bool
    province: str | None


class DayOut(Schema):
    date: dt.date
    weekday: str
    working: bool
    reason: str


class DaysOut(Schema):
    year: int
    province: str | None
    days: list[DayOut]


class ExceptionIn(Schema):
    date: str
    kind: str
    reason: str
    province: str | None = None


class ExceptionOut(Schema):
    date: dt.date
    kind: str
    reason: str
    province: str | None


class OfficeHoursIn(Schema):
    province: str | None = None
    morning_start: str | None = None
    morning_end: str | None = None
    afternoon_start: str | None = None
    afternoon_end: str | None = None
    receipt_cutoff: str | None = None


class OfficeHoursOut(Schema):
    province: str | None
    intervals: list[list[str]]
    receipt_cutoff: str


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise CalendarError(f"Ngày không hợp lệ: {str(text)[:20]!r}. Ví dụ: 2027-02-04.") from None


def _time(text: str | None, name: str) -> dt.time | None:
    if text is None or text == "":
        return None
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"Giờ không hợp lệ ở trường {name}: {text[:10]!r}. Ví dụ: 07:30.") from None


def _due(received: str, amount: str, hours: bool, province: str | None, pauses=()):
    # a CalendarError (a ServiceError) is answered 400 by the API's one handler (core.api_errors)
    cal = engine.get_calendar(province or None)
    moment = engine.parse_moment(received)
    allowance = engine.hours(amount) if hours else engine.days(amount)
    pause_list = [
        (engine.parse_moment(p.start), engine.parse_moment(p.end) if p.end else None) for p in pauses
    ]
    due = cal.due_at(moment, allowance, pause_list)
    return Status(
        200,
        {
            "received": cal.local(moment),
            "start": cal.effective_start(moment),
            "allowance": str(allowance),
            "due": due,
            "paused": due is None,
            "province": province or None,
        },
    )


@router.get("/due", response={200: DueOut, 400: ApiError}, summary="Tính hạn giải quyết")
def due(request, received: str, amount: str, hours: bool = False, province: str | None = None):
    """Hạn giải quyết cho `amount` ngày làm việc (hoặc giờ, với `hours=true`) kể từ `received`."""
    return _due(received, amount, hours, province)


@router.post("/due", response={200: DueOut, 400: ApiError}, summary="Tính hạn giải quyết có tạm dừng")
def due_with_pauses(request, payload: DueIn):
    """Như GET /due, kèm các khoảng tạm dừng (yêu cầu bổ sung); `end` trống là đang chờ công dân."""
    return _due(payload.received, payload.amount, payload.hours, payload.province, payload.pauses)


@router.get("/days", response={200: DaysOut, 400: ApiError}, summary="Ngày nghỉ, ngày làm bù trong năm")
def days(request, year: int, province: str | None = None):
    if not 1900 <= year <= 2200:
        raise CalendarError("Năm không hợp lệ.")
    cal = engine.get_calendar(province or None)
    items = [
        {"date": day, "weekday": WEEKDAYS[day.weekday()], "working": working, "reason": reason}
        for day, (working, reason) in sorted(cal.day_notes(year).items())
        if working != (day.weekday() < 5)
    ]
    return Status(200, {"year": year, "province": province or None, "days": items})


@router.get("/office-hours", response={200: OfficeHoursOut, 400: ApiError}, summary="Giờ làm việc")
def office_hours(request, province: str | None = None):
    cal = engine.get_calendar(province or None)
    return Status(
        200,
        {
            "province": province or None,
            "intervals": [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in cal.hours.intervals],
            "receipt_cutoff": cal.hours.cutoff.strftime("%H:%M"),
        },
    )


def _may_edit_some_calendar(user) -> None:
    """Refuse, before looking at the input, someone who may change no calendar at all; the service
    then checks the province itself (its administrators, or a system administrator)."""
    if not services.may_manage(user, "any"):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


@router.post(
    "/exceptions",
    auth=write_auth,
    response={200: ExceptionOut, 400: ApiError, 403: ApiError},
    summary="Khai báo ngày nghỉ hoặc ngày làm bù",
)
def set_exception(request, payload: ExceptionIn):
    def run():
        _may_edit_some_calendar(request.user)
        row = services.set_exception(
            request.user, _date(payload.date), payload.kind, payload.reason, unit=payload.province or None
        )
        return Status(
            200,
            {
                "date": row.date,
                "kind": row.kind,
                "reason": row.reason,
                "province": row.unit.code if row.unit_id else None,
            },
        )

    return run()


@router.delete(
    "/exceptions",
    auth=write_auth,
    response={204: None, 400: ApiError, 403: ApiError, 404: ApiError},
    summary="Xoá ngày nghỉ hoặc ngày làm bù đã khai báo",
)
def remove_exception(request, date: str, province: str | None = None):
    def run():
        _may_edit_some_calendar(request.user)
        if services.remove_exception(request.user, _date(date), unit=province or None):
            return Status(204, None)
        raise NotFound("Không có ngày nghỉ, ngày làm bù nào được khai báo cho ngày này.")

    return run()


@router.put(
    "/office-hours",
    auth=write_auth,
    response={200: OfficeHoursOut, 400: ApiError, 403: ApiError},
    summary="Đặt giờ làm việc của tỉnh (hoặc mặc định cả nước)",
)
def set_office_hours(request, payload: OfficeHoursIn):
    def run():
        _may_edit_some_calendar(request.user)
        fields = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")
        values = {}
        for name in fields:
            value = _time(getattr(payload, name), name)
            if value is not None:
                values[name] = value
        if payload.receipt_cutoff is not None:
            values["receipt_cutoff"] = _time(payload.receipt_cutoff, "receipt_cutoff")
        services.set_office_hours(request.user, unit=payload.province or None, **values)
        return office_hours(request, payload.province)

    return run()
