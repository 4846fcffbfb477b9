"""Use cases of the personal data store. Each runs in one transaction with its audit entry.

The contract other apps rely on:

- ``documents_for(user)`` — the owner's live papers, newest first;
- ``get_owned(user, document_id)`` — one of them, or NotFound (never another person's);
- ``store(owner, upload, title=…, source=…, dossier=…, actor=…)`` — check (core.uploads) and keep a file;
- ``store_checked(owner, checked, …)`` — keep a file already checked by ``core.uploads.inspect_upload``;
- ``as_upload(document, component)`` — a ``dossiers.services.Upload`` to file it again;
- ``record_reuse(document, dossier, component, actor)`` — note that a paper went into a dossier
  (the paper's owner must be the dossier's applicant);
- ``keep_filed(owner, dossier, attachments, actor=…)`` — keep the papers filed online in the store
  (source DOSSIER), once per content;
- ``remove(user, document_id)`` — the owner removes a paper from their store (kept if reused).

Also: ``documents_with_usage(user)`` (with ``reuse_count``), ``reuses_for(user, document_id)``,
``open_file(user, document_id)``, and for filing on someone's behalf
``documents_for_filing(actor, owner, purpose)`` / ``get_for_filing(actor, owner, document_id, purpose)``
(the owner themselves, or a community helper with the owner's consent for ``purpose``).
Registry look-ups are in ``registries.py``.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.services import require_consent
from congso.core import audit, compiled
from congso.core.compiled import CompiledQuery
from congso.core.errors import NotFound, ServiceError
from congso.core.text import too_long_message
from congso.core.uploads import CheckedFile, Upload, inspect_upload
from congso.dossiers.models import Dossier

from .models import DocumentReuse, PersonalDocument


def documents_for(user):
    """The owner's live papers. A result of a partially online dossier (its ``form_data["online"]``
    says the result is collected at the counter) stays out until the dossier has been returned there:
    such a result is not delivered online (ADR 0071)."""
    if not getattr(user, "is_authenticated", False):
        return PersonalDocument.objects.none()
    return _live(user.pk)


def _live(owner_id):

    # Each paper's own dossier, by its primary key (a subquery over every held dossier scanned the
    # whole dossiers table on every filing). EXISTS is never NULL, so papers of dossiers whose terms
    # say nothing are kept.
    held = Dossier.objects.filter(
        pk=OuterRef("dossier_id"), form_data__online__result="counter", returned_at__isnull=True
    )
    return PersonalDocument.objects.filter(owner_id=owner_id, deleted_at__isnull=True).exclude(
        Q(source=PersonalDocument.Source.RESULT) & Exists(held)
    )


# Run on every online filing (``keep_filed``): compiled once, then only bound (core.compiled).
_LIVE_SIZES = CompiledQuery(lambda owner_id: _live(owner_id).values_list("sha256", "size"))
_OWNER_LOCK = CompiledQuery(
    lambda owner_id: get_user_model().objects.select_for_update().filter(pk=owner_id).values_list("pk")
)


def documents_with_usage(user):
    """The owner's live papers with ``reuse_count`` (how many times each went into a dossier)."""
    return documents_for(user).annotate(reuse_count=Count("reuses"))


def get_owned(user, document_id) -> PersonalDocument:
    try:
        uuid.UUID(str(document_id))
        return documents_for(user).get(pk=document_id)
    except (ValueError, PersonalDocument.DoesNotExist):
        raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu của bạn.")) from None


def _filing_access(actor, owner, purpose: str):
    """None when ``actor`` is the owner; the consent when a helper acts for them; else PermissionDenied."""

    if getattr(actor, "is_authenticated", False) and getattr(owner, "pk", None) == actor.pk:
        return None
    return require_consent(actor, owner, purpose)  # raises ConsentRequired (a PermissionDenied)


def documents_for_filing(actor, owner, purpose: str = ""):
    """The owner's papers that ``actor`` may pick while filing for ``owner`` (a procedure code as purpose).

    A community helper sees them only under the owner's active consent; the listing is audited.
    """
    consent = _filing_access(actor, owner, purpose)
    if consent is not None:
        audit.record(
            "datastore.listed_for_filing",
            obj=owner,
            actor=actor,
            data={"consent": consent.pk, "purpose": purpose},
        )
    return documents_with_usage(owner)


