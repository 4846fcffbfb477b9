"""Test helpers other apps may reuse: a small Gia Lai world with staff in every role.

from congso.directory.testing import build_world, login_verified

world = build_world()          # units, agencies, one official per role
login_verified(client, world.users["clerk"])   # password + TOTP-verified session

``congso.accounts.testing.build_world()`` adds citizens and a community helper (apps above accounts use
that one). Users are made through ``get_user_model()``: the directory does not import accounts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfWriter

from congso.directory import demo_codes as dc

from .models import AdministrativeUnit, Agency, Membership, Role

TWO_TIER = datetime.date(2025, 7, 1)
PASSWORD = "Mat-khau-Gia-Lai-2026"  # noqa: S105 — test fixtures only

# role key -> (username, full name, role, agency code, include_subtree)
STAFF = {
    "sysadmin": ("quantri.hethong", "Phạm Minh Tuấn", Role.SYSADMIN, dc.PROVINCE_PC, True),
    "agency_admin": ("quantri.sotuphap", "Lê Thị Hồng", Role.AGENCY_ADMIN, dc.DEPT_JUSTICE, True),
    "clerk": ("motcua.tinh", "Trần Thị Mai", Role.CLERK, dc.PROVINCE_CENTRE, False),
    "officer": ("chuyenvien.tuphap", "Võ Văn Nam", Role.OFFICER, dc.DEPT_JUSTICE_CIVIL, False),
    "leader": ("lanhdao.tuphap", "Nguyễn Quang Vinh", Role.LEADER, dc.DEPT_JUSTICE, True),
    "clerical": ("vanthu.tuphap", "Phan Thị Lan", Role.CLERICAL, dc.DEPT_JUSTICE, False),
    "ioc_viewer": ("ioc.gialai", "Đặng Quốc Bảo", Role.IOC_VIEWER, dc.PROVINCE_PC, True),
    "other_admin": ("quantri.xaydung", "Huỳnh Văn Phúc", Role.AGENCY_ADMIN, dc.DEPT_CONSTRUCTION, True),
    "commune_admin": ("quantri.iagrai", "Siu Thị Nhung", Role.AGENCY_ADMIN, dc.commune_pc("23764"), True),
}


@dataclass
class World:
    units: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def _unit(code, name, kind, level, parent=None):
    unit, _ = AdministrativeUnit.objects.get_or_create(
        code=code,
        valid_from=TWO_TIER,
        defaults={"name": name, "kind": kind, "level": level, "parent": parent},
    )
    return unit


def build_world() -> World:
    """Units, agencies and one official per role (``STAFF``), each with a valid membership."""
    User = get_user_model()
    w = World()
    K = AdministrativeUnit.Kind
    w.units["province"] = _unit("52", "Gia Lai", K.PROVINCE, 1)
    w.units["pleiku"] = _unit("23575", "Phường Pleiku", K.WARD, 3, w.units["province"])
    w.units["iagrai"] = _unit("23764", "Xã Ia Grai", K.COMMUNE, 3, w.units["province"])
    w.units["quynhon"] = _unit("21583", "Phường Quy Nhơn", K.WARD, 3, w.units["province"])
    A = Agency.Kind

    def agency(key, code, name, kind, unit, parent=None):
        w.agencies[key], _ = Agency.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "unit": w.units[unit], "parent": parent}
        )
        return w.agencies[key]

    pc = agency(
        "province_pc", dc.PROVINCE_PC, "Ủy ban nhân dân tỉnh Gia Lai", A.PEOPLES_COMMITTEE, "province"
    )
    agency(
        "province_centre",
        dc.PROVINCE_CENTRE,
        "Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
        A.SERVICE_CENTRE,
        "province",
        pc,
    )
    justice = agency("justice", dc.DEPT_JUSTICE, "Sở Tư pháp tỉnh Gia Lai", A.DEPARTMENT, "province", pc)
    agency(
        "justice_civil", dc.DEPT_JUSTICE_CIVIL, "Phòng Hành chính tư pháp", A.DIVISION, "province", justice
    )
    agency("construction", dc.DEPT_CONSTRUCTION, "Sở Xây dựng tỉnh Gia Lai", A.DEPARTMENT, "province", pc)
    pleiku_pc = agency(
        "pleiku_pc",
        dc.commune_pc("23575"),
        "Ủy ban nhân dân phường Pleiku",
        A.PEOPLES_COMMITTEE,
        "pleiku",
        pc,
    )
    agency(
        "pleiku_centre",
        dc.commune_centre("23575"),
        "Trung tâm Phục vụ hành chính công phường Pleiku",
        A.SERVICE_CENTRE,
        "pleiku",
        pleiku_pc,
    )
    agency(
        "iagrai_pc", dc.commune_pc("23764"), "Ủy ban nhân dân xã Ia Grai", A.PEOPLES_COMMITTEE, "iagrai", pc
    )

    for centre in Agency.objects.filter(kind=A.SERVICE_CENTRE, serves__isnull=True):
        centre.serves.add(*centre.default_served())

    for key, (username, name, role, code, subtree) in STAFF.items():
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            full_name=name,
            kind=User.Kind.OFFICIAL,
            email=f"{username}@gialai.gov.vn",
            is_staff=role == Role.SYSADMIN,
            is_superuser=role == Role.SYSADMIN,
        )
        Membership.objects.create(
            user=user,
            agency=Agency.objects.get(code=code),
            role=role,
            include_subtree=subtree,
            valid_from=TWO_TIER,
        )
        w.users[key] = user
    return w


def login_verified(client, user):
    """Log in and mark the session as having passed TOTP (as after a real verification)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Ứng dụng xác thực", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def sign_in_browser(page, base_url: str, user) -> None:
    """A Playwright page signed in as ``user``, past TOTP (``login_verified``), its old session gone."""
    client = Client()
    login_verified(client, user)
    # leave the current page first: a page that polls (htmx) could otherwise answer after the cookies are
    # cleared and set a CSRF cookie that no longer matches the next page's forms
    page.goto("about:blank")
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def blank_pdf(tmp_path, name: str) -> str:
    """The path of a one-page blank A5 PDF written under ``tmp_path``: a paper to upload in a browser test."""
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    path = tmp_path / name
    with open(path, "wb") as fh:
        writer.write(fh)
    return str(path)
