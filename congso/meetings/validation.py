"""Checks of meeting input, in one place for the pages, the API and the services (ADR 0164)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from congso.core.errors import InvalidFields, ServiceError
from congso.core.forms import parse_day

TITLE_MAX = 500


def moment(value, field: str) -> dt.datetime:
    """A datetime from a value or an ISO string (local time when it has no offset)."""
    if isinstance(value, dt.datetime):
        out = value
    else:
        out = parse_datetime(str(value or "").strip()) if value else None
        if out is None:
            raise ServiceError(_("Nhập thời gian hợp lệ (ngày và giờ)."), field=field)
    if timezone.is_naive(out):
        out = timezone.make_aware(out)
    return out


def clean_schedule(*, title, start, end) -> dict:
    errors: dict = {}
    title = " ".join(str(title or "").split())
    if not title:
        errors["title"] = [_("Nhập tên cuộc họp.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Tên cuộc họp dài tối đa %(n)s ký tự.") % {"n": TITLE_MAX}]
    out = {"title": title}
    for name, value in (("start", start), ("end", end)):
        try:
            out[name] = moment(value, name)
        except ServiceError as exc:
            errors[name] = [exc.message]
    if "start" in out and out["start"] <= timezone.now():
        errors["start"] = [_("Thời gian bắt đầu đã qua: chọn một thời điểm trong tương lai.")]
    if "start" in out and "end" in out and out["end"] <= out["start"]:
        errors["end"] = [_("Thời gian kết thúc phải sau thời gian bắt đầu.")]
    if errors:
        raise InvalidFields(errors)
    return out


def clean_text(value, field: str, message: str, limit: int = 5000) -> str:
    text = str(value or "").strip()
    if not text:
        raise ServiceError(message, field=field)
    return text[:limit]


def clean_minutes_allotted(value) -> int:
    try:
        n = int(value)
        if not 1 <= n <= 600:
            raise ValueError
    except (TypeError, ValueError):
        raise ServiceError(
            _("Thời gian cho nội dung là số phút từ 1 đến 600."), field="minutes_allotted"
        ) from None
    return n


def clean_deadline(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        day = parse_day(value)
    except ValueError:
        raise ServiceError(
            _("Hạn hoàn thành không hợp lệ: nhập theo dạng ngày/tháng/năm."), field="deadline"
        ) from None
    if day is None:
        raise ServiceError(_("Nhập hạn hoàn thành (ngày)."), field="deadline")
    return day
