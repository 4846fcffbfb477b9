"""Use cases of the signing app. Views, the API, the CLI and other apps call these.

Each use case checks permission, does its work, and writes the model rows and the audit entry in one
transaction. Cryptographic work (signing) happens before the transaction opens, so no row lock is
held while a token or a timestamp authority answers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from congso.core import audit
from congso.core.permissions import require

from . import crypto, hooks, images, keystore
from .keystore import SigningError
from .models import IssuedDocument, SignatureRecord, SigningKey, TrustAnchor
from .pdfsign import VN_TZ as VN
from .pdfsign import Appearance, PdfInputError, check_pdf_bytes, iso_vn, page_size, sign_bytes, vn_now
from .verify import VerificationReport, verify_pdf

__all__ = [
    "PdfInputError",
    "SigningError",
    "SignedPdf",
    "add_trust_anchor",
    "import_pkcs12",
    "register_pkcs11_key",
    "sign_pdf",
    "issue_pdf",
    "verify_document",
    "record_url",
]


@dataclass
class SignedPdf:
    data: bytes
    record: SignatureRecord
    box: tuple[float, float, float, float] | None = None
    page: int = -1


def _cert_fields(cert) -> dict:
    return {
        "certificate_pem": crypto.to_pem(cert),
        "fingerprint": crypto.fingerprint(cert),
        "subject": cert.subject.rfc4514_string()[:500],
        "issuer": cert.issuer.rfc4514_string()[:500],
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


# --- keys and trust anchors -----------------------------------------------------------------


def _require_admin(actor, agency, as_system: bool) -> None:
    if not as_system:
        require(actor, "signing.manage_keys", agency)


def add_trust_anchor(
    pem: bytes | str,
    *,
    name: str = "",
    actor=None,
    source=TrustAnchor.Source.NATIONAL,
    as_system: bool = False,
    private_key_encrypted: bytes = b"",
):
    """Trust a root certificate (PEM or DER). Idempotent on the fingerprint."""
    _require_admin(actor, None, as_system)
    try:
        certs = crypto.load_pem_certificates(pem)
    except ValueError as exc:
        raise SigningError(_("Tệp không phải là chứng thư số (PEM/DER) hợp lệ.")) from exc
    if not certs:
        raise SigningError(_("Tệp không chứa chứng thư số nào."))
    cert = certs[0]
    with transaction.atomic():
        anchor, created = TrustAnchor.objects.select_for_update().get_or_create(
            fingerprint=crypto.fingerprint(cert),
            defaults={
                "name": name or crypto.common_name(cert.subject),
                "source": source,
                "certificate_pem": crypto.to_pem(cert),
                "subject": cert.subject.rfc4514_string()[:500],
                "not_after": cert.not_valid_after_utc,
                "private_key_encrypted": private_key_encrypted,
            },
        )
        if not created and not anchor.is_active:
            anchor.is_active = True
            anchor.save(update_fields=["is_active"])
        audit.record(
            "signing.trust_anchor_add", obj=anchor, actor=actor, data={"fingerprint": anchor.fingerprint}
        )
    return anchor


def _check_owner(kind, user, agency):
    if kind == SigningKey.Kind.PERSONAL and user is None:
        raise SigningError(_("Chữ ký cá nhân phải gắn với một cán bộ."))
    if kind == SigningKey.Kind.SEAL and agency is None:
        raise SigningError(_("Chữ ký cơ quan phải gắn với một cơ quan."))


def import_pkcs12(
    data: bytes,
    passphrase: str,
    *,
    label: str,
    kind: str,
    actor,
    user=None,
    agency=None,
    signer_name: str = "",
    position: str = "",
    image_png: bytes = b"",
    source: str = SigningKey.Source.PKCS12,
    as_system: bool = False,
) -> SigningKey:
    """Store a PKCS#12 key encrypted at rest; the passphrase is stored encrypted, never in clear."""
    _require_admin(actor, agency, as_system)
    _check_owner(kind, user, agency)
    content = crypto.read_pkcs12(data, passphrase)
    if image_png:
        try:
            images.from_png(image_png)
        except Exception as exc:  # noqa: BLE001 - any unreadable image is refused
            raise SigningError(_("Ảnh chữ ký phải là tệp PNG hợp lệ.")) from exc
    name = signer_name or crypto.common_name(content.certificate.subject)
    with transaction.atomic():
        if SigningKey.objects.filter(label=label).exists():
            raise SigningError(_("Đã có khoá ký số mang tên “%(label)s”.") % {"label": label})
        key = SigningKey.objects.create(
            label=label,
            kind=kind,
            source=source,
            user=user,
            agency=agency,
            signer_name=name[:200],
            position=position,
            chain_pem="".join(crypto.to_pem(c) for c in content.chain),
            pkcs12_encrypted=crypto.seal(data),
            passphrase_encrypted=crypto.seal(passphrase),
            image_png=image_png or b"",
            **_cert_fields(content.certificate),
        )
        audit.record(
            "signing.key_import",
            obj=key,
            actor=actor,
            data={"source": source, "kind": kind, "fingerprint": key.fingerprint},
        )
    return key


