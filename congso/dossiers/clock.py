"""A dossier's clock: its legal allowance, due moments of the dossier and of each step, and flags.

All arithmetic is delegated to ``congso.calendar.engine`` (working days, office hours, Tết, make-up
Saturdays, pauses). Units that are not working time (calendar days, weeks, months, years) run on the
calendar and fall due at the close of the first working day on or after the date they reach. "Trả
ngay" falls due at the receipt moment, "trong ngày" at the close of the receipt's working day (ADR 0143).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from congso.calendar import engine as calendar

from .models import CLOCK_PAUSED_STATUSES

WORKING_UNITS = {"working_days": calendar.DAYS, "hours": calendar.HOURS}
# Limits that count nothing (ADR 0143): due at receipt, or at the close of the receipt's working day.
IMMEDIATE, SAME_DAY = "immediate", "same_day"
CALENDAR_DAY_UNITS = {"days": 1, "weeks": 7}


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def pauses_of(dossier) -> list[tuple[dt.datetime, dt.datetime | None]]:
    return [(p.started_at, p.ended_at) for p in dossier.pauses.all()]


def _calendar_for(dossier) -> calendar.WorkingCalendar:
    # By id: the calendar caches the province of each unit id, so an inbox page costs no extra query.
    return calendar.get_calendar(dossier.receiving_agency.unit_id)


def due_for(dossier, fraction: Decimal | float = 1, pauses=None) -> dt.datetime | None:
    """When the dossier (or the part of its allowance given by ``fraction``) falls due.

    None while the clock is stopped by an open pause, or when the procedure states no time limit.
    """
    if dossier.received_at is None or dossier.allowance_value is None or not dossier.allowance_unit:
        return None
    cal = _calendar_for(dossier)
    pauses = pauses_of(dossier) if pauses is None else pauses
    value, unit = Decimal(dossier.allowance_value), dossier.allowance_unit
    fraction = Decimal(str(fraction))
    if unit == IMMEDIATE:
        # "Trả ngay": due at the receipt moment, moved by the length of any pause (as calendar time is)
        due = dossier.received_at
        for p_start, p_end in pauses:
            if p_end is None:
                return None
            due += p_end - p_start
        return due
    if unit == SAME_DAY:
        # "Trong ngày": the close of the receipt's working day (the next one after the cut-off)
        allowance = calendar.days(0)
        if fraction == 1:
            return cal.due_at(dossier.received_at, allowance, pauses)
        office = cal.budget(dossier.received_at, allowance) * float(fraction)
        return cal.due_at(dossier.received_at, calendar.hours(Decimal(office.total_seconds()) / 3600), pauses)
    if unit in WORKING_UNITS:
        allowance = calendar.Allowance(value if unit == "hours" else int(value), WORKING_UNITS[unit])
        if fraction == 1:
            return cal.due_at(dossier.received_at, allowance, pauses)
        office = cal.budget(dossier.received_at, allowance) * float(fraction)
        return cal.due_at(dossier.received_at, calendar.hours(Decimal(office.total_seconds()) / 3600), pauses)
    # Calendar time: count days from receipt, then move a closed day to the next working day.
    start = cal.local(dossier.received_at).date()
    if unit in CALENDAR_DAY_UNITS:
        target = start + dt.timedelta(days=int(value * CALENDAR_DAY_UNITS[unit] * fraction))
    elif unit in ("months", "years"):
        months = int(value * (12 if unit == "years" else 1) * fraction)
        target = _add_months(start, months)
    else:  # minutes or unknown: treat as working hours
        allowance = calendar.hours(value * fraction / (60 if unit == "minutes" else 1))
        return cal.due_at(dossier.received_at, allowance, pauses)
    if not cal.is_working_day(target):
        target = cal.next_working_day(target)
    due = cal.closing(target)
    # Paused office time pushes calendar deadlines too.
    for p_start, p_end in pauses:
        if p_end is None:
            return None
        due += p_end - p_start
    return due


def _flag(dossier, due, finished, now) -> calendar.DeadlineStatus | None:
    """The flag of a due moment: finished → whether it was finished late; open → on time, due soon
    (within CONGSO_CALENDAR_DUE_SOON_DAYS of office time) or overdue, on the dossier's calendar."""
    if due is None:
        return None
    if finished:
        return calendar.DeadlineStatus.OVERDUE if finished > due else calendar.DeadlineStatus.ON_TIME
    return _calendar_for(dossier).status_at(due, now or timezone.now())


