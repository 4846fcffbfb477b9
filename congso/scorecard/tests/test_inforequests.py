"""The indicator "information requests answered on time", registered from the scorecard's side (access
to information sits below the scorecard), on real requests: answered, refused, late, still open."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from congso.evaluations import hooks as evaluation_hooks
from congso.inforequests import services
from congso.inforequests.models import InfoRequest
from congso.inforequests.testing import build_world, request_data
from congso.scorecard import selectors

pytestmark = pytest.mark.django_db
KEY = "inforequests_on_time"


@pytest.fixture
def ir_world(db):
    cache.clear()  # the submission rate limit
    yield build_world()
    cache.clear()


def _filed(w, n):
    return services.submit(request_data(w), actor=w.users["citizen"], ip=f"192.0.2.{n}")


def test_requests_answered_on_time(ir_world):
    w = ir_world
    officer = w.users["ward_officer"]
    ward = w.agencies["pleiku_pc"].code
    today = timezone.localdate()
    period = (today - dt.timedelta(days=7), today)
    assert selectors.indicator_value(KEY, "agency", ward, *period) is None  # nothing received
    answered, refused, late, overdue, waiting = (_filed(w, n) for n in range(1, 6))
    assert selectors.indicator_value(KEY, "agency", ward, *period) is None  # none answered nor due
    services.act(answered.code, "answer", actor=officer, note="Đây là thông tin được yêu cầu.")
    services.act(refused.code, "refuse", actor=officer, reason="bi-mat-cong-tac", note="Tài liệu nội bộ.")
    # answered after its due moment; another one still open past it; the fifth not due yet
    InfoRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    services.act(late.code, "answer", actor=officer, note="Thông tin (trả lời muộn).")
    InfoRequest.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    # on time: answered and refused, of answered, refused, late and overdue
    assert selectors.indicator_value(KEY, "agency", ward, *period) == 50
    province = w.units["province"].code
    assert selectors.indicator_value(KEY, "province", province, *period) == 50
    assert selectors.indicator_value(KEY, "commune", w.units["pleiku"].code, *period) == 50
    # another commune's committee received none; a procedure receives none; nor an earlier period
    assert selectors.indicator_value(KEY, "agency", w.agencies["iagrai_pc"].code, *period) is None
    assert selectors.indicator_value(KEY, "procedure", "1.000001", *period) is None
    earlier = (today - dt.timedelta(days=30), today - dt.timedelta(days=8))
    assert selectors.indicator_value(KEY, "agency", ward, *earlier) is None
    assert waiting.status == InfoRequest.objects.get(pk=waiting.pk).status  # untouched
    # evaluation frameworks read the same figure
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    assert evaluation_hooks.source(f"scorecard.{KEY}").value("agency", ward, start, end) == Decimal("50.00")
