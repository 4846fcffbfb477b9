"""A filing that fails after writing its files leaves none behind (issue 15, ADR 0141).

Real transactions (not the test's enclosing one): the rollback is the database's, on SQLite and on
PostgreSQL (DATABASE_URL=postgres://...)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core import audit
from congso.datastore.models import PersonalDocument
from congso.dossiers.models import Attachment, Dossier
from congso.portal import services
from congso.portal.models import DraftUpload

from .test_services import fill

pytestmark = pytest.mark.django_db(transaction=True)


class PowerCut(Exception):
    pass


def _stored() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _referenced() -> set[str]:
    names = set()
    for model in (DraftUpload, Attachment, PersonalDocument):
        names |= {n for n in model.objects.values_list("file", flat=True) if n}
    return names


def _draft(citizen, pdf_bytes):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    fill(draft, citizen)
    services.stage_upload(
        draft.pk, citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("chung-sinh.pdf", pdf_bytes)
    )
    return draft


def test_stage_upload_that_fails_after_writing_leaves_no_file(
    citizen, profile, birth_form, pdf_bytes, monkeypatch
):
    draft = _draft(citizen, pdf_bytes)
    before = _stored()
    assert before == _referenced() and len(before) == 1

    def failing_record(*args, **kwargs):
        raise PowerCut

    monkeypatch.setattr(audit, "record_many", failing_record)
    with pytest.raises(PowerCut):
        services.stage_upload(
            draft.pk, citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("lan-2.pdf", pdf_bytes)
        )
    assert _stored() == before  # the new file is gone, the earlier one (still named by its row) stays


def test_submission_that_fails_late_leaves_no_attachment_or_kept_copy(
    citizen, profile, birth_form, pdf_bytes, monkeypatch
):
    """The dossier's attachment is written (and kept in the data store), then the filing fails."""
    draft = _draft(citizen, pdf_bytes)
    staged = _stored()
    real_keep = services.keep_filed
    written = []

    def keep_then_fail(*args, **kwargs):
        real_keep(*args, **kwargs)
        written.extend(_stored() - staged)
        raise PowerCut

    monkeypatch.setattr(services, "keep_filed", keep_then_fail)
    with pytest.raises(PowerCut):
        services.submit_draft(draft.pk, citizen, "khoa-1")
    assert len(written) == 1 and written[0].startswith("dossiers/")  # the attachment was on disk
    assert Dossier.objects.count() == 0
    assert _stored() == staged == _referenced()

    monkeypatch.undo()  # the citizen tries again: filed, and every stored file is named by a row
    dossier = services.submit_draft(draft.pk, citizen, "khoa-1")
    assert dossier.code
    assert _stored() == _referenced() and len(_stored()) == 1  # the staged file was let go
