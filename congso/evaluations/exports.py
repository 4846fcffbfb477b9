"""The published ranking as a signed PDF annex to the decision, and as an Excel workbook (ADR 0150).

The annex is rendered from HTML with WeasyPrint (fonts from the local font directory only, no network)
and signed with the owner agency's seal through the signing app (PAdES, the seal in the top-right
corner with the decision's number, as the one-stop's results), which stores it with its record: the QR
printed on it opens /xac-thuc's record. The workbook is built from the same frozen results.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from congso.signing.keystore import SigningError
from congso.signing.models import IssuedDocument, SigningKey
from congso.signing.services import create_document_record, issue_pdf, record_url

from . import selectors
from .models import Level, Round

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


def annex_context(round_: Round, *, qr_url: str = "") -> dict:
    ranked = selectors.results(round_)
    framework = round_.framework
    counts = {level: sum(1 for r in ranked if r.level == level) for level in Level.values}
    return {
        "round": round_,
        "framework": framework,
        "owner": framework.owner,
        "ranked": ranked,
        "counts": [(Level(level).label, n) for level, n in counts.items()],
        "unranked": sum(1 for r in ranked if not r.level),
        "max_total": selectors.max_total(framework),
        "issued": timezone.now().astimezone(VN),
        "font_dir": FONT_DIR.as_uri(),
        "qr_uri": segno.make(qr_url, error="m").svg_data_uri(scale=3, border=1) if qr_url else "",
        "qr_url": qr_url,
    }


def render_annex(round_: Round, *, qr_url: str = "") -> bytes:
    from weasyprint import HTML  # local import: WeasyPrint is heavy, loaded only to render

    with override("vi"):  # the annex is an official document: always Vietnamese
        html = render_to_string("evaluations/annex.html", annex_context(round_, qr_url=qr_url))
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


def seal_of(agency) -> SigningKey:
    key = (
        SigningKey.objects.filter(agency=agency, kind=SigningKey.Kind.SEAL, is_active=True)
        .order_by("-created_at")
        .first()
    )
    if key is None:
        raise SigningError(
            _("Cơ quan %(name)s chưa có khoá ký số (con dấu điện tử).") % {"name": agency.name}
        )
    return key


def issue_annex(round_: Round, *, actor) -> IssuedDocument:
    """Create the annex's record, render it with its QR and sign it with the owner's seal."""
    owner = round_.framework.owner
    seal = seal_of(owner)
    document = create_document_record(
        kind=IssuedDocument.Kind.ATTACHMENT,
        code=round_.decision_number,
        title=_("Phụ lục kết quả đánh giá, xếp hạng: %(name)s năm %(year)s")
        % {"name": round_.framework.name, "year": round_.year},
        agency=owner,
        actor=actor,
    )
    pdf = render_annex(round_, qr_url=record_url(document))
    issue_pdf(pdf, document, actor=actor, keys=[seal], attachment_number=round_.decision_number)
    document.refresh_from_db()
    return document


def workbook(round_: Round) -> bytes:
    """The ranking and the table "đạt / chưa đạt", one sheet each."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Xep hang"
    bold = Font(bold=True)
    with override("vi"):
        ws.append([f"{round_.framework.name} — năm {round_.year}"])
        ws["A1"].font = Font(bold=True, size=13)
        if round_.decision_number:
            ws.append([f"Kèm theo Quyết định số {round_.decision_number}"])
        ws.append([])
        ws.append(
            ["Xếp hạng", "Mã định danh", "Đơn vị", "Tổng điểm", "Mức", "Số chỉ số đạt", "Số chỉ số chưa đạt"]
        )
        for cell in ws[ws.max_row]:
            cell.font = bold
        for r in selectors.results(round_):
            level = Level(r.level).label if r.level else "Chưa xếp mức"
            ws.append([r.rank, r.unit.code, r.unit.name, float(r.total), str(level), r.met, r.unmet])
            ws.cell(ws.max_row, 4).number_format = "0.000"
        ws.column_dimensions["B"].width = 22
        ws.column_dimensions["C"].width = 48
        ws.column_dimensions["D"].width = 12
        leaves, rows = selectors.met_table(round_)
        sheet = wb.create_sheet("Dat - chua dat")
        sheet.append(["Đơn vị", *[f"{c.code}. {c.name}" for c in leaves]])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for unit, marks in rows:
            sheet.append([unit.name, *[{True: "Đạt", False: "Chưa đạt", None: ""}[m] for m in marks]])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(round_: Round) -> HttpResponse:
    response = HttpResponse(
        workbook(round_), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="xep-hang-{round_.year}-{round_.pk}.xlsx"'
    return response
