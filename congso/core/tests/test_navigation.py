"""The account menu's links: contributed by apps through a registry, shown to whom their check allows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from congso.core.navigation import AccountLink, account_links, visible_account_links


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
