"""PAdES signing of PDF bytes with pyHanko: input checks, visible appearance, incremental update.

Every signature is added as an incremental update, so earlier signatures keep covering exactly the
bytes they covered. The level is PAdES-B-B, or PAdES-B-T when a timestamp authority is configured.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import io
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import TextStampStyle

from .images import appearance as render_appearance

VN_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PDF_MAGIC = b"%PDF-"


class PdfInputError(ValueError):
    """The uploaded file is not a PDF we can sign or check; the message says why, in Vietnamese."""


def outside_event_loop(func, *args, **kwargs):
    """pyHanko's synchronous API calls ``asyncio.run``; when the caller already runs an event loop
    in this thread (ASGI, Playwright in tests), do the work in a short-lived worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def check_pdf_bytes(data: bytes) -> PdfFileReader:
    """Refuse non-PDFs (by content), encrypted and unreadable PDFs. Returns a reader."""
    max_bytes = getattr(settings, "CONGSO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if not data:
        raise PdfInputError(_("Tệp rỗng."))
    if len(data) > max_bytes:
        raise PdfInputError(_("Tệp quá lớn: tối đa %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    if PDF_MAGIC not in data[:1024]:
        raise PdfInputError(_("Tệp không phải là tài liệu PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PdfInputError(_("Tệp PDF bị hỏng, không đọc được.")) from exc
    if encrypted:
        raise PdfInputError(
            _("Tệp PDF được đặt mật khẩu hoặc mã hoá; hãy gửi bản không mã hoá để ký hoặc xác thực.")
        )
    try:
        reader.root["/Pages"]  # noqa: B018 - force reading the document catalogue
        _page_count(reader)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PdfInputError(_("Tệp PDF bị hỏng, không đọc được.")) from exc
    return reader


def _page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def page_size(reader: PdfFileReader, page_index: int) -> tuple[float, float]:
    page = reader.find_page_for_modification(page_index)[0].get_object()
    x1, y1, x2, y2 = (float(v) for v in page["/MediaBox"])
    return x2 - x1, y2 - y1


def vn_now() -> datetime.datetime:
    return datetime.datetime.now(VN_TZ).replace(microsecond=0)


def iso_vn(moment: datetime.datetime) -> str:
    """ISO 8601 in Vietnam time, e.g. 2026-11-21T10:15:00+07:00 (Decree 30/2020 Appendix I)."""
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


@dataclass
class Appearance:
    """Where and how a signature shows on the page. ``box`` is in PDF points (x1, y1, x2, y2)."""

    page: int = -1  # -1: last page
    box: tuple[float, float, float, float] | None = None
    image: Image.Image | None = None
    lines: tuple[str, ...] = ()
    visible: bool = True
    text_ratio: float = 0.58  # share of the box width the text takes (image on the left)


def _timestamper():
    url = getattr(settings, "CONGSO_SIGNING_TSA_URL", "")
    if not url:
        return None
    return HTTPTimeStamper(url, timeout=getattr(settings, "CONGSO_SIGNING_TSA_TIMEOUT", 10))


def _stamp_style(appearance: Appearance, box_w: float, box_h: float) -> TextStampStyle:
    picture = render_appearance(
        appearance.image, appearance.lines, box_w, box_h, text_ratio=appearance.text_ratio
    )
    return TextStampStyle(
        stamp_text="",
        border_width=0,
        background=PdfImage(picture),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
        ),
    )


def _cms_size(signer) -> int:
    """Size of this signer's CMS container, measured once with a dry run and remembered on the signer
    (pyHanko would otherwise sign twice for every document to estimate it)."""
    size = getattr(signer, "_congso_cms_size", None)
    if size is None:
        import hashlib

        dummy = hashlib.sha256(b"").digest()
        size = len(asyncio.run(signer.async_sign(dummy, "sha256", dry_run=True, use_pades=True)).dump())
        try:
            signer._congso_cms_size = size
        except AttributeError:
            pass
    return size


def next_field_name(reader: PdfFileReader, prefix: str) -> str:
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    n = len(existing) + 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


def sign_bytes(*args, **kwargs):
    """Sign ``data``; returns (signed bytes, field name, PAdES level, box used, page index)."""
    return outside_event_loop(_sign_bytes, *args, **kwargs)


def _sign_bytes(
    data: bytes,
    signer,
    *,
    appearance: Appearance,
    field_prefix: str = "ChuKy",
    reason: str = "",
    location: str = "",
    signer_name: str = "",
) -> tuple[bytes, str, str, tuple | None, int]:
    """Sign ``data``; returns (signed bytes, field name, PAdES level, box used, page index)."""
    reader = check_pdf_bytes(data)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    field_name = next_field_name(reader, field_prefix)
    pages = _page_count(reader)
    page_index = appearance.page if appearance.page >= 0 else pages - 1
    page_index = min(max(page_index, 0), pages - 1)
    spec_kwargs = {"sig_field_name": field_name, "on_page": page_index}
    style = None
    box = None
    if appearance.visible:
        width, height = page_size(reader, page_index)
        box = appearance.box or (width - 36 - 220, 40, width - 36, 40 + 82)
        spec_kwargs["box"] = tuple(round(v, 2) for v in box)
        style = _stamp_style(appearance, box[2] - box[0], box[3] - box[1])
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=signer_name or None,
    )
    timestamper = _timestamper()
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=SigFieldSpec(**spec_kwargs),
    )
    out = io.BytesIO()
    # A fixed reservation avoids pyHanko's dry-run signature (it would sign twice).
    # Kept tight: validators parse the hex /Contents character by character, so slack costs time.
    # (bytes_reserved counts hex digits: two per byte of the CMS container)
    reserved = 2 * _cms_size(signer) + 1024 + (16384 if timestamper else 0)
    reserved += reserved % 2
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=reserved)
    level = "PAdES-B-T" if timestamper else "PAdES-B-B"
    return out.getvalue(), field_name, level, spec_kwargs.get("box"), page_index
