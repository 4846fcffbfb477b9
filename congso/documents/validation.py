"""The one place that checks a document's metadata (Decree 30, Appendix VI), for pages, API and the
exchange seam alike. ``clean_metadata`` returns clean values or raises ``InvalidFields`` with Vietnamese
messages by field; nothing is written."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from congso.core.errors import InvalidFields

from .models import DocumentType, Secrecy, Urgency

SUBJECT_MAX = 1000
TEXT_FIELDS = {
    "number": 20,
    "symbol": 100,
    "issuing_organ": 255,
    "signer_name": 200,
    "signer_position": 200,
    "signer_authority": 10,
    "drafting_unit": 30,
}
AUTHORITIES = {"", "TM.", "KT.", "Q.", "TL.", "TUQ."}


def _date(value, field, errors):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors[field] = [_("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 06/12/2026.")]
    return None


def document_type(value) -> DocumentType | None:
    """A type by id, name or abbreviation (QĐ, CT, …; "Công văn" has none)."""
    if isinstance(value, DocumentType):
        return value
    if value in (None, ""):
        return None
    text = str(value).strip()
    qs = DocumentType.objects.filter(is_active=True)
    if text.isdigit():
        return qs.filter(pk=int(text)).first()
    return qs.filter(name__iexact=text).first() or qs.filter(abbreviation=text).first()


def clean_metadata(data: dict, *, require_issue=False) -> dict:
    """Appendix VI metadata: type, subject (trích yếu) required; number, symbol, dates, issuing organ,
    signer, secrecy, urgency, pages, due date, recipients optional (``require_issue``: an incoming
    document must say who issued it, its symbol and date)."""
    errors: dict = {}
    out: dict = {}
    doc_type = document_type(data.get("doc_type"))
    if doc_type is None:
        errors["doc_type"] = [_("Chọn loại văn bản trong danh mục (Nghị định 30/2020/NĐ-CP, Phụ lục III).")]
    out["doc_type"] = doc_type
    subject = " ".join(str(data.get("subject") or "").split())
    if not subject:
        errors["subject"] = [_("Nhập trích yếu nội dung văn bản.")]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [_("Trích yếu dài tối đa %(n)s ký tự.") % {"n": SUBJECT_MAX}]
    out["subject"] = subject
    for name, limit in TEXT_FIELDS.items():
        value = " ".join(str(data.get(name) or "").split())
        if len(value) > limit:
            errors[name] = [_("Tối đa %(n)s ký tự.") % {"n": limit}]
        out[name] = value
    if out["signer_authority"] not in AUTHORITIES:
        errors["signer_authority"] = [_("Thẩm quyền ký là một trong TM., KT., Q., TL., TUQ. hoặc để trống.")]
    if require_issue:
        for name, message in (
            ("issuing_organ", _("Nhập cơ quan ban hành.")),
            ("symbol", _("Nhập số, ký hiệu của văn bản, ví dụ 15/QĐ-UBND.")),
        ):
            if not out[name] and name not in errors:
                errors[name] = [message]
    out["issued_on"] = _date(data.get("issued_on"), "issued_on", errors)
    if require_issue and out["issued_on"] is None and "issued_on" not in errors:
        errors["issued_on"] = [_("Nhập ngày ban hành.")]
    out["due_date"] = _date(data.get("due_date"), "due_date", errors)
    secrecy = str(data.get("secrecy") or "").strip()
    if secrecy not in Secrecy.values:
        errors["secrecy"] = [_("Độ mật là Mật, Tối mật, Tuyệt mật hoặc để trống.")]
    out["secrecy"] = secrecy
    urgency = data.get("urgency") or 0
    try:
        urgency = int(urgency)
        if urgency not in Urgency.values:
            raise ValueError
    except (TypeError, ValueError):
        errors["urgency"] = [_("Độ khẩn là Thường, Khẩn, Thượng khẩn hoặc Hỏa tốc.")]
        urgency = 0
    out["urgency"] = urgency
    pages = data.get("pages")
    if pages in (None, ""):
        out["pages"] = None
    else:
        try:
            out["pages"] = int(pages)
            if not 0 < out["pages"] <= 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors["pages"] = [_("Số trang là một số nguyên dương.")]
    recipients = str(data.get("recipients_text") or "").strip()
    if len(recipients) > 5000:
        errors["recipients_text"] = [_("Nơi nhận dài tối đa 5000 ký tự.")]
    out["recipients_text"] = recipients
    if errors:
        raise InvalidFields(errors)
    return out
