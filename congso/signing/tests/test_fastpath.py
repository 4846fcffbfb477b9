"""The fast hex-string reader behaves exactly like pyHanko's own, is installed at start-up, and real
signing and verification go through it; a pyHanko without what it replaces is refused loudly."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from congso.signing import fastpath, services
from congso.signing.verify import verify_pdf


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


# --- the reader is installed into pyHanko and real signing goes through it ------------------------


def test_pyhanko_still_has_what_the_fast_path_replaces():
    """A pyHanko upgrade that renames the reader, or stops calling it by name, must fail here (and at
    start-up), not leave the fast path a silent no-op."""
    assert hasattr(generic, fastpath.PATCHED), f"pyhanko.pdf_utils.generic.{fastpath.PATCHED} is gone"
    assert fastpath.PATCHED in generic.read_object.__code__.co_names, "read_object no longer calls it"
    assert fastpath._original is not None and fastpath._original is not fastpath.read_hex_string_from_stream
    fastpath.check_pyhanko()


def test_the_installed_reader_is_the_fast_path():
    # SigningConfig.ready() installed it at start-up
    assert generic.read_hex_string_from_stream is fastpath.read_hex_string_from_stream


@pytest.fixture
def calls(monkeypatch):
    """Count the installed reader's calls (and pyHanko's own reader's, which it falls back to)."""
    counts = {"fast": 0, "original": 0}
    installed, original = generic.read_hex_string_from_stream, fastpath._original
    assert installed is fastpath.read_hex_string_from_stream

    def fast(stream):
        counts["fast"] += 1
        return installed(stream)

    def slow(stream):
        counts["original"] += 1
        return original(stream)

    monkeypatch.setattr(generic, fastpath.PATCHED, fast)
    monkeypatch.setattr(fastpath, "_original", slow)
    return counts


@pytest.mark.django_db
def test_signing_and_verifying_read_hex_strings_through_the_fast_path(
    calls, leader, leader_key, seal_key, one_page_pdf
):
    signed = services.sign_pdf(one_page_pdf, leader_key, actor=leader).data
    # signing over a signature reads the first one's /Contents: several thousand hex digits
    twice = services.sign_pdf(signed, seal_key, actor=leader).data
    assert calls["fast"] > 0, "signing a signed PDF did not read its hex strings through the fast path"
    before_verify = calls["fast"]
    report = verify_pdf(twice)
    assert report.ok, report.as_dict()
    assert len(report.signatures) == 2
    assert calls["fast"] > before_verify
    assert calls["original"] == 0  # no comments in these hex strings: pyHanko's slow reader never ran


def test_install_refuses_a_pyhanko_without_the_reader(monkeypatch):
    monkeypatch.delattr(generic, fastpath.PATCHED)
    with pytest.raises(ImproperlyConfigured, match=f"generic.{fastpath.PATCHED} is missing"):
        fastpath.install()


def test_install_refuses_a_pyhanko_whose_parser_no_longer_calls_the_reader(monkeypatch):
    def read_object(stream, container_ref=None):  # a parser that reads hex strings some other way
        return None

    monkeypatch.setattr(generic, "read_object", read_object)
    with pytest.raises(ImproperlyConfigured, match=f"read_object no longer calls {fastpath.PATCHED}"):
        fastpath.install()


# --- remembered name preparation (ADR 0186) --------------------------------------------------------


@pytest.mark.parametrize(
    "string",
    ["Sở Tư pháp tỉnh Gia Lai", "  UBND   Xã Ia Mơ Nông ", "ﬁ ligature", "Ｆｕｌｌｗｉｄｔｈ", "", "A\u0301"],
)
def test_remembered_preparation_is_asn1cryptos_own(string):
    assert fastpath.prepared(string) == fastpath._original_prep(None, string)


def test_remembered_preparation_is_installed_and_names_compare_as_before():
    from asn1crypto import x509 as asn1_x509

    assert asn1_x509.NameTypeAndValue._ldap_string_prep is fastpath._prep
    fastpath.check_asn1crypto()
    printable = asn1_x509.Name.build({"common_name": "UBND TINH GIA LAI"}, use_printable=True)
    utf8 = asn1_x509.Name.build({"common_name": "ubnd  tinh gia lai"})
    other = asn1_x509.Name.build({"common_name": "UBND tỉnh Kon Tum"})
    assert printable.dump() != utf8.dump()
    assert printable == utf8  # RFC 5280 §7.1: case and inner spaces do not matter
    assert printable != other


def test_an_asn1crypto_whose_preparation_reads_self_is_refused(monkeypatch):
    def reads_self(self, string):
        return self.prefix + string

    monkeypatch.setattr(fastpath, "_original_prep", reads_self)
    with pytest.raises(ImproperlyConfigured, match="reads self"):
        fastpath.check_asn1crypto()
