"""Test helpers: the Gia Lai world plus feedback categories, routing and the staff who handle it.

w = build_world()    # accounts.testing.build_world() + ward and department handlers + categories
w.users["ward_officer"], w.users["ward_leader"] (phường Pleiku), w.users["dept_officer"],
w.users["dept_leader"] (Sở Xây dựng, which took over transport in 2025), w.users["province_leader"]
"""

from __future__ import annotations

from congso.accounts import testing as accounts_testing
from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER

from .models import Category, RoutingRule

CATEGORIES = [
    ("giao-thong", "Giao thông", None, 15, "ổ gà, đèn tín hiệu, biển báo, vỉa hè"),
    ("ha-tang-duong", "Hư hỏng mặt đường, ổ gà", "giao-thong", 7, "ổ gà, sụt lún, nứt mặt đường"),
    ("moi-truong", "Môi trường", None, 15, "rác thải, nước thải, khói bụi, tiếng ồn"),
    ("trat-tu-do-thi", "Trật tự đô thị", None, 15, "lấn chiếm vỉa hè, xây dựng trái phép"),
    ("an-ninh", "An ninh, trật tự", None, 10, "gây rối, mất trật tự"),
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính", None, 15, "hồ sơ, giấy tờ, cán bộ"),
    ("dat-dai", "Đất đai", None, 15, "tranh chấp, lấn chiếm đất"),
]

HANDLERS = {
    "ward_officer": ("canbo.pleiku", "Rơ Mah Hiền", Role.OFFICER, "pleiku_pc"),
    "ward_leader": ("lanhdao.phuongpleiku", "Nguyễn Thị Thu Hà", Role.LEADER, "pleiku_pc"),
    "dept_officer": ("chuyenvien.xaydung", "Lê Minh Khoa", Role.OFFICER, "construction"),
    "dept_leader": ("lanhdao.xaydung", "Trần Văn Hùng", Role.LEADER, "construction"),
    "province_leader": ("lanhdao.tinh", "Hồ Văn Niên", Role.LEADER, "province_pc"),
}


def add_categories(province, rules: dict) -> dict:
    """The categories, and routing rules ``{(category code, unit or None): agency}``."""
    cats = {}
    for code, name, parent, days, keywords in CATEGORIES:
        cats[code] = Category.objects.create(
            code=code, name=name, parent=cats.get(parent), answer_days=days, keywords=keywords
        )
    for (code, unit), agency in rules.items():
        RoutingRule.objects.create(category=cats[code], province=province, unit=unit, agency=agency)
    return cats


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
    rules = {
        (code, None): w.agencies["province_pc"] for code, *_rest in CATEGORIES if code != "ha-tang-duong"
    }
    rules[("giao-thong", None)] = w.agencies["construction"]
    rules[("giao-thong", w.units["pleiku"])] = w.agencies["pleiku_pc"]
    rules[("moi-truong", w.units["pleiku"])] = w.agencies["pleiku_pc"]
    w.categories = add_categories(w.units["province"], rules)
    return w


def keep_only_index(cursor, name: str) -> None:
    """Drop every index of the reports' table but ``name`` and the keys (a plan test: rolled back with
    it), so PostgreSQL shows what that index alone does on a test's few rows."""
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'feedback_report' "
        "AND indexname <> %s AND indexname NOT LIKE '%%_pkey' AND indexname NOT LIKE '%%_key'",
        [name],
    )
    for (other,) in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{other}"')
