"""Races on PostgreSQL: values entered at the same moment, and a value entered while the round closes."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from congso.evaluations import services
from congso.evaluations.models import Entry, Result, Round
from congso.evaluations.testing import build_evaluation_world, leaf, pdf_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def worker(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_values_of_one_indicator_make_one_entry():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")
    ew = build_evaluation_world()
    round_ = services.open_round(ew.users["evaluator"], ew.framework, year=2025)
    justice, c11 = ew.agencies["justice"], leaf(ew.framework, "1.1")

    def submit(user, value):
        return lambda: services.submit_value(
            user,
            round_,
            justice,
            c11,
            value=value,
            note="x",
            evidence=SimpleUploadedFile("a.pdf", pdf_bytes()),
        )

    results, errors = _race(submit(ew.users["agency_admin"], "8"), submit(ew.users["leader"], "9"))
    assert not errors and len(results) == 2
    entry = Entry.objects.get(round=round_, unit=justice, criterion=c11)
    assert entry.value in (8, 9)


def test_a_review_racing_the_close_never_leaves_a_value_unreviewed_in_a_closed_round():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")
    ew = build_evaluation_world()
    round_ = services.open_round(ew.users["evaluator"], ew.framework, year=2025)
    justice, c11 = ew.agencies["justice"], leaf(ew.framework, "1.1")
    entry = services.submit_value(
        ew.users["agency_admin"],
        round_,
        justice,
        c11,
        value="9",
        note="x",
        evidence=SimpleUploadedFile("a.pdf", pdf_bytes()),
    )
    services.start_review(ew.users["evaluator"], round_)
    closing = Round.objects.get(pk=round_.pk)
    results, errors = _race(
        lambda: services.close_round(ew.users["evaluator"], closing),
        lambda: services.review_value(ew.users["evaluator"], entry, action="accept"),
    )
    state = Round.objects.get(pk=round_.pk).state
    entry.refresh_from_db()
    if state == Round.State.CLOSED:  # the review came first
        assert not errors and entry.status == Entry.Status.ACCEPTED
        assert Result.objects.get(round=round_, unit=justice).total == 9
    else:  # the close came first and was refused: a value was waiting
        assert [e.code for e in errors] == ["pending_review"] and entry.status == Entry.Status.ACCEPTED