def flag(dossier, now: dt.datetime | None = None) -> calendar.DeadlineStatus | None:
    """On time, due soon or overdue — for open dossiers; finished ones report whether they were late."""
    return _flag(dossier, dossier.due_at, dossier.finished_at, now)


# --- steps ------------------------------------------------------------------------------------

PAUSED_STATUSES = CLOCK_PAUSED_STATUSES  # waiting for a supplement or a fee: the clock is stopped


def step_flag(run, dossier=None, now: dt.datetime | None = None) -> calendar.DeadlineStatus | None:
    """On time, due soon or overdue for one step of a dossier (a ``StepRun``), by the step's own due
    moment (its share of the time limit, and the earlier steps' shares, from receipt).

    A finished step reports whether it was finished late. None when the step has no due moment (no
    time limit, or a 0 % share), and for the open step while the dossier's clock is stopped (supplement
    or fee pending: its due moment moves when the pause ends). ``dossier``: the run's dossier when the
    caller has it (saves a query)."""
    dossier = dossier or run.dossier
    if run.finished_at is None and dossier.status in PAUSED_STATUSES:
        return None
    return _flag(dossier, run.due_at, run.finished_at, now)


@dataclass(frozen=True)
class StepDeadline:
    """One step a dossier went through or stands at, with its clock."""

    run: object  # StepRun
    name: str
    kind: str
    role: str
    agency: object  # directory.Agency
    assignee: object  # User or None
    started_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    flag: calendar.DeadlineStatus | None

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


def step_deadlines(dossier, now: dt.datetime | None = None) -> list[StepDeadline]:
    """Every step of ``dossier`` in order, with its due moment and flag (``step_flag``): what the
    dossier page and the API show as the per-step clock. Two queries."""
    now = now or timezone.now()
    runs = dossier.step_runs.select_related("step", "agency", "assignee").order_by("started_at", "id")
    return [
        StepDeadline(
            run=run,
            name=run.step.name,
            kind=run.step.kind,
            role=run.step.role,
            agency=run.agency,
            assignee=run.assignee,
            started_at=run.started_at,
            due_at=run.due_at,
            finished_at=run.finished_at,
            flag=step_flag(run, dossier, now),
        )
        for run in runs
    ]


def step_due_after_pause(dossier, due: dt.datetime, pause_start: dt.datetime, pause_end: dt.datetime):
    """An open step's due moment once a pause of the dossier's clock has ended. Working time (days,
    hours): the office time left when the pause began runs again from its end. Calendar time (days,
    weeks, months): moved by the pause's length, as the dossier's own due moment is (``due_for``)."""
    if due is None:
        return None
    if dossier.allowance_unit in (*CALENDAR_DAY_UNITS, "months", "years"):
        return due + (pause_end - pause_start) if pause_start < due else due
    return _calendar_for(dossier).after_pause(due, pause_start, pause_end)


def expected_due(dossier) -> dt.datetime | None:
    """The appointment: the dossier's own once received, else the date it would get if received now
    (an online dossier's clock starts when the counter accepts it)."""
    if dossier.due_at:
        return dossier.due_at
    probe = type(dossier)(
        received_at=timezone.now(),
        allowance_value=dossier.allowance_value,
        allowance_unit=dossier.allowance_unit,
        receiving_agency=dossier.receiving_agency,
    )
    return due_for(probe, pauses=[])
