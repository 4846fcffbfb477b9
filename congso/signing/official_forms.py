"""The one-stop printed forms (Circular 03/2025/TT-VPCP templates) as PDF, from plain data.

The dossier app builds a :class:`FormData` and calls one ``issue_*`` function per form. Slips are
A5 (as Circular 01/2018 printed them), the log book A4 landscape. WeasyPrint renders HTML templates
with DejaVu fonts from Debian (embedded, never fetched from the network); the signature box's place
is read from the laid-out page, so the agency seal lands where the template puts "signature".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from congso.core.uploads import MIME
from congso.directory.selectors import agency_by_code

from . import crypto
from .models import IssuedDocument, SigningKey
from .pdfsign import VN_TZ
from .services import SigningError, create_document_record, issue_pdf, record_url, store_issued

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PX_TO_PT = 0.75


@dataclass
class AgencyInfo:
    name: str
    code: str
    parent_name: str = ""
    address: str = ""
    phone: str = ""


@dataclass
class ApplicantInfo:
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    label: str = ""  # a co-applicant's role, e.g. "Bên thứ hai đăng ký kết hôn (vợ hoặc chồng)"


@dataclass
class Component:
    name: str
    originals: int = 1
    copies: int = 0
    files: int | None = None  # filed electronically: the number of files uploaded (no paper originals)


@dataclass
class DeclaredBlock:
    """A section of what the applicant declared in the online form: its title and (label, value) rows."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ControlStep:
    """One hand-over on the control sheet: from whom to whom, when, and the result."""

    handed_by: str
    received_by: str
    at: datetime.datetime
    deadline: datetime.datetime | None = None
    note: str = ""


@dataclass
class LogRow:
    dossier_code: str
    applicant: str
    procedure_name: str
    received_at: datetime.datetime
    appointment_at: datetime.datetime | None = None
    returned_at: datetime.datetime | None = None
    status: str = ""


@dataclass
class FormData:
    dossier_code: str
    agency: AgencyInfo
    procedure_name: str = ""
    applicant: ApplicantInfo | None = None
    # Who files together with the applicant (the other spouse of a marriage registration), each with the
    # label the procedure gives them.
    co_applicants: list[ApplicantInfo] = field(default_factory=list)
    received_at: datetime.datetime | None = None
    appointment_at: datetime.datetime | None = None
    new_appointment_at: datetime.datetime | None = None
    components: list[Component] = field(default_factory=list)
    channel: str = ""
    staff_name: str = ""
    place: str = ""
    number: str = ""
    reasons: list[str] = field(default_factory=list)
    steps: list[ControlStep] = field(default_factory=list)
    rows: list[LogRow] = field(default_factory=list)
    period: str = ""
    issued_at: datetime.datetime | None = None
    lookup_url: str = ""  # the public status lookup of the dossier (printed on the receipt)
    # A partially online dossier (Decree 42/2022): what the applicant must still do at the agency, and
    # where the result is collected (printed on the submission receipt and the receipt). Empty: nothing.
    in_person: list[str] = field(default_factory=list)
    result_place: str = ""
    # What the applicant declared online (the e-form's answers), printed on the online receipts.
    declared: list[DeclaredBlock] = field(default_factory=list)

    @property
    def electronic_components(self) -> bool:
        return any(c.files is not None for c in self.components)


FORMS = {
    IssuedDocument.Kind.RECEIPT: ("signing/forms/receipt.html", "A5"),
    IssuedDocument.Kind.SUBMISSION: ("signing/forms/submission.html", "A5"),
    IssuedDocument.Kind.SUPPLEMENT_REQUEST: ("signing/forms/supplement_request.html", "A5"),
    IssuedDocument.Kind.REFUSAL: ("signing/forms/refusal.html", "A5"),
    IssuedDocument.Kind.APOLOGY: ("signing/forms/apology.html", "A5"),
    IssuedDocument.Kind.STOP_NOTICE: ("signing/forms/stop_notice.html", "A5"),
    IssuedDocument.Kind.CONTROL_SHEET: ("signing/forms/control_sheet.html", "A5"),
    IssuedDocument.Kind.LOG_BOOK: ("signing/forms/log_book.html", "A4 landscape"),
}