def get_for_filing(actor, owner, document_id, purpose: str = "") -> PersonalDocument:
    """One of ``owner``'s papers for ``actor`` filing for them; NotFound for anything else.

    A community helper gets it only under the owner's active consent, and the read is audited."""
    consent = _filing_access(actor, owner, purpose)
    document = get_owned(owner, document_id)
    if consent is not None:
        audit.record(
            "datastore.read_for_filing",
            obj=document,
            actor=actor,
            data={"consent": consent.pk, "purpose": purpose, "owner": owner.pk},
        )
    return document


def quota_bytes() -> int:
    return int(getattr(settings, "CONGSO_DATASTORE_QUOTA_BYTES", 200 * 1024 * 1024))


def _lock_owner(owner):
    """Serialise changes to one person's store (quota and de-duplication checks)."""
    _OWNER_LOCK.rows(owner.pk)


def store_checked(
    owner,
    checked: CheckedFile,
    *,
    title: str,
    source: str = PersonalDocument.Source.UPLOAD,
    dossier=None,
    issued_number: str = "",
    valid_until: datetime.date | None = None,
    actor=None,
) -> PersonalDocument:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Cần nhập tên giấy tờ."), field="title")
    issued_number = (issued_number or "").strip()
    for name, value in (("title", title), ("issued_number", issued_number)):
        limit = PersonalDocument._meta.get_field(name).max_length
        if len(value) > limit:
            raise ServiceError(too_long_message(limit, len(value)), field=name)
    if source not in PersonalDocument.Source.values:
        raise ServiceError(_("Nguồn giấy tờ không hợp lệ."), field="source")
    if not getattr(owner, "is_authenticated", False) or owner.pk is None:
        raise ServiceError(_("Bạn cần đăng nhập."))
    with transaction.atomic():
        _lock_owner(owner)
        existing = documents_for(owner).filter(sha256=checked.sha256, title=title[:500]).first()
        if existing:  # the same paper under the same name is kept once
            return existing
        used = documents_for(owner).aggregate(total=Sum("size"))["total"] or 0
        if used + checked.size > quota_bytes():
            raise ServiceError(
                _("Kho dữ liệu của bạn đã đầy (tối đa %(limit)s). Vui lòng xoá bớt giấy tờ không còn dùng.")
                % {"limit": filesizeformat(quota_bytes())},
                code="quota_exceeded",
                field="file",
            )
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
            issued_number=issued_number,
            valid_until=valid_until,
        )
        document.file.save("f", ContentFile(checked.content), save=False)
        try:
            document.save()
            audit.record(
                "datastore.store",
                obj=document,
                actor=actor or owner,
                data={"source": source, "sha256": checked.sha256, "dossier": getattr(dossier, "code", None)},
            )
        except BaseException:
            document.file.storage.delete(document.file.name)  # no orphan file for a row never written
            raise
        return document


def keep_filed(owner, dossier, attachments, *, actor=None) -> list[PersonalDocument]:
    """Keep the papers ``owner`` filed with ``dossier`` (its component ``attachments``) in their store,
    as source DOSSIER linked to the dossier, so that the next dossier can reuse them ("data once").

    A file already in the owner's store (the same content: sha256) is not kept twice, and a paper that
    would exceed the quota is left out: filing never fails because of the store. Joins the caller's
    transaction (the filing's); one audit entry per paper kept, one for those left out."""
    if owner is None or not getattr(owner, "pk", None):
        return []
    papers = [a for a in attachments if a.sha256]
    if not papers:
        return []
    with transaction.atomic(savepoint=False):
        _lock_owner(owner)
        # One read of the store's papers (a person's store is small: the quota bounds it) gives both
        # what is already there and the space used.
        live = _LIVE_SIZES.rows(owner.pk)
        have = {sha256 for sha256, _size in live}
        used = sum(size for _sha256, size in live)
        kept, left_out = [], []
        for attachment in papers:
            if attachment.sha256 in have:
                continue
            have.add(attachment.sha256)
            if used + attachment.size > quota_bytes():
                left_out.append(attachment.component)
                continue
            used += attachment.size
            document = PersonalDocument(
                owner=owner,
                title=(attachment.component or attachment.original_name or _("Giấy tờ đã nộp"))[:500],
                source=PersonalDocument.Source.DOSSIER,
                original_name=(attachment.original_name or "")[:255],
                kind=attachment.kind,
                extension=attachment.extension,
                size=attachment.size,
                sha256=attachment.sha256,
                dossier=dossier,
            )
            # The dossier's own stored file, not a copy: filed papers are kept with the dossier for
            # good, and removing the paper from the store never deletes it (``remove``).
            document.file.name = attachment.file.name
            kept.append(document)
        compiled.insert(kept)
        records = [
            {
                "action": "datastore.store",
                "obj": d,
                "actor": actor or owner,
                "data": {"source": d.source, "sha256": d.sha256, "dossier": dossier.code},
            }
            for d in kept
        ]
        if left_out:
            records.append(
                {
                    "action": "datastore.store_skipped",
                    "obj": dossier,
                    "actor": actor or owner,
                    "data": {"reason": "quota", "components": left_out, "owner": owner.pk},
                }
            )
        if records:
            audit.record_many(records)
    return kept


