"""The permission matrix's declarations for Wagtail portals (sites), notifications to a person, the
feedback map and the National Public Service Portal's sync (see ``test_api_matrix``)."""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401
from .world_portals import NATIONAL_FILING, NATIONAL_HEADERS

# --- sites: the portals' published pages are open data (ADR 0166); editing is Wagtail's, at /cms/ ---
op("GET /api/v1/sites/portals", "/api/v1/sites/portals", ALL)
op("GET /api/v1/sites/pages", "/api/v1/sites/pages?portal={portal}", ALL)
op("GET /api/v1/sites/search", "/api/v1/sites/search?q=lich%20tiep%20cong%20dan&portal={portal}", ALL)

# --- sites: the editorial journey (ADR 0180). Wagtail's page permissions decide: the portal's editors and
# approvers (directory roles none of the ten roles holds here; congso/sites/tests/test_editing_api.py
# walks them) and a superuser, as in /cms/. A portal is public (403); its drafts are not (404). ------
EDITING = "/api/v1/sites/editing"
NOT_EDITORS = SIGNED_IN - {"sysadmin"}
op("GET /api/v1/sites/editing/portals", f"{EDITING}/portals", SIGNED_IN)  # an empty list for the others
op(
    "GET /api/v1/sites/editing/portals/{portal_id}/articles",
    f"{EDITING}/portals/{{portal}}/articles",
    {"sysadmin"},
)
op(
    "POST /api/v1/sites/editing/portals/{portal_id}/articles",
    f"{EDITING}/portals/{{portal}}/articles",
    {"sysadmin"},
    json={
        "kind": "news",
        "title": "Phường Pleiku ra quân tổng vệ sinh môi trường",
        "summary": "Hơn 500 cán bộ, đoàn viên và người dân dọn vệ sinh các tuyến phố.",
        "body": "<p>Sáng Chủ nhật, UBND phường <b>ra quân</b> trên đường Hùng Vương.</p>",
    },
)
op(
    "GET /api/v1/sites/editing/articles/{page_id}",
    f"{EDITING}/articles/{{article_draft}}",
    {"sysadmin"},
    hidden=NOT_EDITORS,
)
op(
    "PATCH /api/v1/sites/editing/articles/{page_id}",
    f"{EDITING}/articles/{{article_draft}}",
    {"sysadmin"},
    hidden=NOT_EDITORS,
    json={"summary": "Ngừng cấp nước từ 7 giờ đến 16 giờ 30 ngày 15/3/2027."},
)
for action, article, body in (
    ("submit", "article_draft", None),
    ("approve", "article_pending", {"comment": "Đồng ý đăng."}),
    ("reject", "article_pending", {"comment": "Bổ sung chỉ tiêu tuyển dụng của từng vị trí."}),
    ("publish", "article_draft", None),
    ("unpublish", "article_live", None),
    ("lock", "article_draft", None),
    ("unlock", "article_locked", None),
):
    op(
        f"POST /api/v1/sites/editing/articles/{{page_id}}/{action}",
        f"{EDITING}/articles/{{{article}}}/{action}",
        {"sysadmin"},
        hidden=NOT_EDITORS,
        json=body,
    )

# --- notifications: a person's own notices; another person's notice does not exist ---------------
op("GET /api/v1/notifications/mine", "/api/v1/notifications/mine", SIGNED_IN)
op("POST /api/v1/notifications/mine/read-all", "/api/v1/notifications/mine/read-all", SIGNED_IN)
op(
    "POST /api/v1/notifications/mine/{notice_id}/read",
    "/api/v1/notifications/mine/{notice}/read",
    {"citizen"},
    hidden=SIGNED_IN - {"citizen"},
)

# --- feedback: the public board's map -------------------------------------------------------------
op("GET /api/v1/feedback/map", "/api/v1/feedback/map?unit=23575&category=ho-tich", ALL)

# --- integration with the National Public Service Portal (ADR 0168): system administrators --------
op(
    "POST /api/v1/integration/national/inbound",
    "/api/v1/integration/national/inbound",
    ALL,  # called by the national portal, not by a person: its HMAC signature is the credential
    json=NATIONAL_FILING,
    headers=NATIONAL_HEADERS,
)
op("GET /api/v1/integration/national/inbound", "/api/v1/integration/national/inbound", {"sysadmin"})
op(
    "POST /api/v1/integration/national/inbound/{inbound_id}/resolve",
    "/api/v1/integration/national/inbound/{inbound}/resolve",
    {"sysadmin"},
    json={"procedure_code": "2.001417", "agency_code": "000.00.12.H21"},
)
op(
    "POST /api/v1/integration/national/inbound/{inbound_id}/retry",
    "/api/v1/integration/national/inbound/{inbound}/retry",
    {"sysadmin"},  # filed again with the same codes: still parked, with the reason (200)
)
op("GET /api/v1/integration/national/reconcile", "/api/v1/integration/national/reconcile", {"sysadmin"})
op(
    "POST /api/v1/integration/national/reconcile",
    "/api/v1/integration/national/reconcile",
    {"sysadmin"},  # the portal does not answer (its address refuses connections): the run records why
    json={"resend": True},
)
