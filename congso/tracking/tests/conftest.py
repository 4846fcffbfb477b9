"""Fixtures: the dossiers app's Gia Lai world (a ward of Pleiku, its staff, a birth registration),
a citizen with a dossier, a community helper who filed one for her with consent, and a stranger."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from congso.accounts.models import AssistanceConsent, CommunityHelper, CommunityTeam, User
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel
from congso.dossiers.services import Applicant
from congso.dossiers.tests.conftest import *  # noqa: F403
from congso.dossiers.tests.conftest import pdf  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 at production cost makes every fixture user take seconds on a shared machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stranger(db):
    return User.objects.create_user(
        "cd.binh", password="Mat-khau-dai-2026!", full_name="Trần Thị Bình", kind="citizen"
    )


@pytest.fixture
def helper(db, agencies):
    user = User.objects.create_user(
        "tcns.dung", password="Mat-khau-dai-2026!", full_name="Rah Lan Dũng", kind="citizen"
    )
    team = CommunityTeam.objects.create(
        name="Tổ công nghệ số cộng đồng phường Pleiku",
        commune=agencies["ward"].unit,
        agency=agencies["ward"],
    )
    CommunityHelper.objects.create(team=team, user=user)
    return user


@pytest.fixture
def consent(helper, citizen):
    team = CommunityTeam.objects.get()
    return AssistanceConsent.objects.create(
        citizen=citizen,
        helper=helper,
        team=team,
        purpose="Đăng ký khai sinh cho con",
        procedure_code="1.001193",
        method=AssistanceConsent.Method.ONLINE,
        recorded_by=citizen,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


@pytest.fixture
def received(staff, agencies, procedure_version, applicant, components):
    """Nguyễn Văn An's birth registration, accepted at the ward's counter."""
    return dossier_services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=components,
        accept_now=True,
    )


@pytest.fixture
def assisted(staff, agencies, procedure_version, citizen, helper, consent):
    """A dossier the helper filed online for Nguyễn Văn An, under her consent."""
    return dossier_services.receive(
        actor=helper,
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.ONLINE,
        applicant=Applicant(name="Nguyễn Văn An", id_number="052095001234", phone="0905123456", user=citizen),
        assisted_by=helper,
    )


@pytest.fixture
def in_supplement(received, staff):
    return dossier_services.request_supplement(
        received.pk,
        actor=staff["officer"],
        reason="Giấy chứng sinh bị mờ, không đọc được số.",
        missing=["Giấy chứng sinh (bản rõ nét)"],
    )
