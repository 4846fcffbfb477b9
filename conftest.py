"""Project-wide test fixtures: isolated media storage and the browser (Playwright + Debian Chromium)."""

import os
import shutil

import pytest
from django.conf import settings as django_settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse
# database access from it. The live server runs in its own thread, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CONGSO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The working-day calendar caches per process; each test starts from its own database state."""
    # local import: the project's modules can be imported only once pytest-django has set Django up
    from congso.calendar import cache

    cache.invalidate()
    yield
    cache.invalidate()


# Rows that data migrations seed (the Decree 30 document types, the Decision 766 items). A transactional
# test (live_server, transaction=True) ends with a flush that empties every table, so the tests after it
# in the same worker would find none: they are seeded again, by the migrations' own functions.
DATA_SEEDS = (
    ("congso.documents.migrations.0002_seed_document_types", "seed", "documents.DocumentType"),
    ("congso.scorecard.migrations.0002_decision_766_items", "seed", "scorecard.IndexItem"),
    ("congso.meetings.migrations.0002_seed_meeting_types", "seed", "meetings.MeetingType"),
    ("congso.feedback.migrations.0004_scorecard_index_items", "forwards", None),
    ("congso.inforequests.migrations.0002_seed_legal_data", "seed", "inforequests.RefusalGround"),
    ("congso.sites.tests.wagtail_seed", "seed", "wagtailcore.Locale"),
)


@pytest.fixture(autouse=True)
def _seeded_rows(request, django_db_blocker):
    """Before a test that uses the database: the migrations' seed rows, put back if a flush removed them."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if uses_db:
        # local import: the project's modules can be imported only once pytest-django has set Django up
        import importlib

        from django.apps import apps

        with django_db_blocker.unblock():
            if not all(apps.get_model(model).objects.exists() for _m, _f, model in DATA_SEEDS if model):
                for module, function, _model in DATA_SEEDS:
                    getattr(importlib.import_module(module), function)(apps, None)
    yield


@pytest.fixture(autouse=True, scope="session")
def _queue_open_every_hour():
    """Queue tickets are refused outside office hours (counters.services.check_open); tests that take a
    ticket run on any day at any hour, CI on a Sunday included. counters/tests/test_opening.py turns the
    hours back on (the ``settings`` fixture restores this afterwards). Session-wide, so that worlds built
    once per module get it too."""
    django_settings.CONGSO_QUEUE_OFFICE_HOURS_ONLY = False


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Argon2 (the production hasher, settings.PASSWORD_HASHERS) costs 0.1–0.3 s a password on CI's
    2 cores, and tests create and sign in many users (build_world alone makes thirteen). Tests hash with
    MD5; the production list is checked, and Argon2 itself exercised, in accounts/tests/test_login.py
    (``settings.PASSWORD_HASHERS`` set back there). override_settings, not an assignment: Django caches
    its hashers and clears them on the setting_changed signal."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Every test starts in Vietnamese: LocaleMiddleware leaves the last request's language active."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "congso.core.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CONGSO_SMS_BACKEND = "congso.notifications.sms.LocmemBackend"  # like mail.outbox


def _chromium_or_skip():
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path:
        return path
    message = f"Browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)."
    if os.environ.get("CONGSO_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " CONGSO_REQUIRE_BROWSER=1 makes them mandatory.")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


PHONE_WIDTH = 390  # the guide's phone: a citizen's browser 390 CSS pixels wide


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        locale="vi-VN",
        base_url=live_server.url,
        viewport={"width": PHONE_WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def axe():
    """Run axe-core on the current page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page, context: str = ""):
        # A click on a link returns once the navigation has started, not once the next page is in:
        # axe run in between finds no document ("reading 'documentElement'") or a destroyed context.
        # Wait for the page to load, and run again on the page that replaced it.
        from playwright.sync_api import Error as PlaywrightError

        for attempt in range(4):
            page.wait_for_load_state()
            try:
                results = checker.run(page)
                break
            except PlaywrightError as error:
                navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
                if not navigating or attempt == 3:
                    raise
                page.wait_for_timeout(250)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        summary = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad
        )
        assert not bad, f"axe-core found serious/critical violations on {context or page.url}:\n{summary}"
        return results

    return check


@pytest.fixture
def working_morning():
    """A clock that starts on a Friday morning in Vietnam (2026-11-20 09:00, UTC+7) and runs.

    For a browser test about things that belong to one day (queue tickets, a day's payments): a run
    that crosses midnight in Vietnam (17:00 UTC) would otherwise see yesterday's data vanish, as the
    product should. The live server runs in this process, so it sees the same clock; a second process
    (the payment sandbox) would not, so such a test cannot use it."""
    import datetime

    import time_machine

    vietnam = datetime.timezone(datetime.timedelta(hours=7))
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=vietnam), tick=True):
        yield


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client, but past TOTP as every official must be (django-otp)."""
    from django.test import Client

    from congso.directory.testing import login_verified

    client = Client()
    login_verified(client, admin_user)
    return client
