"""The fast hex-string reader behaves exactly like pyHanko's own."""

import io

import pytest
from pyhanko.pdf_utils.misc import PdfStreamError

from congso.signing import fastpath


@pytest.mark.parametrize(
    "raw",
    [
        b"<48656C6C6F>",
        b"<48 65 6c\n6C 6F>",
        b"<4>",
        b"<>",
        b"<4865 % a comment\n 6C6C6F>",
        b"<" + b"AB" * 9000 + b">",
    ],
)
def test_same_result_as_pyhanko(raw):
    ours = fastpath.read_hex_string_from_stream(io.BytesIO(raw + b" /Next"))
    theirs = fastpath._original(io.BytesIO(raw + b" /Next"))
    assert bytes(ours.original_bytes) == bytes(theirs.original_bytes)


def test_stream_position_after_the_string():
    stream = io.BytesIO(b"<4142> /Next")
    fastpath.read_hex_string_from_stream(stream)
    assert stream.read() == b" /Next"


@pytest.mark.parametrize("raw", [b"<48XY>", b"<4865"])
def test_bad_hex_is_an_error(raw):
    with pytest.raises(PdfStreamError):
        fastpath.read_hex_string_from_stream(io.BytesIO(raw))
