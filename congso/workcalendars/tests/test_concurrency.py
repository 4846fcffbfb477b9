"""Under real concurrency (PostgreSQL): one week never gets two working versions, an approval and an
entry added at the same moment never leave an entry in an approved version it was not approved with,
and two amendments of the same approved week make one new version."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from congso.core.errors import ServiceError
from congso.workcalendars import services
from congso.workcalendars.models import Entry, Status, Version, Week
from congso.workcalendars.testing import entry_data, next_monday

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DB_VENDOR != "postgresql", reason="row locks need PostgreSQL"),
]


def _run_together(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def runner(i):
        try:
            barrier.wait()
            value = work(i)
            with lock:
                results.append(value)
        except ServiceError as exc:
            with lock:
                errors.append(exc.code)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_opening_a_week_at_once_makes_one_draft(world):
    cal, clerical = world.calendars["leader"], world.users["province_clerical"]
    results, errors = _run_together(6, lambda i: services.open_week(cal.pk, next_monday(), by=clerical).pk)
    assert errors == [] and len(set(results)) == 1
    assert Week.objects.count() == 1 and Version.objects.count() == 1


def test_approve_and_add_at_once(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version = services.open_week(world.calendars["leader"].pk, next_monday(), by=clerical)
    services.add_entry(version.pk, entry_data(next_monday()), by=clerical)
    services.submit(version.pk, by=clerical)
    # the secretary adding to a submitted week is refused whatever the order; the approval counts once
    work = [
        lambda: services.approve(version.pk, by=leader),
        lambda: services.add_entry(version.pk, entry_data(next_monday(), content="Thêm"), by=clerical),
        lambda: services.approve(version.pk, by=leader),
    ]
    results, errors = _run_together(3, lambda i: work[i]())
    assert sorted(errors) == ["wrong_state", "wrong_state"] or sorted(errors) == [
        "transition_refused",
        "wrong_state",
    ]
    assert Entry.objects.count() == 1
    assert Version.objects.get().status == Status.APPROVED


def test_two_amendments_make_one_version(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version = services.open_week(world.calendars["leader"].pk, next_monday(), by=clerical)
    services.add_entry(version.pk, entry_data(next_monday()), by=clerical)
    services.submit(version.pk, by=clerical)
    services.approve(version.pk, by=leader)
    results, errors = _run_together(4, lambda i: services.amend(version.pk, by=clerical).number)
    assert results == [2] and len(errors) == 3
    assert Version.objects.count() == 2 and Entry.objects.count() == 2
