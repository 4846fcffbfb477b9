"""A faster reader for PDF hex strings, installed into pyHanko at start-up.

pyHanko reads hex strings one character at a time in Python; a signature's /Contents is several
thousand hex digits, which made reading it the largest single cost of verifying a signature.
This reader has the same semantics (whitespace ignored, odd length padded with 0, any other byte is
an error) and falls back to pyHanko's own reader for the rare hex string that contains a comment.
See docs/adr/0030-signing-keys-and-trust.md.
"""

from __future__ import annotations

import binascii

from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

_WHITESPACE = b" \t\n\r\x0c\x00"
# What is replaced: pyHanko's reader, which ``generic.read_object`` looks up as a module global.
PATCHED = "read_hex_string_from_stream"
_original = getattr(generic, PATCHED, None)


def read_hex_string_from_stream(stream):
    start = stream.tell()
    stream.read(1)  # the opening "<"
    chunks = []
    while True:
        block_start = stream.tell()
        block = stream.read(16384)
        if not block:
            raise PdfStreamError("Stream ended prematurely")
        end = block.find(b">")
        if end >= 0:
            chunks.append(block[:end])
            stream.seek(block_start + end + 1)
            break
        chunks.append(block)
    digits = b"".join(chunks)
    if b"%" in digits:
        stream.seek(start)
        return _original(stream)
    digits = digits.translate(None, _WHITESPACE)
    if digits.translate(None, generic.HEX_DIGITS):
        raise PdfStreamError("Unexpected token in hex string")
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def check_pyhanko() -> None:
    """Raise ImproperlyConfigured unless pyHanko still reads hex strings the way this module expects:
    a module-level ``generic.read_hex_string_from_stream`` that ``generic.read_object`` calls by name,
    and the helpers used here. Otherwise installing would silently change nothing, or break reading."""
    problems = [
        f"pyhanko.pdf_utils.generic.{name} is missing"
        for name in (PATCHED, "read_object", "pdf_string", "HEX_DIGITS")
        if not hasattr(generic, name) or (name == PATCHED and _original is None)
    ]
    if not problems and PATCHED not in generic.read_object.__code__.co_names:
        problems.append(f"pyhanko.pdf_utils.generic.read_object no longer calls {PATCHED}")
    if problems:
        raise ImproperlyConfigured(
            "congso.signing.fastpath cannot install its hex-string reader into this pyHanko version: "
            + "; ".join(problems)
            + ". Pin pyHanko to a supported version (pyproject.toml) or update congso/signing/fastpath.py."
        )


def install() -> None:
    """Install the fast reader into pyHanko (at start-up, ``SigningConfig.ready``); loud if it cannot."""
    check_pyhanko()
    if generic.read_hex_string_from_stream is not read_hex_string_from_stream:
        generic.read_hex_string_from_stream = read_hex_string_from_stream
