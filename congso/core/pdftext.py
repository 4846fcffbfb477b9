"""The text layer and page count of a PDF, read with PDFium (pypdfium2; ADR 0186).

pypdf reads a content stream one operator at a time in Python: for a born-digital three-page decision
(WeasyPrint, LibreOffice, Word: glyphs written as hex strings) that took about 100 ms, more than every
signature check of a received packet together. PDFium, Chrome's PDF engine, reads the same text in about
5 ms. The file has passed ``core.uploads`` (a PDF, within the size limit) before it gets here.

PDFium is not thread-safe: every call here holds one process-wide lock (the web server runs threads).
A PDF that PDFium cannot open gives no text and no page count, never an error: a scan without a text
layer, or a damaged file, is OCR's business (``documents.services.run_ocr``).
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import closing, contextmanager

import pypdfium2

log = logging.getLogger(__name__)

MAX_PAGES = 50  # pages read for the text layer (a search index, not an archive)
MAX_CHARS = 200_000

_lock = threading.Lock()
# PDFium marks soft hyphens and generated characters with control codes; a database text cannot hold NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


@contextmanager
def _opened(content: bytes):
    """The PDF opened by PDFium under the process-wide lock, closed afterwards; None when it cannot be
    opened."""
    with _lock:
        try:
            document = pypdfium2.PdfDocument(content)
        except pypdfium2.PdfiumError as exc:
            log.info("PDF not opened: %s", exc)
            document = None
        try:
            yield document
        finally:
            if document is not None:
                document.close()


def text(content: bytes, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> str:
    """The text of the first ``max_pages`` pages, pages separated by a blank line, lines by ``\\n``."""
    with _opened(content) as document:
        return _text_of(document, max_pages=max_pages, max_chars=max_chars) if document is not None else ""


def page_count(content: bytes) -> int | None:
    """How many pages the PDF has, once its first page has loaded; None when PDFium cannot open the file,
    it has no page, or its first page cannot be read (what ``core.uploads`` refuses as broken)."""
    return examine(content)[0]


def examine(content: bytes, *, with_text: bool = False) -> tuple[int | None, str]:
    """``(page_count(content), text(content))`` in one PDFium session, the first page loaded once; the
    text only ``with_text`` (else ""), and none for a file ``page_count`` finds broken."""
    with _opened(content) as document:
        if document is None or not len(document):
            return None, ""
        try:
            first = document[0]
        except pypdfium2.PdfiumError as exc:
            log.info("first page not read: %s", exc)
            return None, ""
        with closing(first):
            width, height = first.get_size()
            if not (width > 0 and height > 0):
                return None, ""
            pages = len(document)
            return pages, (_text_of(document, first=first) if with_text else "")


def _text_of(document, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS, first=None) -> str:
    """The text of an opened document's first pages (``first``: its first page, already loaded)."""
    pages = []
    try:
        size = 0
        for index in range(min(len(document), max_pages)):
            page = first if index == 0 and first is not None else document[index]
            try:
                with closing(page.get_textpage()) as textpage:
                    chunk = textpage.get_text_range()
            finally:
                if page is not first:
                    page.close()
            chunk = _CONTROL.sub("", chunk.replace("\r\n", "\n").replace("\r", "\n"))
            pages.append(chunk)
            size += len(chunk)
            if size >= max_chars:
                break
    except pypdfium2.PdfiumError as exc:
        log.info("text layer read in part: %s", exc)
    return "\n\n".join(pages)[:max_chars]
