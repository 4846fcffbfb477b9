"""The written poll's result record (biên bản kết quả lấy ý kiến) as a PDF, signed with the seal of the
body's agency through the signing app's PAdES service and kept as an issued document (/xac-thuc)."""

from __future__ import annotations

from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from congso.signing.models import IssuedDocument, SigningKey
from congso.signing.services import create_document_record, issue_pdf, record_url

from .models import Choice, Vote
from .rules import Tally

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
VN = timezone.get_fixed_timezone(7 * 60)


def _fetcher():
    from weasyprint.urls import URLFetcher  # local import: WeasyPrint is heavy, loaded only to render

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://") and not url[7:].startswith(str(FONT_DIR)):
                raise ValueError(f"blocked resource: {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"}, fail_on_errors=True)


def result_context(poll, *, qr_url: str = "") -> dict:
    tally = Tally.from_dict(poll.ballot.result)
    votes = list(Vote.objects.filter(ballot=poll.ballot).select_related("voter").order_by("voter__full_name"))
    answered = {v.voter_id for v in votes}
    silent = [
        u
        for u in poll.body.members.filter(pk__in=poll.ballot.electors.values("user_id"))
        if u.pk not in answered
    ]
    return {
        "poll": poll,
        "body": poll.body,
        "rule": poll.ballot.rule,
        "tally": tally,
        "votes": votes,
        "choice_labels": dict(Choice.choices),
        "silent": silent,
        "closed_at": poll.ballot.closed_at.astimezone(VN) if poll.ballot.closed_at else None,
        "deadline": poll.deadline.astimezone(VN),
        "issued": timezone.now().astimezone(VN),
        "font_dir": FONT_DIR.as_uri(),
        "qr_uri": segno.make(qr_url, error="m").svg_data_uri(scale=3, border=1) if qr_url else "",
        "qr_url": qr_url,
    }


def render_result(poll, *, qr_url: str = "") -> bytes:
    from weasyprint import HTML  # local import: WeasyPrint is heavy, loaded only to render

    with override("vi"):  # an official record: always Vietnamese
        html = render_to_string("voting/result_pdf.html", result_context(poll, qr_url=qr_url))
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


def seal_of(agency) -> SigningKey | None:
    return (
        SigningKey.objects.filter(agency=agency, kind=SigningKey.Kind.SEAL, is_active=True)
        .order_by("-created_at")
        .first()
    )


def issue_result(poll, *, actor=None) -> IssuedDocument:
    agency = poll.body.agency
    document = create_document_record(
        kind=IssuedDocument.Kind.ATTACHMENT,
        code=f"LYK-{poll.pk}",
        title=_("Kết quả lấy ý kiến thành viên: %(title)s") % {"title": poll.title},
        agency=agency,
        actor=actor,
    )
    pdf = render_result(poll, qr_url=record_url(document))
    seal = seal_of(agency)
    if seal is None:
        raise ValueError(f"agency {agency.code} has no seal key")
    issue_pdf(pdf, document, actor=actor, keys=[seal], as_system=actor is None)
    document.refresh_from_db()
    return document
