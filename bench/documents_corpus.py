"""The benchmark's official documents, generated in PostgreSQL with ``generate_series`` (not the ORM):
1,000,000 rows in a few minutes on the shared 2-core machine. Used by ``bench_documents.py``.

Subjects are built from pieces, each with its folded twin (``core.text.fold``), so ``search_folded`` is
written in the same statement: a lead-in, an action, a topic (85 topics, drawn with a skew: the first
about 13% of the documents, the last about 0.5%), half of them a place (one of Gia Lai's 135 communes
and wards, from ``vietnam-provinces``), a period; one document in fifty names a project (a road
between two communes: a few dozen documents each). Signers come from Vietnamese and Jrai/Bahnar
family, middle and given names. The agencies differ in size (30% of the documents in the first, 0.2%
in the last), 60% incoming, 1% secret; handlers are assigned (``Assignment``), secret documents name
their readers (``SecretReader``), released documents have their recipients (``Recipient``).
"""

from __future__ import annotations

LEAD_INS = ["Về việc", "V/v", "", "", "", "Về"]
ACTIONS = [
    "tăng cường",
    "triển khai",
    "rà soát",
    "kiểm tra",
    "đôn đốc",
    "tổ chức",
    "phê duyệt",
    "kiện toàn",
    "hướng dẫn thực hiện",
    "tổng kết",
    "sơ kết",
    "báo cáo kết quả",
    "góp ý dự thảo",
    "điều chỉnh",
    "bổ sung",
    "giao chỉ tiêu",
    "phân bổ kinh phí",
    "thẩm định",
    "cho ý kiến về",
    "xử lý",
    "khắc phục hạn chế trong",
    "chấn chỉnh",
    "đẩy mạnh",
    "thực hiện",
    "triển khai kế hoạch",
]
# the first topics are drawn most often (see TOPIC_SKEW)
TOPICS = [
    "công tác chuyển đổi số",
    "cải cách hành chính",
    "phòng chống thiên tai, tìm kiếm cứu nạn",
    "công tác văn thư, lưu trữ",
    "tình hình kinh tế – xã hội",
    "giải ngân vốn đầu tư công",
    "thủ tục hành chính lĩnh vực hộ tịch",
    "xây dựng nông thôn mới",
    "an toàn giao thông",
    "tổ chức Tết Nguyên đán",
    "phòng cháy chữa cháy rừng",
    "giảm nghèo bền vững",
    "quản lý đất đai",
    "thu ngân sách nhà nước",
    "thi đua khen thưởng",
    "tiếp công dân",
    "giải quyết khiếu nại, tố cáo",
    "chứng thực bản sao điện tử từ bản chính",
    "dịch vụ công trực tuyến toàn trình",
    "Đề án 06",
    "định danh điện tử VNeID",
    "chữ ký số",
    "cơ sở dữ liệu quốc gia về dân cư",
    "an toàn thông tin mạng",
    "sáp nhập đơn vị hành chính cấp xã",
    "chính quyền địa phương hai cấp",
    "sắp xếp trụ sở làm việc",
    "bảo hiểm y tế học sinh",
    "tuyển sinh đầu cấp",
    "tiêm chủng mở rộng",
    "phòng chống dịch tả lợn châu Phi",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "bồi thường, giải phóng mặt bằng",
    "đấu giá quyền sử dụng đất",
    "quyết toán ngân sách",
    "mua sắm tài sản công",
    "tinh giản biên chế",
    "tuyển dụng công chức",
    "đào tạo, bồi dưỡng cán bộ",
    "phổ biến, giáo dục pháp luật",
    "hòa giải ở cơ sở",
    "phòng chống tham nhũng, tiêu cực",
    "an ninh trật tự",
    "công tác quân sự địa phương",
    "bầu cử đại biểu Hội đồng nhân dân",
    "công tác dân tộc thiểu số và miền núi",
    "bảo tồn văn hóa cồng chiêng Tây Nguyên",
    "phát triển du lịch cộng đồng",
    "trồng rừng thay thế",
    "quản lý khoáng sản",
    "bảo vệ môi trường",
    "cấp nước sinh hoạt nông thôn",
    "công trình thủy lợi",
    "phát triển cà phê bền vững",
    "tái canh hồ tiêu",
    "chăn nuôi bò thịt",
    "hợp tác xã kiểu mới",
    "chương trình OCOP",
    "doanh nghiệp nhỏ và vừa",
    "thuế giá trị gia tăng",
    "đăng ký kinh doanh",
    "chợ biên giới",
    "xuất nhập khẩu qua cửa khẩu quốc tế Lệ Thanh",
    "nhà ở xã hội",
    "xóa nhà tạm, nhà dột nát",
    "người có công với cách mạng",
    "bảo trợ xã hội",
    "trẻ em có hoàn cảnh đặc biệt",
    "bình đẳng giới",
    "phòng chống ma túy",
    "vệ sinh an toàn thực phẩm",
    "khám chữa bệnh bảo hiểm y tế",
    "phòng chống sốt xuất huyết",
    "phòng chống bệnh dại",
    "kỳ thi tốt nghiệp trung học phổ thông",
    "cung ứng sách giáo khoa",
    "Ngày hội Đại đoàn kết toàn dân tộc",
    "đường dây nóng",
    "phần mềm quản lý văn bản và điều hành",
    "chế độ báo cáo thống kê",
    "kiểm kê rừng",
    "cứu trợ hạn hán",
    "quy hoạch tỉnh thời kỳ 2021–2030",
    "chỉnh trang đô thị",
    "bảo dưỡng đường tuần tra biên giới",
]
TOPIC_SKEW = 2.2  # topic index = ⌊len · u^2.2⌋: the first ≈ 13%, the last ≈ 0.5%
PERIODS = [
    "",
    "",
    "năm {y}",
    "tháng {m}/{y}",
    "quý {q} năm {y}",
    "giai đoạn 2021–2025",
    "6 tháng đầu năm {y}",
]
QUARTERS = ["I", "II", "III", "IV"]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Rcom",
    "Ksor",
    "Siu",
    "Rơ Châm",
    "Đinh",
    "Kpă",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "Thanh", "Quang", "H'", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vân",
    "Yến",
    "Blih",
    "Nel",
    "Hyun",
    "Djuin",
]
POSITIONS = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng"]
ORGANS = [
    "Ủy ban nhân dân tỉnh Gia Lai",
    "Văn phòng Ủy ban nhân dân tỉnh Gia Lai",
    "Sở Tài chính tỉnh Gia Lai",
    "Sở Nội vụ tỉnh Gia Lai",
    "Sở Tư pháp tỉnh Gia Lai",
    "Sở Nông nghiệp và Môi trường tỉnh Gia Lai",
    "Sở Khoa học và Công nghệ tỉnh Gia Lai",
    "Sở Xây dựng tỉnh Gia Lai",
    "Sở Y tế tỉnh Gia Lai",
    "Sở Giáo dục và Đào tạo tỉnh Gia Lai",
    "Công an tỉnh Gia Lai",
    "Bộ Chỉ huy Quân sự tỉnh Gia Lai",
    "Bộ Nội vụ",
    "Văn phòng Chính phủ",
    "Bộ Tài chính",
    "Bộ Khoa học và Công nghệ",
    "Thanh tra tỉnh Gia Lai",
    "Kho bạc Nhà nước khu vực XV",
]
# agencies' shares of the documents: the first is the văn thư's (30%), the last the other official's
AGENCY_SHARES = [0.30, 0.15, 0.10, 0.08, 0.07, 0.06, 0.05, 0.05, 0.04, 0.04, 0.058, 0.002]
AGENCY_NAMES = [
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tư pháp",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Công Thương",
    "Ban Dân tộc",
]
OFFICERS_PER_AGENCY = 4


