"""Every role against every protected page and API endpoint of directory and accounts (here, in accounts,
since it needs citizens and helpers).

Each row names the roles that may pass; every other role must be refused (403 for a signed-in
user, a redirect to sign-in or 401 for an anonymous visitor). Officials are TOTP-verified here;
the unverified case is covered in accounts/tests/test_login.py.
"""

import json

import pytest

from congso.directory import demo_codes as dc
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "helper",
    "clerk",
    "officer",
    "leader",
    "clerical",
    "agency_admin",
    "commune_admin",
    "ioc_viewer",
    "sysadmin",
]
CASE_ROLES = {"clerk", "officer", "leader", "sysadmin"}
STATS_ROLES = {"ioc_viewer", "leader", "agency_admin", "commune_admin", "sysadmin"}

# (name, method, url, body, allowed roles)
MATRIX = [
    ("manage agencies", "get", "/co-quan/quan-ly/", None, {"agency_admin", "commune_admin", "sysadmin"}),
    (
        "commune committee of the admin",
        "get",
        f"/co-quan/quan-ly/{dc.commune_pc('23764')}/",
        None,
        {"commune_admin", "sysadmin"},
    ),
    (
        "community team members",
        "get",
        "/tai-khoan/ho-tro-cong-dong/thanh-vien/",
        None,
        {"agency_admin", "commune_admin", "sysadmin"},
    ),
    (
        "API add team member",
        "post",
        "/api/v1/accounts/teams/{team}/helpers",
        {"username": "congdan.an"},
        {"commune_admin", "sysadmin"},
    ),
    (
        "API create team",
        "post",
        "/api/v1/accounts/teams",
        {
            "name": "Tổ công nghệ số cộng đồng làng Dốc Lăng",
            "commune_code": "23764",
            "agency_code": dc.commune_pc("23764"),
        },
        {"commune_admin", "sysadmin"},
    ),
    ("own department", "get", f"/co-quan/quan-ly/{dc.DEPT_JUSTICE}/", None, {"agency_admin", "sysadmin"}),
    (
        "own sub-division",
        "get",
        f"/co-quan/quan-ly/{dc.DEPT_JUSTICE_CIVIL}/",
        None,
        {"agency_admin", "sysadmin"},
    ),
    ("another department", "get", f"/co-quan/quan-ly/{dc.DEPT_CONSTRUCTION}/", None, {"sysadmin"}),
    ("commune committee", "get", f"/co-quan/quan-ly/{dc.commune_pc('23575')}/", None, {"sysadmin"}),
    ("new top-level agency", "get", "/co-quan/quan-ly/them/", None, {"sysadmin"}),
    (
        "new division",
        "get",
        f"/co-quan/quan-ly/them/?cap-tren={dc.DEPT_JUSTICE}",
        None,
        {"agency_admin", "sysadmin"},
    ),
    (
        "new official",
        "get",
        f"/co-quan/quan-ly/{dc.DEPT_JUSTICE}/can-bo-moi/",
        None,
        {"agency_admin", "sysadmin"},
    ),
    (
        "grant role",
        "post",
        f"/co-quan/quan-ly/{dc.DEPT_JUSTICE}/phan-cong/",
        {"username": "vanthu.tuphap", "role": "officer"},
        {"agency_admin", "sysadmin"},
    ),
    (
        "grant role elsewhere",
        "post",
        f"/co-quan/quan-ly/{dc.DEPT_CONSTRUCTION}/phan-cong/",
        {"username": "vanthu.tuphap", "role": "officer"},
        {"sysadmin"},
    ),
    ("historical unit", "get", "/co-quan/don-vi-hanh-chinh/them/", None, {"sysadmin"}),
    # officials only through a dossier or consent that links them (issue 15; dossiers' tests)
    ("citizen profile", "get", "/tai-khoan/cong-dan/{citizen}/", None, {"citizen", "sysadmin"}),
    ("paper consent", "get", "/tai-khoan/uy-quyen-ho-tro/giay/", None, {"clerk"}),
    ("assistance statistics", "get", "/tai-khoan/ho-tro-cong-dong/thong-ke/", None, STATS_ROLES),
    ("system admin site", "get", "/quan-tri-he-thong/", None, {"sysadmin"}),
    (
        "API staff list",
        "get",
        f"/api/v1/directory/agencies/{dc.DEPT_JUSTICE}/staff",
        None,
        {"agency_admin", "leader", "sysadmin"},
    ),
    (
        "API staff list elsewhere",
        "get",
        f"/api/v1/directory/agencies/{dc.DEPT_CONSTRUCTION}/staff",
        None,
        {"sysadmin"},
    ),
    (
        "API create top-level agency",
        "post",
        "/api/v1/directory/agencies",
        {
            "code": "000.00.40.H21",
            "name": "Sở Nội vụ tỉnh Gia Lai",
            "kind": "department",
            "unit_code": "52",
            "parent_code": None,
        },
        {"sysadmin"},
    ),
    (
        "API create division",
        "post",
        "/api/v1/directory/agencies",
        {
            "code": "000.12.05.H21",
            "name": "Phòng Bổ trợ tư pháp",
            "kind": "division",
            "unit_code": "52",
            "parent_code": dc.DEPT_JUSTICE,
        },
        {"agency_admin", "sysadmin"},
    ),
    (
        "API edit department",
        "patch",
        f"/api/v1/directory/agencies/{dc.DEPT_JUSTICE}",
        {"phone": "0269 3824 567"},
        {"agency_admin", "sysadmin"},
    ),
    (
        "API edit another department",
        "patch",
        f"/api/v1/directory/agencies/{dc.DEPT_CONSTRUCTION}",
        {"phone": "0269 3824 999"},
        {"sysadmin"},
    ),
    (
        "API grant role",
        "post",
        f"/api/v1/directory/agencies/{dc.DEPT_JUSTICE}/staff",
        {"username": "vanthu.tuphap", "role": "officer"},
        {"agency_admin", "sysadmin"},
    ),
    (
        "API historical unit",
        "post",
        "/api/v1/directory/units",
        {
            "code": "622",
            "name": "Thành phố Pleiku",
            "kind": "district",
            "level": 2,
            "valid_from": "1999-01-01",
            "valid_to": "2025-07-01",
        },
        {"sysadmin"},
    ),
    ("API citizen profile", "get", "/api/v1/accounts/citizens/{citizen}", None, {"citizen", "sysadmin"}),
    ("API assistance statistics", "get", "/api/v1/accounts/assistance/stats", None, STATS_ROLES),
]

OK = {"get": 200, "post": (200, 201, 302), "patch": 200}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, url, body, allowed", MATRIX, ids=[row[0] for row in MATRIX])
def test_permission_matrix(client, world, role, name, method, url, body, allowed):
    if role != "anonymous":
        login_verified(client, world.users[role])
    url = url.format(citizen=world.users["citizen"].pk, team=world.agencies["team"].pk)
    api = url.startswith("/api/")
    kwargs = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if api else {"data": body}
    admin_site = url.startswith("/quan-tri-he-thong/")
    response = getattr(client, method)(url, follow=admin_site, **kwargs)
    status = response.status_code
    if role in allowed:
        expected = OK[method]
        assert status in (expected if isinstance(expected, tuple) else (expected,)), (name, role, status)
        if not api and method == "post":
            assert "Bạn không có quyền" not in response.content.decode()
    elif role == "anonymous":
        if admin_site:
            assert response.redirect_chain[-1][0].startswith("/tai-khoan/dang-nhap/")
        else:
            assert status in ((401,) if api else (302,)), (name, role, status)
            if not api:
                assert "/tai-khoan/dang-nhap/" in response["Location"]
    else:
        assert status == 403, (name, role, status)
