"""Data once: papers filed online are kept in the applicant's data store (once per content)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.accounts.services import grant_consent
from congso.core.audit import AuditEntry
from congso.datastore import services as datastore
from congso.datastore.models import PersonalDocument
from congso.dossiers.tests.conftest import pdf
from congso.portal import services

from .conftest import BIRTH_ANSWERS

CERTIFICATE = "Giấy chứng sinh"


def _file(actor, content, *, citizen_cccd="", reuse=None):
    draft = services.start_draft(
        actor, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd=citizen_cccd
    )
    services.update_draft(draft.pk, actor, fields=dict(BIRTH_ANSWERS))
    if reuse is not None:
        services.reuse_document(draft.pk, actor, component=CERTIFICATE, document_id=reuse.pk)
    else:
        services.stage_upload(
            draft.pk, actor, component=CERTIFICATE, file=SimpleUploadedFile("chung-sinh.pdf", content)
        )
    return services.submit_draft(draft.pk, actor)


def test_filed_papers_are_kept_for_next_time_once(citizen, profile, birth_form, pdf_bytes):
    dossier = _file(citizen, pdf_bytes)
    (kept,) = datastore.documents_for(citizen)
    assert (kept.source, kept.dossier, kept.title) == (PersonalDocument.Source.DOSSIER, dossier, CERTIFICATE)
    attachment = dossier.attachments.get(component=CERTIFICATE)
    assert kept.sha256 == attachment.sha256 and kept.file.read() == attachment.file.read()
    entry = AuditEntry.objects.get(action="datastore.store")
    assert entry.data["dossier"] == dossier.code and entry.actor_id == citizen.pk
    # the same file again, uploaded or reused from the store: not kept twice
    _file(citizen, pdf_bytes)
    _file(citizen, None, reuse=kept)
    assert datastore.documents_for(citizen).count() == 1
    # another file is kept too
    second = _file(citizen, pdf(2))
    assert datastore.documents_for(citizen).filter(dossier=second).count() == 1


def test_a_full_store_never_blocks_filing(citizen, profile, birth_form, pdf_bytes, settings):
    settings.CONGSO_DATASTORE_QUOTA_BYTES = 10
    dossier = _file(citizen, pdf_bytes)
    assert dossier.code and not datastore.documents_for(citizen).exists()
    skipped = AuditEntry.objects.get(action="datastore.store_skipped")
    assert skipped.data == {"reason": "quota", "components": [CERTIFICATE], "owner": citizen.pk}


def test_papers_filed_by_a_helper_go_to_the_citizen(citizen, profile, helper, birth_form, pdf_bytes):
    grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)
    dossier = _file(helper, pdf_bytes, citizen_cccd="052095001234")
    (kept,) = datastore.documents_for(citizen)
    assert kept.dossier == dossier and not datastore.documents_for(helper).exists()
    assert AuditEntry.objects.get(action="datastore.store").actor_id == helper.pk


def test_a_failed_filing_keeps_nothing(citizen, profile, birth_form, pdf_bytes):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.stage_upload(
        draft.pk, citizen, component=CERTIFICATE, file=SimpleUploadedFile("chung-sinh.pdf", pdf_bytes)
    )
    with pytest.raises(services.Incomplete):
        services.submit_draft(draft.pk, citizen)
    assert not PersonalDocument.objects.exists()
