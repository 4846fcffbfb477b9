"""Test helpers: the Gia Lai world plus the officials who handle information requests.

w = build_world()   # accounts.testing.build_world() + handlers
w.users["ward_officer"] (UBND phường Pleiku, officer), w.users["ward_leader"] (its leader),
w.users["iagrai_officer"] (UBND xã Ia Grai: another agency), w.users["citizen"], w.users["elder"]
"""

from __future__ import annotations

from congso.accounts import testing as accounts_testing
from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER

HANDLERS = {
    "ward_officer": ("ttcanbo.pleiku", "Rơ Mah Hiền", Role.OFFICER, "pleiku_pc"),
    "ward_leader": ("ttlanhdao.pleiku", "Nguyễn Thị Thu Hà", Role.LEADER, "pleiku_pc"),
    "iagrai_officer": ("ttcanbo.iagrai", "Siu H'Nhi", Role.OFFICER, "iagrai_pc"),
}


def request_data(world, **extra) -> dict:
    data = {
        "agency": world.agencies["pleiku_pc"].code,
        "name": "Nguyễn Văn An",
        "address": "25 Hùng Vương, phường Pleiku, Gia Lai",
        "id_number": "064090001234",
        "phone": "0905123456",
        "email": "nguyen.van.an@example.vn",
        "information": "Quyết định phê duyệt quy hoạch chi tiết khu dân cư tổ 5, phường Pleiku năm 2025.",
        "purpose": "Tìm hiểu quy hoạch trước khi xây nhà ở.",
        "form": "electronic",
        "means": "online",
    }
    data.update(extra)
    return data


def build_world():
    w = accounts_testing.build_world()
    for key, (username, name, role, agency) in HANDLERS.items():
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            full_name=name,
            kind=User.Kind.OFFICIAL,
            email=f"{username}@gialai.gov.vn",
        )
        Membership.objects.create(user=user, agency=w.agencies[agency], role=role, valid_from=TWO_TIER)
        w.users[key] = user
    return w
