"""Race on PostgreSQL: two submits of one draft at the same moment make exactly one dossier."""

import threading

import pytest
from django.db import connection

from congso.dossiers.models import Dossier
from congso.portal import services
from congso.portal.models import Draft

from .test_services import ready_draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_submits_of_one_draft_make_one_dossier(citizen, profile, birth_form, pdf_bytes):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")
    draft = ready_draft(citizen, pdf_bytes)
    barrier = threading.Barrier(2)
    codes, errors = [], []

    def worker(key):
        try:
            barrier.wait()
            codes.append(services.submit_draft(draft.pk, citizen, key).code)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in ("click-1", "click-2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(codes) == 2 and codes[0] == codes[1]
    assert Dossier.objects.count() == 1
    assert Draft.objects.get(pk=draft.pk).dossier.code == codes[0]
