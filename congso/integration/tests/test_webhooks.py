"""Webhook URLs inside the platform's network are refused in production settings (SSRF)."""

import pytest
from django.core.exceptions import PermissionDenied

from congso.core.errors import InvalidFields
from congso.integration import services, webhooks
from congso.integration.models import Subscriber

from .helpers import subscriber

pytestmark = pytest.mark.django_db

INSIDE = [
    "http://127.0.0.1:8000/hooks",
    "http://localhost/hooks",
    "http://api.localhost/hooks",
    "http://10.10.1.5/hooks",
    "http://192.168.1.20/hooks",
    "http://172.16.0.9/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://0.0.0.0/hooks",
    "http://100.64.0.1/hooks",
]


@pytest.mark.parametrize("url", INSIDE)
def test_private_addresses_are_refused_in_production(settings, url):
    settings.CONGSO_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(webhooks.UnsafeAddress):
        webhooks.check_url(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.vn/x", "javascript:alert(1)", "https://", "https://u:p@example.vn/"]
)
def test_only_plain_http_urls(url):
    with pytest.raises(webhooks.UnsafeAddress):
        webhooks.check_url(url)


def test_a_public_address_is_accepted(settings):
    settings.CONGSO_WEBHOOK_ALLOW_PRIVATE = False
    webhooks.check_url("https://8.8.8.8/hooks")


def test_registering_a_private_url_writes_nothing(settings, sysadmin):
    settings.CONGSO_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(InvalidFields) as refused:
        services.create_subscriber(
            sysadmin, {"name": "Hệ thống nội bộ", "url": "http://10.0.0.8/hooks", "event_types": ["*"]}
        )
    assert "nội bộ" in refused.value.errors["url"][0]
    assert not Subscriber.objects.exists()


def test_the_check_is_repeated_at_delivery(settings, receiver):
    """A subscriber registered while private addresses were allowed is not called once they are not."""
    sub = subscriber(receiver.url)
    settings.CONGSO_WEBHOOK_ALLOW_PRIVATE = False
    outcome = webhooks.send(sub, type("E", (), {})(), "x")
    assert not outcome.ok and "nội bộ" in outcome.error
    assert receiver.requests == []


def test_only_sysadmins_manage(staff):
    with pytest.raises(PermissionDenied) as refused:
        services.create_subscriber(
            staff["leader"], {"name": "X", "url": "https://8.8.8.8/", "event_types": ["*"]}
        )
    assert "quản trị hệ thống" in str(refused.value)
    assert not Subscriber.objects.exists()
