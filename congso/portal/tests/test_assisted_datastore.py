"""A community helper sees and reuses the citizen's papers only under the citizen's active consent,
re-checked and audited every time (datastore.documents_for_filing / get_for_filing)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congso.accounts.models import AssistanceConsent
from congso.accounts.services import grant_consent, revoke_consent
from congso.core.audit import AuditEntry
from congso.datastore import services as datastore
from congso.datastore.models import DocumentReuse
from congso.dossiers.models import Dossier
from congso.portal import services

from .conftest import BIRTH_ANSWERS

PAPER = "Giấy chứng sinh của bé Khang"


@pytest.fixture
def stored(citizen, profile, pdf_bytes):
    return datastore.store(citizen, SimpleUploadedFile("chung-sinh.pdf", pdf_bytes), title=PAPER)


@pytest.fixture
def consent(citizen, helper):
    return grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)


@pytest.fixture
def helper_draft(helper, profile, consent, birth_form):
    draft = services.start_draft(
        helper, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd="052095001234"
    )
    services.update_draft(draft.pk, helper, fields=dict(BIRTH_ANSWERS))
    return draft


@pytest.fixture
def helper_client(helper):
    client = Client()
    client.force_login(helper)
    return client


def _uploads_url(draft):
    return f"/dich-vu-cong/ho-so-nhap/{draft.pk}/tai-lieu/"


def test_helper_with_consent_sees_and_reuses_the_citizen_papers(helper, helper_client, helper_draft, stored):
    html = helper_client.get(_uploads_url(helper_draft)).content.decode()
    assert PAPER in html
    listed = AuditEntry.objects.get(action="datastore.listed_for_filing")
    assert listed.actor_id == helper.pk and listed.data["purpose"] == "1.001193"
    services.reuse_document(helper_draft.pk, helper, component="Giấy chứng sinh", document_id=stored.pk)
    read = AuditEntry.objects.get(action="datastore.read_for_filing")
    assert read.actor_id == helper.pk and read.object_id == str(stored.pk)
    dossier = services.submit_draft(helper_draft.pk, helper)
    assert DocumentReuse.objects.get().dossier == dossier


def test_after_revocation_the_helper_sees_nothing_and_cannot_reuse(
    citizen, helper, helper_client, helper_draft, stored, consent
):
    helper_client.get(_uploads_url(helper_draft))  # while consented: listed
    services.reuse_document(helper_draft.pk, helper, component="Giấy chứng sinh", document_id=stored.pk)
    revoke_consent(citizen, AssistanceConsent.objects.get(pk=consent.pk))
    audits = AuditEntry.objects.filter(action__startswith="datastore.").count()

    html = helper_client.get(_uploads_url(helper_draft)).content.decode()
    assert PAPER not in html and 'id="store-closed"' in html
    with pytest.raises(services.ConsentMissing):
        services.reuse_document(helper_draft.pk, helper, component="Giấy chứng sinh", document_id=stored.pk)
    with pytest.raises(services.ConsentMissing):
        services.reusable_documents(helper_draft, helper)
    response = helper_client.post(
        _uploads_url(helper_draft),
        {"action": "reuse", "component": "Giấy chứng sinh", "document": str(stored.pk)},
    )
    assert PAPER not in response.content.decode()
    api = f"/api/v1/portal/drafts/{helper_draft.pk}"
    assert helper_client.get(f"{api}/documents").status_code == 403
    reuse = helper_client.post(
        f"{api}/reuse",
        data=json.dumps({"component": "Giấy chứng sinh", "document_id": str(stored.pk)}),
        content_type="application/json",
    )
    assert reuse.status_code == 403 and reuse.json()["code"] == "consent_required"
    with pytest.raises(services.ConsentMissing):  # the paper staged earlier cannot be filed either
        services.submit_draft(helper_draft.pk, helper)
    assert Dossier.objects.count() == 0 and DocumentReuse.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="datastore.").count() == audits  # no read happened


def test_the_citizen_lists_their_own_papers_without_a_consent_entry(
    citizen_client, citizen, birth_form, stored
):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    assert PAPER in citizen_client.get(_uploads_url(draft)).content.decode()
    body = citizen_client.get(f"/api/v1/portal/drafts/{draft.pk}/documents").json()
    assert [d["title"] for d in body] == [PAPER]
    assert not AuditEntry.objects.filter(action="datastore.listed_for_filing").exists()


def test_another_person_cannot_list_a_draft_papers(other_citizen, birth_form, citizen, profile, stored):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    client = Client()
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/portal/drafts/{draft.pk}/documents").status_code == 404
