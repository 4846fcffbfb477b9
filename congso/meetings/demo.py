"""Demo meetings of UBND phường Pleiku (Gia Lai): a session held last week — its members checked in,
one by a delegate, an open and a secret vote, the minutes, the conclusion notice signed by the chairman,
numbered and sealed by văn thư through the documents app, and two tasks —, and next week's session with
its papers published. Runs after the documents and voting demos (INSTALLED_APPS order): it uses the
ward's registers, review chain and seal. Idempotent: nothing is added when the ward already has meetings.

The past session is run through the same services at the present time (they refuse the past), then its
dates are moved back a week, as the documents demo backdates its overdue tasks."""

from __future__ import annotations

import datetime as dt
from html import escape

from django.utils import timezone

from congso.accounts.demo import DEMO_PASSWORD, demo_official
from congso.accounts.models import User
from congso.directory import demo_codes as dc
from congso.directory.demo import demo_role
from congso.directory.models import Agency, Membership, Role
from congso.documents import services as documents_services
from congso.documents.models import Register
from congso.documents.testing import keys_for
from congso.voting import testing as voting_testing

from . import services
from .models import Conclusion, Invitee, Meeting, MeetingType, Room

OFFICIALS = [
    ("chutich.pleiku", "Rah Lan Chung", Role.LEADER, "Chủ tịch UBND phường"),
    ("vanphong.pleiku", "Lê Thị Thu", Role.CLERICAL, "Chánh Văn phòng HĐND và UBND phường"),
    ("congan.pleiku", "Phạm Văn Đức", Role.OFFICER, "Ủy viên UBND, Trưởng Công an phường"),
    ("quansu.pleiku", "Ksor H'Mai", Role.OFFICER, "Ủy viên UBND, Chỉ huy trưởng Quân sự phường"),
    ("chuyenvien.pleiku", "Đinh Văn Tài", Role.OFFICER, "Chuyên viên Văn phòng UBND phường"),
]


def _people(ward) -> dict:
    people = {}
    for username, name, role, position in OFFICIALS:
        user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
        demo_role(user, ward, role, position, valid_from="2025-07-01")
        people[username] = user
    return people


