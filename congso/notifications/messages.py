"""What each event says, in Vietnamese: a subject and body for email and a short SMS.

The texts are template files in ``notifications/templates/notifications/messages/``:
``<event>.subject.txt``, ``<event>.email.txt`` and ``<event>.sms.txt``, rendered with plain-text
(unescaped) Django templates. With ``CONGSO_SMS_ASCII`` (the default) SMS lose their diacritics,
because many gateways strip or garble them and a Vietnamese SMS with diacritics is billed as UCS-2
(70 characters a part instead of 160).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine
from django.utils import timezone

from congso.core.text import moment_text, strip_diacritics

TEMPLATES = Path(__file__).parent / "templates" / "notifications" / "messages"
SMS_LIMIT = 160


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    sms: bool = True


# The citizen-facing changes, in lifecycle order. Labels are shown to administrators.
EVENTS = {
    e.name: e
    for e in (
        Event("submitted", "Đã nhận hồ sơ trực tuyến"),
        Event("received", "Đã tiếp nhận hồ sơ"),
        Event("supplement_requested", "Yêu cầu bổ sung hồ sơ"),
        Event("payment_requested", "Yêu cầu nộp phí, lệ phí"),
        Event("extend", "Xin lỗi và hẹn lại ngày trả kết quả"),
        Event("result_ready", "Đã có kết quả"),
        Event("refused", "Từ chối tiếp nhận"),
        Event("stopped", "Dừng giải quyết hồ sơ"),
        Event("withdrawn", "Đã rút hồ sơ"),
    )
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    email: str
    sms: str


@cache
def _engine() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], autoescape=False, libraries={}, debug=False)


def when(value) -> str:
    """``17 giờ 00 phút, ngày 10/03/2027`` in Vietnam time, as the receipt slip writes it."""
    return moment_text(value)


def money(amount) -> str:
    """``150.000 đồng``."""
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def sms_text(text: str) -> str:
    text = " ".join(text.split())
    if getattr(settings, "CONGSO_SMS_ASCII", True):
        text = strip_diacritics(text)
    return text


def render(event: str, values: dict) -> Rendered:
    engine = _engine()
    context = Context(values, autoescape=False)

    def one(kind):
        return engine.get_template(f"{event}.{kind}.txt").render(context).strip()

    return Rendered(
        subject=" ".join(one("subject").split()), email=one("email") + "\n", sms=sms_text(one("sms"))
    )


def context_for(dossier, **extra) -> dict:
    """What every template may use, plus the service's own values (reason, missing, amount…)."""
    site = settings.SITE_URL.rstrip("/")
    if extra.get("amount") is not None:
        extra.setdefault("amount_text", money(extra["amount"]))
    return {
        "code": dossier.code,
        "name": dossier.applicant_name,
        "agency": dossier.current_agency.name,
        "receiving_agency": dossier.receiving_agency.name,
        "procedure": dossier.procedure_version.procedure.name,
        "due": when(dossier.due_at),
        "due_date": timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") if dossier.due_at else "",
        "site": site,
        "track_url": f"{site}/ho-so/",
        "rate_url": f"{site}/danh-gia/{dossier.code}/",
        "hotline": settings.CONGSO_SITE["hotline"],
        "portal": settings.CONGSO_SITE["short_name"],
        **extra,
    }
