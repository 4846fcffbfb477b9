"""`congso portal purge-drafts`: expired unsubmitted drafts and their staged files are deleted, audited."""

import datetime as dt
import io
import os

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from congso.core.audit import AuditEntry
from congso.portal import services
from congso.portal.models import Draft, DraftUpload

from .test_services import ready_draft


def _expire(draft, days=1):
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(days=days))


def test_purge_deletes_expired_drafts_and_their_files(
    citizen, profile, other_citizen, birth_form, pdf_bytes, django_capture_on_commit_callbacks
):
    expired = ready_draft(citizen, pdf_bytes)
    upload = DraftUpload.objects.get(draft=expired)
    storage = upload.file.storage
    stray = storage.save(
        f"portal/drafts/{expired.pk}/stray.pdf", ContentFile(pdf_bytes)
    )  # a failed request's file
    _expire(expired)
    current = services.start_draft(other_citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.stage_upload(
        current.pk, other_citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("a.pdf", pdf_bytes)
    )
    filed = ready_draft(citizen, pdf_bytes)
    dossier = services.submit_draft(filed.pk, citizen)
    _expire(filed, days=40)  # submitted: kept (it carries the dossier and its idempotency key)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired() == 1
    assert not Draft.objects.filter(pk=expired.pk).exists()
    assert not DraftUpload.objects.filter(draft_id=expired.pk).exists()
    assert not storage.exists(upload.file.name) and not storage.exists(stray)
    assert not os.path.exists(storage.path(f"portal/drafts/{expired.pk}"))
    assert Draft.objects.filter(pk=current.pk).exists() and DraftUpload.objects.filter(draft=current).exists()
    assert Draft.objects.get(pk=filed.pk).dossier == dossier
    (entry,) = AuditEntry.objects.filter(action="portal.draft.purge")
    assert entry.object_id == str(expired.pk) and entry.actor_id is None
    assert (
        entry.data["owner"] == citizen.pk
        and entry.data["files"] == 1
        and entry.data["procedure"] == "1.001193"
    )
    assert services.purge_expired() == 0


def test_purge_command(citizen, profile, birth_form, django_capture_on_commit_callbacks):
    drafts = [
        services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575") for _ in range(3)
    ]
    for draft in drafts:
        _expire(draft)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("portal", "purge-drafts", "--batch", "2", stdout=out)
    assert "Đã xoá 3 hồ sơ nháp hết hạn." in out.getvalue()
    assert not Draft.objects.exists()
    assert AuditEntry.objects.filter(action="portal.draft.purge").count() == 3


def test_a_purged_draft_is_gone_for_its_owner(citizen_client, citizen, birth_form):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    _expire(draft)
    assert (
        citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/").status_code == 410
    )  # expired, not yet purged
    services.purge_expired()
    assert citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/").status_code == 404
