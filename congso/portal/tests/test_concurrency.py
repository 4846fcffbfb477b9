"""Race on PostgreSQL: two submits of one draft at the same moment make exactly one dossier."""

import threading

import pytest
from django.db import connection

from congso.dossiers.models import Dossier, DossierCodeSequence
from congso.portal import services
from congso.portal.models import Draft

from .test_api import BIRTH_ANSWERS
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


def test_two_concurrent_one_shot_filings_with_one_key_make_one_dossier(
    citizen, profile, birth_form, pdf_bytes
):
    """A kiosk that sends the same request twice at once (same Idempotency-Key): one dossier, one code;
    the second waits on the key's unique index and returns the first's dossier."""
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")
    applicant = {
        "name": "Nguyễn Thị Lan",
        "id_number": "052095001234",
        "phone": "0905123456",
        "address": "12 Trần Hưng Đạo, phường Pleiku",
    }
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            dossier, filed_now = services.submit_once(
                citizen,
                procedure_code=birth_form.procedure.code,
                agency_code="H21.23575",  # the ward offering it online (as in test_api)
                applicant=applicant,
                fields=json.loads(json.dumps(BIRTH_ANSWERS)),
                files=[("c1", SimpleUploadedFile("giay-chung-sinh.pdf", pdf_bytes, "application/pdf"))],
                idempotency_key="kiosk-double-send-01",
            )
            results.append((dossier.code, filed_now))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 2 and results[0][0] == results[1][0]
    assert sorted(filed for _code, filed in results) == [False, True]
    assert Dossier.objects.count() == 1 and Draft.objects.count() == 1
    assert DossierCodeSequence.objects.get().last_value == 1  # the loser's code number rolled back
