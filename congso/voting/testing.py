"""Test helpers: the Gia Lai world plus the ward People's Committee as a voting body.

w = build_world()   # accounts.testing.build_world() + w.rules (STANDARD_RULES by code) + w.body
                    # (Ủy ban nhân dân phường Pleiku): members w.users["member1"…"member5"], secretary
                    # w.users["secretary"]; w.users["outsider"] an official of another agency
"""

from __future__ import annotations

from congso.accounts import testing as accounts_testing
from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER

from .models import Basis, Body, NonAnswer, Rule

# (code, name, quorum num/den/strict, basis, threshold num/den/strict, non-answer, allow other, note)
STANDARD_RULES = [
    (
        "ubnd-tap-the",
        "UBND: quá nửa tổng số thành viên (họp và lấy ý kiến)",
        (1, 2, True),
        Basis.MEMBERS,
        (1, 2, True),
        NonAnswer.NOT_COUNTED,
        True,
        "Quy chế làm việc của Ủy ban nhân dân: quyết định theo đa số, quá nửa tổng số thành viên "
        "đồng ý; thành viên không trả lời phiếu không được tính.",
    ),
    (
        "ubnd-im-lang-dong-y",
        "UBND lấy ý kiến bằng phiếu: không trả lời coi như đồng ý",
        (1, 2, True),
        Basis.MEMBERS,
        (1, 2, True),
        NonAnswer.AGREE,
        True,
        "Một số quy chế làm việc: quá thời hạn mà thành viên không gửi phiếu thì coi như đồng ý với dự thảo.",
    ),
    (
        "hai-phan-ba",
        "Ít nhất hai phần ba tổng số thành viên",
        (2, 3, False),
        Basis.MEMBERS,
        (2, 3, False),
        NonAnswer.NOT_COUNTED,
        False,
        "Các vấn đề quan trọng cần ít nhất 2/3 tổng số thành viên tán thành.",
    ),
    (
        "da-so-co-mat",
        "Quá nửa số thành viên có mặt",
        (1, 2, True),
        Basis.PRESENT,
        (1, 2, True),
        NonAnswer.NOT_COUNTED,
        False,
        "Cuộc họp cơ quan: quá nửa số người dự họp biểu quyết tán thành.",
    ),
]


def standard_rules() -> dict[str, Rule]:
    rules = {}
    for code, name, quorum, basis, threshold, non_answer, allow_other, note in STANDARD_RULES:
        rules[code], _ = Rule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": note,
                "quorum_num": quorum[0],
                "quorum_den": quorum[1],
                "quorum_strict": quorum[2],
                "basis": basis,
                "threshold_num": threshold[0],
                "threshold_den": threshold[1],
                "threshold_strict": threshold[2],
                "non_answer": non_answer,
                "allow_other": allow_other,
            },
        )
    return rules


MEMBERS = [
    ("member1", "tv1.pleiku", "Nguyễn Văn Bình", "Chủ tịch"),
    ("member2", "tv2.pleiku", "Trần Thị Cúc", "Phó Chủ tịch"),
    ("member3", "tv3.pleiku", "Ksor H'Dung", "Phó Chủ tịch"),
    ("member4", "tv4.pleiku", "Lê Văn Đức", "Ủy viên"),
    ("member5", "tv5.pleiku", "Phạm Thị Hoa", "Ủy viên"),
]


def _official(username, name, agency, role=Role.OFFICER, position=""):
    user = User.objects.create_user(
        username,
        password=PASSWORD,
        full_name=name,
        kind=User.Kind.OFFICIAL,
        email=f"{username}@gialai.gov.vn",
    )
    Membership.objects.create(user=user, agency=agency, role=role, position=position, valid_from=TWO_TIER)
    return user


def build_world(rule: str = "ubnd-tap-the"):
    w = accounts_testing.build_world()
    w.rules = standard_rules()
    agency = w.agencies["pleiku_pc"]
    w.body = Body.objects.create(name="Ủy ban nhân dân phường Pleiku", agency=agency, rule=w.rules[rule])
    for key, username, name, position in MEMBERS:
        w.users[key] = _official(username, name, agency, Role.LEADER, position)
        w.body.members.add(w.users[key])
    w.users["secretary"] = _official("thuky.pleiku", "Đinh Thị Lan", agency, Role.OFFICER, "Chánh Văn phòng")
    w.body.secretaries.add(w.users["secretary"])
    w.users["outsider"] = _official("canbo.iagrai", "Siu Thơm", w.agencies["iagrai_pc"])
    return w