def register_pkcs11_key(
    *,
    label: str,
    kind: str,
    actor,
    module: str,
    token_label: str,
    key_label: str,
    certificate_pem: bytes | str,
    chain_pem: bytes | str = "",
    pin: str = "",
    user=None,
    agency=None,
    signer_name: str = "",
    position: str = "",
    as_system: bool = False,
) -> SigningKey:
    """Register a key that lives on a PKCS#11 token or HSM. A PIN, if given (HSMs), is stored encrypted;
    personal USB tokens leave it empty and the official types it at signing time."""
    _require_admin(actor, agency, as_system)
    _check_owner(kind, user, agency)
    try:
        cert = crypto.load_pem_certificates(certificate_pem)[0]
        chain = crypto.load_pem_certificates(chain_pem) if chain_pem else []
    except (ValueError, IndexError) as exc:
        raise SigningError(_("Chứng thư số của khoá trên token không hợp lệ.")) from exc
    with transaction.atomic():
        if SigningKey.objects.filter(label=label).exists():
            raise SigningError(_("Đã có khoá ký số mang tên “%(label)s”.") % {"label": label})
        key = SigningKey.objects.create(
            label=label,
            kind=kind,
            source=SigningKey.Source.PKCS11,
            user=user,
            agency=agency,
            signer_name=(signer_name or crypto.common_name(cert.subject))[:200],
            position=position,
            chain_pem="".join(crypto.to_pem(c) for c in chain),
            pkcs11_module=module,
            pkcs11_token_label=token_label,
            pkcs11_key_label=key_label,
            pin_encrypted=crypto.seal(pin),
            **_cert_fields(cert),
        )
        audit.record("signing.key_register_pkcs11", obj=key, actor=actor, data={"token": token_label})
    return key


# --- appearance -----------------------------------------------------------------------------


def _key_image(key: SigningKey):
    if key.image_png:
        return images.from_png(key.image_png)
    if key.kind == SigningKey.Kind.SEAL:
        return images.seal_image(key.agency.name if key.agency_id else key.signer_name)
    return images.signature_image(key.signer_name)


def default_appearance(key: SigningKey, *, at: datetime.datetime, box=None, page=-1) -> Appearance:
    """Decree 30/2020 Appendix I: the signer's image (blue) or the seal (red), and ISO 8601 VN time."""
    lines: list[str] = []
    if key.kind == SigningKey.Kind.PERSONAL:
        lines.append(_("Ký bởi: %(name)s") % {"name": key.signer_name})
        if key.position:
            lines.append(key.position)
        if key.agency_id:
            lines.append(key.agency.name)
    else:
        lines.append(_("Cơ quan: %(name)s") % {"name": key.agency.name if key.agency_id else key.signer_name})
    lines.append(_("Thời gian ký: %(time)s") % {"time": iso_vn(at)})
    return Appearance(page=page, box=box, image=_key_image(key), lines=tuple(lines))


