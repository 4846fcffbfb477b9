"""Concurrent dossier changes on the same daily row, and a rebuild in the middle of them, leave the
facts exact (PostgreSQL: row locks, the upsert's atomic increments, the rebuild's table lock)."""

import threading

import pytest
from django.db import connection

from congso.scorecard import facts
from congso.scorecard.models import DailyFact

from .helpers import finish, receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_receipts_finishes_and_a_rebuild_keep_exact_figures(
    staff, agencies, procedure_version, applicant
):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")
    first = [receive(staff, agencies, procedure_version, applicant) for _ in range(4)]
    barrier = threading.Barrier(7)
    errors = []

    def receiver():
        try:
            barrier.wait()
            for _ in range(3):
                receive(staff, agencies, procedure_version, applicant)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def finisher(dossier):
        try:
            barrier.wait()
            finish(staff, dossier.pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def rebuilder():
        try:
            barrier.wait()
            facts.rebuild()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=receiver) for _ in range(2)]
    threads += [threading.Thread(target=finisher, args=(d,)) for d in first]
    threads.append(threading.Thread(target=rebuilder))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert facts.snapshot() == facts.expected_snapshot()
    totals = {
        m: sum(getattr(r, m) for r in DailyFact.objects.all()) for m in ("received", "finished", "on_time")
    }
    assert totals == {"received": 10, "finished": 4, "on_time": 4}
