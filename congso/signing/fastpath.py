"""A faster reader for PDF hex strings, and remembered name preparation for certificates, installed into
pyHanko and asn1crypto at start-up.

pyHanko reads hex strings one character at a time in Python; a signature's /Contents is several
thousand hex digits, which made reading it the largest single cost of verifying a signature.
This reader has the same semantics (whitespace ignored, odd length padded with 0, any other byte is
an error) and falls back to pyHanko's own reader for the rare hex string that contains a comment.
See docs/adr/0030-signing-keys-and-trust.md.

Comparing two certificate names (RFC 5280 §7.1) prepares every attribute's string by RFC 4518
(``NameTypeAndValue._ldap_string_prep``: Unicode tables in pure Python). asn1crypto keeps the result on
the parsed object, but each signature brings freshly parsed certificates, so checking a received PDF
prepared the same few names again and again: about a sixth of its CPU (ADR 0186). The preparation is a
pure function of the string; it is remembered per process (``prepared``, bounded), with the same result.
"""

from __future__ import annotations

import binascii
import dis
import functools

from asn1crypto import x509 as asn1_x509
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


# --- certificate names -----------------------------------------------------------------------------

NAME_PREP = "_ldap_string_prep"
_original_prep = getattr(asn1_x509.NameTypeAndValue, NAME_PREP, None)


@functools.lru_cache(maxsize=4096)
def prepared(string: str) -> str:
    """asn1crypto's RFC 4518 preparation of ``string``, remembered (it never reads its ``self``)."""
    return _original_prep(None, string)


def _prep(self, string):
    return prepared(string)


def check_asn1crypto() -> None:
    """Raise ImproperlyConfigured unless ``NameTypeAndValue._ldap_string_prep(self, string)`` is still a
    function of its string alone (it must not read ``self``), so remembering it changes no result."""
    problem = ""
    if _original_prep is None:
        problem = f"asn1crypto.x509.NameTypeAndValue.{NAME_PREP} is missing"
    elif _original_prep.__code__.co_varnames[:2] != ("self", "string"):
        problem = f"asn1crypto.x509.NameTypeAndValue.{NAME_PREP} no longer takes (self, string)"
    elif any(i.argval == "self" for i in dis.get_instructions(_original_prep)):
        problem = f"asn1crypto.x509.NameTypeAndValue.{NAME_PREP} now reads self"
    if problem:
        raise ImproperlyConfigured(
            f"congso.signing.fastpath cannot remember name preparation in this asn1crypto version: {problem}. "
            "Pin asn1crypto (requirements.lock) or update congso/signing/fastpath.py."
        )


def install() -> None:
    """Install the fast reader into pyHanko and the remembered name preparation into asn1crypto (at
    start-up, ``SigningConfig.ready``); loud if either cannot be."""
    check_pyhanko()
    check_asn1crypto()
    if generic.read_hex_string_from_stream is not read_hex_string_from_stream:
        generic.read_hex_string_from_stream = read_hex_string_from_stream
    if getattr(asn1_x509.NameTypeAndValue, NAME_PREP) is not _prep:
        setattr(asn1_x509.NameTypeAndValue, NAME_PREP, _prep)
