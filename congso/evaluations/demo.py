"""Demo evaluations: two frameworks of the demo province, each with a past round (closed, published
with its signed annex) and the current one in progress (ADR 0150).

- "Bộ chỉ số đánh giá, xếp hạng mức độ chính quyền điện tử", shaped like Gia Lai's (Decision
  318/QĐ-UBND: units ranked into levels I–IV by points, phường Pleiku first with 154.603 points);
- "Kế hoạch chuyển đổi số: 14 chỉ tiêu", shaped like Long An's plan (14 indicators, 6 unmet).

Every value goes through the services as the people would enter it: the units' administrators
self-assess with an evidence file, the province's evaluator accepts or corrects with a reason, closes,
and the province's leader publishes. The point bands are the demo's own (the real ones are not public).
Idempotent: a framework that already exists is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from congso.accounts.demo import DEMO_PASSWORD, demo_official
from congso.directory import demo_codes as dc
from congso.directory.demo import demo_role
from congso.directory.models import Agency, Membership, Role

from . import selectors, services
from .models import Framework, Round
from .testing import pdf_bytes

PLEIKU_TOTAL = Decimal("154.603")

# (code, name, kind, parent code, max points, source, metric key, value kind, target, unit, guidance)
E_GOV = [
    ("1", "Hạ tầng kỹ thuật", "group"),
    (
        "1.1",
        "Tỷ lệ máy tính của cán bộ, công chức kết nối mạng chuyên dùng",
        "indicator",
        "1",
        10,
        "manual",
        "",
        "rate",
        100,
        "%",
    ),
    ("1.2", "Bảo đảm an toàn thông tin theo cấp độ", "indicator", "1", 15, "manual", "", "points", 12, ""),
    ("2", "Ứng dụng công nghệ thông tin trong nội bộ", "group"),
    (
        "2.1",
        "Tỷ lệ văn bản đi được ký số, gửi nhận điện tử",
        "indicator",
        "2",
        20,
        "manual",
        "",
        "rate",
        90,
        "%",
    ),
    (
        "2.2",
        "Sử dụng hệ thống quản lý văn bản và điều hành",
        "indicator",
        "2",
        10,
        "manual",
        "",
        "points",
        8,
        "",
    ),
    (
        "2.3",
        "Tổ chức họp trực tuyến, hội nghị truyền hình",
        "indicator",
        "2",
        15,
        "manual",
        "",
        "points",
        None,
        "",
    ),
    ("3", "Cung cấp dịch vụ công trực tuyến", "group"),
    (
        "3.1",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "indicator",
        "3",
        10,
        "metric",
        "scorecard.on_time",
        "rate",
        98,
        "%",
    ),
    ("3.2", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "indicator", "3", 20, "manual", "", "rate", 50, "%"),
    ("3.3", "Tỷ lệ người dân, doanh nghiệp hài lòng", "indicator", "3", 20, "manual", "", "rate", 90, "%"),
    ("4", "Nhân lực và chính sách", "group"),
    (
        "4.1",
        "Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số",
        "indicator",
        "4",
        15,
        "manual",
        "",
        "rate",
        80,
        "%",
    ),
    ("4.2", "Ban hành kế hoạch chuyển đổi số hằng năm", "indicator", "4", 15, "manual", "", "points", 15, ""),
    ("5", "Cổng, trang thông tin điện tử", "group"),
    (
        "5.1",
        "Cung cấp thông tin trên trang thông tin điện tử",
        "indicator",
        "5",
        20,
        "manual",
        "",
        "points",
        None,
        "",
    ),
]

LONG_AN = [
    ("1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "scorecard.on_time", 98),
    ("2", "Tỷ lệ hồ sơ nộp trực tuyến", "scorecard.online_filing", 50),
    ("3", "Tỷ lệ người dân, doanh nghiệp hài lòng", "scorecard.satisfaction", 90),
    ("4", "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình", "", 80),
    ("5", "Tỷ lệ hồ sơ, kết quả giải quyết được số hóa", "", 80),
    ("6", "Tỷ lệ kết quả giải quyết thủ tục hành chính điện tử", "", 100),
    ("7", "Tỷ lệ hồ sơ thanh toán trực tuyến", "", 60),
    ("8", "Tỷ lệ văn bản điện tử được ký số", "", 90),
    ("9", "Tỷ lệ cán bộ, công chức được tập huấn kỹ năng số", "", 80),
    ("10", "Tỷ lệ hộ gia đình có đường truyền cáp quang", "", 80),
    ("11", "Tỷ lệ dân số trưởng thành có điện thoại thông minh", "", 85),
    ("12", "Tỷ lệ người dân có tài khoản định danh điện tử mức 2", "", 70),
    ("13", "Tỷ lệ dân số trưởng thành có tài khoản thanh toán", "", 75),
    ("14", "Tỷ lệ thôn, tổ dân phố có tổ công nghệ số cộng đồng hoạt động", "", 100),
]

# Past round's self-assessed values of the e-government framework (2.3 and 5.1 of Pleiku are computed
# so that its total is 154.603). A value in a tuple is corrected by the evaluator: (self, reviewed, reason).
E_GOV_2025 = {
    "pleiku": {
        "1.1": 100,
        "1.2": "14.5",
        "2.1": 95,
        "2.2": "9.5",
        "3.2": 62,
        "3.3": 93,
        "4.1": 85,
        "4.2": 15,
    },
    "justice": {
        "1.1": 100,
        "1.2": 12,
        "2.1": 92,
        "2.2": 8,
        "2.3": 10,
        "3.2": 45,
        "3.3": 88,
        "4.1": 75,
        "4.2": 15,
        "5.1": 14,
    },
    "quynhon": {
        "1.1": 98,
        "1.2": 13,
        "2.1": (91, 84, "Biên bản kiểm tra: 84 % văn bản đi được ký số"),
        "2.2": 9,
        "2.3": 9,
        "3.2": 48,
        "3.3": 92,
        "4.1": 78,
        "4.2": 15,
        "5.1": 13,
    },
    "construction": {
        "1.1": 95,
        "1.2": 12,
        "2.1": 86,
        "2.2": 8,
        "2.3": 11,
        "3.2": 41,
        "3.3": 88,
        "4.1": 70,
        "4.2": 15,
        "5.1": 14,
    },
    "iagrai": {
        "1.1": 80,
        "1.2": 9,
        "2.1": 70,
        "2.2": 7,
        "2.3": 8,
        "3.2": (35, 22, "Số liệu Cổng DVC quốc gia: 22 %"),
        "3.3": 85,
        "4.1": 60,
        "4.2": 10,
        "5.1": 11,
    },
}
LONG_AN_2025 = {  # indicators 4–14 (targets 80 80 100 60 90 80 80 85 70 75 100); Long An 2021: 6 unmet
    "pleiku": [85, 82, 100, 64, 93, 84, 76, 88, 68, 71, 100],
    "justice": [82, 80, 100, 55, 92, 81, 70, 86, 66, 70, 100],
    "quynhon": [80, 78, 98, 58, 90, 80, 72, 85, 65, 72, 95],
    "construction": [76, 70, 95, 45, 86, 75, 65, 80, 55, 62, 90],
    "iagrai": [60, 52, 90, 30, 75, 62, 55, 70, 40, 45, 100],
}

UNITS = {
    "pleiku": dc.commune_pc("23575"),
    "quynhon": dc.commune_pc("21583"),
    "iagrai": dc.commune_pc("23764"),
    "justice": dc.DEPT_JUSTICE,
    "construction": dc.DEPT_CONSTRUCTION,
}


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _people():
    pc = Agency.objects.get(code=dc.PROVINCE_PC)
    people = {}
    for key, username, name, role, code, position in [
        (
            "evaluator",
            "thamdinh.gialai",
            "Trần Minh Đức",
            Role.EVALUATOR,
            dc.PROVINCE_PC,
            "Chuyên viên Sở Khoa học và Công nghệ, tổ thẩm định",
        ),
        ("leader", "lanhdao.tinh", "Hồ Văn Niên", Role.LEADER, dc.PROVINCE_PC, "Phó Chủ tịch UBND tỉnh"),
        (
            "construction",
            "quantri.xaydung",
            "Huỳnh Văn Phúc",
            Role.AGENCY_ADMIN,
            dc.DEPT_CONSTRUCTION,
            "Chánh Văn phòng Sở Xây dựng",
        ),
        (
            "quynhon",
            "quantri.quynhon",
            "Lê Thị Thu Trang",
            Role.AGENCY_ADMIN,
            dc.commune_pc("21583"),
            "Chánh Văn phòng HĐND-UBND",
        ),
        (
            "iagrai",
            "quantri.iagrai",
            "Siu Thị Nhung",
            Role.AGENCY_ADMIN,
            dc.commune_pc("23764"),
            "Chánh Văn phòng HĐND-UBND",
        ),
    ]:
        user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
        demo_role(user, Agency.objects.get(code=code), role, position)
        people[key] = user
    admins = {"pleiku": "quantri.pleiku", "justice": "quantri.sotuphap"}
    for key, username in admins.items():
        people[key] = Membership.objects.get(user__username=username, role=Role.AGENCY_ADMIN).user
    people["sysadmin"] = Membership.objects.filter(role=Role.SYSADMIN).first().user
    return pc, people


def _build(admin, pc, name, year, description, applies_to, bands, rows) -> Framework:
    framework = services.create_framework(
        admin,
        owner=pc,
        data={
            "name": name,
            "year": year,
            "description": description,
            "applies_to": applies_to,
            **{f"level_{n}_min": str(b) for n, b in zip((1, 2, 3, 4), bands, strict=True)},
        },
    )
    made = {}
    for position, row in enumerate(rows, start=1):
        code, title, kind = row[:3]
        data = {"kind": kind, "code": code, "name": title, "position": position}
        if kind != "group":
            parent, points, source, metric, value_kind, target, unit = row[3:]
            data.update(
                parent=made[parent].pk if parent else None,
                max_points=str(points),
                source=source,
                metric_key=metric,
                value_kind=value_kind,
                unit_label=unit,
                target=None if target is None else str(target),
                max_value="100" if value_kind == "rate" else None,
            )
        made[code] = services.add_criterion(admin, framework, data)
    return framework


def _assess(people, round_, values: dict, *, review: bool) -> None:
    """Each unit's administrator enters its values with evidence; the evaluator reviews them."""
    leaves = {c.code: c for c in selectors.leaves(round_.framework)}
    entries = []
    for key, by_code in values.items():
        unit = Agency.objects.get(code=UNITS[key])
        for code, value in by_code.items():
            corrected = value if isinstance(value, tuple) else None
            own = corrected[0] if corrected else value
            entry = services.submit_value(
                people[key],
                round_,
                unit,
                leaves[code],
                value=str(own),
                note=f"Số liệu tự đánh giá chỉ số {code} năm {round_.year}, theo báo cáo của đơn vị.",
                evidence=_evidence(f"minh-chung-{code}.pdf"),
            )
            entries.append((entry, corrected))
    if not review:
        return
    if round_.state == Round.State.OPEN:
        services.start_review(people["evaluator"], round_)
    for entry, corrected in entries:
        if corrected:
            services.review_value(
                people["evaluator"], entry, action="correct", value=str(corrected[1]), reason=corrected[2]
            )
        else:
            services.review_value(people["evaluator"], entry, action="accept")


