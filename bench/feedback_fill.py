"""Fill the feedback tables with N reports in SQL (``generate_series``, no ORM): a few minutes for a
million on PostgreSQL. Used by ``bench/bench_feedback.py --reports N``.

The reports are spread over every commune of the board's province (the wards of the demo busiest, a
few communes rare), every category, every status and two years, 85 % public. Titles and descriptions
are built from Vietnamese fragments chosen by hashing the row number (``hashint4``), so words vary:
common ones ("đường", "xử lý"), streets of every frequency ("Hùng Vương" in one report in 7, "Ia Mơ
Nông" in one in 3,000), and a phone number or an e-mail address written in one description in 40 (the
board masks them). ``text_folded`` is the folded text, as ``Report.save`` writes it: the fragments are
folded here in Python (``core.text.fold``) and joined in SQL, so it is exactly what ``fold`` gives.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

# (category code, subject, what was seen) — the subject starts the title
SUBJECTS = {
    "giao-thong": [
        (
            "Đèn tín hiệu giao thông không hoạt động",
            "Đèn tín hiệu tắt từ sáng, các xe đi lộn xộn giờ cao điểm.",
        ),
        ("Biển báo giao thông bị che khuất", "Cây xanh che kín biển báo cấm rẽ, xe tải vẫn rẽ vào."),
        ("Xe tải chở quá tải làm hư đường", "Xe tải chở đất đá chạy suốt đêm, rơi vãi trên mặt đường."),
        ("Đỗ xe ô tô sai quy định", "Ô tô đỗ dưới lòng đường cả ngày, gây ùn tắc trước cổng trường."),
        ("Thiếu đèn chiếu sáng công cộng", "Đoạn đường tối om, người đi bộ và xe máy dễ gặp tai nạn."),
    ],
    "ha-tang-duong": [
        ("Ổ gà sâu trên mặt đường", "Ổ gà sâu giữa làn xe máy, đã có người ngã vào buổi tối."),
        ("Sụt lún mặt đường sau mưa", "Mặt đường sụt lún sau mưa lớn, xe tải đi qua rất nguy hiểm."),
        ("Nắp cống bị vỡ", "Nắp cống vỡ để lộ hố sâu, chưa có biển cảnh báo."),
        ("Mặt đường nứt toác", "Mặt đường bê tông nứt dài, nước mưa thấm làm bong tróc."),
    ],
    "moi-truong": [
        ("Rác thải tập kết trái phép", "Rác sinh hoạt đổ thành đống, bốc mùi nhiều ngày chưa thu gom."),
        ("Nước thải chảy tràn ra đường", "Nước thải đen từ cơ sở chế biến chảy ra mương, mùi hôi nồng."),
        ("Khói bụi từ xưởng gỗ", "Xưởng gỗ đốt phế phẩm, khói bụi bay vào khu dân cư."),
        ("Tiếng ồn karaoke ban đêm", "Quán karaoke mở loa lớn sau 22 giờ, người già và trẻ nhỏ mất ngủ."),
        ("Cống thoát nước bị tắc", "Cống thoát nước tắc, mưa xuống là ngập cả con hẻm."),
    ],
    "trat-tu-do-thi": [
        ("Lấn chiếm vỉa hè", "Bàn ghế quán cà phê bày kín vỉa hè, người đi bộ phải xuống lòng đường."),
        ("Xây dựng không phép", "Công trình xây dựng lấn ra hành lang an toàn đường bộ."),
        (
            "Quảng cáo rao vặt dán trên cột điện",
            "Giấy quảng cáo khoan cắt bê tông dán kín cột điện và tường.",
        ),
        ("Họp chợ tự phát dưới lòng đường", "Chợ tự phát họp từ sáng sớm, xe cộ không đi qua được."),
    ],
    "an-ninh": [
        ("Tụ tập đua xe ban đêm", "Thanh niên nẹt pô, đua xe các tối cuối tuần."),
        ("Đánh nhau gây mất trật tự", "Nhóm thanh niên đánh nhau trước quán nhậu, dân hoảng sợ."),
        ("Trộm cắp xe máy", "Liên tiếp mất xe máy dựng trước nhà vào ban đêm."),
    ],
    "thu-tuc-hanh-chinh": [
        (
            "Yêu cầu giấy tờ ngoài quy định",
            "Cán bộ yêu cầu thêm giấy xác nhận cư trú không có trong thủ tục.",
        ),
        (
            "Hồ sơ giải quyết trễ hẹn",
            "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã quá hẹn mà chưa có kết quả.",
        ),
        ("Thái độ cán bộ tiếp dân chưa đúng mực", "Cán bộ một cửa nói trống không, không hướng dẫn đầy đủ."),
        ("Không nhận hồ sơ trực tuyến", "Hồ sơ nộp trực tuyến bị từ chối mà không nêu lý do."),
    ],
    "dat-dai": [
        ("Tranh chấp ranh giới đất", "Hộ bên cạnh xây tường lấn sang đất nhà tôi khoảng nửa mét."),
        ("Lấn chiếm đất công", "Đất công bên suối bị rào lại để trồng cà phê."),
        (
            "Chậm bồi thường giải phóng mặt bằng",
            "Đã bàn giao mặt bằng hai năm nhưng chưa nhận tiền bồi thường.",
        ),
    ],
}
# streets and places, the first ones the most frequent (chosen by a skewed hash), the last four rare
PLACES = [
    "đường Hùng Vương",
    "đường Trần Phú",
    "đường Lê Lợi",
    "đường Phạm Văn Đồng",
    "đường Nguyễn Tất Thành",
    "đường Quang Trung",
    "đường Lê Duẩn",
    "đường Trường Chinh",
    "đường Nguyễn Huệ",
    "đường Hai Bà Trưng",
    "đường Lý Thường Kiệt",
    "đường Trần Hưng Đạo",
    "đường Phan Đình Phùng",
    "đường Nguyễn Văn Linh",
    "đường Tôn Đức Thắng",
    "đường Võ Nguyên Giáp",
    "đường Nguyễn Thái Học",
    "đường Cách Mạng Tháng Tám",
    "quốc lộ 14",
    "quốc lộ 19",
    "quốc lộ 1A",
    "tỉnh lộ 664",
    "hẻm 45 Nguyễn Viết Xuân",
    "chợ Trung tâm",
    "chợ Thắng Lợi",
    "bến xe Đức Long",
    "khu tái định cư Bắc Hà Thanh",
    "làng Ia Nueng",
    "thôn Đồng Tâm",
    "thôn Hòa Bình",
    "biển Hồ",
    "bãi biển Quy Nhơn",
    "trường tiểu học Kim Đồng",
    "bệnh viện đa khoa tỉnh",
    "công viên Diên Hồng",
    "quảng trường Đại Đoàn Kết",
    # rare: each in about one report in 3,000
    "làng Plei Ơp",
    "cầu Thị Nại",
    "hồ Ia Mơ Nông",
    "thác Phú Cường",
]
RARE_PLACES = 4
WHEN = [
    "đã nhiều ngày chưa được xử lý",
    "gây nguy hiểm cho người đi đường",
    "kính đề nghị cơ quan chức năng kiểm tra",
    "người dân bức xúc",
    "tái diễn nhiều lần",
    "ảnh hưởng sinh hoạt của bà con",
    "đề nghị xử lý dứt điểm",
    "trước cổng trường học",
    "vào giờ cao điểm",
    "sau trận mưa lớn",
]
CONTACTS = ["Liên hệ 0905 123 456.", "Gọi giúp số 0912.345.678.", "Email: nguyen.van.an@example.vn."]
ANSWER = (
    "Ủy ban nhân dân đã chỉ đạo đơn vị chuyên môn kiểm tra hiện trường, xử lý và báo cáo kết quả. "
    "Cảm ơn Ông/Bà đã phản ánh."
)


def _arr(values) -> str:
    return "ARRAY[" + ",".join(["%s"] * len(values)) + "]::text[]"


def fill(n: int, *, batch: int = 100_000) -> int:
    """Add reports until there are ``n`` (those already there count); returns how many were added."""
    from congso.core.text import fold
    from congso.directory.models import AdministrativeUnit
    from congso.feedback.models import Category, Report, RoutingRule
    from congso.feedback.selectors import board_province_code

    have = Report.objects.count()
    if have >= n:
        return 0
    province = AdministrativeUnit.objects.filter(code=board_province_code(), level=1).order_by("-valid_from")[
        0
    ]
    communes = list(
        AdministrativeUnit.objects.filter(parent=province, level=3, valid_to__isnull=True)
        .order_by("pk")
        .values_list("pk", "code")
    )
    busiest = {"23575", "21583", "23764"}  # the demo's wards first: most reports
    communes.sort(key=lambda u: (u[1] not in busiest, u[0]))
    unit_ids = [u[0] for u in communes]
    cats = {c.code: c for c in Category.objects.all()}
    fallback = {}
    for code, cat in cats.items():
        node = cat
        while node is not None and code not in fallback:
            rule = RoutingRule.objects.filter(category=node, province=province, unit=None).first()
            if rule:
                fallback[code] = rule.agency_id
            node = node.parent
    rows = [(cats[code].pk, fallback[code], s, d) for code, subjects in SUBJECTS.items() for s, d in subjects]
    subj = [s for _c, _a, s, _d in rows]
    desc = [d for _c, _a, _s, d in rows]
    params = {
        "subj": subj,
        "subj_f": [fold(s) for s in subj],
        "desc": desc,
        "desc_f": [fold(d) for d in desc],
        "cat": [str(c) for c, _a, _s, _d in rows],
        "agency": [str(a) for _c, a, _s, _d in rows],
        "place": PLACES,
        "place_f": [fold(p) for p in PLACES],
        "when": WHEN,
        "when_f": [fold(w) for w in WHEN],
        "contact": CONTACTS,
        "contact_f": [fold(c) for c in CONTACTS],
        "unit": [str(u) for u in unit_ids],
    }
    decl = ", ".join(f"{_arr(v)} AS {k}" for k, v in params.items())
    flat = [x for v in params.values() for x in v]
    # h1..h6: independent hashes of the row number; ``age``: 0 (now) … 1 (two years ago), by row number
    sql = f"""
    WITH a AS (SELECT {decl}),
    g AS (
        SELECT k, abs(hashint4(k)) AS h1, abs(hashint4(k + 7919)) AS h2, abs(hashint4(k + 104729)) AS h3,
               abs(hashint4(k + 1299709)) AS h4, abs(hashint4(k + 15485863)) AS h5,
               abs(hashint4(k + 32452843)) AS h6, 1.0 - k::float8 / %s::int AS age
        FROM generate_series(%s::int, %s::int) AS k
    ),
    p AS (
        SELECT g.*, 1 + g.h1 %% cardinality(a.subj) AS si,
               CASE WHEN g.h2 %% 3000 < %s THEN cardinality(a.place) - g.h3 %% %s
               ELSE 1 + least(floor((cardinality(a.place) - %s) * power((g.h2 %% 100000) / 100000.0, 2.2))::int,
                              cardinality(a.place) - %s - 1) END AS pi,
               1 + g.h3 %% cardinality(a.when) AS wi,
               1 + least(floor(cardinality(a.unit) * power((g.h4 %% 100000) / 100000.0, 3))::int,
                         cardinality(a.unit) - 1) AS ui,
               now() - make_interval(secs => g.age * 730 * 86400 + g.h5 %% 3600) AS at
        FROM g, a
    ),
    s AS (
        SELECT p.*,
            CASE WHEN p.at > now() - interval '30 days' THEN
                (ARRAY['received','processing','processing','processing','drafted','answered','answered',
                       'rejected','processing','answered'])[1 + p.h6 %% 10]
            ELSE
                (ARRAY['answered','answered','answered','closed','closed','closed','closed','rejected',
                       'merged','processing','answered','closed'])[1 + p.h6 %% 12]
            END AS status
        FROM p
    )
    INSERT INTO feedback_report (
        code, category_id, title, description, text_folded, province_id, unit_id, address, lat, lon,
        is_public, show_name, reporter_name, reporter_phone, reporter_email, channel, status, agency_id,
        reject_reason, answer, rating, reopened, received_at, clock_start, due_at, accepted_at,
        answered_at, closed_at, open311_token, escalated, updated_at)
    SELECT
        'PB' || lpad(s.k::text, 10, '0'),
        a.cat[s.si]::bigint,
        a.subj[s.si] || ', ' || a.place[s.pi],
        a.desc[s.si] || ' Tại ' || (s.h1 %% 300 + 1) || ' ' || a.place[s.pi] || ', ' || a.when[s.wi] || '.'
            || CASE WHEN s.h3 %% 40 = 0 THEN ' ' || a.contact[1 + s.h2 %% 3] ELSE '' END,
        a.subj_f[s.si] || ' ' || a.place_f[s.pi] || ' ' || a.desc_f[s.si] || ' tai ' || (s.h1 %% 300 + 1)
            || ' ' || a.place_f[s.pi] || ' ' || a.when_f[s.wi] || '.'
            || CASE WHEN s.h3 %% 40 = 0 THEN ' ' || a.contact_f[1 + s.h2 %% 3] ELSE '' END
            || ' ' || (s.h1 %% 300 + 1) || ' ' || a.place_f[s.pi],
        %s::bigint, a.unit[s.ui]::bigint,
        (s.h1 %% 300 + 1) || ' ' || a.place[s.pi],
        CASE WHEN s.h5 %% 5 = 0 THEN NULL ELSE round((13.5 + (s.h2 %% 100000) / 100000.0)::numeric, 6) END,
        CASE WHEN s.h5 %% 5 = 0 THEN NULL ELSE round((107.8 + (s.h4 %% 150000) / 100000.0)::numeric, 6) END,
        s.h5 %% 20 >= 3, s.h6 %% 3 = 0,
        (ARRAY['Nguyễn Văn An','Trần Thị Bình','Lê Hoàng Cường','Rơ Mah Hiền','Phạm Thu Hà'])[1 + s.h4 %% 5],
        '09' || lpad((s.h2 %% 100000000)::text, 8, '0'), '', 'web', s.status,
        a.agency[s.si]::bigint,
        CASE WHEN s.status = 'rejected' THEN 'out_of_scope' ELSE '' END,
        CASE WHEN s.status IN ('answered', 'closed') THEN %s::text ELSE '' END,
        CASE WHEN s.status = 'closed' THEN (ARRAY['satisfied','satisfied','satisfied','unsatisfied'])[1 + s.h3 %% 4]
             ELSE '' END,
        false, s.at, s.at, s.at + interval '21 days',
        CASE WHEN s.status NOT IN ('received', 'rejected') THEN s.at + interval '1 day' END,
        CASE WHEN s.status IN ('answered', 'closed') THEN s.at + make_interval(days => 2 + s.h2 %% 20) END,
        CASE WHEN s.status = 'closed' THEN s.at + interval '25 days' END,
        '', '', least(now(), s.at + make_interval(days => s.h3 %% 25))
    FROM s, a
    """
    total = max(n, 1)
    start = time.perf_counter()
    first = have + 1
    while first <= n:
        last = min(n, first + batch - 1)
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [*flat, total, first, last, *[RARE_PLACES] * 4, province.pk, ANSWER])
        print(f"  reports {last:,} ({time.perf_counter() - start:.0f} s)", flush=True)
        first = last + 1
    finish()
    return n - have


def finish() -> None:
    """Photos for the new reports, then fresh statistics and visibility map."""
    with transaction.atomic(), connection.cursor() as c:
        # a photo on every other report (Open311 names the first one's address); the files are not written
        c.execute(
            "INSERT INTO feedback_media (report_id, file, mime, size, sha256, width, height) "
            "SELECT id, 'feedback/bench/' || code || '.jpg', 'image/jpeg', 250000, md5(code) || md5(title), "
            "1200, 900 FROM feedback_report WHERE code LIKE 'PB%' AND id % 2 = 0 "
            "AND NOT EXISTS (SELECT 1 FROM feedback_media m WHERE m.report_id = feedback_report.id)"
        )
    with connection.cursor() as c:
        c.execute("VACUUM (ANALYZE) feedback_report")
        c.execute(
            "VACUUM (ANALYZE) feedback_media"
        )  # autovacuum may be off: fresh statistics, a visibility map
