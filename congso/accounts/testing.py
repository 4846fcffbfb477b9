"""Test helpers for accounts and every app above it: the Gia Lai world with citizens and a helper.

from congso.accounts.testing import build_world
from congso.directory.testing import login_verified

world = build_world()   # directory's world (units, agencies, one official per role) plus two citizens
                        # (world.users["citizen"], ["elder"]), a community helper (["helper"]) and
                        # their team (world.agencies["team"])
"""

from __future__ import annotations

import datetime

from congso.directory import testing as directory_testing
from congso.directory.testing import PASSWORD, TWO_TIER, World

from .models import CitizenProfile, CommunityHelper, CommunityTeam, User

__all__ = ["PASSWORD", "World", "build_world"]


def build_world() -> World:
    """``congso.directory.testing.build_world()``, then the citizens and the community helper."""
    w = directory_testing.build_world()
    w.users["citizen"] = User.objects.create_user(
        "congdan.an",
        password=PASSWORD,
        full_name="Nguyễn Văn An",
        kind=User.Kind.CITIZEN,
        email="nguyen.van.an@example.vn",
        phone="0905123456",
    )
    CitizenProfile.objects.create(
        user=w.users["citizen"],
        cccd="064090001234",
        commune=w.units["pleiku"],
        date_of_birth=datetime.date(1990, 5, 12),
        address="25 Hùng Vương",
    )
    w.users["elder"] = User.objects.create_user(
        "congdan.thoi", password=PASSWORD, full_name="Rah Lan Thơi", kind=User.Kind.CITIZEN
    )
    CitizenProfile.objects.create(user=w.users["elder"], cccd="064050002468", commune=w.units["iagrai"])
    w.users["helper"] = User.objects.create_user(
        "tocns.iagrai", password=PASSWORD, full_name="Nguyễn Thị Thanh Xuân", kind=User.Kind.CITIZEN
    )
    team = CommunityTeam.objects.create(
        name="Tổ công nghệ số cộng đồng làng Hrang", commune=w.units["iagrai"], agency=w.agencies["iagrai_pc"]
    )
    CommunityHelper.objects.create(team=team, user=w.users["helper"], valid_from=TWO_TIER)
    w.agencies["team"] = team
    return w
