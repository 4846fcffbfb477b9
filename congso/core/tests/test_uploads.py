"""Uploads are checked by content; images lose their personal metadata before storage."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from congso.core.uploads import JPEG, PDF, PNG, UploadRejected, inspect_upload


def pdf_bytes(pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_with_exif(orientation=1, size=(40, 20)):
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Điện thoại của Nguyễn Văn An"  # Make
    exif[0x0131] = "Camera app"  # Software
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (13.0, 46.0, 12.0), 3: "E", 4: (109.0, 13.0, 5.0)}  # GPS near Quy Nhơn
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_with_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Trần Thị Bích")
    info.add_itxt("Comment", "Chụp tại nhà riêng, số 12 đường Lê Lợi")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 48)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_pdf_accepted_with_page_count():
    checked = inspect_upload(upload("to-khai-khai-sinh.pdf", pdf_bytes(pages=3)))
    assert checked.kind == PDF and checked.pages == 3 and checked.mime == "application/pdf"
    assert len(checked.sha256) == 64


def test_name_does_not_matter_content_does():
    assert inspect_upload(upload("anh-chup.txt", pdf_bytes())).kind == PDF
    with pytest.raises(UploadRejected, match="không phải là PDF hoặc JPEG hoặc PNG"):
        inspect_upload(upload("giay-to.pdf", b"MZ\x90\x00 this is a Windows program"))


def test_encrypted_pdf_refused_with_reason():
    with pytest.raises(UploadRejected, match="đặt mật khẩu"):
        inspect_upload(upload("so-do.pdf", pdf_bytes(password="123456")))


def test_broken_pdf_refused_with_reason():
    broken = pdf_bytes()[:200]
    with pytest.raises(UploadRejected, match="bị hỏng"):
        inspect_upload(upload("cccd.pdf", broken))


def test_size_limit(settings):
    settings.CONGSO_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(UploadRejected, match="vượt quá dung lượng cho phép"):
        inspect_upload(upload("lon.pdf", pdf_bytes() + b" " * 2000))
    assert inspect_upload(upload("nho.pdf", pdf_bytes()), max_bytes=5000).kind == PDF


def test_empty_file_refused():
    with pytest.raises(UploadRejected, match="rỗng"):
        inspect_upload(upload("trong.pdf", b""))


def test_only_allowed_kinds():
    with pytest.raises(UploadRejected, match="không phải là PDF"):
        inspect_upload(upload("anh.jpg", jpeg_with_exif()), allowed=(PDF,))


def test_jpeg_exif_and_gps_removed_losslessly():
    original = jpeg_with_exif()
    checked = inspect_upload(upload("cccd-mat-truoc.jpg", original))
    assert checked.kind == JPEG and (checked.width, checked.height) == (40, 20)
    assert b"Exif" not in checked.content and "Nguyễn Văn An".encode() not in checked.content
    with Image.open(io.BytesIO(checked.content)) as img:
        assert not img.getexif()
        assert img.tobytes() == Image.open(io.BytesIO(original)).tobytes()  # pixels unchanged


def test_rotated_jpeg_is_turned_upright_then_stripped():
    checked = inspect_upload(upload("so-ho-khau.jpg", jpeg_with_exif(orientation=6, size=(40, 20))))
    assert (checked.width, checked.height) == (20, 40)
    with Image.open(io.BytesIO(checked.content)) as img:
        assert img.size == (20, 40) and not img.getexif()


def test_png_text_chunks_removed():
    checked = inspect_upload(upload("chan-dung.png", png_with_text()))
    assert checked.kind == PNG
    assert b"tEXt" not in checked.content and b"iTXt" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as img:
        assert img.size == (8, 8) and not img.text


def test_truncated_image_refused():
    with pytest.raises(UploadRejected, match="bị hỏng"):
        inspect_upload(upload("anh.jpg", jpeg_with_exif()[:120]))


def test_large_jpeg_checked_to_its_last_byte_at_its_own_size():
    """The check decodes a JPEG at an eighth of its size (ADR 0184): the whole compressed stream is still
    read, so one cut in the middle of its image data is refused; the size told is the photo's."""
    buf = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(buf, "JPEG", quality=90)
    photo = buf.getvalue()
    checked = inspect_upload(upload("anh.jpg", photo))
    assert (checked.width, checked.height) == (800, 600) and checked.content == photo
    with pytest.raises(UploadRejected, match="bị hỏng"):
        inspect_upload(upload("anh.jpg", photo[: len(photo) // 2]))


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_cut_image_is_refused_even_after_weasyprint_loosened_pillow(monkeypatch, kind):
    """WeasyPrint sets Pillow's module-wide ``LOAD_TRUNCATED_IMAGES`` to True when a process first renders
    a receipt; from then on Pillow decodes a cut file without error. The check decodes strictly all the
    same, and leaves the flag as it found it."""
    import weasyprint  # noqa: F401 — the import that loosens Pillow
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buf, kind.upper())
    whole = buf.getvalue()
    with pytest.raises(UploadRejected, match="bị hỏng"):
        inspect_upload(upload(f"anh.{'jpg' if kind == 'jpeg' else 'png'}", whole[: len(whole) // 2]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    checked = inspect_upload(upload(f"anh.{'jpg' if kind == 'jpeg' else 'png'}", whole))
    assert (checked.width, checked.height) == (400, 300)


def test_decompression_bomb_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)
    with pytest.raises(UploadRejected, match="quá lớn"):
        inspect_upload(upload("bom.png", png_with_text()))


# --- Issue 15: a PDF starts with its header and parses strictly ------------------------------------


def _zip_with_pdf_first():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("to-khai.pdf", pdf_bytes())
        archive.writestr("ghi-chu.txt", "không phải PDF")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_zip_with_pdf_first(), id="zip-with-pdf-first"),
        pytest.param(b"<html><body><pre>\n" + pdf_bytes() + b"</pre></body></html>", id="html-embedding-pdf"),
        pytest.param(b"GIF89a" + b"\x00" * 40 + pdf_bytes(), id="other-header-then-pdf"),
    ],
)
def test_pdf_inside_something_else_is_not_a_pdf(content):
    with pytest.raises(UploadRejected, match="không phải là PDF"):
        inspect_upload(upload("giay-to.pdf", content))


def test_pdf_after_whitespace_still_accepted():
    assert inspect_upload(upload("to-khai.pdf", b"\r\n  " + pdf_bytes(pages=2))).pages == 2


def test_pdf_with_broken_cross_reference_refused():
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n99999", pdf_bytes())
    with pytest.raises(UploadRejected, match="bị hỏng hoặc không đọc được"):
        inspect_upload(upload("hong.pdf", broken))


def test_weasyprint_pdf_accepted():
    weasyprint = pytest.importorskip("weasyprint")
    data = weasyprint.HTML(string="<h1>Giấy tiếp nhận hồ sơ</h1><p>Nguyễn Văn An</p>").write_pdf()
    assert inspect_upload(upload("phieu.pdf", data)).pages == 1
