"""A faster reader for PDF hex strings, installed into pyHanko at start-up.

pyHanko reads hex strings one character at a time in Python; a signature's /Contents is several
thousand hex digits, which made reading it the largest single cost of verifying a signature.
This reader has the same semantics (whitespace ignored, odd length padded with 0, any other byte is
an error) and falls back to pyHanko's own reader for the rare hex string that contains a comment.
See docs/adr/0030-signing-keys-and-trust.md.
"""

from __future__ import annotations

import binascii

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

_WHITESPACE = b" \t\n\r\x0c\x00"
_original = generic.read_hex_string_from_stream


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


def install() -> None:
    if generic.read_hex_string_from_stream is not read_hex_string_from_stream:
        generic.read_hex_string_from_stream = read_hex_string_from_stream
