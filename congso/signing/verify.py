"""Check every signature in a PDF and explain the result in plain Vietnamese.

A document is "valid" only when it has at least one signature and every signature is intact,
cryptographically valid, chains to an active trust anchor, and nothing but later signatures was
added after it. Anything we cannot check is reported as a failure, never as "valid".
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from . import crypto, keystore
from .pdfsign import PdfInputError, check_pdf_bytes, iso_vn, outside_event_loop

log = logging.getLogger(__name__)


@dataclass
class SignatureCheck:
    field_name: str
    signer_name: str = ""
    signer_organisation: str = ""
    issuer_name: str = ""
    certificate_fingerprint: str = ""
    signing_time: datetime.datetime | None = None
    timestamp_time: datetime.datetime | None = None
    has_timestamp: bool = False
    timestamp_ok: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    expired: bool = False
    modified_after: bool = False
    later_signatures_only: bool = False
    level: str = ""
    chain: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and not self.modified_after
            and (self.timestamp_ok or not self.has_timestamp)
        )

    @property
    def signing_time_iso(self) -> str:
        return iso_vn(self.signing_time) if self.signing_time else ""

    @property
    def timestamp_time_iso(self) -> str:
        return iso_vn(self.timestamp_time) if self.timestamp_time else ""

    @property
    def integrity_text(self) -> str:
        if not self.intact:
            return _("Nội dung đã bị sửa sau khi ký: chữ ký không còn khớp với tài liệu.")
        if not self.valid:
            return _("Chữ ký không hợp lệ về mặt mật mã.")
        if self.modified_after:
            return _("Tài liệu đã bị thay đổi sau khi ký (có nội dung được thêm vào sau chữ ký này).")
        if self.later_signatures_only:
            return _("Nội dung còn nguyên vẹn; sau chữ ký này chỉ có thêm các chữ ký khác.")
        return _("Nội dung còn nguyên vẹn kể từ khi ký.")

    @property
    def trust_text(self) -> str:
        if self.trusted:
            return _("Chứng thư số hợp lệ và thuộc chuỗi tin cậy.")
        if self.expired:
            return _("Chứng thư số của người ký đã hết hạn (hoặc chưa có hiệu lực) vào thời điểm ký.")
        return _("Chứng thư số không thuộc chuỗi tin cậy của hệ thống (không rõ tổ chức cấp).")

    def as_dict(self) -> dict:
        return {
            "field_name": self.field_name,
            "signer": self.signer_name,
            "organisation": self.signer_organisation,
            "issuer": self.issuer_name,
            "certificate_fingerprint": self.certificate_fingerprint,
            "signing_time": self.signing_time_iso or None,
            "timestamp": self.timestamp_time_iso or None,
            "level": self.level,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "expired": self.expired,
            "modified_after_signing": self.modified_after,
            "later_signatures_only": self.later_signatures_only,
            "chain": self.chain,
            "integrity": self.integrity_text,
            "trust": self.trust_text,
            "problems": self.problems,
            "ok": self.ok,
        }


@dataclass
class VerificationReport:
    sha256: str = ""
    error: str = ""
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def summary(self) -> str:
        if self.error:
            return self.error
        if not self.signatures:
            return _("Tài liệu không có chữ ký số nào.")
        if self.ok:
            return _("Tài liệu hợp lệ: %(n)d chữ ký, tất cả đều hợp lệ và tin cậy.") % {
                "n": len(self.signatures)
            }
        bad = sum(1 for s in self.signatures if not s.ok)
        return _("Tài liệu KHÔNG hợp lệ: %(bad)d trong %(n)d chữ ký có vấn đề.") % {
            "bad": bad,
            "n": len(self.signatures),
        }

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "summary": self.summary,
            "sha256": self.sha256,
            "error": self.error or None,
            "signatures": [s.as_dict() for s in self.signatures],
        }


_EXPIRY = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
    AdESFailure.NOT_YET_VALID,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}


def _name(cert) -> tuple[str, str, str]:
    subject = cert.subject.native
    issuer = cert.issuer.native
    return (
        str(subject.get("common_name", "")),
        str(subject.get("organization_name", "")),
        str(issuer.get("common_name", "") or issuer.get("organization_name", "")),
    )


def _check_one(embedded, vc) -> SignatureCheck:
    check = SignatureCheck(field_name=str(embedded.field_name or ""))
    try:
        cert = embedded.signer_cert
        check.signer_name, check.signer_organisation, check.issuer_name = _name(cert)
        check.certificate_fingerprint = cert.sha256.hex()
    except Exception:  # noqa: BLE001 - a broken CMS blob is a failed signature, not a crash
        check.problems.append(_("Không đọc được chứng thư số trong chữ ký."))
        return check
    try:
        status = validate_pdf_signature(embedded, vc)
    except Exception as exc:  # noqa: BLE001 - report, never crash, never "valid"
        log.info("signature validation failed: %s", exc)
        check.problems.append(_("Không kiểm tra được chữ ký này: dữ liệu chữ ký bị hỏng."))
        return check
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    check.trusted = bool(status.trusted)
    validity = cert["tbs_certificate"]["validity"]
    now = datetime.datetime.now(datetime.UTC)
    outside = not (validity["not_before"].native <= now <= validity["not_after"].native)
    check.expired = not check.trusted and (status.trust_problem_indic in _EXPIRY or outside)
    check.signing_time = status.signer_reported_dt
    ts = status.timestamp_validity
    if ts is not None:
        check.has_timestamp = True
        check.timestamp_time = ts.timestamp
        check.timestamp_ok = bool(ts.intact and ts.valid and ts.trusted)
        check.level = "PAdES-B-T"
        if not check.timestamp_ok:
            check.problems.append(_("Dấu thời gian đi kèm chữ ký không hợp lệ hoặc không tin cậy."))
    else:
        check.level = "PAdES-B-B"
    if status.validation_path is not None:
        check.chain = [
            _name(c)[0] or c.subject.human_friendly
            for c in status.validation_path.iter_certs(include_root=True)
        ]
        check.chain = list(reversed(check.chain))  # signer first, anchor last
    coverage = status.coverage
    level = status.modification_level
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        check.modified_after = False
    elif coverage == SignatureCoverageLevel.ENTIRE_REVISION and level is not None:
        harmless = level in (
            ModificationLevel.NONE,
            ModificationLevel.LTA_UPDATES,
            ModificationLevel.FORM_FILLING,
        )
        check.modified_after = not (harmless and status.docmdp_ok is not False)
        check.later_signatures_only = not check.modified_after
    else:
        check.modified_after = True
    if not check.intact:
        check.problems.append(check.integrity_text)
    elif check.modified_after:
        check.problems.append(check.integrity_text)
    if not check.trusted:
        check.problems.append(check.trust_text)
    return check


def verify_pdf(data: bytes, anchors=None) -> VerificationReport:
    if anchors is None:
        anchors = keystore.trust_anchor_certificates()  # database access stays in the caller's thread
    return outside_event_loop(_verify_pdf, data, anchors)


def _verify_pdf(data: bytes, anchors) -> VerificationReport:
    report = VerificationReport(sha256=crypto.sha256_hex(data) if data else "")
    try:
        reader = check_pdf_bytes(data)  # the reader it opened: the file is read once
        embedded = list(reader.embedded_signatures)
    except PdfInputError as exc:
        report.error = str(exc)
        return report
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.info("unreadable pdf: %s", exc)
        report.error = _("Tệp PDF bị hỏng hoặc đã bị sửa, không đọc được các chữ ký.")
        return report
    if not embedded:
        return report
    for sig in embedded:
        report.signatures.append(_check_one(sig, keystore.validation_context(anchors)))
    return report
