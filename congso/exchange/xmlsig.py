"""The packet's XML signature: XML-DSig, enveloped, over the whole edXML envelope (ADR 0153).

- Signed with the sending agency's seal (``signing.SigningKey`` of kind SEAL: a PKCS#12 archive or the
  demo CA; a PKCS#11 token cannot sign XML here yet and is refused with a clear message).
- RSA-SHA256, SHA-256 digests, exclusive canonicalisation, one reference to the whole document
  (``URI=""``) with the enveloped-signature transform, the certificate chain in ``KeyInfo``.
- Verification (signxml, no SHA-1, exactly one reference) returns the part that was signed, and only
  that part is read afterwards (no signature-wrapping). The certificate must chain to an active trust
  anchor of the ``signing`` app, be valid now, and belong to the sender: a registered seal key of the
  agency whose code is the sender's OrganId, or a certificate naming that OrganId (O, OU or serial).

The attached PDFs carry their own PAdES signatures; ``services`` verifies them with
``signing.verify.verify_pdf``.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature as InvalidSignatureError
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.verifier import SignatureConfiguration

from congso.signing import crypto, keystore
from congso.signing.models import SigningKey

from .edxml import DS, PacketError, safe_parse

_CONFIG = SignatureConfiguration(
    require_x509=True,
    location=".//",
    expect_references=1,
    signature_methods=frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA512}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA512}),
)

_CERT_PATH = f".//{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate"
_KEYS: dict[tuple, tuple] = {}
_LOCK = threading.Lock()


def _key_material(key: SigningKey):
    """(private key, [certificate, chain…]) of a soft key; decrypted once per process and key version."""
    if not key.is_active:
        raise PacketError(_("Khoá “%(label)s” đã ngừng sử dụng.") % {"label": key.label}, "no_key")
    if key.source not in (SigningKey.Source.PKCS12, SigningKey.Source.DEMO):
        raise PacketError(
            _("Khoá “%(label)s” nằm trên token PKCS#11: chưa hỗ trợ ký gói tin edXML bằng token.")
            % {"label": key.label},
            "no_key",
        )
    cache_key = (key.pk, key.fingerprint, bytes(key.pkcs12_encrypted[:32]))
    with _LOCK:
        found = _KEYS.get(cache_key)
    if found:
        return found
    content = crypto.read_pkcs12(crypto.unseal(key.pkcs12_encrypted), crypto.unseal(key.passphrase_encrypted))
    found = (content.key, [content.certificate, *content.chain])
    with _LOCK:
        if len(_KEYS) > 64:
            _KEYS.clear()
        _KEYS[cache_key] = found
    return found


def sign(root: etree._Element, key: SigningKey) -> bytes:
    """Sign an envelope built by ``edxml.build_packet``/``build_status``; returns the signed bytes."""
    private_key, certs = _key_material(key)
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(root, key=private_key, cert=certs)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


@dataclass
class SignatureResult:
    signed_root: etree._Element
    certificate: x509.Certificate
    signer_name: str
    fingerprint: str


def _certificates(root) -> list[x509.Certificate]:
    certs = []
    for el in root.iterfind(_CERT_PATH):
        try:
            certs.append(x509.load_der_x509_certificate(_b64(el.text or "")))
        except ValueError:
            continue
    return certs


def _b64(text: str) -> bytes:
    return base64.b64decode("".join(text.split()))


def _valid_now(cert: x509.Certificate, now: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _chains_to_anchor(leaf: x509.Certificate, pool: list[x509.Certificate], anchors) -> bool:
    """Walk issuer links from ``leaf`` through ``pool`` to an active anchor, each valid now."""
    now = dt.datetime.now(dt.UTC)
    anchor_prints = {crypto.fingerprint(a): a for a in anchors}
    current, seen = leaf, set()
    for _depth in range(8):
        if not _valid_now(current, now):
            return False
        fp = crypto.fingerprint(current)
        if fp in anchor_prints:
            return True
        if fp in seen:
            return False
        seen.add(fp)
        issuers = [c for c in [*anchors, *pool] if c.subject == current.issuer]
        for issuer in issuers:
            try:
                current.verify_directly_issued_by(issuer)
            except (ValueError, TypeError, InvalidSignatureError):
                continue
            current = issuer
            break
        else:
            return False
    return False


def _names(cert: x509.Certificate) -> set[str]:
    values = set()
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.SERIAL_NUMBER):
        for attr in cert.subject.get_attributes_for_oid(oid):
            values.add(str(attr.value).strip())
    return values


def belongs_to(cert: x509.Certificate, organ_id: str) -> bool:
    """The certificate is the sender's: a registered active seal of that agency, or it names the organ."""
    if organ_id in _names(cert):
        return True
    return SigningKey.objects.filter(
        kind=SigningKey.Kind.SEAL,
        is_active=True,
        agency__code=organ_id,
        fingerprint=crypto.fingerprint(cert),
    ).exists()


def verify(
    data: bytes | etree._Element, organ_id_of, anchors=None, *, raw: bytes | None = None
) -> SignatureResult:
    """Check the envelope's signature; ``organ_id_of(signed_root)`` names the organ it must belong to.
    ``raw``: the bytes ``data`` (a tree) was parsed from by ``edxml.safe_parse``, handed to signxml
    instead of the tree, which it would otherwise serialise to parse again.

    Raises ``PacketError`` (reason ``signature``) for a missing, broken, forged or untrusted signature."""
    if isinstance(data, bytes | bytearray):
        root, raw = safe_parse(data), bytes(data)
    else:
        root = data
    certs = _certificates(root)
    if not certs:
        raise PacketError(_("Gói tin không có chữ ký số (XML-DSig) kèm chứng thư."), "signature")
    leaf = certs[0]
    anchors = keystore.trust_anchor_certificates() if anchors is None else anchors
    if not _chains_to_anchor(leaf, certs[1:], anchors):
        raise PacketError(
            _("Chứng thư ký gói tin không do tổ chức được tin cậy cấp, hoặc đã hết hiệu lực."), "untrusted"
        )
    try:
        result = XMLVerifier().verify(raw if raw is not None else root, x509_cert=leaf, expect_config=_CONFIG)
    except (InvalidSignature, InvalidInput) as exc:
        raise PacketError(
            _("Chữ ký số của gói tin không hợp lệ: nội dung đã bị sửa hoặc chữ ký bị giả mạo."), "signature"
        ) from exc
    signed_root = result.signed_xml
    organ_id = organ_id_of(signed_root)
    if not belongs_to(leaf, organ_id):
        raise PacketError(
            _("Chứng thư ký gói tin không thuộc cơ quan gửi (%(organ)s).") % {"organ": organ_id}, "signature"
        )
    return SignatureResult(
        signed_root=signed_root,
        certificate=leaf,
        signer_name=crypto.common_name(leaf.subject),
        fingerprint=crypto.fingerprint(leaf),
    )
