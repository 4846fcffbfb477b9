"""The permission matrix's declarations for Wagtail portals (sites), notifications to a person, the
feedback map and the National Public Service Portal's sync (see ``test_api_matrix``)."""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401
from .world_portals import NATIONAL_FILING, NATIONAL_HEADERS

# --- sites: the portals' published pages are open data (ADR 0166); editing is Wagtail's, at /cms/ ---
op("GET /api/v1/sites/portals", "/api/v1/sites/portals", ALL)
op("GET /api/v1/sites/pages", "/api/v1/sites/pages?portal={portal}", ALL)
op("GET /api/v1/sites/search", "/api/v1/sites/search?q=lich%20tiep%20cong%20dan&portal={portal}", ALL)

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
