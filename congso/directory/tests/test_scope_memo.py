"""Inside a ``core.memo`` scope the scope API answers from memberships read once, and gives exactly the
answers of its queries (the officials' menu relies on it: ADR 0146)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congso.core import memo
from congso.directory import scope
from congso.directory.models import Agency, Membership, Role
from congso.directory.testing import build_world

pytestmark = pytest.mark.django_db


def _answers(user, agencies):
    roles = list(Role.values)
    return (
        [(a.pk, r, scope.has_role(user, r, a)) for a in agencies for r in roles],
        [(a.pk, sorted(scope.roles_at(user, a))) for a in agencies],
        [(r, sorted(scope.agencies_for(user, r).values_list("pk", flat=True))) for r in [None, *roles]],
        [(r, scope.has_any_role(user, r)) for r in [None, *roles]],
        scope.is_sysadmin(user),
        scope.is_staff_member(user),
    )


def test_remembered_answers_equal_the_queries_for_every_user_role_and_agency(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    agencies = list(Agency.objects.all())
    some = next(iter(world.users.values()))
    # an expired membership and a sub-tree one make the rules matter
    Membership.objects.create(
        user=some, agency=agencies[0], role=Role.LEADER, valid_to=timezone.localdate() - dt.timedelta(days=1)
    )
    Membership.objects.create(user=some, agency=agencies[0], role=Role.IOC_VIEWER, include_subtree=True)
    for user in world.users.values():
        expected = _answers(user, agencies)
        with memo.scope():
            assert _answers(user, agencies) == expected, user.username


def test_memberships_are_read_once_per_scope(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    user = next(u for u in world.users.values() if Membership.objects.filter(user=u).exists())
    agencies = list(Agency.objects.all())
    with memo.scope(), CaptureQueriesContext(connection) as queries:
        for agency in agencies:
            scope.has_role(user, Role.CLERK, agency)
            scope.roles_at(user, agency)
        scope.is_sysadmin(user)
    membership_reads = [q for q in queries.captured_queries if "directory_membership" in q["sql"]]
    assert len(membership_reads) == 1


def test_outside_a_scope_nothing_is_remembered(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_world()
    user = get_user_model().objects.create_user(
        username="chuyenvien.moi", password="x", full_name="Rơ Châm Hiền"
    )
    agency = Agency.objects.first()
    assert not scope.has_role(user, Role.CLERK, agency)
    Membership.objects.create(user=user, agency=agency, role=Role.CLERK)
    assert scope.has_role(user, Role.CLERK, agency)
