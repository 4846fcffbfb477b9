import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from congso.core import permissions


def test_unknown_action_fails_closed():
    with pytest.raises(ImproperlyConfigured):
        permissions.can(AnonymousUser(), "khong.ton.tai")


def test_anonymous_is_refused_unless_rule_is_public():
    permissions._rules.pop("test.private", None)
    permissions._rules.pop("test.public", None)
    permissions.rule("test.private")(lambda user, obj: True)
    permissions.rule("test.public")(permissions.public(lambda user, obj: True))
    assert not permissions.can(AnonymousUser(), "test.private")
    assert permissions.can(AnonymousUser(), "test.public")
    with pytest.raises(PermissionDenied, match="không có quyền"):
        permissions.require(AnonymousUser(), "test.private")
