"""The demo's links, payment IPN and return URLs follow the address it serves (issue 14)."""

import os

import pytest

from congso.core.management.commands.demo import _site_url_from_bind


@pytest.fixture
def no_site_url(settings, monkeypatch):
    settings.SITE_URL = "http://127.0.0.1:8000"  # restored after the test
    monkeypatch.setenv("CONGSO_SITE_URL", "")  # restored (removed) after the test
    monkeypatch.delenv("CONGSO_SITE_URL")
    return settings


def test_the_site_url_follows_the_bind_address(no_site_url, monkeypatch):
    _site_url_from_bind("127.0.0.1:8163")
    assert no_site_url.SITE_URL == "http://127.0.0.1:8163"
    assert os.environ["CONGSO_SITE_URL"] == "http://127.0.0.1:8163"  # the sandbox gateway inherits it
    monkeypatch.delenv("CONGSO_SITE_URL")
    _site_url_from_bind("0.0.0.0:9000")
    assert no_site_url.SITE_URL == "http://127.0.0.1:9000"


def test_an_explicit_site_url_wins(no_site_url, monkeypatch):
    monkeypatch.setenv("CONGSO_SITE_URL", "https://dichvucong.gialai.gov.vn")
    no_site_url.SITE_URL = "https://dichvucong.gialai.gov.vn"
    _site_url_from_bind("127.0.0.1:8163")
    assert no_site_url.SITE_URL == "https://dichvucong.gialai.gov.vn"
