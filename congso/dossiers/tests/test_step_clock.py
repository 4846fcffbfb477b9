"""Each step of a dossier has its own clock: due moment from its share of the time limit, a flag (on
time, due soon, overdue), moved by a supplement pause like the dossier's own due moment."""

import datetime as dt

import pytest
import time_machine

from congso.calendar import engine as calendar
from congso.core.uploads import Upload
from congso.directory.testing import login_verified
from congso.dossiers import clock, services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.testing import advance

from .conftest import pdf, vn

pytestmark = pytest.mark.django_db
S = calendar.DeadlineStatus


@pytest.fixture
def received(staff, agencies, procedure_version, applicant):
    # Monday 1 March 2027, 08:00; 3 working days (office 07:30–11:30, 13:30–17:00): due Thursday 17:00,
    # 29.5 office hours. Handling has 60 % of them (17.7 h): due Wednesday 10:42.
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        return services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )


def open_run(d):
    return d.step_runs.get(finished_at__isnull=True)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (vn(2027, 3, 1, 9, 0), S.ON_TIME),
        (vn(2027, 3, 2, 10, 0), S.ON_TIME),  # 8.2 office hours left
        (vn(2027, 3, 2, 11, 0), S.DUE_SOON),  # 7.2 h left: within one working day (7.5 h)
        (vn(2027, 3, 3, 10, 42), S.DUE_SOON),
        (vn(2027, 3, 3, 10, 43), S.OVERDUE),
    ],
)
def test_step_flag_on_time_due_soon_overdue(received, now, expected):
    run = open_run(received)
    assert run.due_at == vn(2027, 3, 3, 10, 42)
    assert clock.step_flag(run, received, now) == expected
    assert clock.step_flag(run, now=now) == expected  # the dossier is loaded when not given


def test_finished_steps_report_whether_they_were_late(staff, received):
    with time_machine.travel(vn(2027, 3, 3, 11, 0), tick=False):  # handled 18 minutes late
        d = advance(received.pk, actor=staff["officer"])
    with time_machine.travel(vn(2027, 3, 3, 14, 0), tick=False):
        d = advance(d.pk, actor=staff["leader"])
        steps = clock.step_deadlines(d)
    # approve: 85 % (25.075 h) → Thursday 10:34:30, within a working day of Wednesday 14:00
    assert [(s.kind, s.flag) for s in steps] == [
        ("handle", S.OVERDUE),
        ("review", S.ON_TIME),
        ("approve", S.DUE_SOON),
    ]
    assert steps[2].due_at == vn(2027, 3, 4, 10, 34, 30)
    assert [s.is_open for s in steps] == [False, False, True]
    # review: 75 % (22.125 h) from receipt → Thursday 07:37:30, finished Wednesday 14:00
    assert steps[1].due_at == vn(2027, 3, 4, 7, 37, 30)


def test_a_supplement_pause_moves_the_open_steps_due_moment(staff, received, citizen):
    run = open_run(received)
    with time_machine.travel(vn(2027, 3, 2, 8, 0), tick=False):  # Tuesday: asks for more
        d = services.request_supplement(received.pk, actor=staff["officer"], reason="Thiếu giấy chứng sinh")
    assert clock.step_flag(open_run(d), d, vn(2027, 3, 5, 9, 0)) is None  # clock stopped: no flag
    with time_machine.travel(vn(2027, 3, 4, 8, 0), tick=False):  # Thursday: the citizen answers
        d = services.submit_supplement(
            d.pk, actor=citizen, uploads=[Upload("Giấy chứng sinh", pdf(), "gcs.pdf")]
        )
    run.refresh_from_db()
    # Tuesday and Wednesday were paused: the 10.2 office hours left at the pause run from Thursday 08:00.
    assert run.due_at == vn(2027, 3, 5, 10, 42)
    assert d.due_at == vn(2027, 3, 8, 17, 0)  # the dossier moved by the same two working days
    # The same moment as if the step had been entered knowing the pause.
    pauses = clock.pauses_of(d)
    assert run.due_at == clock.due_for(d, 0.6, pauses=pauses)
    assert clock.step_flag(run, d, vn(2027, 3, 5, 9, 0)) == S.DUE_SOON


def test_a_pause_after_the_step_ran_out_does_not_move_it(staff, received, citizen):
    with time_machine.travel(vn(2027, 3, 3, 14, 0), tick=False):  # handling was due Wednesday 10:42
        d = services.request_supplement(received.pk, actor=staff["officer"], reason="Thiếu giấy chứng sinh")
    with time_machine.travel(vn(2027, 3, 4, 9, 0), tick=False):
        d = services.submit_supplement(d.pk, actor=citizen)
    assert open_run(d).due_at == vn(2027, 3, 3, 10, 42)


def test_calendar_after_pause():
    cal = calendar.get_calendar()
    due = vn(2027, 3, 3, 10, 42)
    # Ends before it started, or began after the due moment: unchanged.
    assert cal.after_pause(due, vn(2027, 3, 2, 8, 0), vn(2027, 3, 2, 8, 0)) == due
    assert cal.after_pause(due, vn(2027, 3, 3, 11, 0), vn(2027, 3, 4, 8, 0)) == due
    # Paused over the lunch break only: no office time lost.
    assert cal.after_pause(due, vn(2027, 3, 2, 11, 30), vn(2027, 3, 2, 13, 30)) == due
    # Paused from Tuesday 08:00 to Thursday 08:00: two working days later.
    assert cal.after_pause(due, vn(2027, 3, 2, 8, 0), vn(2027, 3, 4, 8, 0)) == vn(2027, 3, 5, 10, 42)
    # Across Tết 2027 (4–10 February closed): the office time left resumes on 11 February.
    assert cal.after_pause(vn(2027, 2, 3, 17, 0), vn(2027, 2, 3, 16, 0), vn(2027, 2, 10, 12, 0)) == vn(
        2027, 2, 11, 8, 30
    )


def test_dossier_api_detail_shows_each_steps_clock(client, staff, received):
    with time_machine.travel(vn(2027, 3, 3, 9, 0), tick=False):
        d = advance(received.pk, actor=staff["officer"])
        login_verified(client, staff["leader"])
        body = client.get(f"/api/v1/dossiers/{d.code}").json()
    steps = body["steps"]
    assert [(s["kind"], s["role"], s["agency"]) for s in steps] == [
        ("handle", "officer", "H21.23575"),
        ("review", "leader", "H21.23575"),
    ]
    assert steps[0]["deadline"] == "on_time" and steps[0]["finished_at"]
    assert steps[1]["finished_at"] is None and steps[1]["deadline"] == "due_soon"
    assert dt.datetime.fromisoformat(steps[1]["due_at"]) == vn(2027, 3, 4, 7, 37, 30)
    assert Dossier.objects.get(pk=d.pk).step_runs.count() == 2
