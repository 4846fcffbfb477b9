"""Test helpers: the directory's small Gia Lai world plus portals for Phường Pleiku and Xã Ia Grai, each
with a web editor and a web approver (directory roles), synced into Wagtail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from wagtail.rich_text import RichText

from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER, World, build_world

from . import editors, services
from .models import AnnouncementPage, SectionPage, SiteHome

__all__ = ["PASSWORD", "Portals", "build_portals", "announcement"]


@dataclass
class Portals:
    world: World
    homes: dict[str, SiteHome] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)


def _official(username, name, agency, role):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, full_name=name, kind="official", email=f"{username}@gialai.gov.vn"
    )
    Membership.objects.create(user=user, agency=agency, role=role, valid_from=TWO_TIER, position="Cán bộ")
    return user


def build_portals() -> Portals:
    world = build_world()
    p = Portals(world)
    admin = world.users["sysadmin"]
    for key, agency_key, title in (
        ("pleiku", "pleiku_pc", "Trang thông tin điện tử phường Pleiku"),
        ("iagrai", "iagrai_pc", "Trang thông tin điện tử xã Ia Grai"),
    ):
        agency = world.agencies[agency_key]
        p.homes[key] = services.create_portal(agency, title=title, by=admin, slug=key)
        p.users[f"{key}_editor"] = _official(f"bientap.{key}", f"Biên tập {key}", agency, Role.WEB_EDITOR)
        p.users[f"{key}_approver"] = _official(f"duyet.{key}", f"Duyệt {key}", agency, Role.WEB_APPROVER)
        Membership.objects.create(
            user=p.users[f"{key}_approver"],
            agency=agency,
            role=Role.LEADER,
            valid_from=TWO_TIER,
            position="Chủ tịch",
        )
    editors.sync_all()
    return p


def announcement(
    home: SiteHome, title: str, *, user, text: str = "Nội dung thông báo.", publish: bool = True
):
    section = SectionPage.objects.child_of(home).get(slug="thong-bao")
    page = AnnouncementPage(
        title=title,
        summary=text,
        body=[("paragraph", RichText(f"<p>{text}</p>"))],
        issuer=home.agency.name,
        date=dt.date.today(),
        live=publish,
    )
    section.add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    return page
