"""The documents' scorecard indicators on real documents and tasks (one figure, several unit kinds)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from congso.documents import services
from congso.documents.models import Task
from congso.documents.testing import pdf_bytes
from congso.evaluations import hooks as evaluation_hooks
from congso.scorecard import selectors as scorecard

pytestmark = pytest.mark.django_db

META = {
    "doc_type": "QĐ",
    "subject": "Quyết định ban hành Quy chế công tác văn thư của Sở Tư pháp",
    "pages": 1,
}


def _released(world):
    """A decision of the Department of Justice, reviewed, signed, numbered and released to the
    Department of Construction in the platform; there it is routed, assigned and finished."""
    u = world.users
    doc = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    services.submit(doc, actor=u["officer"])
    services.approve(doc, actor=u["head_civil"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    services.release(doc, actor=u["clerical"], agencies=[world.agencies["construction"]])
    incoming = doc.recipients.get().incoming
    services.route(incoming, actor=u["cx_clerical"])
    services.assign(incoming, actor=u["cx_leader"], lead=u["cx_officer"], working_days=3)
    services.finish(incoming, actor=u["cx_officer"], result="Đã triển khai tại Sở Xây dựng.")
    return doc


def test_signed_electronic_incoming_on_time_and_overdue_tasks(world, keys):
    u = world.users
    justice, construction = world.agencies["justice"], world.agencies["construction"]
    today = timezone.localdate()
    period = (today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    for key in ("documents_signed_electronic", "documents_incoming_on_time", "documents_tasks_overdue"):
        assert scorecard.indicator_value(key, "agency", justice.code, *period) is None  # nothing to count
    _released(world)
    assert scorecard.indicator_value("documents_signed_electronic", "agency", justice.code, *period) == 100
    assert (
        scorecard.indicator_value("documents_incoming_on_time", "agency", construction.code, *period) == 100
    )
    assert scorecard.indicator_value("documents_incoming_on_time", "agency", justice.code, *period) is None
    # two tasks due in the period: one done on time, one still open three days past its deadline
    done = services.create_task(
        actor=u["leader"], agency=justice, title="Rà soát quy chế văn thư", owner=u["officer"], working_days=5
    )
    services.report_task(done.pk, actor=u["officer"], progress=100, text="Đã rà soát xong.", done=True)
    late = services.create_task(
        actor=u["leader"],
        agency=justice,
        title="Báo cáo chuyển đổi số quý",
        owner=u["officer"],
        working_days=5,
    )
    Task.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=3))
    value = scorecard.indicator_value("documents_tasks_overdue", "agency", justice.code, *period)
    assert value == Decimal("50.00")
    # the province counts every agency in it; a procedure has no documents
    province = world.units["province"].code
    assert scorecard.indicator_value("documents_signed_electronic", "province", province, *period) == 100
    assert scorecard.indicator_value("documents_tasks_overdue", "province", province, *period) == 50
    assert scorecard.indicator_value("documents_signed_electronic", "procedure", "1.000001", *period) is None
    # and evaluation frameworks read the same figure
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    source = evaluation_hooks.source("scorecard.documents_signed_electronic")
    assert source.value("agency", justice.code, start, end) == Decimal("100.00")
