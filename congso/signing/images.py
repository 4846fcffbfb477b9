"""Signature and seal images drawn at run time (no third-party artwork in the repository).

Decree 30/2020 Appendix I: the signer's image is blue, the agency's seal is red and overlaps it.
Administrators may upload their own PNGs instead (``SigningKey.image_png``).
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SANS = FONT_DIR + "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR + "DejaVuSans-Bold.ttf"
SERIF_ITALIC = FONT_DIR + "DejaVuSerif-Italic.ttf"
BLUE = (20, 45, 160, 255)
RED = (200, 20, 30, 255)


def _font(path: str, size: int):
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=64)
def signature_image(name: str) -> Image.Image:
    """A blue, handwriting-like rendering of the signer's name with an underline flourish."""
    width, height = 420, 160
    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    last = name.split()[-1] if name.split() else name
    font = _font(SERIF_ITALIC, 64)
    draw.text((30, 20), last, font=font, fill=BLUE)
    # a flourish under the name
    points = [(20 + x, 115 + 14 * math.sin(x / 38.0)) for x in range(0, 380, 4)]
    draw.line(points, fill=BLUE, width=4)
    return img


@lru_cache(maxsize=64)
def seal_image(agency_name: str, code: str = "") -> Image.Image:
    """A red round seal: double ring, the agency's name around it, a star in the centre."""
    size = 360
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=10)
    draw.ellipse((78, 78, size - 78, size - 78), outline=RED, width=4)
    # name around the ring, upper-case, one glyph at a time
    text = agency_name.upper()
    font = _font(SANS_BOLD, 22)
    radius = c - 44
    n = max(len(text), 1)
    span = min(300.0, 12.0 * n)
    start = -90 - span / 2
    for i, ch in enumerate(text):
        angle = math.radians(start + span * (i + 0.5) / n)
        glyph = Image.new("RGBA", (40, 40), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((20, 20), ch, font=font, fill=RED, anchor="mm")
        rotated = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = c + radius * math.cos(angle) - 20
        y = c + radius * math.sin(angle) - 20
        img.alpha_composite(rotated, (int(x), int(y)))
    # star
    star = []
    for k in range(10):
        r = 46 if k % 2 == 0 else 19
        a = math.radians(-90 + 36 * k)
        star.append((c + r * math.cos(a), c - 8 + r * math.sin(a)))
    draw.polygon(star, fill=RED)
    if code:
        draw.text((c, c + 58), code, font=_font(SANS, 16), fill=RED, anchor="mm")
    return img


def overlay(signature: Image.Image, seal: Image.Image) -> Image.Image:
    """The seal overlapping the left third of the signature, as Appendix I shows it."""
    height = 200
    sig = signature.resize((int(signature.width * height / signature.height), height))
    seal_size = height
    seal_img = seal.resize((seal_size, seal_size))
    width = seal_size * 2 // 3 + sig.width
    canvas = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    canvas.alpha_composite(sig, (seal_size * 2 // 3, 0))
    canvas.alpha_composite(seal_img, (0, 0))
    return canvas


def from_png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(bytes(data)))
    img.load()
    return img.convert("RGBA")


def to_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


_RESIZED: dict = {}


def _resized(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Resizing is the slow part of drawing an appearance; the same picture at the same size is reused."""
    cache_key = (id(picture), size)
    cached = _RESIZED.get(cache_key)
    if cached is not None and cached[0] is picture:
        return cached[1]
    if len(_RESIZED) > 256:
        _RESIZED.clear()
    resized = picture.resize(size)
    _RESIZED[cache_key] = (picture, resized)
    return resized


def appearance(
    picture: Image.Image | None,
    lines: tuple[str, ...] | list[str],
    width_pt: float,
    height_pt: float,
    *,
    text_ratio: float = 0.58,
    colour=(0, 0, 0, 255),
    scale: float = 2.0,
) -> Image.Image:
    """The whole visible signature as one image: the picture on the left, the text lines on the right.

    Drawing the text with Pillow (DejaVu Sans, full Vietnamese coverage) keeps signing fast: no font
    has to be subset and embedded for every signature.
    """
    w, h = max(int(width_pt * scale), 8), max(int(height_pt * scale), 8)
    canvas = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    text_w = int(w * text_ratio) if picture is not None and lines else (w if lines else 0)
    pic_w = w - text_w
    if picture is not None and pic_w > 0:
        ratio = min(pic_w / picture.width, h / picture.height)
        pic = _resized(picture, (max(int(picture.width * ratio), 1), max(int(picture.height * ratio), 1)))
        canvas.alpha_composite(pic, ((pic_w - pic.width) // 2, (h - pic.height) // 2))
    if lines:
        draw = ImageDraw.Draw(canvas)
        size = int(7 * scale)
        while size > 8:
            font = _font(SANS, size)
            widest = max(draw.textlength(line, font=font) for line in lines)
            if widest <= text_w - 2 * scale and len(lines) * size * 1.25 <= h:
                break
            size -= 1
        font = _font(SANS, size)
        y = (h - len(lines) * size * 1.25) / 2
        for line in lines:
            draw.text((pic_w + scale, y), line, font=font, fill=colour)
            y += size * 1.25
    return canvas


def with_caption(picture: Image.Image, caption: str, colour=RED) -> Image.Image:
    """A picture with one line of text under it (the seal with its signing time)."""
    font = _font(SANS_BOLD, max(picture.width // 16, 10))
    probe = ImageDraw.Draw(picture.copy())
    text_w = int(probe.textlength(caption, font=font)) + 8
    line_h = int(font.size * 1.4)
    width = max(picture.width, text_w)
    canvas = Image.new("RGBA", (width, picture.height + line_h), (255, 255, 255, 0))
    canvas.alpha_composite(picture, ((width - picture.width) // 2, 0))
    ImageDraw.Draw(canvas).text(
        (width // 2, picture.height + line_h // 2), caption, font=font, fill=colour, anchor="mm"
    )
    return canvas
