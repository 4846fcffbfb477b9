"""The meetings' scorecard indicators on real sessions: People's Committee meetings held through the
system, papers published on time, conclusions carried out on time (one figure, several unit kinds)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from congso.documents import services as documents_services
from congso.documents import testing as documents_testing
from congso.documents.models import Task
from congso.evaluations import hooks as evaluation_hooks
from congso.meetings import services, testing
from congso.meetings.models import Conclusion
from congso.scorecard import selectors as scorecard

pytestmark = pytest.mark.django_db

KEYS = ("meetings_pc_in_system", "meetings_papers_on_time", "meetings_conclusions_on_time")


def _held_with_two_conclusions(w):
    """A session an hour ahead, its papers published late (the deadline was days ago), the members
    checked in; two conclusions become tasks through a signed notice; the session ends."""
    m, i1, i2 = testing.schedule_session(w, start=timezone.now() + dt.timedelta(hours=1))
    services.publish_papers(m, actor=w.users["secretary"])
    for key in ("chair", "vice", "police"):
        services.check_in(m, user=w.users[key])
    services.start_meeting(m, actor=w.users["chair"])
    deadline = timezone.localdate() + dt.timedelta(days=30)
    for text, owner, item in (("Hoàn thiện báo cáo", "vice", i1), ("Niêm yết phương án", "police", i2)):
        services.add_conclusion(
            m, actor=w.users["chair"], text=text, owner=w.users[owner], deadline=deadline, item=item.pk
        )
    services.end_meeting(m, actor=w.users["chair"])
    doc = services.draft_conclusion_notice(m, actor=w.users["secretary"])
    documents_services.submit(doc, actor=w.users["secretary"])
    documents_services.sign(doc, actor=w.users["chair"])
    documents_services.issue(doc, actor=w.users["secretary"])
    services.create_tasks(m, actor=w.users["chair"])
    return m


def test_meetings_indicators_follow_the_sessions(world):
    w = world
    documents_testing.keys_for(w.agencies["pleiku_pc"], w.users["chair"], "Chủ tịch UBND phường")
    ward = w.agencies["pleiku_pc"].code
    today = timezone.localdate()
    period = (today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    for key in KEYS:
        assert scorecard.indicator_value(key, "agency", ward, *period) is None  # nothing to count yet
    m = _held_with_two_conclusions(w)
    # a second session ten days ahead, its papers published now: on time; a third, not yet due, uncounted
    later, *_ = testing.schedule_session(w, start=timezone.now() + dt.timedelta(days=10), title="Phiên họp 2")
    services.publish_papers(later, actor=w.users["secretary"])
    testing.schedule_session(w, start=timezone.now() + dt.timedelta(days=20), title="Phiên họp 3")
    assert scorecard.indicator_value("meetings_pc_in_system", "agency", ward, *period) == 100
    assert scorecard.indicator_value("meetings_papers_on_time", "agency", ward, *period) == 50
    # conclusions: none due yet; then one done by its deadline (today), one open past its deadline
    assert scorecard.indicator_value("meetings_conclusions_on_time", "agency", ward, *period) is None
    done, late = Conclusion.objects.filter(meeting=m).order_by("pk")
    Conclusion.objects.filter(pk=done.pk).update(deadline=today)
    Conclusion.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=2))
    documents_services.report_task(
        done.task_id, actor=w.users["vice"], progress=100, text="Đã hoàn thiện báo cáo.", done=True
    )
    assert Task.objects.get(pk=done.task_id).status == "done"
    assert scorecard.indicator_value("meetings_conclusions_on_time", "agency", ward, *period) == 50
    # the commune and the province count the ward's committee; another commune and a procedure nothing
    assert (
        scorecard.indicator_value("meetings_pc_in_system", "commune", w.units["pleiku"].code, *period) == 100
    )
    province = w.units["province"].code
    assert scorecard.indicator_value("meetings_papers_on_time", "province", province, *period) == 50
    assert (
        scorecard.indicator_value("meetings_pc_in_system", "agency", w.agencies["iagrai_pc"].code, *period)
        is None
    )
    assert scorecard.indicator_value("meetings_pc_in_system", "procedure", "1.000001", *period) is None
    # a period before the sessions counts none of them
    before = (today - dt.timedelta(days=60), today - dt.timedelta(days=31))
    assert scorecard.indicator_value("meetings_papers_on_time", "agency", ward, *before) is None
    # and evaluation frameworks read the same figure
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    source = evaluation_hooks.source("scorecard.meetings_conclusions_on_time")
    assert source.value("agency", ward, start, end) == Decimal("50.00")
