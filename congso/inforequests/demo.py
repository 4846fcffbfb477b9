"""Demo access to information: the lists of information that the province's People's Committee and two
communes must publish, their information focal points (officials), and requests in each state: one
answered on time, one refused, one extended, one received, one overdue (filed weeks ago and still
open), one answered late. Idempotent: nothing is added when the demo requests exist."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from congso.accounts.demo import DEMO_PASSWORD, demo_official
from congso.accounts.models import User
from congso.calendar import engine
from congso.directory import demo_codes as dc
from congso.directory.models import Agency, Membership, Role

from . import services
from .models import InfoRequest, TimeLimit

TWO_TIER = dt.date(2025, 7, 1)

HANDLERS = [
    (
        "ttcanbo.pleiku",
        "Lê Thị Hoà",
        Role.OFFICER,
        dc.commune_pc("23575"),
        "Đầu mối cung cấp thông tin, Văn phòng",
    ),
    ("ttcanbo.iagrai", "Rơ Châm Hyun", Role.OFFICER, dc.commune_pc("23764"), "Đầu mối cung cấp thông tin"),
    ("ttcanbo.tinh", "Phạm Quang Huy", Role.OFFICER, dc.PROVINCE_PC, "Chuyên viên Văn phòng UBND tỉnh"),
    ("ttquantri.tinh", "Võ Thị Kim Liên", Role.AGENCY_ADMIN, dc.PROVINCE_PC, "Quản trị cổng thông tin tỉnh"),
]

DISCLOSURE = {
    dc.PROVINCE_PC: [
        (
            "van-ban-thu-tuc",
            "Bộ thủ tục hành chính thuộc thẩm quyền giải quyết của UBND tỉnh",
            "/thu-tuc/",
            "Cổng dịch vụ công tỉnh",
        ),
        (
            "van-ban-thu-tuc",
            "Văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành",
            "/van-ban/",
            "Cổng thông tin điện tử tỉnh",
        ),
        (
            "ngan-sach",
            "Công khai dự toán ngân sách tỉnh Gia Lai năm 2026",
            "",
            "Niêm yết tại trụ sở; Cổng thông tin điện tử tỉnh",
        ),
        (
            "dau-tu-cong",
            "Kế hoạch đầu tư công trung hạn 2026–2030 tỉnh Gia Lai",
            "",
            "Cổng thông tin điện tử tỉnh",
        ),
        (
            "to-chuc-bo-may",
            "Cơ cấu tổ chức, lãnh đạo UBND tỉnh và đầu mối cung cấp thông tin",
            "/co-quan/",
            "Cổng thông tin điện tử tỉnh",
        ),
        (
            "thanh-tra-khieu-nai",
            "Kết luận thanh tra công tác quản lý đất đai năm 2025",
            "",
            "Cổng thông tin điện tử tỉnh",
        ),
    ],
    dc.commune_pc("23575"): [
        (
            "van-ban-thu-tuc",
            "Thủ tục hành chính tiếp nhận tại Trung tâm Phục vụ hành chính công phường",
            "/thu-tuc/",
            "Niêm yết tại bộ phận một cửa",
        ),
        (
            "chien-luoc-ke-hoach",
            "Kế hoạch phát triển kinh tế – xã hội phường Pleiku năm 2026",
            "",
            "Niêm yết tại trụ sở UBND phường",
        ),
        (
            "dat-dai-quy-hoach",
            "Kế hoạch sử dụng đất năm 2026 phường Pleiku",
            "",
            "Niêm yết tại trụ sở, nhà văn hoá tổ dân phố",
        ),
        (
            "ngan-sach",
            "Dự toán và quyết toán ngân sách phường năm 2025",
            "",
            "Niêm yết tại trụ sở UBND phường",
        ),
    ],
    dc.commune_pc("23764"): [
        (
            "van-ban-thu-tuc",
            "Thủ tục hành chính cấp xã (bản song ngữ Việt – Jrai)",
            "/thu-tuc/",
            "Niêm yết tại bộ phận một cửa",
        ),
        (
            "oda-vien-tro",
            "Danh sách hộ nhận hỗ trợ sau bão năm 2025",
            "",
            "Niêm yết tại nhà văn hoá các làng",
        ),
        (
            "dau-tu-cong",
            "Công trình đường giao thông nông thôn làng Hrang",
            "",
            "Niêm yết tại trụ sở UBND xã",
        ),
    ],
}

# (agency, requester username or None, information, purpose, steps, filed working days ago)
REQUESTS = [
    (
        dc.commune_pc("23575"),
        "congdan.an",
        "Quyết định phê duyệt quy hoạch chi tiết khu dân cư tổ 5, phường Pleiku.",
        "Tìm hiểu quy hoạch trước khi xây nhà ở.",
        ["accept", "answer"],
        2,
    ),
    (
        dc.commune_pc("23575"),
        None,
        "Biên bản họp nội bộ của UBND phường về việc xử lý vi phạm trật tự xây dựng tháng 10/2026.",
        "Phục vụ việc khiếu nại.",
        ["refuse"],
        1,
    ),
    (
        dc.commune_pc("23575"),
        "congdan.an",
        "Danh sách các hộ được bồi thường, hỗ trợ khi mở rộng đường Lê Duẩn và mức bồi thường từng loại đất.",
        "Đối chiếu mức bồi thường của gia đình.",
        ["accept", "extend"],
        6,
    ),
    (
        dc.commune_pc("23764"),
        None,
        "Danh sách hộ nghèo, hộ cận nghèo của làng Hrang năm 2026 đã được UBND xã phê duyệt.",
        "Kiểm tra việc bình xét hộ nghèo.",
        [],
        0,
    ),
    (
        dc.commune_pc("23764"),
        None,
        "Hồ sơ nghiệm thu công trình đường giao thông nông thôn làng Hrang năm 2025.",
        "Người dân giám sát chất lượng công trình.",
        ["accept"],
        25,
    ),
    (
        dc.PROVINCE_PC,
        "congdan.an",
        "Kế hoạch tuyển dụng viên chức giáo dục tỉnh Gia Lai năm 2026.",
        "Chuẩn bị dự tuyển.",
        ["accept", "answer"],
        14,
    ),
]


def _handler(username, name, role, agency_code, position):
    user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
    Membership.objects.get_or_create(
        user=user,
        agency=Agency.objects.get(code=agency_code),
        role=role,
        defaults={"position": position, "valid_from": TWO_TIER},
    )
    return user


def _working_days_ago(n: int, agency: Agency) -> dt.datetime:
    cal = engine.get_calendar(agency.unit_id)
    day = timezone.localdate()
    while n > 0:
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 15)))


def load(out):
    users = {h[0]: _handler(*h) for h in HANDLERS}
    officers = {h[3]: users[h[0]] for h in HANDLERS if h[2] == Role.OFFICER}
    admin = users["ttquantri.tinh"]
    sysadmin = User.objects.filter(username="quantri.hethong").first() or admin
    if InfoRequest.objects.exists():
        out.write(f"  Tiếp cận thông tin: {InfoRequest.objects.count()} yêu cầu (đã có).\n")
        return []
    for code, items in DISCLOSURE.items():
        for category, title, url, how in items:
            services.save_disclosure_item(
                actor=sysadmin,
                agency=code,
                category=category,
                title=title,
                url=url,
                how=how,
                published_on=timezone.localdate() - dt.timedelta(days=30),
            )
    citizen = User.objects.filter(username="congdan.an").first()
    for i, (agency_code, requester, information, purpose, steps, ago) in enumerate(REQUESTS):
        actor = citizen if requester and citizen else None
        agency = Agency.objects.get(code=agency_code)
        data = {
            "agency": agency_code,
            "name": "Nguyễn Văn An" if actor else "Ksor H'Bia",
            "address": "25 Hùng Vương, phường Pleiku, Gia Lai"
            if actor
            else "Làng Hrang, xã Ia Grai, Gia Lai",
            "id_number": "064090001234" if actor else "064196007531",
            "phone": "0905123456" if actor else "0971234567",
            "email": "nguyen.van.an@example.vn" if actor else "hbia.ksor@example.vn",
            "information": information,
            "purpose": purpose,
            "form": "electronic",
            "means": "online",
        }
        req = services.submit(data, actor=actor, ip=f"192.0.2.{i + 60}")
        if ago:
            # an older request: filed ``ago`` working days before today, its deadline from then
            with transaction.atomic():
                received = _working_days_ago(ago, agency)
                due = services.due_after(received, services.limit(TimeLimit.ANSWER), unit=agency.unit_id)
                InfoRequest.objects.filter(pk=req.pk).update(received_at=received, due_at=due)
                req.events.update(at=received)
        officer = officers[agency_code]
        for step in steps:
            if step == "accept":
                services.act(req.code, "accept", actor=officer)
            elif step == "extend":
                services.act(
                    req.code,
                    "extend",
                    actor=officer,
                    reason="Thông tin nằm ở nhiều hồ sơ bồi thường, cần thời gian tập hợp và che thông tin cá nhân.",
                )
            elif step == "answer":
                services.act(
                    req.code,
                    "answer",
                    actor=officer,
                    note="Gửi Ông/Bà bản điện tử văn bản được yêu cầu; bản gốc lưu tại Văn phòng.",
                )
            elif step == "refuse":
                services.act(
                    req.code,
                    "refuse",
                    actor=officer,
                    reason="bi-mat-cong-tac",
                    note="Biên bản họp nội bộ không thuộc thông tin được tiếp cận. Kết quả xử lý vi phạm đã được niêm yết tại trụ sở UBND phường.",
                )
    out.write(
        f"  Tiếp cận thông tin: danh mục công khai của {len(DISCLOSURE)} cơ quan, "
        f"{InfoRequest.objects.count()} yêu cầu (/tiep-can-thong-tin/).\n"
    )
    return [
        ("Đầu mối cung cấp thông tin UBND phường Pleiku", "ttcanbo.pleiku", DEMO_PASSWORD),
        ("Đầu mối cung cấp thông tin UBND xã Ia Grai", "ttcanbo.iagrai", DEMO_PASSWORD),
        ("Quản trị danh mục thông tin công khai UBND tỉnh", "ttquantri.tinh", DEMO_PASSWORD),
    ]