def communes() -> list[str]:
    from vietnam_provinces import Province, Ward

    province = next(p for p in Province.iter_all() if p.name == "Gia Lai")
    return sorted(w.name for w in Ward.iter_all() if w.province_code == province.code)


def _pair(values):
    from congso.core.text import fold

    return list(values), [fold(v) for v in values]


FILL_SQL = """
WITH s AS (
    SELECT g,
        width_bucket(random(), %(cum)s::float8[]) AS ai,
        random() < 0.6 AS incoming,
        random() AS rs,
        1 + floor(random() * %(n_lead)s)::int AS li,
        1 + floor(random() * %(n_action)s)::int AS ac,
        1 + floor(%(n_topic)s * power(random(), %(skew)s))::int AS ti,
        CASE WHEN random() < 0.5 THEN 1 + floor(random() * %(n_place)s)::int END AS pl,
        1 + floor(random() * %(n_period)s)::int AS pe,
        2019 + floor(random() * 8)::int AS y,
        1 + floor(random() * 12)::int AS m,
        CASE WHEN random() < 0.02 THEN 1 + floor(random() * %(n_place)s)::int END AS p1,
        1 + floor(random() * %(n_place)s)::int AS p2,
        1 + floor(random() * %(n_type)s)::int AS ty,
        1 + floor(random() * %(n_family)s)::int AS fa,
        1 + floor(random() * %(n_middle)s)::int AS mi,
        1 + floor(random() * %(n_given)s)::int AS gi,
        1 + floor(random() * %(n_position)s)::int AS po,
        1 + floor(random() * %(n_organ)s)::int AS org,
        random() AS rsecret,
        random() AS rurgent,
        random() AS rstatus,
        1 + floor(random() * %(officers)s)::int AS oi
    FROM generate_series(1, %(n)s) g
), t AS (
    SELECT s.*,
        %(agencies)s::bigint[] AS agencies,
        (%(lead)s::text[])[li] AS lead_t, (%(lead_f)s::text[])[li] AS lead_f,
        (%(action)s::text[])[ac] AS action_t, (%(action_f)s::text[])[ac] AS action_f,
        (%(topic)s::text[])[ti] AS topic_t, (%(topic_f)s::text[])[ti] AS topic_f,
        CASE WHEN pl IS NOT NULL THEN 'trên địa bàn ' || (%(place)s::text[])[pl] END AS place_t,
        CASE WHEN pl IS NOT NULL THEN 'tren dia ban ' || (%(place_f)s::text[])[pl] END AS place_f,
        replace(replace(replace((%(period)s::text[])[pe], '{y}', y::text), '{m}', m::text),
                '{q}', (%(quarter)s::text[])[1 + m %% 4]) AS period_t,
        replace(replace(replace((%(period_f)s::text[])[pe], '{y}', y::text), '{m}', m::text),
                '{q}', lower((%(quarter)s::text[])[1 + m %% 4])) AS period_f,
        CASE WHEN p1 IS NOT NULL THEN 'dự án đường liên xã ' || (%(place)s::text[])[p1] || ' – '
            || (%(place)s::text[])[p2] END AS project_t,
        CASE WHEN p1 IS NOT NULL THEN 'du an duong lien xa ' || (%(place_f)s::text[])[p1] || ' '
            || (%(place_f)s::text[])[p2] END AS project_f,
        (%(family)s::text[])[fa] || ' ' || (%(middle)s::text[])[mi] || ' ' || (%(given)s::text[])[gi]
            AS signer_t,
        (%(family_f)s::text[])[fa] || ' ' || (%(middle_f)s::text[])[mi] || ' ' || (%(given_f)s::text[])[gi]
            AS signer_f,
        CASE WHEN rsecret < 0.007 THEN 'mat' WHEN rsecret < 0.0095 THEN 'toi_mat'
             WHEN rsecret < 0.01 THEN 'tuyet_mat' ELSE '' END AS secrecy,
        CASE WHEN rurgent < 0.85 THEN 0 WHEN rurgent < 0.95 THEN 1 WHEN rurgent < 0.99 THEN 2 ELSE 3 END
            AS urgency,
        %(start)s::timestamptz + (g * %(step)s) * interval '1 second' AS created
    FROM s
), d AS (
    SELECT t.*,
        agencies[ai] AS agency_id,
        (1 + g %% 3000)::text || '/' || (%(type_abbr)s::text[])[ty] || '-'
            || CASE WHEN incoming THEN 'UBND' ELSE (%(notations)s::text[])[ai] END AS symbol,
        (1 + g %% 3000)::text || ' ' || (%(type_abbr_f)s::text[])[ty] || ' '
            || CASE WHEN incoming THEN 'ubnd' ELSE lower((%(notations)s::text[])[ai]) END AS symbol_f,
        CASE WHEN incoming THEN (%(organ)s::text[])[org] ELSE (%(agency_names)s::text[])[ai] END AS organ_t,
        CASE WHEN incoming THEN (%(organ_f)s::text[])[org] ELSE (%(agency_names_f)s::text[])[ai] END
            AS organ_f,
        concat_ws(' ', nullif(lead_t, ''), action_t, topic_t, place_t, nullif(period_t, ''), project_t)
            AS subject_t,
        concat_ws(' ', nullif(lead_f, ''), action_f, topic_f, place_f, nullif(period_f, ''), project_f)
            AS subject_f
    FROM t
)
INSERT INTO documents_document (
    direction, status, source, number, symbol, issued_on, issuing_organ, drafting_unit, subject,
    signer_name, signer_position, signer_authority, secrecy, urgency, recipients_text, arrival_number,
    arrived_at, file, file_sha256, text, search_folded, external_metadata, result, created_at, updated_at,
    released_at, done_at, agency_id, created_by_id, doc_type_id, register_id, exchange_id, refusal,
    is_public, ocr_error, ocr_state, ocr_text, recall_reason
)
SELECT
    CASE WHEN incoming THEN 'in' ELSE 'out' END,
    CASE WHEN incoming THEN
        CASE WHEN rstatus < 0.10 THEN 'registered' WHEN rstatus < 0.15 THEN 'routed'
             WHEN rstatus < 0.35 THEN 'in_progress' ELSE 'done' END
    ELSE
        CASE WHEN rstatus < 0.05 THEN 'draft' WHEN rstatus < 0.10 THEN 'in_review'
             WHEN rstatus < 0.12 THEN 'to_sign' ELSE 'released' END
    END,
    CASE WHEN incoming THEN (ARRAY['paper', 'scan', 'exchange', 'exchange'])[1 + g %% 4] ELSE 'drafted' END,
    (1 + g %% 3000)::text,
    symbol,
    created::date,
    organ_t, '', subject_t, signer_t, (%(position)s::text[])[po], '', secrecy, urgency, '',
    CASE WHEN incoming THEN g END,
    CASE WHEN incoming THEN created END,
    '', '', '',
    concat_ws(' ', symbol_f, subject_f, organ_f, signer_f, (%(type_name_f)s::text[])[ty]),
    '{}'::jsonb, '', created, created,
    CASE WHEN NOT incoming AND rstatus >= 0.12 THEN created + interval '2 days' END,
    CASE WHEN incoming AND rstatus >= 0.35 THEN created + interval '5 days' END,
    agency_id,
    CASE WHEN incoming THEN (%(clerks)s::bigint[])[ai]
         ELSE (%(officers_by_agency)s::bigint[])[(ai - 1) * %(per_agency)s + 1 + oi %% %(per_agency)s] END,
    (%(type_ids)s::bigint[])[ty],
    CASE WHEN incoming THEN (%(registers)s::bigint[])[ai] END,
    '', '', false, '', '', '', ''
FROM d
"""