def _local_only_fetcher():
    """Fonts and images come from Debian's font directory or inline data, never the network."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://") and not url[7:].startswith(str(FONT_DIR)):
                raise ValueError(f"blocked resource: {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def _vn(moment):
    return moment.astimezone(VN_TZ) if isinstance(moment, datetime.datetime) else moment


@dataclass
class RenderedForm:
    pdf: bytes
    signature_page: int
    signature_box: tuple[float, float, float, float] | None


def render_form(kind: str, data: FormData, *, qr_url: str) -> RenderedForm:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    template, size = FORMS[kind]
    issued = _vn(data.issued_at or timezone.now())
    qr = segno.make(qr_url, error="m")
    context = {
        "d": data,
        "kind": kind,
        "title": IssuedDocument.Kind(kind).label,
        "page_size": size,
        "font_dir": FONT_DIR.as_uri(),
        "qr_uri": qr.svg_data_uri(scale=3, border=1),
        "qr_url": qr_url,
        "issued": issued,
        "received_at": _vn(data.received_at),
        "appointment_at": _vn(data.appointment_at),
        "new_appointment_at": _vn(data.new_appointment_at),
    }
    with override("vi"):  # official forms are always in Vietnamese
        html = render_to_string(template, context)
    document = HTML(string=html, url_fetcher=_local_only_fetcher()).render(font_config=FontConfiguration())
    page_index, box = _find_box(document, "chu-ky")
    return RenderedForm(pdf=document.write_pdf(), signature_page=page_index, signature_box=box)


def _find_box(document, element_id: str):
    for index, page in enumerate(document.pages):
        height_pt = page.height * PX_TO_PT
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id and box.width:
                x1 = box.position_x * PX_TO_PT
                top = box.position_y * PX_TO_PT
                w = box.margin_width() * PX_TO_PT
                h = box.margin_height() * PX_TO_PT
                return index, (
                    round(x1, 2),
                    round(height_pt - top - h, 2),
                    round(x1 + w, 2),
                    round(height_pt - top, 2),
                )
    return -1, None


# --- one service function per form ----------------------------------------------------------


def _issue(
    kind, data: FormData, *, actor, title: str, seal_key: SigningKey | None, electronic: bool, as_system: bool
):
    """Create the record (its id goes into the QR), render, and sign with the agency's seal."""

    agency = agency_by_code(data.agency.code)
    if agency is None:
        raise SigningError(_("Không tìm thấy cơ quan có mã %(code)s.") % {"code": data.agency.code})
    if electronic and seal_key is None:
        seal_key = (
            SigningKey.objects.filter(agency=agency, kind=SigningKey.Kind.SEAL, is_active=True)
            .order_by("-created_at")
            .first()
        )
        if seal_key is None:
            raise SigningError(
                _("Cơ quan %(name)s chưa có khoá ký số (con dấu điện tử).") % {"name": agency.name}
            )
    document = create_document_record(
        kind=kind, code=data.dossier_code, title=title, agency=agency, actor=actor, issued_at=data.issued_at
    )
    rendered = render_form(kind, data, qr_url=record_url(document))
    if not electronic:
        from django.core.files.base import ContentFile

        document.file.save(f"{kind}-{document.pk}.pdf", ContentFile(rendered.pdf), save=False)
        document.sha256 = crypto.sha256_hex(rendered.pdf)
        document.save(update_fields=["file", "sha256"])
        return document, rendered.pdf
    boxes = {seal_key.pk: (rendered.signature_box, rendered.signature_page)} if rendered.signature_box else {}
    pdf = issue_pdf(rendered.pdf, document, actor=actor, keys=[seal_key], boxes=boxes, as_system=as_system)
    return document, pdf