def seal_over(key: SigningKey, personal_box, *, at, page: int) -> Appearance:
    """The agency's seal overlapping the left part of the signer's image (Decree 30/2020 Appendix I),
    with its own signing time under it."""
    x1, y1, x2, y2 = personal_box
    h = y2 - y1
    size = h * 1.05
    box = (x1 - size * 0.55, y1 - size * 0.2, x1 + size * 0.45, y1 - size * 0.2 + size * 1.15)
    picture = images.with_caption(_key_image(key), iso_vn(at))
    return Appearance(page=page, box=box, image=picture, lines=())


def corner_appearance(key: SigningKey, *, at, doc_number: str, page_width: float, page_height: float):
    """Appendices and attachments: the agency signature in the top-right corner of the first page,
    with the document number and time."""
    box = (page_width - 200, page_height - 62, page_width - 18, page_height - 12)
    lines = (
        key.agency.name if key.agency_id else key.signer_name,
        _("Số: %(number)s") % {"number": doc_number},
        iso_vn(at),
    )
    return Appearance(page=0, box=box, image=_key_image(key), lines=lines, text_ratio=0.7)


# --- signing --------------------------------------------------------------------------------


def sign_pdf(
    data: bytes,
    key: SigningKey,
    *,
    actor,
    pin: str | None = None,
    document: IssuedDocument | None = None,
    appearance: Appearance | None = None,
    box=None,
    page: int = -1,
    reason: str = "",
    as_system: bool = False,
) -> SignedPdf:
    """Sign a PDF with ``key`` as a new incremental revision; record it and audit it.

    ``as_system`` is for trusted operators only (the ``congso sign`` command run on the server).
    """
    if not as_system:
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise PermissionDenied(_("Bạn cần đăng nhập để ký số."))
        require(actor, "signing.use_key", key, _("Bạn không được dùng khoá ký số này."))
    check_pdf_bytes(data)
    now = timezone.now()
    if key.not_after <= now or key.not_before > now:
        raise SigningError(
            _("Chứng thư số của khoá “%(label)s” không còn hiệu lực (hết hạn ngày %(date)s).")
            % {"label": key.label, "date": key.not_after.astimezone(VN).strftime("%d/%m/%Y")}
        )
    at = vn_now()
    if appearance is None:
        with override("vi"):  # what is printed on the document is always Vietnamese
            appearance = default_appearance(key, at=at, box=box, page=page)
    location = settings.CONGSO_SITE.get("address", "")
    with keystore.open_signer(key, pin=pin) as signer:
        try:
            signed, field_name, level, used_box, used_page = sign_bytes(
                data,
                signer,
                appearance=appearance,
                field_prefix="ChuKyCoQuan" if key.kind == SigningKey.Kind.SEAL else "ChuKyCaNhan",
                reason=reason or _("Ký số văn bản"),
                location=location,
                signer_name=key.signer_name,
            )
        except PdfInputError:
            raise
        except SigningError:
            raise
        except Exception as exc:
            raise _translate_signing_failure(exc) from exc
    digest = crypto.sha256_hex(signed)
    with transaction.atomic():
        if document is not None:
            document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        record = SignatureRecord.objects.create(
            document=document,
            key=key,
            kind=key.kind,
            field_name=field_name,
            signer_name=key.signer_name,
            certificate_fingerprint=key.fingerprint,
            certificate_subject=key.subject,
            input_sha256=crypto.sha256_hex(data),
            document_sha256=digest,
            signed_at=at,
            level=level,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if document is not None:
            document.sha256 = digest
            document.save(update_fields=["sha256"])
        audit.record(
            "signing.sign",
            obj=record,
            actor=actor,
            data={
                "key": key.label,
                "fingerprint": key.fingerprint,
                "document": str(document.pk) if document else None,
                "sha256": digest,
                "level": level,
            },
        )
    return SignedPdf(data=signed, record=record, box=used_box, page=used_page)


def _translate_signing_failure(exc: Exception) -> SigningError:
    text = f"{type(exc).__name__}: {exc}"
    if "Timestamp" in text or "TSA" in text or "timestamp" in text:
        return SigningError(_("Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (TSA)."))
    if "PinIncorrect" in text or "PIN" in text:
        return SigningError(_("Mã PIN của token không đúng."))
    return SigningError(_("Không ký được tài liệu: %(reason)s") % {"reason": type(exc).__name__})


def record_url(document: IssuedDocument, absolute: bool = True) -> str:
    path = reverse("signing:record", args=[document.pk])
    return settings.SITE_URL.rstrip("/") + path if absolute else path


# Papers a dossier's applicant holds: the QR on them opens the record, which links on to the dossier's
# public status (issue 6: "look a dossier up … by the QR on the receipt").
RECEIPT_KINDS = (IssuedDocument.Kind.RECEIPT, IssuedDocument.Kind.SUBMISSION)


def status_url(document: IssuedDocument, absolute: bool = False) -> str:
    """The signed public-lookup link of the dossier a receipt was issued for, or "" for other papers.
    The record's id comes from the QR printed on the receipt, so it stands in for the second factor."""
    if document.kind not in RECEIPT_KINDS:
        return ""
    return hooks.record_status_url(document.code, absolute=absolute)


@transaction.atomic
def create_document_record(*, kind, code, title, agency, actor=None, issued_at=None) -> IssuedDocument:
    document = IssuedDocument.objects.create(
        kind=kind,
        code=code,
        title=title[:300],
        agency=agency,
        issued_at=issued_at or timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record("signing.document_create", obj=document, actor=actor, data={"kind": kind, "code": code})
    return document


def issue_pdf(
    pdf: bytes,
    document: IssuedDocument,
    *,
    actor,
    keys: list[SigningKey],
    pins: dict | None = None,
    boxes: dict | None = None,
    attachment_number: str = "",
    as_system: bool = False,
) -> bytes:
    """Sign an issued document with each key in order (e.g. leader, then the agency seal) and store it.

    A seal that follows a personal signature overlaps it (Appendix I). With ``attachment_number``
    the seal goes to the top-right corner of the first page with that number.
    """
    pins = pins or {}
    boxes = boxes or {}
    data = pdf
    personal_box = None
    for key in keys:
        at = vn_now()
        with override("vi"):  # what is printed on the document is always Vietnamese
            appearance = None
            if key.kind == SigningKey.Kind.SEAL and attachment_number:
                width, height = page_size(check_pdf_bytes(data), 0)
                appearance = corner_appearance(
                    key, at=at, doc_number=attachment_number, page_width=width, page_height=height
                )
            elif key.kind == SigningKey.Kind.SEAL and personal_box is not None and key.pk not in boxes:
                appearance = seal_over(key, personal_box[1], at=at, page=personal_box[0])
            else:
                box, page = boxes.get(key.pk, (None, -1))
                appearance = default_appearance(key, at=at, box=box, page=page)
        result = sign_pdf(
            data,
            key,
            actor=actor,
            pin=pins.get(key.pk),
            document=document,
            appearance=appearance,
            as_system=as_system,
        )
        if key.kind == SigningKey.Kind.PERSONAL and result.box:
            personal_box = (result.page, result.box)
        data = result.data
    store_issued(document, data, actor=actor, signatures=len(keys))
    return data


def store_issued(document: IssuedDocument, data: bytes, *, actor, signatures: int = 0) -> None:
    """Keep the issued file with its record: the record's SHA-256 is the file's, so /xac-thuc matches it.
    ``issue_pdf`` calls this after signing; an unsigned issued file (an agency without a seal key) too."""
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        locked.file.save(f"{locked.kind}-{locked.pk}.pdf", ContentFile(data), save=False)
        locked.sha256 = crypto.sha256_hex(data)
        locked.save(update_fields=["file", "sha256"])
        audit.record(
            "signing.issue", obj=locked, actor=actor, data={"sha256": locked.sha256, "signatures": signatures}
        )
    document.refresh_from_db()


def verify_document(data: bytes, *, actor=None) -> tuple[VerificationReport, IssuedDocument | None]:
    """Verify an uploaded PDF and find the platform's record whose hash matches it (if any)."""
    require(actor, "signing.verify", None)
    report = verify_pdf(data)
    record = None
    if report.sha256:
        record = IssuedDocument.objects.filter(sha256=report.sha256).select_related("agency").first()
    return report, record
