"""Demo work calendars: the weekly calendars of UBND tỉnh Gia Lai and its Phó Chủ tịch (lanhdao.tinh),
Sở Tư pháp and its Phó Giám đốc (lanhdao.tuphap), UBND phường Pleiku and its Phó Chủ tịch
(lanhdao.pleiku), for the current week (approved and published) and the next one in every state: one
approved then amended and waiting for re-approval, one submitted, one returned with a reason, one still
in draft. Drafted by the agencies' văn thư (vanthu.tinh, vanthu.tuphap, vanthu.pleiku), approved by the
leaders, through the services (audited). Idempotent: nothing is added when calendars exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from congso.accounts.demo import DEMO_PASSWORD, demo_official
from congso.directory import demo_codes as dc
from congso.directory.demo import demo_role
from congso.directory.models import Agency, Role

from . import selectors, services
from .models import Calendar

PEOPLE = [
    # username, full name, role, agency code, position
    ("lanhdao.tinh", "Hồ Văn Niên", Role.LEADER, dc.PROVINCE_PC, "Phó Chủ tịch UBND tỉnh"),
    ("vanthu.tinh", "Rơ Mah H'Bơ", Role.CLERICAL, dc.PROVINCE_PC, "Văn thư Văn phòng UBND tỉnh"),
    ("lanhdao.tuphap", "Nguyễn Quang Vinh", Role.LEADER, dc.DEPT_JUSTICE, "Phó Giám đốc Sở Tư pháp"),
    ("vanthu.tuphap", "Phan Thị Lan", Role.CLERICAL, dc.DEPT_JUSTICE, "Văn thư"),
    ("lanhdao.pleiku", "Rơ Mah Tuấn", Role.LEADER, dc.commune_pc("23575"), "Phó Chủ tịch UBND phường"),
    ("vanthu.pleiku", "Nguyễn Thị Thanh Tâm", Role.CLERICAL, dc.commune_pc("23575"), "Văn thư UBND phường"),
]

# (weekday, part or (start, end), content, place, preparing unit, participants)
PROVINCE = [
    (
        0,
        ("07:30", "09:00"),
        "Họp giao ban lãnh đạo UBND tỉnh đầu tuần",
        "Phòng họp số 1, trụ sở UBND tỉnh",
        "Văn phòng UBND tỉnh",
        "Chánh Văn phòng, các Phó Chánh Văn phòng UBND tỉnh",
    ),
    (
        0,
        ("14:00", "17:00"),
        "Làm việc với Sở Xây dựng về tiến độ các công trình trọng điểm năm 2026",
        "Phòng họp số 2, trụ sở UBND tỉnh",
        "Sở Xây dựng",
        "Giám đốc các Sở Xây dựng, Tài chính",
    ),
    (
        1,
        "morning",
        "Tiếp công dân định kỳ tháng 12",
        "Trụ sở Tiếp công dân tỉnh",
        "Ban Tiếp công dân tỉnh",
        "Thanh tra tỉnh, Sở Tư pháp, Sở Nông nghiệp và Môi trường",
    ),
    (
        2,
        "all_day",
        "Kiểm tra tiến độ thi công tuyến đường liên xã Ia Grai – Ia Krái",
        "Xã Ia Grai",
        "Sở Xây dựng",
        "Lãnh đạo UBND xã Ia Grai, Ban Quản lý dự án đầu tư xây dựng tỉnh",
    ),
    (
        3,
        ("08:00", "11:30"),
        "Dự Hội nghị trực tuyến của Chính phủ về chuyển đổi số quốc gia",
        "Điểm cầu trực tuyến UBND tỉnh",
        "Sở Khoa học và Công nghệ",
        "Thành viên Ban Chỉ đạo chuyển đổi số tỉnh",
    ),
    (
        3,
        "afternoon",
        "Họp Ban Chỉ đạo chuyển đổi số tỉnh quý IV",
        "Phòng họp số 1, trụ sở UBND tỉnh",
        "Sở Khoa học và Công nghệ",
        "",
    ),
    (
        4,
        ("08:00", "10:00"),
        "Họp xét hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới năm 2026",
        "Phòng họp số 2, trụ sở UBND tỉnh",
        "Văn phòng Điều phối nông thôn mới tỉnh",
        "",
    ),
    (4, "afternoon", "Làm việc tại cơ quan, xử lý công việc thường xuyên", "Trụ sở UBND tỉnh", "", ""),
]
JUSTICE = [
    (0, ("07:30", "08:30"), "Giao ban lãnh đạo Sở đầu tuần", "Phòng họp Sở Tư pháp", "Văn phòng Sở", ""),
    (
        1,
        ("08:00", "11:00"),
        "Thẩm định dự thảo Nghị quyết của HĐND tỉnh về phí, lệ phí",
        "Phòng họp Sở Tư pháp",
        "Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật",
        "",
    ),
    (2, "morning", "Tiếp công dân định kỳ của Sở", "Phòng tiếp công dân Sở Tư pháp", "Thanh tra Sở", ""),
    (
        3,
        "all_day",
        "Kiểm tra công tác hộ tịch, chứng thực tại phường Pleiku",
        "UBND phường Pleiku",
        "Phòng Hành chính tư pháp",
        "Công chức tư pháp – hộ tịch phường Pleiku",
    ),
    (
        4,
        ("14:00", "16:30"),
        "Họp Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh",
        "Hội trường Sở Tư pháp",
        "Phòng Phổ biến, giáo dục pháp luật",
        "",
    ),
]
WARD = [
    (
        0,
        ("07:30", "08:30"),
        "Giao ban Thường trực UBND phường",
        "Phòng họp UBND phường Pleiku",
        "Văn phòng HĐND-UBND phường",
        "",
    ),
    (
        0,
        "afternoon",
        "Kiểm tra công tác vệ sinh môi trường, trật tự đô thị trên đường Hùng Vương",
        "Các tổ dân phố 3, 5, 7",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Công an phường, Đội trật tự đô thị",
    ),
    (1, "morning", "Tiếp công dân định kỳ", "Trụ sở UBND phường Pleiku", "Văn phòng HĐND-UBND phường", ""),
    (
        2,
        ("08:00", "11:00"),
        "Làm việc với Trung tâm Phục vụ hành chính công phường về hồ sơ trễ hạn",
        "Trung tâm Phục vụ hành chính công phường",
        "Trung tâm Phục vụ hành chính công phường",
        "",
    ),
    (
        3,
        ("14:00", "16:00"),
        "Họp triển khai kế hoạch chuẩn bị Tết Nguyên đán",
        "Phòng họp UBND phường Pleiku",
        "Văn phòng HĐND-UBND phường",
        "Trưởng các tổ dân phố",
    ),
    (
        4,
        "morning",
        "Kiểm tra công trình trường Tiểu học Lê Lợi (giai đoạn 2)",
        "Trường Tiểu học Lê Lợi",
        "Ban Quản lý dự án phường",
        "",
    ),
]


def _data(monday: dt.date, row, attendees=()) -> dict:
    weekday, when, content, place, preparing, participants = row
    data = {
        "day": (monday + dt.timedelta(days=weekday)).isoformat(),
        "content": content,
        "place": place,
        "preparing_unit": preparing,
        "participants": participants,
        "attendees": list(attendees),
    }
    if isinstance(when, tuple):
        data.update(part="timed", start_time=when[0], end_time=when[1])
    else:
        data["part"] = when
    return data


def _week(calendar, monday, rows, clerical, *, extra=()):
    """Draft a week as of its Monday 00:00 (so the current week's earlier days are accepted)."""
    version = services.open_week(calendar.pk, monday, by=clerical)
    as_of = min(
        timezone.now(), dt.datetime.combine(monday, dt.time.min, tzinfo=timezone.get_current_timezone())
    )
    for row in rows:
        services.add_entry(version.pk, _data(monday, row), by=clerical, now=as_of)
    for row, attendees in extra:
        services.add_entry(version.pk, _data(monday, row, attendees), by=clerical, now=as_of)
    return version


def _publish(version, clerical, leader):
    services.submit(version.pk, by=clerical)
    return services.approve(version.pk, by=leader)


def load(out):
    if Calendar.objects.exists():
        out.write("  Lịch công tác: đã có, không tạo thêm.\n")
        return []
    people = {}
    for username, name, role, code, position in PEOPLE:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            return []
        user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
        demo_role(user, agency, role, position, valid_from="2025-07-01")
        people[username] = (user, agency, position)
    this = selectors.monday(timezone.localdate())
    following = this + dt.timedelta(days=7)
    logins = []
    for leader_name, clerical_name, rows, next_state in (
        ("lanhdao.tinh", "vanthu.tinh", PROVINCE, "amended"),
        ("lanhdao.tuphap", "vanthu.tuphap", JUSTICE, "returned"),
        ("lanhdao.pleiku", "vanthu.pleiku", WARD, "draft"),
    ):
        leader, agency, position = people[leader_name]
        clerical = people[clerical_name][0]
        own = services.create_calendar(agency=agency, leader=leader, position=position, by=clerical)
        unit = services.create_calendar(agency=agency, by=clerical)
        # the unit's calendar has one meeting the leader attends that overlaps the leader's own morning:
        # the draft pages flag it (a warning)
        council = (
            (1, ("08:00", "10:00"), "Họp Hội đồng Thi đua – Khen thưởng", "Phòng họp số 3", "Văn phòng", ""),
            [leader.pk],
        )
        _publish(_week(unit, this, rows[:3], clerical, extra=[council]), clerical, leader)
        _publish(_week(own, this, rows, clerical), clerical, leader)
        unit_next = _week(unit, following, rows[:3], clerical, extra=[council])
        services.submit(unit_next.pk, by=clerical)
        nxt = _week(own, following, rows, clerical)
        if next_state == "amended":
            _publish(nxt, clerical, leader)
            amended = services.amend(
                nxt.pk, by=clerical, note="Bổ sung lịch làm việc với Đoàn công tác của Bộ Nội vụ"
            )
            last = amended.entries.order_by("-starts_at").first()  # làm việc tại cơ quan, chiều thứ Sáu
            services.delete_entry(last.pk, by=clerical)
            services.add_entry(
                amended.pk,
                _data(
                    following,
                    (
                        4,
                        ("14:00", "16:00"),
                        "Làm việc với Đoàn công tác của Bộ Nội vụ về sắp xếp tổ chức bộ máy",
                        "Phòng họp số 1, trụ sở UBND tỉnh",
                        "Sở Nội vụ",
                        "Giám đốc Sở Nội vụ",
                    ),
                ),
                by=clerical,
            )
            services.submit(amended.pk, by=clerical)
        elif next_state == "returned":
            services.submit(nxt.pk, by=clerical)
            services.return_(
                nxt.pk, by=leader, reason="Bổ sung thành phần dự kiểm tra hộ tịch, đổi giờ giao ban."
            )
        logins.append(
            (f"Văn thư soạn lịch công tác ({agency.short_name or agency.name})", clerical_name, DEMO_PASSWORD)
        )
    out.write(
        "  Lịch công tác tuần: UBND tỉnh, Sở Tư pháp, UBND phường Pleiku và lãnh đạo — tuần này đã công bố; "
        "tuần sau đang điều chỉnh, chờ duyệt, bị trả lại, dự thảo. Công khai: /lich-cong-tac/; "
        "soạn, duyệt: /lich-cong-tac/soan/ (vanthu.tinh, lanhdao.tinh).\n"
    )
    return logins