def issue_receipt(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    return _issue(
        IssuedDocument.Kind.RECEIPT,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả — {data.procedure_name}",
    )


def issue_submission_receipt(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Biên nhận hồ sơ nộp trực tuyến: what the system received and when, before the agency's check."""
    return _issue(
        IssuedDocument.Kind.SUBMISSION,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Biên nhận hồ sơ nộp trực tuyến — {data.procedure_name}",
    )


def issue_supplement_request(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    return _issue(
        IssuedDocument.Kind.SUPPLEMENT_REQUEST,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — {data.procedure_name}",
    )


def issue_refusal(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    return _issue(
        IssuedDocument.Kind.REFUSAL,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Phiếu từ chối tiếp nhận giải quyết hồ sơ — {data.procedure_name}",
    )


def issue_apology(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết."""
    return _issue(
        IssuedDocument.Kind.APOLOGY,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết — {data.procedure_name}",
    )


def issue_stop_notice(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Thông báo dừng giải quyết hồ sơ."""
    return _issue(
        IssuedDocument.Kind.STOP_NOTICE,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Thông báo dừng giải quyết hồ sơ — {data.procedure_name}",
    )


def issue_control_sheet(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""
    return _issue(
        IssuedDocument.Kind.CONTROL_SHEET,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ — {data.procedure_name}",
    )


def issue_log_book(data: FormData, *, actor, seal_key=None, electronic=True, as_system=False):
    """Sổ theo dõi hồ sơ (A4). ``data.dossier_code`` carries the book's reference, ``data.rows`` its lines."""
    return _issue(
        IssuedDocument.Kind.LOG_BOOK,
        data,
        actor=actor,
        seal_key=seal_key,
        electronic=electronic,
        as_system=as_system,
        title=f"Sổ theo dõi hồ sơ {data.period}".strip(),
    )


def _has_signatures(reader) -> bool:
    fields = (
        reader.trailer["/Root"].get("/AcroForm", {}).get("/Fields", []) if "/Root" in reader.trailer else []
    )
    return any(field.get_object().get("/FT") == "/Sig" for field in fields)


def stamp_verification_qr(pdf: bytes, url: str) -> bytes:
    """Put a QR code of ``url`` (the document's public record) in the bottom-left corner of page 1.

    A PDF that already carries signatures is returned unchanged: rewriting it would break them."""
    import io

    import segno
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    reader = PdfReader(io.BytesIO(pdf))
    if _has_signatures(reader):
        return pdf
    box = reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    qr = segno.make(url, error="m").svg_data_uri(scale=2)
    html = (
        f"<style>@page {{ size: {width}pt {height}pt; margin: 0 }}"
        "img { position: absolute; left: 14pt; bottom: 14pt; width: 58pt; height: 58pt }"
        "p { position: absolute; left: 76pt; bottom: 16pt; width: 220pt; margin: 0;"
        " font: 6.5pt 'DejaVu Sans'; color: #000 }</style>"
        f'<img src="{qr}" alt=""><p>Quét mã để xác thực văn bản trên Cổng dịch vụ công: {url}</p>'
    )
    overlay = PdfReader(io.BytesIO(HTML(string=html, url_fetcher=_local_only_fetcher()).write_pdf())).pages[0]
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_to_pdf(image: bytes, mime: str, *, landscape: bool = False) -> bytes:
    """An image result (a scan, JPEG or PNG) on one A4 page, fitted inside margins that leave the bottom
    strip free for the verification QR. JPEG data is embedded as it is (no re-encoding), PNG losslessly."""
    import base64

    from weasyprint import HTML

    uri = f"data:{mime};base64,{base64.b64encode(image).decode()}"
    html = (
        f"<style>@page {{ size: A4 {'landscape' if landscape else 'portrait'}; margin: 12mm 12mm 30mm }}"
        "html, body { margin: 0; height: 100% }"
        "img { display: block; max-width: 100%; max-height: 100%; margin: 0 auto }</style>"
        f'<img src="{uri}" alt="">'
    )
    return HTML(string=html, url_fetcher=_local_only_fetcher()).write_pdf()


def issue_result(
    content: bytes,
    *,
    dossier_code: str,
    number: str,
    title: str,
    agency,
    actor,
    kind: str = "pdf",
    landscape: bool = False,
):
    """Publish a dossier's result: create its public record, stamp the record's QR on page 1 and, when
    ``agency`` (the issuing agency) has an active seal key, seal it.

    Every result gets its QR, sealed or not; an image (``kind`` "jpeg" or "png") is first put on an A4
    page (``image_to_pdf``). A PDF that already carries signatures (e.g. signed by the leader before
    upload) is kept as it is: stamping it would break them. Returns (IssuedDocument, bytes): the bytes
    are the file to keep, and the record's SHA-256 is theirs."""

    if kind != "pdf":
        content = image_to_pdf(content, MIME[kind], landscape=landscape)
    seal = (
        SigningKey.objects.filter(agency=agency, kind=SigningKey.Kind.SEAL, is_active=True)
        .order_by("-created_at")
        .first()
    )
    document = create_document_record(
        kind=IssuedDocument.Kind.RESULT,
        code=dossier_code,
        title=f"{title} — số {number}",
        agency=agency,
        actor=actor,
    )
    stamped = stamp_verification_qr(content, record_url(document))
    if seal is None:
        store_issued(document, stamped, actor=actor)
        return document, stamped
    signed = issue_pdf(stamped, document, actor=actor, keys=[seal], attachment_number=number)
    return document, signed
