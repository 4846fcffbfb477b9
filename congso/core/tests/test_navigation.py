"""The account menu's links: contributed by apps through a registry, shown to whom their check allows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from congso.core.navigation import (
    AccountLink,
    WorkLink,
    account_links,
    landing_url,
    main_nav,
    visible_account_links,
    workspace,
    workspace_links,
)


@pytest.fixture
def extra_link():
    link = AccountLink("Trang chủ riêng", "core:home", lambda user: user.username == "can.bo.lan")
    account_links.register("test.home", link)
    yield link
    account_links.unregister("test.home")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_a_link_shows_to_whom_its_check_allows(extra_link):
    User = get_user_model()
    lan = User.objects.create_user("can.bo.lan", password="mat-khau-rat-dai-2026")
    other = User.objects.create_user("can.bo.hoa", password="mat-khau-rat-dai-2026")
    assert {"label": "Trang chủ riêng", "url": "/"} in visible_account_links(_request(lan))
    assert not any(link["label"] == "Trang chủ riêng" for link in visible_account_links(_request(other)))
    assert visible_account_links(_request(AnonymousUser())) == []


def test_a_link_to_a_page_that_does_not_exist_is_left_out():
    account_links.register("test.missing", AccountLink("Chưa có", "khong-co:trang", lambda user: True))
    try:
        assert not any(link["label"] == "Chưa có" for link in visible_account_links(_request(_Anyone())))
    finally:
        account_links.unregister("test.missing")


class _Anyone:
    is_authenticated = True
    username = "ai.do"


# --- the officials' workspace (ADR 0146) ------------------------------------------------------


def _entries(user):
    """A contributor registered by dotted path (as apps do in ready())."""
    if user.username != "can.bo.lan":
        return []
    return [
        WorkLink("Hồ sơ chờ", "/mot-cua/?box=receive", count=3, landing=10, order=10),
        WorkLink("Cấu hình", "/cau-hinh/", section="admin", order=5),
        WorkLink("Báo cáo", "/mot-cua/bao-cao/", landing=50, order=40),
    ]


@pytest.fixture
def contributed():
    workspace_links.register("test.entries", f"{__name__}._entries")
    yield
    workspace_links.unregister("test.entries")


@pytest.mark.django_db
def test_officials_get_their_workspace_menu_and_land_on_their_first_link(contributed):
    User = get_user_model()
    lan = User.objects.create_user("can.bo.lan", password="mat-khau-rat-dai-2026", kind="official")
    links = [
        link
        for link in workspace(lan)
        if link.url in ("/mot-cua/?box=receive", "/cau-hinh/", "/mot-cua/bao-cao/")
    ]
    assert [link.label for link in links] == ["Hồ sơ chờ", "Báo cáo", "Cấu hình"]  # work first, then admin
    assert landing_url(lan, links) == "/mot-cua/?box=receive"
    request = RequestFactory().get("/mot-cua/", {"box": "receive"})
    request.user = lan
    items = main_nav(request)
    current = [item["label"] for item in items if item["current"]]
    assert current == ["Hồ sơ chờ"]
    assert not any(item["label"] == "Nộp hồ sơ trực tuyến" for item in items)


@pytest.mark.django_db
def test_citizens_keep_the_portal_menu_and_land_on_the_home_page(contributed):
    User = get_user_model()
    an = User.objects.create_user("can.bo.lan", password="mat-khau-rat-dai-2026", kind="citizen")
    assert workspace(an) == []
    assert landing_url(an) == "/"
    items = main_nav(_request(an))
    assert any(item["label"] == "Trang chủ" for item in items)
    assert not any(item["label"] == "Hồ sơ chờ" for item in items)


@pytest.mark.django_db
def test_an_official_without_a_landing_link_lands_on_the_workspace_page(contributed):
    User = get_user_model()
    hoa = User.objects.create_user("can.bo.hoa", password="mat-khau-rat-dai-2026", kind="official")
    assert landing_url(hoa, []) == "/lam-viec/"


def _many(user):
    if user.username == "quan.tri.tuan":
        return [
            WorkLink("Cấu hình", "/cau-hinh/", section="admin"),
            WorkLink("Nhật ký", "/nhat-ky/", section="admin"),
        ]
    if user.username != "lanh.dao.minh":
        return []
    work = [WorkLink(f"Việc {n}", f"/viec-{n}/", order=n) for n in range(1, 10)]
    return [
        *work,
        WorkLink("Cấu hình", "/cau-hinh/", section="admin"),
        WorkLink("Nhật ký", "/nhat-ky/", section="admin"),
    ]


@pytest.fixture
def many():
    workspace_links.register("test.many", f"{__name__}._many")
    yield
    workspace_links.unregister("test.many")


@pytest.mark.django_db
def test_a_long_menu_folds_more_work_and_administration(many):
    User = get_user_model()
    minh = User.objects.create_user("lanh.dao.minh", password="mat-khau-rat-dai-2026", kind="official")
    request = RequestFactory().get("/viec-8/")
    request.user = minh
    items = [i for i in main_nav(request) if i.get("group") or i["url"].startswith("/viec-")]
    row = [i["label"] for i in items if not i.get("group")]
    assert row == [f"Việc {n}" for n in range(1, 6)]
    more, admin = [i for i in items if i.get("group")]
    assert str(more["label"]) == "Thêm" and [i["label"] for i in more["items"]][:4] == [
        "Việc 6",
        "Việc 7",
        "Việc 8",
        "Việc 9",
    ]
    assert more["current"] and not admin["current"]  # the page shown is inside the fold: its summary says so
    assert str(admin["label"]) == "Quản trị" and [i["label"] for i in admin["items"]][-2:] == [
        "Cấu hình",
        "Nhật ký",
    ]


@pytest.mark.django_db
def test_a_short_menu_stays_in_one_row(many):
    User = get_user_model()
    tuan = User.objects.create_user("quan.tri.tuan", password="mat-khau-rat-dai-2026", kind="official")
    request = RequestFactory().get("/cau-hinh/")
    request.user = tuan
    items = main_nav(request)
    assert not any(i.get("group") for i in items), items
    assert [i["label"] for i in items if i["url"] in ("/cau-hinh/", "/nhat-ky/")] == ["Cấu hình", "Nhật ký"]


@pytest.mark.django_db
def test_an_administrator_keeps_administration_in_the_row(many):
    User = get_user_model()
    tuan = User.objects.create_user("quan.tri.tuan", password="mat-khau-rat-dai-2026", kind="official")
    extra = [WorkLink(f"Quản trị {n}", f"/quan-tri-{n}/", section="admin", order=n) for n in range(8)]
    workspace_links.register("test.admin", lambda user: extra if user.username == "quan.tri.tuan" else [])
    try:
        request = RequestFactory().get("/quan-tri-1/")
        request.user = tuan
        items = main_nav(request)
    finally:
        workspace_links.unregister("test.admin")
    groups = {str(i["label"]): i for i in items if i.get("group")}
    assert set(groups) == {"Thêm", "Công việc"}
    assert all(i["section"] == "admin" for i in items if not i.get("group"))
    assert [i["label"] for i in items if not i.get("group")][0] == "Quản trị 0"
    assert any(i["current"] for i in items if not i.get("group"))
