"""Two ratings of the same dossier at the same moment: one is kept, the other is refused (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from congso.core.errors import Conflict
from congso.ratings import services
from congso.ratings.models import Rating

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_ratings_create_one(citizen, finished, answers):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            verdict = ("satisfied", "normal", "dissatisfied", "satisfied")[i]
            results.append(
                services.rate(finished.code, actor=citizen, answers={**answers, "overall": verdict})
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(e, Conflict) and e.code == "already_rated" for e in errors), errors
    assert Rating.objects.count() == 1
