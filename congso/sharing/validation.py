"""The rules an agreement must follow, in one place for the admin page, the API and the service."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from congso.accounts.hooks import PERSONAL_DATA

MAX_YEARS = 5  # an agreement is reviewed at least every five years


def agreement_errors(
    *,
    number: str,
    scopes: list[str],
    purpose: str,
    legal_basis: str,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
) -> dict[str, list[str]]:
    """The problems of an agreement's terms, by field (empty: acceptable)."""
    errors: dict[str, list[str]] = {}
    if not (number or "").strip():
        errors["number"] = [_("Nhập số thỏa thuận (văn bản ký giữa hai cơ quan).")]
    elif len(number.strip()) > 80:
        errors["number"] = [_("Số thỏa thuận dài tối đa 80 ký tự.")]
    unknown = [s for s in scopes or [] if s not in PERSONAL_DATA]
    if not scopes:
        errors["scopes"] = [_("Chọn ít nhất một loại dữ liệu được chia sẻ.")]
    elif unknown:
        errors["scopes"] = [_("Loại dữ liệu không hợp lệ: %(s)s.") % {"s": ", ".join(unknown)}]
    if len((purpose or "").strip()) < 10:
        errors["purpose"] = [_("Nêu rõ mục đích sử dụng dữ liệu (ít nhất 10 ký tự).")]
    elif len(purpose.strip()) > 500:
        errors["purpose"] = [_("Mục đích dài tối đa 500 ký tự.")]
    if len((legal_basis or "").strip()) < 5:
        errors["legal_basis"] = [
            _("Nêu căn cứ pháp lý (ví dụ: Nghị định 13/2023/NĐ-CP, văn bản thỏa thuận).")
        ]
    elif len(legal_basis.strip()) > 500:
        errors["legal_basis"] = [_("Căn cứ pháp lý dài tối đa 500 ký tự.")]
    if valid_from is None:
        errors["valid_from"] = [_("Nhập ngày bắt đầu hiệu lực.")]
    if valid_until is None:
        errors["valid_until"] = [_("Nhập ngày hết hiệu lực.")]
    if valid_from and valid_until:
        if valid_until < valid_from:
            errors["valid_until"] = [_("Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi.")]
        elif valid_until > valid_from + datetime.timedelta(days=366 * MAX_YEARS):
            errors["valid_until"] = [
                _("Thỏa thuận có hiệu lực tối đa %(n)d năm; gia hạn bằng thỏa thuận mới.") % {"n": MAX_YEARS}
            ]
    return errors
