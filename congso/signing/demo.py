"""The embedded demo's own certificate authority, and demo keys for agencies and leaders.

The demo CA and every certificate it issues say plainly that they are NOT for production: in the
subject's organisation, in the common name and in a certificate-policy notice. Real deployments
import PKCS#12 files or register PKCS#11 tokens issued by the Government Cipher Committee instead.
"""

from __future__ import annotations

import datetime
import secrets

from cryptography.hazmat.primitives import serialization

from congso.directory import demo_codes
from congso.directory.models import Agency, Membership, Role

from . import crypto
from . import official_forms as forms
from .models import IssuedDocument, SigningKey, TrustAnchor
from .services import add_trust_anchor, import_pkcs12, record_url

DEMO_ORG = "congso DEMO - KHÔNG DÙNG CHO SẢN XUẤT (NOT FOR PRODUCTION)"
DEMO_CA_NAME = "congso Demo Root CA (NOT FOR PRODUCTION)"
DEMO_POLICY = (
    "Chứng thư thử nghiệm của bản trình diễn congso, KHÔNG có giá trị pháp lý, không dùng cho sản xuất. "
    "Demo certificate, not for production."
)


def ensure_ca():
    """Return (certificate, private key) of the demo CA, creating it on first use."""
    anchor = TrustAnchor.objects.filter(source=TrustAnchor.Source.DEMO, is_active=True).first()
    if anchor is not None and anchor.private_key_encrypted:
        cert = crypto.load_pem_certificates(anchor.certificate_pem)[0]
        key = serialization.load_pem_private_key(crypto.unseal(anchor.private_key_encrypted), password=None)
        return cert, key
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name(DEMO_CA_NAME, DEMO_ORG),
        public_key=key.public_key(),
        issuer_cert=None,
        issuer_key=key,
        ca=True,
        days=3650,
        policy_text=DEMO_POLICY,
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    add_trust_anchor(
        crypto.to_pem(cert),
        name=DEMO_CA_NAME,
        source=TrustAnchor.Source.DEMO,
        as_system=True,
        private_key_encrypted=crypto.seal(pem_key),
    )
    return cert, key


def issue_pkcs12(
    common_name: str,
    *,
    organisation: str = "",
    passphrase: str,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> bytes:
    """A PKCS#12 archive with a fresh RSA-2048 key and a certificate from the demo CA."""
    ca_cert, ca_key = ensure_ca()
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name(common_name, DEMO_ORG, unit=organisation[:64]),
        public_key=key.public_key(),
        issuer_cert=ca_cert,
        issuer_key=ca_key,
        not_before=not_before,
        not_after=not_after,
        policy_text=DEMO_POLICY,
    )
    return crypto.build_pkcs12(common_name, key, cert, [ca_cert], passphrase)


def demo_key(*, label, kind, common_name, organisation="", user=None, agency=None, position=""):
    existing = SigningKey.objects.filter(label=label).first()
    if existing is not None:
        return existing

    passphrase = secrets.token_urlsafe(18)
    data = issue_pkcs12(common_name, organisation=organisation, passphrase=passphrase)
    return import_pkcs12(
        data,
        passphrase,
        label=label,
        kind=kind,
        actor=None,
        user=user,
        agency=agency,
        signer_name=common_name,
        position=position,
        source=SigningKey.Source.DEMO,
        as_system=True,
    )


def load(out):
    """Demo CA, a seal key for each demo agency and a personal key for each demo leader."""

    ensure_ca()
    made = 0
    for agency in Agency.objects.filter(is_active=True).order_by("code")[:50]:
        demo_key(
            label=f"demo-seal-{agency.code}",
            kind=SigningKey.Kind.SEAL,
            common_name=agency.name[:64],
            organisation=agency.code,
            agency=agency,
        )
        made += 1
    leaders = Membership.objects.filter(role__in=[Role.LEADER, Role.CLERICAL]).select_related(
        "user", "agency"
    )
    for membership in leaders[:50]:
        user = membership.user
        demo_key(
            label=f"demo-personal-{user.username}",
            kind=SigningKey.Kind.PERSONAL,
            common_name=(user.full_name or user.username)[:64],
            organisation=membership.agency.name[:64],
            user=user,
            agency=membership.agency,
            position=membership.position,
        )
        made += 1
    out.write(f"  Chữ ký số: CA trình diễn và {made} khoá ký số (không dùng cho sản xuất).\n")
    sample = _sample_documents()
    if sample:
        out.write(f"  Giấy tiếp nhận mẫu đã ký: {sample}\n")
    return []


def _sample_documents() -> str:
    """A signed receipt for the demo province's service centre, so /xac-thuc has something to show."""
    import datetime

    from django.utils import timezone

    agency = Agency.objects.filter(code=demo_codes.PROVINCE_CENTRE).first()
    if agency is None or not SigningKey.objects.filter(agency=agency, kind="seal").exists():
        return ""
    code = f"{agency.code}-261116-0001"
    existing = IssuedDocument.objects.filter(code=code, kind=IssuedDocument.Kind.RECEIPT).first()
    if existing is not None:
        return record_url(existing)
    received = timezone.now().replace(hour=2, minute=30, second=0, microsecond=0)
    data = forms.FormData(
        dossier_code=code,
        agency=forms.AgencyInfo(
            name=agency.name, code=agency.code, address=agency.address, phone=agency.phone
        ),
        procedure_name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        applicant=forms.ApplicantInfo(name="Phạm Thị Hoa", address="Tổ 3, phường Pleiku, tỉnh Gia Lai"),
        received_at=received,
        appointment_at=received + datetime.timedelta(days=14),
        components=[forms.Component("Đơn đề nghị cấp giấy phép xây dựng", 1, 0)],
        channel="Trực tuyến",
        staff_name="Cán bộ một cửa",
        place="Gia Lai",
    )
    document, _pdf = forms.issue_receipt(data, actor=None, as_system=True)
    return record_url(document)