def store(
    owner,
    upload,
    *,
    title: str,
    source: str = PersonalDocument.Source.UPLOAD,
    dossier=None,
    issued_number: str = "",
    valid_until: datetime.date | None = None,
    actor=None,
    max_bytes: int | None = None,
):
    return store_checked(
        owner,
        inspect_upload(upload, max_bytes=max_bytes),
        title=title,
        source=source,
        dossier=dossier,
        issued_number=issued_number,
        valid_until=valid_until,
        actor=actor,
    )


def keep_issued_result(*, dossier, result, checked: CheckedFile, actor) -> None:
    """Subscriber of ``dossiers.result_issued`` (results online, issue 6): the issued (stamped, sealed)
    file also goes into the applicant's personal data store, in the same transaction, when the dossier
    has an applicant account."""
    if not dossier.applicant_id:
        return
    store_checked(
        dossier.applicant,
        checked,
        title=result.title,
        source=PersonalDocument.Source.RESULT,
        dossier=dossier,
        issued_number=result.number,
        actor=actor,
    )


def as_upload(document: PersonalDocument, component: str):
    with document.file.open("rb") as fh:
        content = fh.read()
    return Upload(component=component, file=content, name=document.original_name or document.title)


def record_reuse(document: PersonalDocument, dossier, component: str, actor) -> DocumentReuse:
    """Note that ``document`` went into ``dossier`` as ``component``; joins the caller's transaction.

    Only a live paper of the dossier's applicant can be reused (a helper files for the citizen, so
    the citizen is the applicant); anything else is NotFound, never a hint that the paper exists.
    """
    if (
        document.deleted_at is not None
        or dossier.applicant_id is None
        or (document.owner_id != dossier.applicant_id)
    ):
        raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu của người nộp hồ sơ."))
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


def reuses_for(user, document_id):
    """Where one of the owner's papers was reused: dossier, component, when, by whom."""
    document = get_owned(user, document_id)
    return document, document.reuses.select_related("dossier", "reused_by").order_by("-reused_at", "-pk")


def open_file(user, document_id):
    """(document, open file) for the owner only; another person's paper is NotFound."""
    document = get_owned(user, document_id)
    try:
        return document, document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise NotFound(_("Tệp của giấy tờ này không còn trong kho lưu trữ.")) from None


def remove(user, document_id) -> PersonalDocument:
    """Remove a paper from the owner's store.

    Dossiers keep their own copies of what was filed, so a reused paper stays attached to them; its
    row is kept (hidden) for the reuse history. A paper never reused also loses its file, unless it is
    a filed dossier's own file (source DOSSIER, ``keep_filed``).
    """
    with transaction.atomic():
        try:
            uuid.UUID(str(document_id))
            document = (
                (
                    PersonalDocument.objects.select_for_update()
                    .filter(owner=user, deleted_at__isnull=True)
                    .get(pk=document_id)
                )
                if getattr(user, "is_authenticated", False)
                else None
            )
        except (ValueError, PersonalDocument.DoesNotExist):
            document = None
        if document is None:
            raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu của bạn."))
        reused = document.reuses.exists()
        document.deleted_at = timezone.now()
        document.save(update_fields=["deleted_at"])
        audit.record("datastore.remove", obj=document, actor=user, data={"reused": reused})
        # A paper kept from a filed dossier shares that dossier's file, which the dossier keeps.
        if not reused and document.source != PersonalDocument.Source.DOSSIER:
            storage, name = document.file.storage, document.file.name
            transaction.on_commit(lambda: storage.delete(name))
        return document