def fill_params(n: int, world: dict) -> dict:
    """The parameters of ``FILL_SQL`` for ``n`` documents in ``world`` (agencies, users, registers)."""
    from congso.core.text import fold
    from congso.documents.models import DocumentType

    types = list(DocumentType.objects.order_by("pk"))
    places = communes()
    cum, total = [0.0], 0.0
    for share in AGENCY_SHARES[:-1]:
        total += share
        cum.append(total)
    params = {
        "n": n,
        "cum": cum,
        "skew": TOPIC_SKEW,
        "start": "2019-01-01T00:00:00+07:00",
        # eight years over n documents, in whole seconds: at 1,000,000 about four minutes apart; ties
        # happen at larger n (then the id decides)
        "step": max(1, (8 * 365 * 86400) // n),
        "agencies": world["agencies"],
        "notations": world["notations"],
        "agency_names": AGENCY_NAMES,
        "agency_names_f": [fold(a) for a in AGENCY_NAMES],
        "clerks": world["clerks"],
        "registers": world["registers"],
        "officers_by_agency": world["officers"],
        "leaders": world["leaders"],
        "per_agency": OFFICERS_PER_AGENCY,
        "officers": OFFICERS_PER_AGENCY,
        "quarter": QUARTERS,
        "type_ids": [t.pk for t in types],
        "type_abbr": [t.abbreviation or "UBND" for t in types],
        "type_abbr_f": [fold(t.abbreviation or "UBND") for t in types],
        "type_name_f": [fold(t.name) for t in types],
        "n_type": len(types),
    }
    for key, values in (
        ("lead", LEAD_INS),
        ("action", ACTIONS),
        ("topic", TOPICS),
        ("place", places),
        ("period", PERIODS),
        ("family", FAMILY),
        ("middle", MIDDLE),
        ("given", GIVEN),
        ("position", POSITIONS),
        ("organ", ORGANS),
    ):
        params[key], params[f"{key}_f"] = _pair(values)
        params[f"n_{key}"] = len(values)
    # the periods' placeholders survive fold() as long words, then take their braces back
    marks = {"{y}": "yyyyyy", "{m}": "mmmmmm", "{q}": "qqqqqq"}

    def fold_period(p):
        for mark, word in marks.items():
            p = p.replace(mark, word)
        p = fold(p)
        for mark, word in marks.items():
            p = p.replace(word, mark)
        return p

    params["period_f"] = [fold_period(p) for p in PERIODS]
    return params


# Handlers, secret readers, recipients: the permissions the search filters on, as real rows.
RELATED_SQL = [
    # the lead handler of every incoming document being handled or done: one of its agency's officers
    """
    INSERT INTO documents_assignment (document_id, user_id, kind, deadline, assigned_by_id, created_at, done_at)
    SELECT d.id, (%(officers_by_agency)s::bigint[])[(array_position(%(agencies)s::bigint[], d.agency_id) - 1)
                 * %(per_agency)s + 1 + (d.id %% %(per_agency)s)::int],
           'lead', (d.created_at + interval '10 days')::date,
           (%(leaders)s::bigint[])[array_position(%(agencies)s::bigint[], d.agency_id)],
           d.created_at + interval '1 day', d.done_at
    FROM documents_document d
    WHERE d.agency_id = ANY(%(agencies)s::bigint[]) AND d.direction = 'in'
      AND d.status IN ('in_progress', 'done')
    """,
    # a reader named on every secret document: one of its agency's officers
    """
    INSERT INTO documents_secretreader (document_id, user_id, named_by_id, named_at)
    SELECT d.id, (%(officers_by_agency)s::bigint[])[(array_position(%(agencies)s::bigint[], d.agency_id) - 1)
                 * %(per_agency)s + 1 + ((d.id / 7) %% %(per_agency)s)::int],
           (%(leaders)s::bigint[])[array_position(%(agencies)s::bigint[], d.agency_id)], d.created_at
    FROM documents_document d
    WHERE d.agency_id = ANY(%(agencies)s::bigint[]) AND d.secrecy <> ''
    """,
    # every released outgoing document went to one other agency of the platform
    """
    INSERT INTO documents_recipient (document_id, agency_id, organ_id, name, state, status_code,
                                     recall_status, updated_at)
    SELECT d.id, a.id, '', a.name, 'delivered', '03', '', d.released_at
    FROM documents_document d
    JOIN directory_agency a ON a.id = (%(agencies)s::bigint[])[1 + (d.id %% %(n_agencies)s)::int]
    WHERE d.agency_id = ANY(%(agencies)s::bigint[]) AND d.direction = 'out' AND d.status = 'released'
    """,
]
