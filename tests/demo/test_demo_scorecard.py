"""After the demo, the scorecard's figures cover the past year, ``congso scorecard rebuild`` and
``check`` agree, and the public index page ranks the demo's agencies and communes (issue 16)."""

import io

import pytest
from django.core.management import call_command

from congso.scorecard import facts, selectors, units
from congso.scorecard.models import DailyFact

pytestmark = pytest.mark.django_db


def test_demo_year_rebuild_and_public_page(client, settings):
    call_command("demo", "--no-serve", stdout=io.StringIO())
    months = {d.strftime("%Y-%m") for d in DailyFact.objects.values_list("day", flat=True)}
    assert len(months) >= 12
    out = io.StringIO()
    call_command("scorecard", "rebuild", stdout=out)
    assert "Đã tính lại số liệu" in out.getvalue()
    out = io.StringIO()
    call_command("scorecard", "check", stdout=out)
    assert "Số liệu khớp" in out.getvalue()
    series = selectors.monthly_series(units.resolve("province", "52"), 12)
    assert sum(1 for m in series if m["on_time"].denominator) >= 10
    page = client.get("/chi-so-phuc-vu/").content.decode()
    assert "Phường Pleiku" in page and "Sở Xây dựng" in page
    assert facts.snapshot() == facts.expected_snapshot()
