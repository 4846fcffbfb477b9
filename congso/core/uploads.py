"""Check uploaded files by content, never by name, and remove personal metadata from images.

    checked = inspect_upload(request.FILES["file"])   # raises UploadRejected (Vietnamese message)
    default_storage.save(path, ContentFile(checked.content))

Accepted kinds: PDF, JPEG and PNG (configurable per call). PDFs must open, have pages and not be
encrypted. Images must decode; their EXIF/XMP/IPTC/text metadata (GPS position, device, owner) is
removed losslessly before storage, except that a JPEG whose EXIF says it is rotated is turned upright
first (re-encoded at the same quality) so that stripping the tag does not leave it sideways.
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import pdftext
from .errors import ServiceError

PDF, JPEG, PNG, MP4 = "pdf", "jpeg", "png", "mp4"
MIME = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png", MP4: "video/mp4"}
EXTENSION = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", MP4: ".mp4"}
KIND_LABEL = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", MP4: "MP4"}
# ISO base media (MP4, also what phones record as .mov/.m4v in MPEG-4): ftyp's major brands accepted.
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"qt  ",
    b"3gp4",
    b"3gp5",
}
# Boxes that carry metadata about the person or device (GPS ©xyz, maker, model), blanked on upload.
MP4_METADATA_BOXES = {b"udta", b"meta", b"uuid"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A PDF starts with its header; only whitespace may come before it (not a ZIP's or an HTML page's
# header around an embedded PDF, which a lenient "%PDF- in the first KB" check let through).
_PDF_LEADING_WHITESPACE = b" \t\r\n\f"
# PNG chunks that carry metadata about the person or device, dropped on upload.
PNG_METADATA_CHUNKS = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
# JPEG APPn segments dropped: APP1 (EXIF, XMP), APP12, APP13 (IPTC/Photoshop), COM comments.
JPEG_DROP_MARKERS = {0xE1, 0xEC, 0xED, 0xFE}


@dataclass
class Upload:
    """A file given to a use case (a dossier's component, a supplement, a result): checked by
    ``inspect_upload`` before anything is stored."""

    component: str
    file: object  # an UploadedFile, file object or bytes
    name: str = ""


class UploadRejected(ServiceError):
    code = "upload_rejected"


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content: bytes
    sha256: str
    original_name: str
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    seconds: float | None = None  # a video's duration
    text: str | None = None  # a PDF's text layer, when the check was asked to read it

    @property
    def mime(self) -> str:
        return MIME[self.kind]

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def extension(self) -> str:
        return EXTENSION[self.kind]


def sniff(head: bytes) -> str | None:
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return MP4
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head[:1024].lstrip(_PDF_LEADING_WHITESPACE).startswith(b"%PDF-"):
        return PDF
    return None


def inspect_upload(
    upload, *, allowed=(PDF, JPEG, PNG), max_bytes: int | None = None, read_text: bool = False
) -> CheckedFile:
    """Read and check an uploaded file (Django UploadedFile, file object or bytes). ``read_text``: a
    PDF's text layer is read in the same PDFium session as its first page (``CheckedFile.text``)."""
    max_bytes = max_bytes or settings.CONGSO_MAX_UPLOAD_BYTES
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(_too_big(name, max_bytes))
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(_too_big(name, max_bytes))
    if not data:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": name or _("đã chọn")})
    kind = sniff(data[:1024])
    if kind not in allowed:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” không phải là %(kinds)s. Hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp."
            )
            % {"name": name or _("đã chọn"), "kinds": _(" hoặc ").join(KIND_LABEL[k] for k in allowed)}
        )
    if kind == PDF:
        return _check_pdf(data, name, read_text=read_text)
    if kind == MP4:
        return _check_mp4(data, name)
    return _check_image(data, name, kind)


def _too_big(name: str, limit: int) -> str:
    return _("Tệp “%(name)s” vượt quá dung lượng cho phép (%(limit)s).") % {
        "name": name or _("đã chọn"),
        "limit": filesizeformat(limit),
    }


def _check_pdf(data: bytes, name: str, *, read_text: bool = False) -> CheckedFile:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    start = len(data) - len(data.lstrip(_PDF_LEADING_WHITESPACE))
    body = data[start:] if start else data
    try:
        # Strict: a broken cross-reference table or trailer is refused rather than repaired (pypdf reads
        # only those), so a file that passes renders; then PDFium, the engine that renders it in Chrome,
        # must open it and read its first page (pypdf walking the page tree through object streams cost
        # three times as much; ADR 0186). The content streams are never read here.
        reader = PdfReader(io.BytesIO(body), strict=True)
        if reader.is_encrypted:
            raise UploadRejected(
                _("Tệp PDF “%(name)s” được đặt mật khẩu hoặc mã hoá. Vui lòng gửi bản không đặt mật khẩu.")
                % {"name": name}
            )
        pages, text = pdftext.examine(body, with_text=read_text)
        if not pages:
            raise PdfReadError("no pages, or the first page cannot be read")
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — any parser failure means a broken file
        raise UploadRejected(
            _("Tệp PDF “%(name)s” bị hỏng hoặc không đọc được. Vui lòng quét hoặc xuất lại tệp.")
            % {"name": name}
        ) from None
    return CheckedFile(
        PDF, data, hashlib.sha256(data).hexdigest(), name, pages=pages, text=text if read_text else None
    )


_strict = threading.Lock()