def _paper(title: str, item: str, agency: str) -> bytes:
    """A meeting paper as a real A4 PDF with its heading and text (not a blank page)."""
    from weasyprint import HTML

    html = f"""<html lang="vi"><head><style>
      @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
      body {{ font-family: 'DejaVu Serif', serif; font-size: 13pt; line-height: 1.45; }}
      .head {{ display: flex; justify-content: space-between; text-align: center; font-size: 11pt; }}
      h1 {{ text-align: center; font-size: 14pt; margin-top: 1.5cm; }}
    </style></head><body>
      <div class="head"><div>UBND PHƯỜNG PLEIKU<br><b>{escape(agency).upper()}</b></div>
      <div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></div></div>
      <h1>{escape(title).upper()}</h1>
      <p><i>Tài liệu phục vụ phiên họp UBND phường, nội dung: {escape(item)}.</i></p>
      <p>1. Tình hình thực hiện: các chỉ tiêu chủ yếu đạt và vượt kế hoạch; thu ngân sách trên địa bàn
      đạt 92% dự toán năm; tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt 98,6%.</p>
      <p>2. Tồn tại, hạn chế: tiến độ giải phóng mặt bằng một số công trình còn chậm; công tác vệ sinh
      môi trường tại các tổ dân phố chưa đồng đều.</p>
      <p>3. Đề xuất: giao các phòng chuyên môn rà soát, báo cáo UBND phường trước ngày 20 hằng tháng.</p>
      <p style="margin-top:1.5cm">(Tài liệu trình diễn của congso.)</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _session(ward, room, people, members, *, title, start, end, items):
    sec = people["vanphong.pleiku"]
    m = services.schedule(
        actor=sec,
        agency=ward,
        meeting_type=MeetingType.objects.get(kind=MeetingType.Kind.PC_REGULAR),
        title=title,
        chair=people["chutich.pleiku"],
        secretary=sec,
        start=start,
        end=end,
        room=room,
    )
    services.invite(m, actor=sec, users=members)
    reporter = User.objects.filter(username="tuphap.pleiku").first()  # made by the documents demo
    if reporter is not None:
        services.invite(m, actor=sec, users=[reporter], role=Invitee.Role.REPORTER)
    out = []
    for title_, agency, minutes, closed, papers in items:
        item = services.add_item(
            m, actor=sec, title=title_, reporting_agency=agency, minutes_allotted=minutes, closed=closed
        )
        for paper in papers:
            services.attach_paper(item, actor=sec, title=paper, upload=_paper(paper, title_, agency))
        out.append(item)
    services.publish_papers(m, actor=sec)
    return m, out


def load(out):
    ward = Agency.objects.filter(code=dc.commune_pc("23575")).first()
    vice = Membership.objects.filter(user__username="lanhdao.pleiku").select_related("user").first()
    if ward is None or vice is None or not Register.objects.filter(agency=ward).exists():
        out.write("  Họp không giấy: bỏ qua (thiếu UBND phường Pleiku, sổ văn bản hoặc lãnh đạo).\n")
        return []
    if Meeting.objects.filter(agency=ward).exists():
        return []
    rules = voting_testing.standard_rules()
    MeetingType.objects.filter(kind=MeetingType.Kind.PC_REGULAR, rule__isnull=True).update(
        rule=rules["ubnd-tap-the"]
    )
    MeetingType.objects.filter(rule__isnull=True).update(rule=rules["da-so-co-mat"])
    people = _people(ward)
    chair, sec = people["chutich.pleiku"], people["vanphong.pleiku"]
    if documents_services.personal_key(chair) is None:
        keys_for(ward, chair, "Chủ tịch UBND phường")
    room, _ = Room.objects.get_or_create(
        agency=ward, name="Phòng họp UBND phường (tầng 2)", defaults={"capacity": 40}
    )
    members = [chair, vice.user, people["congan.pleiku"], people["quansu.pleiku"]]

    # last week's session, run now and moved back a week
    start = timezone.now() + dt.timedelta(minutes=30)
    m, (i1, i2) = _session(
        ward,
        room,
        people,
        members,
        title="Phiên họp thường kỳ tháng 11 năm 2026 của UBND phường Pleiku",
        start=start,
        end=start + dt.timedelta(hours=3),
        items=[
            (
                "Kết quả thực hiện nhiệm vụ kinh tế – xã hội tháng 11, nhiệm vụ tháng 12 năm 2026",
                "Phòng Kinh tế, Hạ tầng và Đô thị",
                45,
                False,
                ["Báo cáo kinh tế – xã hội tháng 11/2026"],
            ),
            (
                "Phương án bồi thường, hỗ trợ giải phóng mặt bằng mở rộng đường Trường Chinh",
                "Ban Quản lý dự án đầu tư xây dựng",
                30,
                True,
                ["Phương án bồi thường (dự thảo)", "Tờ trình phê duyệt phương án"],
            ),
        ],
    )
    services.respond(
        m, user=people["quansu.pleiku"], answer="delegated", delegate=people["chuyenvien.pleiku"]
    )
    for user in (chair, vice.user, people["congan.pleiku"], people["chuyenvien.pleiku"]):
        services.check_in(m, user=user)
    services.start_meeting(m, actor=chair)
    v1 = services.open_vote(i1, actor=chair, title="Thông qua báo cáo kinh tế – xã hội tháng 11/2026")
    for user in (chair, vice.user, people["congan.pleiku"], people["chuyenvien.pleiku"]):
        services.cast_vote(m, ballot_id=v1.ballot_id, user=user, choice="agree")
    services.close_vote(m, ballot_id=v1.ballot_id, actor=chair)
    v2 = services.open_vote(
        i2, actor=chair, title="Thông qua phương án bồi thường đường Trường Chinh", secret=True
    )
    for user, choice in (
        (chair, "agree"),
        (vice.user, "agree"),
        (people["congan.pleiku"], "agree"),
        (people["chuyenvien.pleiku"], "abstain"),
    ):
        services.cast_vote(m, ballot_id=v2.ballot_id, user=user, choice=choice)
    services.close_vote(m, ballot_id=v2.ballot_id, actor=chair)
    services.record_minutes(
        i1, actor=sec, text="Các thành viên thống nhất báo cáo; thu ngân sách đạt 92% dự toán năm."
    )
    services.record_minutes(
        i2, actor=sec, text="Thông qua phương án; niêm yết công khai 20 ngày tại nhà văn hóa tổ dân phố."
    )
    deadline = timezone.localdate() + dt.timedelta(days=20)
    services.add_conclusion(
        m,
        actor=chair,
        item=i1.pk,
        owner=vice.user,
        deadline=deadline,
        text="Rà soát các khoản thu ngân sách còn đạt thấp, báo cáo UBND phường trước ngày 20/12.",
    )
    services.add_conclusion(
        m,
        actor=chair,
        item=i2.pk,
        owner=people["congan.pleiku"],
        deadline=deadline + dt.timedelta(days=10),
        text="Bảo đảm an ninh trật tự trong thời gian niêm yết và chi trả bồi thường.",
    )
    services.end_meeting(m, actor=chair)
    doc = services.draft_conclusion_notice(m, actor=sec)
    doc = documents_services.submit(doc, actor=sec)
    while doc.status == doc.Status.IN_REVIEW:
        doc = documents_services.approve(doc, actor=vice.user)
    documents_services.sign(doc, actor=chair)
    documents_services.issue(doc, actor=sec)  # văn thư's role: the office chief holds it here
    services.create_tasks(m, actor=chair)
    # back to last week, at 08:00 as such sessions are held (it was run at the demo's own hour)
    back = _at(-7, 8) - m.start
    Meeting.objects.filter(pk=m.pk).update(
        start=m.start + back,
        end=m.end + back,
        started_at=m.start + back,
        ended_at=m.end + back,
        papers_published_at=_at(-12, 15),
    )
    Invitee.objects.filter(meeting=m, checked_in_at__isnull=False).update(
        checked_in_at=m.start + back - dt.timedelta(minutes=10)
    )
    assert Conclusion.objects.filter(meeting=m, task__isnull=False).count() == 2

    # next week's session, its papers published
    _session(
        ward,
        room,
        people,
        members,
        title="Phiên họp thường kỳ tháng 12 năm 2026 của UBND phường Pleiku",
        start=_at(6, 8),
        end=_at(6, 11),
        items=[
            (
                "Dự toán thu, chi ngân sách phường năm 2027",
                "Bộ phận Tài chính – Kế toán",
                40,
                False,
                ["Dự thảo dự toán ngân sách năm 2027", "Thuyết minh dự toán"],
            ),
            (
                "Kế hoạch chuyển đổi số năm 2027",
                "Văn phòng HĐND và UBND phường",
                20,
                False,
                ["Dự thảo kế hoạch chuyển đổi số 2027"],
            ),
        ],
    )
    out.write(
        "  Họp không giấy: UBND phường Pleiku — phiên họp tuần trước (biểu quyết, thông báo kết luận đã "
        "ký số, cấp số, 2 nhiệm vụ) và phiên họp tuần sau có tài liệu (chutich.pleiku, vanphong.pleiku) — /hop/\n"
    )
    return [
        ("Chủ tịch UBND phường Pleiku (chủ trì cuộc họp)", "chutich.pleiku", DEMO_PASSWORD),
        ("Chánh Văn phòng UBND phường Pleiku (thư ký cuộc họp)", "vanphong.pleiku", DEMO_PASSWORD),
        ("Ủy viên UBND phường Pleiku (dự họp, biểu quyết)", "congan.pleiku", DEMO_PASSWORD),
        ("Chuyên viên dự họp thay (được ủy quyền)", "chuyenvien.pleiku", DEMO_PASSWORD),
    ]
