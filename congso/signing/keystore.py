"""Turn a stored SigningKey into a pyHanko signer, and collect the trust anchors.

Three sources: an encrypted PKCS#12 archive (imported by an administrator or made by the demo CA),
and a PKCS#11 token or HSM (python-pkcs11, as with the Government Cipher Committee's USB tokens).
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from congso.core.errors import ServiceError

from . import crypto
from .models import SigningKey, TrustAnchor


class SigningError(ServiceError):
    """Signing cannot go ahead; the message is for the person who asked (Vietnamese).

    A ServiceError, so a dossier flow that signs shows it like any other refusal (never a 500)."""

    code = "signing_refused"


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return _asn1_of(cert.public_bytes(serialization.Encoding.DER))


@functools.lru_cache(maxsize=256)
def _asn1_of(der: bytes) -> asn1_x509.Certificate:
    """One parsed certificate per DER encoding in a process: asn1crypto keeps what it works out from a
    certificate (its names prepared for comparison, RFC 4518) on the object, and the trust anchors are
    the same certificates for every signature checked (a third of a PDF check went to preparing them
    again). Keyed by the exact bytes, so a changed certificate is a new entry."""
    return asn1_x509.Certificate.load(der)


def key_certificate(key: SigningKey) -> x509.Certificate:
    return crypto.load_pem_certificates(key.certificate_pem)[0]


def key_chain(key: SigningKey) -> list[x509.Certificate]:
    return crypto.load_pem_certificates(key.chain_pem or "")


@contextlib.contextmanager
def open_signer(key: SigningKey, pin: str | None = None):
    """Yield a pyHanko signer for ``key``; closes a PKCS#11 session afterwards."""
    if not key.is_active:
        raise SigningError(_("Khoá ký số “%(label)s” đã ngừng sử dụng.") % {"label": key.label})
    if key.source in (SigningKey.Source.PKCS12, SigningKey.Source.DEMO):
        yield _soft_signer(key)
        return
    if key.source == SigningKey.Source.PKCS11:
        yield from _pkcs11_signer(key, pin)
        return
    raise SigningError(_("Nguồn khoá không được hỗ trợ."))


class SoftSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the private key parsed once (it re-parses it on every signature)."""

    def __init__(self, *, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, rsa.RSAPrivateKey):
            return self._private_key.sign(data, padding.PKCS1v15(), _HASHES[digest_algorithm]())
        return super().sign_raw(data, digest_algorithm)


_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
_SOFT_CACHE: dict[tuple, SoftSigner] = {}


def _soft_signer(key: SigningKey) -> SoftSigner:
    """Decrypt the PKCS#12 once per process and key version (PKCS#12 decryption is slow by design)."""
    cache_key = (key.pk, key.fingerprint, bytes(key.pkcs12_encrypted[:32]))
    cached = _SOFT_CACHE.get(cache_key)
    if cached is not None:
        return cached
    passphrase = crypto.unseal(key.passphrase_encrypted)
    content = crypto.read_pkcs12(crypto.unseal(key.pkcs12_encrypted), passphrase)
    der_key = content.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = SoftSigner(
        private_key=content.key,
        signing_cert=_asn1(content.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in content.chain]),
    )
    if len(_SOFT_CACHE) > 64:
        _SOFT_CACHE.clear()
    _SOFT_CACHE[cache_key] = signer
    return signer


def forget_cached_signers() -> None:
    _SOFT_CACHE.clear()


def _pkcs11_signer(key: SigningKey, pin: str | None):
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hanko_pkcs11

    user_pin = pin if pin is not None else crypto.unseal(key.pin_encrypted).decode() or None
    if not user_pin:
        raise SigningError(_("Cần nhập mã PIN của token để ký."))
    if not key.pkcs11_module or not Path(key.pkcs11_module).exists():
        raise SigningError(_("Không tìm thấy thư viện PKCS#11 của token trên máy chủ."))
    try:
        session = hanko_pkcs11.open_pkcs11_session(
            key.pkcs11_module,
            token_criteria=TokenCriteria(label=key.pkcs11_token_label),
            user_pin=user_pin,
        )
    except pkcs11.exceptions.PinIncorrect as exc:
        raise SigningError(_("Mã PIN của token không đúng.")) from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise SigningError(_("Token đã bị khoá do nhập sai mã PIN quá nhiều lần.")) from exc
    except (pkcs11.exceptions.PKCS11Error, OSError, RuntimeError) as exc:
        raise SigningError(
            _("Không mở được token “%(label)s”: token chưa cắm hoặc không đúng.")
            % {"label": key.pkcs11_token_label}
        ) from exc
    except Exception as exc:  # pyHanko raises PKCS11Error subclasses of its own
        raise SigningError(
            _("Không mở được token “%(label)s”: %(reason)s")
            % {"label": key.pkcs11_token_label, "reason": type(exc).__name__}
        ) from exc
    try:
        signer = hanko_pkcs11.PKCS11Signer(
            session,
            key_label=key.pkcs11_key_label,
            signing_cert=_asn1(key_certificate(key)),
            other_certs_to_pull=None,
            ca_chain=[_asn1(c) for c in key_chain(key)],
        )
        yield signer
    finally:
        session.close()


# --- trust anchors --------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _anchors_in(pem: bytes | str) -> tuple[tuple[str, x509.Certificate], ...]:
    """(fingerprint, certificate) of each certificate in a PEM text, parsed once per process and text
    (every received packet checks its signatures against the same anchors). Keyed by the exact text, so
    an anchor that changes is parsed again; which anchors are active is read from the database each
    time."""
    return tuple((crypto.fingerprint(c), c) for c in crypto.load_pem_certificates(pem))


def trust_anchor_certificates() -> list[x509.Certificate]:
    """Active anchors from the database plus files named in settings."""
    certs: dict[str, x509.Certificate] = {}
    for pem in TrustAnchor.objects.filter(is_active=True).values_list("certificate_pem", flat=True):
        certs.update(_anchors_in(pem))
    for path in getattr(settings, "CONGSO_SIGNING_TRUST_ANCHOR_FILES", []) or []:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        certs.update(_anchors_in(data))
    return list(certs.values())


def validation_context(anchors: list[x509.Certificate] | None = None, extra=()) -> ValidationContext:
    roots = [_asn1(c) for c in (anchors if anchors is not None else trust_anchor_certificates())]
    return ValidationContext(
        trust_roots=roots,
        other_certs=[_asn1(c) for c in extra],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