@contextmanager
def strict_decoding():
    """Pillow decodes a truncated image without error while its module-wide flag
    ``ImageFile.LOAD_TRUNCATED_IMAGES`` is True, and WeasyPrint sets it to True when it is imported (the
    first receipt or notice a process renders). An upload check must refuse a cut file whatever was
    imported before it: the flag is False while a check decodes, one check at a time in a process."""
    from PIL import ImageFile

    with _strict:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _check_image(data: bytes, name: str, kind: str) -> CheckedFile:
    from PIL import Image

    broken = _("Tệp ảnh “%(name)s” bị hỏng hoặc không đọc được.") % {"name": name}
    try:
        with strict_decoding():
            return _checked_image(data, name, kind)
    except Image.DecompressionBombError:
        raise UploadRejected(_("Ảnh “%(name)s” có kích thước quá lớn.") % {"name": name}) from None
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — any decoder failure means a broken file
        raise UploadRejected(broken) from None


def _checked_image(data: bytes, name: str, kind: str) -> CheckedFile:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as probe:
        probe.verify()
    with Image.open(io.BytesIO(data)) as img:
        width, height = img.size
        orientation = img.getexif().get(0x0112, 1) if kind == JPEG else 1
        if orientation == 1 and kind == JPEG:
            # The check decodes every byte of the compressed image (a truncated or broken stream is
            # refused, as by a full decode), but the inverse DCT and the colours at an eighth of the
            # size: the stored file is the original's bytes, never this decoded copy (ADR 0184).
            img.draft(img.mode, (max(1, width // 8), max(1, height // 8)))
        img.load()
        if orientation != 1:
            upright = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            upright.save(
                out, "JPEG", quality=92, optimize=True, exif=b"", icc_profile=img.info.get("icc_profile")
            )
            clean = out.getvalue()
            width, height = upright.size
        elif kind == JPEG:
            clean = strip_jpeg_metadata(data)
        else:
            clean = strip_png_metadata(data)
    return CheckedFile(kind, clean, hashlib.sha256(clean).hexdigest(), name, width=width, height=height)


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Drop EXIF/XMP/IPTC/comment segments before the image data; keep everything else byte for byte
    (the pieces kept are joined once: the image data, most of a photo, is copied a single time)."""
    view = memoryview(data)
    out = [view[:2]]
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise ValueError("malformed JPEG segment")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(view[i:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:
            out.append(view[i : i + 2])
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker not in JPEG_DROP_MARKERS:
            out.append(view[i : i + 2 + length])
        i += 2 + length
    raise ValueError("JPEG without image data")


def strip_png_metadata(data: bytes) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    i = len(PNG_SIGNATURE)
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        chunk_type = data[i + 4 : i + 8]
        end = i + 12 + length
        if chunk_type not in PNG_METADATA_CHUNKS:
            out += data[i:end]
        i = end
        if chunk_type == b"IEND":
            return bytes(out)
    raise ValueError("PNG without IEND")


def _boxes(data: bytes | bytearray, start: int, end: int):
    """The ISO base media boxes between ``start`` and ``end``: (type, header start, payload start, end).
    Raises ValueError when a box's size does not fit."""
    pos = start
    while pos < end:
        if end - pos < 8:
            raise ValueError("truncated box header")
        size, kind = struct.unpack(">I4s", bytes(data[pos : pos + 8]))
        header = 8
        if size == 1:
            if end - pos < 16:
                raise ValueError("truncated large box")
            size = struct.unpack(">Q", bytes(data[pos + 8 : pos + 16]))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError("box size out of range")
        yield kind, pos, pos + header, pos + size
        pos += size


def _check_mp4(data: bytes, name: str) -> CheckedFile:
    """An MP4 (ISO base media) video: its boxes must chain to the end of the file, with a movie header
    (moov/mvhd) and media data (mdat). Boxes that may hold the place or the device (udta, meta, uuid)
    are blanked in place (turned into ``free`` boxes of the same size, so the media offsets stay
    right). The duration is read from mvhd."""
    bad = _("Tệp “%(name)s” không phải là video MP4 hợp lệ.") % {"name": name or _("đã chọn")}
    out = bytearray(data)
    seconds = None
    try:
        top = {kind: (h, p, e) for kind, h, p, e in _boxes(out, 0, len(out))}
        if b"moov" not in top or b"mdat" not in top:
            raise ValueError("no moov or mdat")
        _h, moov_start, moov_end = top[b"moov"]

        def blank(start: int, end: int) -> None:
            for kind, h, p, e in list(_boxes(out, start, end)):
                if kind in MP4_METADATA_BOXES:
                    out[h + 4 : h + 8] = b"free"
                    out[p:e] = bytes(e - p)
                elif kind in (b"trak", b"mdia", b"minf", b"stbl"):
                    blank(p, e)

        for kind, _h2, p, _e in list(_boxes(out, moov_start, moov_end)):
            if kind == b"mvhd":
                version = out[p]
                if version == 1:
                    timescale, duration = struct.unpack(">IQ", bytes(out[p + 20 : p + 32]))
                else:
                    timescale, duration = struct.unpack(">II", bytes(out[p + 12 : p + 20]))
                if timescale:
                    seconds = duration / timescale
        blank(moov_start, moov_end)
        for kind, h, p, e in list(_boxes(out, 0, len(out))):
            if kind in MP4_METADATA_BOXES:
                out[h + 4 : h + 8] = b"free"
                out[p:e] = bytes(e - p)
    except (ValueError, struct.error):
        raise UploadRejected(bad) from None
    if seconds is None:
        raise UploadRejected(bad)
    content = bytes(out)
    return CheckedFile(
        kind=MP4,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
        seconds=seconds,
    )
