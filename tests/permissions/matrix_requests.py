"""The permission matrix's declarations for access-to-information requests (inforequests) and the national portal's inbound sync (integration/national) (see ``test_api_matrix``)."""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401

# --- access to information (inforequests, ADR 0167) ---------------------------------------------
# The legal data, the agencies' disclosure lists and the anonymised statistics are public reads.
INFO = "/api/v1/info-requests"
op("GET /api/v1/info-requests/agencies", f"{INFO}/agencies", ALL)
op("GET /api/v1/info-requests/agencies/{code}/disclosure", f"{INFO}/agencies/{{info_agency}}/disclosure", ALL)
op(
    "POST /api/v1/info-requests/agencies/{code}/disclosure",
    f"{INFO}/agencies/{{info_agency}}/disclosure",
    # the Sở's administrator or leader, or a system administrator (``inforequests.manage_disclosure``)
    {"agency_admin", "leader", "sysadmin"},
    json={
        "category": "du-thao",
        "title": "Dự thảo Quyết định quy định chức năng, nhiệm vụ của Sở Tư pháp tỉnh Gia Lai",
        "url": "https://sotuphap.gialai.gov.vn/du-thao/chuc-nang-nhiem-vu",
        "how": "Đăng trên cổng thông tin điện tử để lấy ý kiến nhân dân",
        "published_on": "2026-12-05",
    },
)
op("GET /api/v1/info-requests/categories", f"{INFO}/categories", ALL)
op("GET /api/v1/info-requests/grounds", f"{INFO}/grounds", ALL)
op("GET /api/v1/info-requests/time-limits", f"{INFO}/time-limits", ALL)
op(
    "GET /api/v1/info-requests/stats",
    f"{INFO}/stats?agency={{info_agency}}&start=2026-01-01&end=2027-12-31",
    ALL,
)

# Filing: the law gives the right to everyone, with or without an account (ADR 0167).
REQUEST = {
    "agency": "{info_agency}",
    "name": "Trần Thị Bình",
    "address": "18 Lê Lợi, phường Pleiku, Gia Lai",
    "id_number": "064190004321",
    "phone": "0935246813",
    "email": "tran.thi.binh@example.vn",
    "information": "Danh sách các điểm trợ giúp pháp lý miễn phí tại phường Pleiku năm 2027.",
    "purpose": "Nhờ trợ giúp pháp lý cho gia đình.",
    "form": "electronic",
    "means": "online",
}
op("POST /api/v1/info-requests/requests", f"{INFO}/requests", ALL, json=REQUEST)
# the request filed without an account, read back with its private link's token, by whoever holds it
op(
    "GET /api/v1/info-requests/requests/{code}",
    f"{INFO}/requests/{{info_anonymous}}?token={{info_token}}",
    ALL,
)
op("POST /api/v1/info-requests/my-requests", f"{INFO}/my-requests", SIGNED_IN, json=REQUEST)
op("GET /api/v1/info-requests/my-requests", f"{INFO}/my-requests", SIGNED_IN)
# a request is its requester's: for everyone else, the other citizen and officials alike, it does not exist
op(
    "GET /api/v1/info-requests/my-requests/{code}",
    f"{INFO}/my-requests/{{info_request}}",
    {"citizen"},
    hidden=SIGNED_IN - {"citizen"},
)

# Handling: clerks, officers and leaders of the agency asked, or over it through a sub-tree membership
# (``inforequests.handle``; the information focal point is one of them, no role of its own). The
# request is to the Sở Tư pháp: of the ten roles only its leader (sub-tree) handles it; the officer
# (in a division of the Sở) and the clerk (at the province's centre) handle other agencies' requests,
# so they have an inbox but this request does not exist for them.
HANDLERS = {"clerk", "officer", "leader"}
op("GET /api/v1/info-requests/inbox", f"{INFO}/inbox?status=all", HANDLERS)
op(
    "GET /api/v1/info-requests/staff/{code}",
    f"{INFO}/staff/{{info_request}}",
    {"leader"},
    hidden=SIGNED_IN - {"leader"},
)
op(
    "POST /api/v1/info-requests/staff/{code}/actions",
    f"{INFO}/staff/{{info_request}}/actions",
    {"leader"},
    hidden=SIGNED_IN - {"leader"},
    multipart={
        "action": "answer",
        "note": "Sở Tư pháp gửi kèm Kế hoạch phổ biến, giáo dục pháp luật năm 2027 (Kế hoạch số 45/KH-STP).",
        "file": "pdf",
    },
)
