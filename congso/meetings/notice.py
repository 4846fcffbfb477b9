"""The conclusion notice's PDF (thông báo kết luận, Decree 30 layout), rendered from the minutes and the
conclusions with WeasyPrint, fonts from the local font directory only. The leader's signature and the
agency's number and seal are added later by the documents app (``sign``, ``issue``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from congso.documents.models import DocumentType
from congso.signing.official_forms import FONT_DIR, _local_only_fetcher


def doc_type_id() -> int:
    """Decree 30's "Thông báo" (TB), seeded by the documents app's migration."""
    return DocumentType.objects.get(abbreviation="TB").pk


def context(meeting) -> dict:
    return {
        "m": meeting,
        "items": list(meeting.items.order_by("position")),
        "conclusions": list(meeting.conclusions.select_related("owner", "item")),
        "present": meeting.invitees.filter(checked_in_at__isnull=False).count(),
        "invited": meeting.invitees.count(),
        "start": timezone.localtime(meeting.start),
        "font_dir": FONT_DIR.as_uri(),
    }


def render(meeting) -> bytes:
    from weasyprint import HTML  # local import: heavy (Pango, fonts); loaded only to render a notice

    with override("vi"):  # an official document: always Vietnamese
        html = render_to_string("meetings/notice_pdf.html", context(meeting))
    return HTML(string=html, url_fetcher=_local_only_fetcher()).write_pdf()
