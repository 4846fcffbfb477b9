"""Demo feedback: the category tree with routing in Gia Lai, ward and department handlers, and
realistic reports in several communes and states (received, processing, awaiting approval, answered,
closed, reopened, rejected). Idempotent: nothing is added when the demo reports exist."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from congso.accounts.demo import demo_official
from congso.accounts.models import User
from congso.directory import demo_codes as dc
from congso.directory.demo import demo_role
from congso.directory.models import AdministrativeUnit, Agency, Role

from . import services
from .models import Category, Report, RoutingRule
from .testing import CATEGORIES

TWO_TIER = dt.date(2025, 7, 1)
HANDLERS = [
    (
        "canbo.phuongpleiku",
        "Rơ Mah Hiền",
        Role.OFFICER,
        dc.commune_pc("23575"),
        "Công chức Địa chính – Xây dựng",
    ),
    ("lanhdao.pleiku", "Rơ Mah Tuấn", Role.LEADER, dc.commune_pc("23575"), "Phó Chủ tịch UBND phường"),
    (
        "canbo.quynhon",
        "Đào Thị Bích Ngọc",
        Role.OFFICER,
        dc.commune_pc("21583"),
        "Công chức Văn phòng – Thống kê",
    ),
    ("lanhdao.quynhon", "Trương Công Định", Role.LEADER, dc.commune_pc("21583"), "Phó Chủ tịch UBND phường"),
    ("canbo.iagrai", "Siu H'Nhi", Role.OFFICER, dc.commune_pc("23764"), "Công chức Văn phòng – Thống kê"),
    ("lanhdao.iagrai", "Ksor Y Blang", Role.LEADER, dc.commune_pc("23764"), "Chủ tịch UBND xã"),
    (
        "chuyenvien.xaydung",
        "Huỳnh Thị Thu",
        Role.OFFICER,
        dc.DEPT_CONSTRUCTION,
        "Chuyên viên Phòng Quản lý giao thông",
    ),
    ("lanhdao.xaydung", "Trần Văn Hùng", Role.LEADER, dc.DEPT_CONSTRUCTION, "Phó Giám đốc Sở Xây dựng"),
    ("lanhdao.tinh", "Hồ Văn Niên", Role.LEADER, dc.PROVINCE_PC, "Phó Chủ tịch UBND tỉnh"),
]

REPORTS = [
    # (category, commune, title, description, address, lat, lon, reporter username or None, steps)
    (
        "giao-thong",
        "23575",
        "Ổ gà lớn trước số 120 Hùng Vương",
        "Ổ gà sâu khoảng 20 cm giữa làn xe máy, tối qua có hai người ngã.",
        "120 Hùng Vương",
        "13.9833",
        "108.0004",
        "congdan.an",
        ["accept", "draft", "approve", "rate_ok"],
    ),
    (
        "moi-truong",
        "23575",
        "Rác thải tập kết trái phép ở chân cầu Ia Kring",
        "Rác sinh hoạt đổ thành đống, bốc mùi, chưa được thu gom ba ngày nay.",
        "Chân cầu Ia Kring, tổ 5",
        "",
        "",
        None,
        ["accept"],
    ),
    (
        "trat-tu-do-thi",
        "23575",
        "Quán cà phê lấn chiếm vỉa hè đường Trần Phú",
        "Bàn ghế bày kín vỉa hè, người đi bộ phải xuống lòng đường.",
        "45 Trần Phú",
        "13.9790",
        "108.0090",
        None,
        ["accept", "draft"],
    ),
    (
        "giao-thong",
        "23764",
        "Đèn tín hiệu ngã ba Ia Grai không hoạt động",
        "Đèn tín hiệu giao thông tắt từ chiều thứ Hai, xe tải qua lại rất nguy hiểm.",
        "Ngã ba trung tâm xã Ia Grai",
        "13.9960",
        "107.7480",
        "congdan.an",
        ["accept", "draft", "approve", "reopen"],
    ),
    (
        "thu-tuc-hanh-chinh",
        "23764",
        "Yêu cầu nộp thêm giấy tờ không có trong quy định",
        "Khi làm thủ tục đăng ký khai sinh, cán bộ yêu cầu thêm giấy xác nhận cư trú.",
        "UBND xã Ia Grai",
        "",
        "",
        None,
        [],
    ),
    (
        "an-ninh",
        "21583",
        "Tụ tập đua xe ban đêm trên đường An Dương Vương",
        "Khoảng 23 giờ các tối cuối tuần, nhiều thanh niên tụ tập nẹt pô, đua xe.",
        "Đường An Dương Vương",
        "13.7620",
        "109.2230",
        None,
        ["accept", "draft", "approve"],
    ),
    (
        "moi-truong",
        "21583",
        "Quảng cáo xxx",
        "Nội dung quảng cáo không liên quan đến phản ánh.",
        "Không rõ",
        "",
        "",
        None,
        ["reject"],
    ),
]


def _handler(username, name, role, agency_code, position):
    user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
    agency = Agency.objects.get(code=agency_code)
    demo_role(user, agency, role, position, valid_from=TWO_TIER)
    return user


def load(out):
    province = AdministrativeUnit.objects.get(code=dc.PROVINCE_UNIT, valid_from=TWO_TIER)
    users = {h[0]: _handler(*h) for h in HANDLERS}
    with transaction.atomic():
        cats = {}
        for code, name, parent, days, keywords in CATEGORIES:
            cats[code], _ = Category.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "parent": cats.get(parent),
                    "answer_days": days,
                    "keywords": keywords,
                },
            )
        pc = Agency.objects.get(code=dc.PROVINCE_PC)
        construction = Agency.objects.get(code=dc.DEPT_CONSTRUCTION)
        for code in cats:
            RoutingRule.objects.get_or_create(
                category=cats[code],
                province=province,
                unit=None,
                defaults={"agency": construction if code == "giao-thong" else pc},
            )
        for unit_code in ("23575", "23764", "21583"):
            unit = AdministrativeUnit.objects.get(code=unit_code, valid_from=TWO_TIER)
            agency = Agency.objects.get(code=dc.commune_pc(unit_code))
            for code in ("giao-thong", "moi-truong", "trat-tu-do-thi", "thu-tuc-hanh-chinh", "an-ninh"):
                RoutingRule.objects.get_or_create(
                    category=cats[code], province=province, unit=unit, defaults={"agency": agency}
                )
    if Report.objects.exists():
        out.write(f"  Phản ánh, kiến nghị: {Report.objects.count()} phản ánh (đã có).\n")
        return []
    citizen = User.objects.filter(username="congdan.an").first()
    leaders = {
        dc.commune_pc(c): users[f"lanhdao.{n}"]
        for c, n in (("23575", "pleiku"), ("23764", "iagrai"), ("21583", "quynhon"))
    }
    officers = {
        dc.commune_pc(c): users[f"canbo.{n}"]
        for c, n in (("23575", "phuongpleiku"), ("23764", "iagrai"), ("21583", "quynhon"))
    }
    sysadmin = User.objects.filter(username="quantri.hethong").first()
    for i, (cat, unit, title, text, address, lat, lon, reporter, steps) in enumerate(REPORTS):
        actor = citizen if reporter and citizen else None
        data = {
            "category": cat,
            "title": title,
            "description": text,
            "unit": unit,
            "address": f"{address}",
            "lat": lat,
            "lon": lon,
            "is_public": "1",
            "show_name": "1" if actor else "",
            "name": "" if actor else "Người dân",
            "email": "",
        }
        report = services.submit(data, actor=actor, ip=f"192.0.2.{i + 10}")
        agency_code = report.agency.code
        officer, leader = officers[agency_code], leaders[agency_code]
        for step in steps:
            if step == "accept":
                services.act(report.code, "accept", actor=officer)
            elif step == "reject":
                services.act(report.code, "reject", actor=officer, reason="out_of_scope")
            elif step == "draft":
                services.act(
                    report.code,
                    "draft",
                    actor=officer,
                    note="Đơn vị đã kiểm tra hiện trường và xử lý; đề nghị người dân tiếp tục giám sát.",
                )
            elif step == "approve":
                services.act(report.code, "approve", actor=leader)
            elif step == "rate_ok":
                services.rate(report.code, actor=citizen, rating="satisfied")
            elif step == "reopen":
                services.rate(report.code, actor=citizen, rating="unsatisfied", comment="Đèn vẫn chập chờn.")
    key_note = ""
    if sysadmin is not None:
        _key, raw = services.issue_api_key(actor=sysadmin, name="Ứng dụng Open311 trình diễn")
        key_note = f" Khoá Open311 trình diễn: {raw}"
    out.write(
        f"  Phản ánh, kiến nghị: {Report.objects.count()} phản ánh tại 3 xã, phường "
        f"({timezone.localdate():%d/%m/%Y}).{key_note}\n"
    )
    return [
        ("Lãnh đạo UBND phường Pleiku (duyệt trả lời phản ánh)", "lanhdao.pleiku", "GiaLai-demo-2026"),
        ("Cán bộ xử lý phản ánh phường Pleiku", "canbo.phuongpleiku", "GiaLai-demo-2026"),
    ]
