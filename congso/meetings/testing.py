"""Test and demo helpers: the People's Committee of phường Pleiku (Gia Lai) with its chairman, deputies,
office chief (secretary), members and a specialist who stands in as a delegate; its registers, a meeting
room, the chairman's signing key and the ward's seal."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER
from congso.documents import testing as documents_testing
from congso.voting import testing as voting_testing
from congso.voting.models import Body

from . import services
from .models import MeetingType, Room

# key: (username, full name, role, position)
WARD_STAFF = {
    "chair": ("chutich.pleiku", "Rah Lan Chung", Role.LEADER, "Chủ tịch UBND phường"),
    "vice": ("phochutich.pleiku", "Nguyễn Thị Hoa", Role.LEADER, "Phó Chủ tịch UBND phường"),
    "secretary": ("vanphong.pleiku", "Lê Thị Thu", Role.CLERICAL, "Chánh Văn phòng HĐND và UBND phường"),
    "police": ("congan.pleiku", "Phạm Văn Đức", Role.OFFICER, "Ủy viên UBND, Trưởng Công an phường"),
    "military": ("quansu.pleiku", "Ksor H'Mai", Role.OFFICER, "Ủy viên UBND, Chỉ huy trưởng Quân sự"),
    "deputy": ("chuyenvien.pleiku", "Đinh Văn Tài", Role.OFFICER, "Chuyên viên Văn phòng"),
}
MEMBERS = ("chair", "vice", "police", "military")


def add_ward_staff(w) -> None:
    User = get_user_model()
    ward = w.agencies["pleiku_pc"]
    for key, (username, name, role, position) in WARD_STAFF.items():
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            full_name=name,
            kind=User.Kind.OFFICIAL,
            email=f"{username}@gialai.gov.vn",
        )
        Membership.objects.create(user=user, agency=ward, role=role, position=position, valid_from=TWO_TIER)
        w.users[key] = user
    w.ward_registers = documents_testing.setup_agency(ward, "UBND", chain=False)
    w.room = Room.objects.create(agency=ward, name="Phòng họp tầng 2", capacity=30)


def set_rules() -> dict:
    """The voting rules of each meeting type: the People's Committee's (more than half of all its
    members), and for other meetings more than half of those present."""
    rules = voting_testing.standard_rules()
    MeetingType.objects.filter(kind=MeetingType.Kind.PC_REGULAR).update(rule=rules["ubnd-tap-the"])
    MeetingType.objects.exclude(kind=MeetingType.Kind.PC_REGULAR).update(rule=rules["da-so-co-mat"])
    return rules


def build_world():
    w = documents_testing.build_world()
    add_ward_staff(w)
    w.rules = set_rules()
    return w


def pc_body(w) -> Body:
    """The ward's People's Committee as a voting body (its four members, the office chief as its
    secretary) under the committee's rule: more than half of all members, a non-answer not counted."""
    body = Body.objects.create(
        name="Ủy ban nhân dân phường Pleiku", agency=w.agencies["pleiku_pc"], rule=w.rules["ubnd-tap-the"]
    )
    body.members.add(*(w.users[k] for k in MEMBERS))
    body.secretaries.add(w.users["secretary"])
    return body


def pc_type() -> MeetingType:
    return MeetingType.objects.get(kind=MeetingType.Kind.PC_REGULAR)


def schedule_session(w, *, start=None, hours=3, title="Phiên họp thường kỳ tháng 12 năm 2026", invite=True):
    """A People's Committee session of the ward in the room, its members invited, two agenda items
    (the second closed), each with a paper."""
    start = start or timezone.now() + dt.timedelta(days=7)
    m = services.schedule(
        actor=w.users["secretary"],
        agency=w.agencies["pleiku_pc"],
        meeting_type=pc_type(),
        title=title,
        chair=w.users["chair"],
        secretary=w.users["secretary"],
        start=start,
        end=start + dt.timedelta(hours=hours),
        room=w.room,
    )
    if invite:
        services.invite(m, actor=w.users["secretary"], users=[w.users[k] for k in MEMBERS])
    i1 = services.add_item(
        m,
        actor=w.users["secretary"],
        title="Tình hình kinh tế – xã hội năm 2026, nhiệm vụ năm 2027",
        reporting_agency="Phòng Kinh tế, Hạ tầng và Đô thị",
        minutes_allotted=45,
    )
    i2 = services.add_item(
        m,
        actor=w.users["secretary"],
        title="Phương án bồi thường, hỗ trợ giải phóng mặt bằng đường Trường Chinh",
        reporting_agency="Ban Quản lý dự án",
        minutes_allotted=30,
        closed=True,
    )
    services.attach_paper(
        i1, actor=w.users["secretary"], title="Báo cáo kinh tế – xã hội", upload=documents_testing.pdf_bytes()
    )
    services.attach_paper(
        i2,
        actor=w.users["secretary"],
        title="Phương án bồi thường (dự thảo)",
        upload=documents_testing.pdf_bytes(),
    )
    return m, i1, i2
