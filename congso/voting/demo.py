"""Demo voting: the People's Committee of phường Pleiku as a body (its chair, vice-chairs and members,
the office's chief as secretary), the standard rules, a closed written poll with its signed result and
an open one waiting for ``lanhdao.pleiku``'s answer. Idempotent: nothing is added when the body exists."""

import datetime as dt

from django.utils import timezone

from congso.accounts.demo import DEMO_PASSWORD, demo_official
from congso.directory import demo_codes as dc
from congso.directory.demo import demo_role
from congso.directory.models import Agency, Role
from congso.signing import demo as signing_demo
from congso.signing.models import SigningKey

from . import polls
from .exports import seal_of
from .models import Body
from .testing import standard_rules

TWO_TIER = dt.date(2025, 7, 1)
BODY_NAME = "Ủy ban nhân dân phường Pleiku"
MEMBERS = [
    ("chutich.pleiku", "Nguyễn Văn Bình", Role.LEADER, "Chủ tịch UBND phường"),
    ("lanhdao.pleiku", "Rơ Mah Tuấn", Role.LEADER, "Phó Chủ tịch UBND phường"),
    ("phochutich2.pleiku", "Trần Thị Cúc", Role.LEADER, "Phó Chủ tịch UBND phường"),
    ("uyvien.congan.pleiku", "Ksor Y Dũng", Role.OFFICER, "Ủy viên, Trưởng Công an phường"),
    ("uyvien.quansu.pleiku", "Lê Văn Đức", Role.OFFICER, "Ủy viên, Chỉ huy trưởng Ban Chỉ huy quân sự"),
]
SECRETARY = ("vanphong.pleiku", "Đinh Thị Lan", Role.OFFICER, "Chánh Văn phòng HĐND và UBND phường")


def _official(username, name, role, agency, position):
    user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
    demo_role(user, agency, role, position, valid_from=TWO_TIER)
    return user


def load(out):
    rules = standard_rules()
    agency = Agency.objects.get(code=dc.commune_pc("23575"))
    if Body.objects.filter(name=BODY_NAME, agency=agency).exists():
        return []
    members = [_official(u, n, r, agency, p) for u, n, r, p in MEMBERS]
    secretary = _official(*SECRETARY[:3], agency, SECRETARY[3])
    body = Body.objects.create(name=BODY_NAME, agency=agency, rule=rules["ubnd-tap-the"])
    body.members.add(*members)
    body.secretaries.add(secretary)
    if seal_of(agency) is None:
        signing_demo.ensure_ca()
        signing_demo.demo_key(
            label=f"demo-seal-{agency.code}",
            kind=SigningKey.Kind.SEAL,
            common_name=agency.name[:64],
            organisation=agency.code,
            agency=agency,
        )
    now = timezone.now()
    closed = polls.create_poll(
        body_id=body.pk,
        by=secretary,
        title="Dự thảo Kế hoạch chuyển đổi số phường Pleiku năm 2027",
        text=(
            "Thực hiện Quy chế làm việc của UBND phường, Văn phòng xin ý kiến các thành viên UBND về dự thảo "
            "Kế hoạch chuyển đổi số năm 2027: 100% hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trên "
            "hệ thống; 80% cuộc họp của UBND phường tổ chức qua hệ thống thông tin phục vụ họp."
        ),
        deadline=now + dt.timedelta(days=2),
    )
    polls.answer(closed.pk, user=members[0], choice="agree")
    polls.answer(closed.pk, user=members[1], choice="agree")
    polls.answer(closed.pk, user=members[2], choice="agree", comment="Đề nghị bổ sung chỉ tiêu dữ liệu mở.")
    polls.answer(
        closed.pk,
        user=members[3],
        choice="other",
        comment="Đề nghị lùi thời hạn số hoá hồ sơ đất đai sang quý III.",
    )
    polls.close_poll(closed.pk, by=secretary)  # uyvien.quansu.pleiku did not answer
    open_poll = polls.create_poll(
        body_id=body.pk,
        by=secretary,
        title="Dự thảo Quyết định thành lập Tổ công nghệ số cộng đồng các tổ dân phố",
        text=(
            "Văn phòng xin ý kiến các thành viên UBND phường về dự thảo Quyết định thành lập 12 Tổ công nghệ "
            "số cộng đồng tại các tổ dân phố. Đề nghị các đồng chí trả lời trước hạn."
        ),
        deadline=now + dt.timedelta(days=3),
    )
    polls.answer(open_poll.pk, user=members[0], choice="agree")
    polls.answer(open_poll.pk, user=members[2], choice="disagree", comment="Nên thí điểm tại 3 tổ trước.")
    out.write(
        f"  Biểu quyết, lấy ý kiến: {BODY_NAME}, {len(members)} thành viên, một phiếu đã có kết quả ký số, "
        "một phiếu đang chờ ý kiến.\n"
    )
    return _logins()


def _logins():
    return [
        ("Thành viên UBND phường Pleiku (trả lời phiếu lấy ý kiến)", "lanhdao.pleiku", DEMO_PASSWORD),
        ("Thư ký UBND phường Pleiku (gửi, theo dõi phiếu lấy ý kiến)", "vanphong.pleiku", DEMO_PASSWORD),
    ]
