"""Checks on what people type, in one place (used by services, forms, pages and the API)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import ServiceError

from .models import Choice

TITLE_MAX = 500
TEXT_MAX = 20000
COMMENT_MAX = 4000


def clean_title(title: str, *, field: str = "title") -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("Vui lòng nhập nội dung xin ý kiến (trích yếu)."), field=field, code="required")
    if len(title) > TITLE_MAX:
        raise ServiceError(
            _("Trích yếu dài quá %(n)s ký tự.") % {"n": TITLE_MAX}, field=field, code="too_long"
        )
    return title


def clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Vui lòng nhập nội dung dự thảo xin ý kiến."), field="text", code="required")
    if len(text) > TEXT_MAX:
        raise ServiceError(
            _("Nội dung dài quá %(n)s ký tự.") % {"n": TEXT_MAX}, field="text", code="too_long"
        )
    return text


def clean_choice(choice: str, *, allow_other: bool) -> str:
    allowed = [c.value for c in Choice if allow_other or c != Choice.OTHER]
    if choice not in allowed:
        raise ServiceError(
            _("Lựa chọn không hợp lệ; hãy chọn một trong: %(list)s.")
            % {"list": ", ".join(str(Choice(c).label) for c in allowed)},
            field="choice",
            code="invalid_choice",
        )
    return choice


def clean_comment(comment: str, *, choice: str, secret: bool) -> str:
    comment = (comment or "").strip()
    if secret and comment:
        raise ServiceError(
            _("Phiếu kín không ghi kèm ý kiến (để không ai biết ai đã chọn gì)."),
            field="comment",
            code="secret_comment",
        )
    if len(comment) > COMMENT_MAX:
        raise ServiceError(
            _("Ý kiến dài quá %(n)s ký tự.") % {"n": COMMENT_MAX}, field="comment", code="too_long"
        )
    if choice == Choice.OTHER and not comment:
        raise ServiceError(
            _("Vui lòng ghi rõ ý kiến khác của bạn."), field="comment", code="comment_required"
        )
    return comment


def clean_deadline(value, *, field: str = "deadline", now: dt.datetime | None = None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, dt.datetime):
        raise ServiceError(_("Thời hạn không hợp lệ."), field=field, code="invalid_deadline")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= (now or timezone.now()):
        raise ServiceError(_("Thời hạn phải ở sau thời điểm hiện tại."), field=field, code="past_deadline")
    return value


def rule_errors(values: dict, *, valid_bases, valid_non_answers) -> dict:
    """A rule's values, checked together: the messages by field (empty: fine)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    code = str(values.get("code") or "")
    if not re.fullmatch(r"[a-z0-9-]{2,40}", code):
        add("code", _("Mã gồm 2–40 chữ thường không dấu, chữ số hoặc dấu gạch ngang."))
    if not str(values.get("name") or "").strip():
        add("name", _("Vui lòng nhập tên quy tắc."))
    for prefix, label in (("quorum", _("túc số")), ("threshold", _("ngưỡng thông qua"))):
        num, den = values.get(f"{prefix}_num"), values.get(f"{prefix}_den")
        if not isinstance(num, int) or not isinstance(den, int) or den <= 0 or num < 0 or num > den:
            add(
                f"{prefix}_num",
                _("Tỷ lệ %(what)s phải là phân số từ 0 đến 1 (mẫu số lớn hơn 0).") % {"what": label},
            )
    if values.get("threshold_num") == 0:
        add("threshold_num", _("Ngưỡng thông qua phải lớn hơn 0."))
    if values.get("basis") not in valid_bases:
        add("basis", _("Cách tính tỷ lệ không hợp lệ."))
    if values.get("non_answer") not in valid_non_answers:
        add("non_answer", _("Cách tính thành viên không trả lời không hợp lệ."))
    return errors
