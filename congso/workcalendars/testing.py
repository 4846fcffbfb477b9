"""Test helpers for the work calendars and the apps above them (meetings).

world = build_world()       # accounts' world + a province leader and secretary, another agency's
                            # secretary (world.users["province_leader"], ["province_clerical"],
                            # ["other_clerical"], ["deputy_leader"]); world.calendars["leader"]
                            # (lanhdao.tinh's) and ["unit"] (the province committee's)
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from congso.accounts.testing import build_world as accounts_world
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER

from .models import Calendar

EXTRA = {
    # key -> (username, full name, role, agency key, position)
    "province_leader": ("lanhdao.tinh", "Hồ Văn Niên", Role.LEADER, "province_pc", "Phó Chủ tịch UBND tỉnh"),
    "deputy_leader": (
        "lanhdao2.tinh",
        "Nguyễn Tuấn Anh",
        Role.LEADER,
        "province_pc",
        "Phó Chủ tịch UBND tỉnh",
    ),
    "province_clerical": (
        "vanthu.tinh",
        "Rơ Mah H'Bơ",
        Role.CLERICAL,
        "province_pc",
        "Văn thư Văn phòng UBND tỉnh",
    ),
    "other_clerical": ("vanthu.xaydung", "Lê Văn Tâm", Role.CLERICAL, "construction", "Văn thư Sở Xây dựng"),
}


def build_world():
    world = accounts_world()
    User = get_user_model()
    for key, (username, name, role, agency, position) in EXTRA.items():
        user = User.objects.create_user(username, password=PASSWORD, full_name=name, kind=User.Kind.OFFICIAL)
        Membership.objects.create(
            user=user, agency=world.agencies[agency], role=role, position=position, valid_from=TWO_TIER
        )
        world.users[key] = user
    pc = world.agencies["province_pc"]
    world.calendars = {
        "leader": Calendar.objects.create(
            kind=Calendar.Kind.LEADER,
            agency=pc,
            leader=world.users["province_leader"],
            position="Phó Chủ tịch UBND tỉnh",
        ),
        "unit": Calendar.objects.create(kind=Calendar.Kind.UNIT, agency=pc),
    }
    return world


def next_monday(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def entry_data(
    day: dt.date, start="08:00", end="11:00", content="Họp giao ban Ủy ban nhân dân tỉnh", **extra
) -> dict:
    return {
        "day": day.isoformat(),
        "part": "timed",
        "start_time": start,
        "end_time": end,
        "content": content,
        "place": "Phòng họp số 1, trụ sở UBND tỉnh",
        **extra,
    }
