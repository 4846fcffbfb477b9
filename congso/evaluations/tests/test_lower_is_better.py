"""Indicators where lower is better (a share of overdue tasks, say): scored and marked "đạt" that way,
shown with "≤" and "càng thấp càng tốt"; a platform metric keeps its own direction (ADR 0170)."""

from decimal import Decimal

import pytest

from congso.core.errors import InvalidFields
from congso.directory.testing import login_verified
from congso.evaluations import services
from congso.evaluations.models import Criterion
from congso.evaluations.testing import build_evaluation_world

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluations"


def _rate(**kw) -> Criterion:
    return Criterion(
        kind="indicator", value_kind="rate", max_points=Decimal(10), max_value=Decimal(100), **kw
    )


def test_points_and_met_when_lower_is_better():
    c = _rate(target=Decimal(5), lower_is_better=True)
    assert c.points_for(Decimal(0)) == c.points_for(Decimal(5)) == 10  # at or under the target: all
    assert c.points_for(Decimal("52.5")) == Decimal("5.000")  # half way from the target to 100 %
    assert c.points_for(Decimal(100)) == 0 and c.points_for(Decimal(120)) == 0
    assert c.met(Decimal(5)) is True and c.met(Decimal("5.01")) is False and c.met(None) is False
    # without a target: all at the smallest value, nothing at the largest
    free = _rate(target=None, lower_is_better=True)
    assert free.points_for(Decimal(0)) == 10 and free.points_for(Decimal(25)) == Decimal("7.500")
    assert free.met(Decimal(1)) is None
    # the same values, higher is better (unchanged)
    up = _rate(target=Decimal(5))
    assert up.points_for(Decimal(0)) == 0 and up.points_for(Decimal(5)) == 10 and up.met(Decimal(6)) is True


@pytest.fixture
def ew():
    return build_evaluation_world()


def _indicator(code, **data):
    base = {"kind": "indicator", "code": code, "name": f"Chỉ số {code}", "max_points": "10"}
    return {**base, **data}


def test_a_metric_keeps_its_direction_and_a_manual_one_takes_the_choice(ew):
    admin = ew.users["province_admin"]
    overdue = services.add_criterion(
        admin,
        ew.framework,
        _indicator(
            "3",
            source="metric",
            metric_key="scorecard.documents_tasks_overdue",
            value_kind="rate",
            target="5",
        ),
    )
    assert overdue.lower_is_better  # the scorecard says so of its indicator
    on_time = services.add_criterion(
        admin,
        ew.framework,
        _indicator(
            "4",
            source="metric",
            metric_key="scorecard.on_time",
            value_kind="rate",
            target="95",
            lower_is_better="on",
        ),
    )
    assert not on_time.lower_is_better  # a metric's direction is not the administrator's to turn round
    complaints = services.add_criterion(
        admin,
        ew.framework,
        _indicator(
            "5",
            source="manual",
            value_kind="rate",
            max_value="100",
            target="2",
            lower_is_better="on",
            unit_label="%",
        ),
    )
    assert complaints.lower_is_better
    with pytest.raises(InvalidFields) as exc:
        services.add_criterion(
            admin, ew.framework, _indicator("6", source="manual", value_kind="points", lower_is_better="on")
        )
    assert "càng thấp càng tốt" in exc.value.errors["lower_is_better"][0]
    assert not ew.framework.criteria.filter(code="6").exists()


def test_shown_on_the_framework_page_and_in_the_api(client, ew):
    admin = ew.users["province_admin"]
    services.add_criterion(
        admin,
        ew.framework,
        _indicator(
            "3",
            source="metric",
            metric_key="scorecard.documents_tasks_overdue",
            value_kind="rate",
            target="5",
        ),
    )
    login_verified(client, admin)
    page = client.get(f"/danh-gia-xep-hang/bo-chi-so/{ew.framework.pk}/").content.decode()
    assert "≤ 5" in page and "càng thấp càng tốt" in page
    criteria = client.get(f"{API}/frameworks/{ew.framework.pk}").json()["criteria"]
    assert {c["code"]: c["lower_is_better"] for c in criteria}["3"] is True
    posted = client.post(
        f"{API}/frameworks/{ew.framework.pk}/criteria",
        _indicator(
            "7", source="manual", value_kind="rate", max_value="100", target="3", lower_is_better=True
        ),
        content_type="application/json",
    )
    assert posted.status_code in (200, 201), posted.content
    assert ew.framework.criteria.get(code="7").lower_is_better
