"""Key material: encryption at rest, certificates, PKCS#12.

Secrets (PKCS#12 archives, their passphrases, token PINs) are stored encrypted with Fernet under a
key derived by HKDF from ``CONGSO_SIGNING_SECRET`` (falls back to ``SECRET_KEY``). Rotating the secret
means re-importing the keys; see docs/adr/0030-signing-keys-and-trust.md.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _


class KeyMaterialError(ValueError):
    """Key material cannot be read: wrong passphrase, damaged file, wrong secret."""


@lru_cache(maxsize=4)
def _fernet_for(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"congso.signing.at-rest.v1", info=b"fernet"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> Fernet:
    secret = getattr(settings, "CONGSO_SIGNING_SECRET", "") or settings.SECRET_KEY
    return _fernet_for(secret)


def seal(data: bytes | str | None) -> bytes:
    """Encrypt a secret for storage. ``None``/empty stays empty."""
    if not data:
        return b""
    if isinstance(data, str):
        data = data.encode()
    return _fernet().encrypt(data)


def unseal(token: bytes | memoryview | None) -> bytes:
    if not token:
        return b""
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise KeyMaterialError(
            _("Không giải mã được khoá đã lưu: khoá bí mật của hệ thống (CONGSO_SIGNING_SECRET) đã đổi.")
        ) from exc


# --- certificates ---------------------------------------------------------------------------


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def load_pem_certificates(data: bytes | str) -> list[x509.Certificate]:
    if isinstance(data, str):
        data = data.encode()
    data = data.strip()
    if not data:
        return []
    if not data.startswith(b"-----"):
        return [x509.load_der_x509_certificate(data)]
    return x509.load_pem_x509_certificates(data)


def to_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def common_name(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else name.rfc4514_string()


def organisation(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(attrs[0].value) if attrs else ""


@dataclass
class Pkcs12Content:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate]


def read_pkcs12(data: bytes, passphrase: str | bytes | None) -> Pkcs12Content:
    if isinstance(passphrase, str):
        passphrase = passphrase.encode()
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase or None)
    except ValueError as exc:
        raise KeyMaterialError(
            _("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không đúng định dạng.")
        ) from exc
    if key is None or cert is None:
        raise KeyMaterialError(_("Tệp PKCS#12 không chứa khoá bí mật và chứng thư số."))
    return Pkcs12Content(key=key, certificate=cert, chain=list(chain or []))


def build_pkcs12(name: str, key, cert: x509.Certificate, chain, passphrase: str | bytes) -> bytes:
    if isinstance(passphrase, str):
        passphrase = passphrase.encode()
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        key,
        cert,
        list(chain or []),
        serialization.BestAvailableEncryption(passphrase),
    )


def new_rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_name(common: str, organisation_name: str = "", unit: str = "", country: str = "VN") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, country)]
    if organisation_name:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation_name))
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def issue_certificate(
    *,
    subject: x509.Name,
    public_key,
    issuer_cert: x509.Certificate | None,
    issuer_key,
    days: int = 825,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    ca: bool = False,
    policy_text: str = "",
    timestamping: bool = False,
) -> x509.Certificate:
    """Issue an X.509 certificate (self-signed when ``issuer_cert`` is None)."""
    now = datetime.datetime.now(datetime.UTC)
    start = not_before or now - datetime.timedelta(minutes=5)
    end = not_after or start + datetime.timedelta(days=days)
    issuer_name = issuer_cert.subject if issuer_cert is not None else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False
        )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": True}
    else:
        usage = {"digital_signature": True, "content_commitment": not timestamping}
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=usage.get("digital_signature", False),
            content_commitment=usage.get("content_commitment", False),
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=usage.get("key_cert_sign", False),
            crl_sign=usage.get("crl_sign", False),
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if policy_text:
        builder = builder.add_extension(
            x509.CertificatePolicies(
                [
                    x509.PolicyInformation(
                        x509.ObjectIdentifier("2.5.29.32.0"),  # anyPolicy
                        [x509.UserNotice(notice_reference=None, explicit_text=policy_text[:200])],
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
