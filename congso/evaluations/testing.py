"""Test helpers: the Gia Lai world with province evaluators and a small framework (ADR 0150).

ew = build_evaluation_world()   # accounts.testing.build_world() plus:
ew.users["evaluator"]           # Role.EVALUATOR at the province's People's Committee, and an officer
                                # at the Department of Construction (their own unit)
ew.users["province_leader"], ew.users["province_admin"]
ew.framework                    # 1.1 points (manual, 0–10, target 8), 1.2 rate (manual, 0–100 %,
                                # target 90, 20 points), 2.1 a platform metric (target 98, 20 points)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from pypdf import PdfWriter

from congso.accounts.testing import PASSWORD, build_world
from congso.directory.models import Membership, Role
from congso.directory.testing import TWO_TIER

from . import services
from .hooks import metric_sources
from .models import Criterion

TEST_SOURCE = "test.fixed_rate"


@dataclass
class FixedSource:
    """A platform metric for tests: a value per agency code (None: no data)."""

    values: dict
    label: str = "Tỷ lệ thử nghiệm (%)"

    def value(self, unit_kind, unit_code, start, end):
        value = self.values.get(unit_code)
        return None if value is None else Decimal(value)


@dataclass
class EvaluationWorld:
    world: Any
    framework: Any
    source: FixedSource

    @property
    def users(self):
        return self.world.users

    @property
    def agencies(self):
        return self.world.agencies


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def official(username, full_name, *memberships):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, full_name=full_name, kind="official", email=f"{username}@gialai.gov.vn"
    )
    for agency, role in memberships:
        Membership.objects.create(
            user=user, agency=agency, role=role, include_subtree=True, valid_from=TWO_TIER
        )
    return user


def build_evaluation_world(values: dict | None = None) -> EvaluationWorld:
    w = build_world()
    pc = w.agencies["province_pc"]
    w.users["evaluator"] = official(
        "thamdinh.gialai",
        "Trần Minh Đức",
        (pc, Role.EVALUATOR),
        (w.agencies["construction"], Role.OFFICER),
    )
    w.users["province_leader"] = official("lanhdao.tinh", "Hồ Văn Niên", (pc, Role.LEADER))
    w.users["province_admin"] = official("quantri.tinh", "Rơ Châm Hương", (pc, Role.AGENCY_ADMIN))
    source = FixedSource(values or {})
    metric_sources.unregister(TEST_SOURCE)
    metric_sources.register(TEST_SOURCE, source)
    admin = w.users["province_admin"]
    framework = services.create_framework(
        admin,
        owner=pc,
        data={
            "name": "Bộ chỉ số đánh giá mức độ chính quyền điện tử",
            "year": 2025,
            "applies_to": ["department", "commune"],
            "level_1_min": "40",
            "level_2_min": "30",
            "level_3_min": "20",
            "level_4_min": "10",
        },
    )
    g1 = services.add_criterion(
        admin, framework, {"kind": "group", "code": "1", "name": "Hạ tầng, nhân lực", "position": 1}
    )
    services.add_criterion(
        admin,
        framework,
        {
            "kind": "indicator",
            "parent": g1.pk,
            "code": "1.1",
            "name": "Cán bộ được bồi dưỡng kỹ năng số",
            "position": 2,
            "max_points": "10",
            "source": "manual",
            "value_kind": "points",
            "target": "8",
        },
    )
    services.add_criterion(
        admin,
        framework,
        {
            "kind": "indicator",
            "parent": g1.pk,
            "code": "1.2",
            "name": "Tỷ lệ máy tính kết nối mạng chuyên dùng",
            "position": 3,
            "max_points": "20",
            "source": "manual",
            "value_kind": "rate",
            "unit_label": "%",
            "min_value": "0",
            "max_value": "100",
            "target": "90",
        },
    )
    g2 = services.add_criterion(
        admin, framework, {"kind": "group", "code": "2", "name": "Cung cấp dịch vụ công", "position": 4}
    )
    services.add_criterion(
        admin,
        framework,
        {
            "kind": "indicator",
            "parent": g2.pk,
            "code": "2.1",
            "name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "position": 5,
            "max_points": "20",
            "source": "metric",
            "metric_key": TEST_SOURCE,
            "value_kind": "rate",
            "unit_label": "%",
            "max_value": "100",
            "target": "98",
        },
    )
    return EvaluationWorld(w, framework, source)


def leaf(framework, code) -> Criterion:
    return framework.criteria.get(code=code)