def _pleiku_remainder(round_, values) -> None:
    """Pleiku's 2.3 and 5.1 are what makes its total 154.603 (Decision 318's first place)."""
    framework = round_.framework
    leaves = {c.code: c for c in selectors.leaves(framework)}
    pleiku = Agency.objects.get(code=UNITS["pleiku"])
    fixed = sum(
        (
            leaves[code].points_for(Decimal(str(v))) * leaves[code].weight
            for code, v in values["pleiku"].items()
        ),
        Decimal(0),
    )
    metric = selectors.metric_value(leaves["3.1"], pleiku, round_.year)
    need = (PLEIKU_TOTAL - fixed - leaves["3.1"].points_for(metric)).quantize(Decimal("0.001"))
    v51 = min(Decimal(20), need)  # 3.1 is worth 10 points at most: 2.3 stays within 0–15
    values["pleiku"]["5.1"] = v51
    values["pleiku"]["2.3"] = need - v51


def load(out):
    if not Agency.objects.filter(code=dc.PROVINCE_PC).exists():
        return []
    pc, people = _people()
    logins = [
        (f"{Role.EVALUATOR.label} — Trần Minh Đức", "thamdinh.gialai", DEMO_PASSWORD),
        ("Lãnh đạo UBND tỉnh (công bố xếp hạng) — Hồ Văn Niên", "lanhdao.tinh", DEMO_PASSWORD),
    ]
    if Framework.objects.filter(owner=pc).exists():
        out.write("  Đánh giá, xếp hạng: đã có dữ liệu trình diễn.\n")
        return logins
    admin = people["sysadmin"]
    e_gov = _build(
        admin,
        pc,
        "Bộ chỉ số đánh giá, xếp hạng mức độ chính quyền điện tử",
        2025,
        "Theo mô hình Quyết định 318/QĐ-UBND của UBND tỉnh Gia Lai: xếp hạng sở, ngành và UBND cấp xã "
        "theo 4 mức; ngưỡng điểm của bản trình diễn.",
        ["department", "commune"],
        (150, 130, 110, 90),
        E_GOV,
    )
    long_an = _build(
        admin,
        pc,
        "Kế hoạch chuyển đổi số: 14 chỉ tiêu",
        2025,
        "Theo mô hình kế hoạch 14 chỉ tiêu của tỉnh Long An; mỗi chỉ tiêu 10 điểm.",
        ["department", "commune"],
        (120, 100, 80, 60),
        [
            (str(i), name, "indicator", None, 10, "metric" if key else "manual", key, "rate", target, "%")
            for i, (_code, name, key, target) in enumerate(LONG_AN, start=1)
        ],
    )
    published = []
    for framework, values in ((e_gov, E_GOV_2025), (long_an, None)):
        round_ = services.open_round(people["evaluator"], framework, year=2025)
        if values is None:
            values = {k: {str(i): v for i, v in enumerate(vs, start=4)} for k, vs in LONG_AN_2025.items()}
        else:
            values = {k: dict(v) for k, v in values.items()}
            _pleiku_remainder(round_, values)
        _assess(people, round_, values, review=True)
        services.close_round(people["evaluator"], round_)
        decision = "318/QĐ-UBND" if framework == e_gov else "1457/QĐ-UBND"
        services.publish_round(people["leader"], round_, decision_number=decision)
        published.append(round_)
    # The current year: the e-government round in review (some values still waiting), the plan open.
    current = services.open_round(people["evaluator"], e_gov, year=2026, deadline=None)
    _assess(
        people,
        current,
        {"pleiku": {"1.1": 100, "2.1": 96, "4.2": 15}, "justice": {"1.1": 100, "2.1": 93}},
        review=False,
    )
    services.start_review(people["evaluator"], current)
    first = current.entries.filter(unit__code=UNITS["pleiku"]).order_by("criterion__position").first()
    services.review_value(people["evaluator"], first, action="accept")
    plan = services.open_round(people["evaluator"], long_an, year=2026)
    _assess(people, plan, {"iagrai": {"4": 82, "9": 75}}, review=False)
    ranking = selectors.results(published[0])
    out.write(
        f"  Đánh giá, xếp hạng: 2 bộ chỉ số, 4 đợt; năm 2025 {ranking[0].unit.name} đứng đầu với "
        f"{ranking[0].total} điểm (mức {ranking[0].level}).\n"
    )
    return logins
