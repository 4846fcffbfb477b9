"""Text of scanned documents by OCR (ADR 0169): Tesseract with its Vietnamese model (Debian packages
``tesseract-ocr`` and ``tesseract-ocr-vie``), a scanned PDF turned into page images by ``pdftoppm``
(poppler-utils). Both programs run as subprocesses with a time limit, in a temporary directory,
the file passed on standard input or as a file of our own naming (never a name from the sender).

``extract(content, kind)`` returns the text, or raises ``OcrUnavailable`` (the programs or the
Vietnamese model are missing: the job stays pending, an operator installs them and runs
``congso documents ocr``) or ``OcrFailed`` (this file cannot be read)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

PDF, JPEG, PNG = "pdf", "jpeg", "png"


class OcrUnavailable(RuntimeError):
    pass


class OcrFailed(RuntimeError):
    pass


def _setting(name, default):
    return getattr(settings, name, default)


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise OcrUnavailable(f"{name} is not installed")
    return path


def languages() -> str:
    return _setting("CONGSO_OCR_LANGUAGES", "vie")


def available() -> bool:
    """Tesseract, pdftoppm and every language model asked for are installed."""
    try:
        tesseract = _binary("tesseract")
        _binary("pdftoppm")
    except OcrUnavailable:
        return False
    out = subprocess.run(  # noqa: S603 — a fixed program and arguments
        [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    have = set(out.stdout.split())
    return all(lang in have for lang in languages().split("+"))


def _run(args, *, timeout, cwd=None) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, cwd=cwd, check=False)  # noqa: S603 — our paths
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(f"{Path(args[0]).name} took longer than {timeout} s") from exc
    if done.returncode != 0:
        raise OcrFailed(done.stderr.decode("utf-8", "replace")[-500:] or f"exit {done.returncode}")
    return done


def _tesseract(image: Path, timeout: int) -> str:
    done = _run(
        [_binary("tesseract"), str(image), "stdout", "-l", languages(), "--psm", "3"],
        timeout=timeout,
    )
    return done.stdout.decode("utf-8", "replace")


def extract(content: bytes, kind: str) -> str:
    """The text of a scanned PDF (each page rendered at ``CONGSO_OCR_DPI``, at most
    ``CONGSO_OCR_MAX_PAGES`` pages) or of a JPEG/PNG image."""
    timeout = int(_setting("CONGSO_OCR_TIMEOUT_SECONDS", 120))
    with tempfile.TemporaryDirectory(prefix="congso-ocr-") as tmp:
        work = Path(tmp)
        if kind in (JPEG, PNG):
            image = work / f"scan.{'jpg' if kind == JPEG else 'png'}"
            image.write_bytes(content)
            return _tesseract(image, timeout).strip()
        if kind != PDF:
            raise OcrFailed(f"cannot read {kind}")
        source = work / "scan.pdf"
        source.write_bytes(content)
        _run(
            [
                _binary("pdftoppm"),
                "-r",
                str(int(_setting("CONGSO_OCR_DPI", 300))),
                "-gray",
                "-png",
                "-l",
                str(int(_setting("CONGSO_OCR_MAX_PAGES", 50))),
                str(source),
                str(work / "page"),
            ],
            timeout=timeout,
        )
        pages = sorted(work.glob("page-*.png"))
        if not pages:
            raise OcrFailed("the PDF has no page to read")
        return "\n\f\n".join(_tesseract(p, timeout).strip() for p in pages).strip()
