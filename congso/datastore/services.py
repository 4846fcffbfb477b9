"""Use cases of the personal data store. Each runs in one transaction with its audit entry.

The contract other apps rely on:

- ``documents_for(user)`` — the owner's live papers, newest first;
- ``get_owned(user, document_id)`` — one of them, or NotFound (never another person's);
- ``store(owner, upload, title=…, source=…, dossier=…, actor=…)`` — check (core.uploads) and keep a file;
- ``store_checked(owner, checked, …)`` — keep a file already checked by ``core.uploads.inspect_upload``;
- ``as_upload(document, component)`` — a ``dossiers.services.Upload`` to file it again;
- ``record_reuse(document, dossier, component, actor)`` — note that a paper went into a dossier;
- ``remove(user, document_id)`` — the owner removes a paper from their store (kept if reused).
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import NotFound, ServiceError
from congso.core.uploads import CheckedFile, inspect_upload

from .models import DocumentReuse, PersonalDocument


def documents_for(user):
    if not getattr(user, "is_authenticated", False):
        return PersonalDocument.objects.none()
    return PersonalDocument.objects.filter(owner=user, deleted_at__isnull=True)


def get_owned(user, document_id) -> PersonalDocument:
    try:
        uuid.UUID(str(document_id))
        return documents_for(user).get(pk=document_id)
    except (ValueError, PersonalDocument.DoesNotExist):
        raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu của bạn.")) from None


def store_checked(
    owner,
    checked: CheckedFile,
    *,
    title: str,
    source: str = PersonalDocument.Source.UPLOAD,
    dossier=None,
    issued_number: str = "",
    actor=None,
) -> PersonalDocument:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Cần nhập tên giấy tờ."), field="title")
    if source not in PersonalDocument.Source.values:
        raise ServiceError(_("Nguồn giấy tờ không hợp lệ."), field="source")
    with transaction.atomic():
        existing = documents_for(owner).filter(sha256=checked.sha256, title=title[:500]).first()
        if existing:  # the same paper under the same name is kept once
            return existing
        document = PersonalDocument(
            owner=owner,
            title=title[:500],
            source=source,
            original_name=checked.original_name[:255],
            kind=checked.kind,
            extension=checked.extension,
            size=checked.size,
            sha256=checked.sha256,
            dossier=dossier,
            issued_number=issued_number[:100],
        )
        document.file.save("f", ContentFile(checked.content), save=False)
        document.save()
        audit.record(
            "datastore.store",
            obj=document,
            actor=actor or owner,
            data={"source": source, "sha256": checked.sha256, "dossier": getattr(dossier, "code", None)},
        )
        return document


def store(
    owner, upload, *, title: str, source: str = PersonalDocument.Source.UPLOAD, dossier=None, actor=None
):
    return store_checked(
        owner, inspect_upload(upload), title=title, source=source, dossier=dossier, actor=actor
    )


def as_upload(document: PersonalDocument, component: str):
    from congso.dossiers.services import Upload

    with document.file.open("rb") as fh:
        content = fh.read()
    return Upload(component=component, file=content, name=document.original_name or document.title)


def record_reuse(document: PersonalDocument, dossier, component: str, actor) -> DocumentReuse:
    with transaction.atomic(savepoint=False):
        reuse = DocumentReuse.objects.create(
            document=document, dossier=dossier, component=component[:500], reused_by=actor
        )
        audit.record(
            "datastore.reuse",
            obj=document,
            actor=actor,
            data={"dossier": dossier.code, "component": component[:500]},
        )
        return reuse


def remove(user, document_id) -> PersonalDocument:
    with transaction.atomic():
        document = get_owned(user, document_id)
        document.deleted_at = timezone.now()
        document.save(update_fields=["deleted_at"])
        audit.record("datastore.remove", obj=document, actor=user)
        return document
