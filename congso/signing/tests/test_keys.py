"""Key store: PKCS#12 import encrypted at rest, trust anchors, the demo CA, who may manage keys."""

import pytest
from cryptography import x509
from django.core.exceptions import PermissionDenied

from congso.core.models import AuditEntry
from congso.directory.models import Agency, Membership, Role
from congso.signing import crypto, demo, pdfsign, services
from congso.signing.crypto import KeyMaterialError
from congso.signing.keystore import SigningError, forget_cached_signers
from congso.signing.models import IssuedDocument, SigningKey, TrustAnchor
from congso.signing.verify import verify_pdf

from . import helpers

pytestmark = pytest.mark.django_db

PASSPHRASE = "Ky-so-Gia-Lai-2026"


@pytest.fixture
def p12(demo_ca):
    return demo.issue_pkcs12("Nguyễn Văn Hùng", organisation="Sở Xây dựng", passphrase=PASSPHRASE)


def test_pkcs12_is_stored_encrypted_and_the_passphrase_never_in_clear(agency_admin, centre, leader, p12):
    key = services.import_pkcs12(
        p12,
        PASSPHRASE,
        label="giam-doc-hung",
        kind="personal",
        actor=agency_admin,
        user=leader,
        agency=centre,
        position="Giám đốc",
    )
    stored = SigningKey.objects.get(pk=key.pk)
    assert bytes(stored.pkcs12_encrypted) and p12 not in bytes(stored.pkcs12_encrypted)
    assert PASSPHRASE.encode() not in bytes(stored.passphrase_encrypted)
    assert crypto.unseal(stored.passphrase_encrypted) == PASSPHRASE.encode()
    assert stored.signer_name == "Nguyễn Văn Hùng"
    assert AuditEntry.objects.filter(action="signing.key_import", object_id=str(key.pk)).exists()
    # nothing in any column equals the passphrase
    for field in SigningKey._meta.concrete_fields:
        value = getattr(stored, field.attname)
        assert PASSPHRASE not in str(value)


def test_a_changed_server_secret_is_reported_not_crashed(
    settings, agency_admin, centre, leader, p12, one_page_pdf
):
    key = services.import_pkcs12(
        p12,
        PASSPHRASE,
        label="giam-doc-hung",
        kind="personal",
        actor=agency_admin,
        user=leader,
        agency=centre,
    )
    settings.CONGSO_SIGNING_SECRET = "mot-bi-mat-khac-hoan-toan"
    forget_cached_signers()
    with pytest.raises(KeyMaterialError, match="CONGSO_SIGNING_SECRET"):
        services.sign_pdf(one_page_pdf, key, actor=leader)


def test_a_wrong_passphrase_is_refused(agency_admin, centre, leader, p12):
    with pytest.raises(KeyMaterialError, match="sai mật khẩu"):
        services.import_pkcs12(
            p12, "sai-mat-khau", label="x", kind="personal", actor=agency_admin, user=leader, agency=centre
        )
    assert not SigningKey.objects.exists()


def test_a_file_that_is_not_pkcs12_is_refused(agency_admin, centre, leader):
    with pytest.raises(KeyMaterialError):
        services.import_pkcs12(
            b"%PDF-1.7 not a key",
            PASSPHRASE,
            label="x",
            kind="personal",
            actor=agency_admin,
            user=leader,
            agency=centre,
        )


def test_only_key_administrators_may_import(clerk, leader, citizen, centre, justice, p12, django_user_model):
    for actor in (clerk, leader, citizen, None):
        with pytest.raises(PermissionDenied):
            services.import_pkcs12(p12, PASSPHRASE, label="x", kind="seal", actor=actor, agency=centre)
    other_admin = django_user_model.objects.create_user(
        username="quantri.sotuphap", password="x", kind="official"
    )
    Membership.objects.create(user=other_admin, agency=justice, role=Role.AGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        services.import_pkcs12(p12, PASSPHRASE, label="x", kind="seal", actor=other_admin, agency=centre)
    assert not SigningKey.objects.exists()


def test_a_seal_needs_an_agency_and_a_personal_key_a_person(agency_admin, centre, p12):
    with pytest.raises(SigningError):
        services.import_pkcs12(p12, PASSPHRASE, label="x", kind="personal", actor=agency_admin, agency=centre)


def test_the_demo_ca_says_it_is_not_for_production(demo_ca):
    cert, _key = demo_ca
    org = cert.subject.get_attributes_for_oid(x509.oid.NameOID.ORGANIZATION_NAME)[0].value
    assert "KHÔNG DÙNG CHO SẢN XUẤT" in org and "NOT FOR PRODUCTION" in org
    policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    notice = policies[0].policy_qualifiers[0].explicit_text
    assert "không dùng cho sản xuất" in notice
    anchor = TrustAnchor.objects.get(source=TrustAnchor.Source.DEMO)
    assert anchor.private_key_encrypted and b"PRIVATE KEY" not in bytes(anchor.private_key_encrypted)


def test_demo_load_is_idempotent_and_gives_every_agency_a_seal(centre, leader, capsys):
    demo.load(type("Out", (), {"write": lambda self, s: None})())
    demo.load(type("Out", (), {"write": lambda self, s: None})())
    assert TrustAnchor.objects.filter(source="demo").count() == 1
    agencies = list(Agency.objects.all())
    assert centre in agencies and len(agencies) >= 2  # the centre and its people's committee at least
    for agency in agencies:
        assert SigningKey.objects.filter(agency=agency, kind="seal").count() == 1
    assert SigningKey.objects.filter(user=leader, kind="personal").count() == 1
    # a signed sample receipt, issued once, that verifies

    [receipt] = IssuedDocument.objects.filter(kind="receipt")
    assert verify_pdf(receipt.file.read()).ok


def test_trust_anchors_from_settings_files(settings, tmp_path, one_page_pdf):
    ca_cert, ca_key = helpers.make_ca("Root CA Chính phủ (thử nghiệm)")
    signer = helpers.make_signer(ca_cert, ca_key, "Lê Văn Bình")
    signed, *_ = pdfsign.sign_bytes(one_page_pdf, signer, appearance=pdfsign.Appearance(visible=False))
    assert not verify_pdf(signed).ok
    path = tmp_path / "root.pem"
    path.write_text(crypto.to_pem(ca_cert))
    settings.CONGSO_SIGNING_TRUST_ANCHOR_FILES = [str(path)]
    assert verify_pdf(signed).ok


def test_a_deactivated_anchor_is_no_longer_trusted(leader, leader_key, one_page_pdf):
    signed = services.sign_pdf(one_page_pdf, leader_key, actor=leader).data
    TrustAnchor.objects.update(is_active=False)
    assert not verify_pdf(signed).ok


def test_adding_a_trust_anchor_needs_an_administrator(clerk, demo_ca):
    ca_cert, _ = helpers.make_ca()
    with pytest.raises(PermissionDenied):
        services.add_trust_anchor(crypto.to_pem(ca_cert), actor=clerk)
    with pytest.raises(Exception, match="chứng thư số"):
        services.add_trust_anchor(b"khong phai chung thu", actor=None, as_system=True)


def test_import_command_and_admin_list(tmp_path, centre, p12, monkeypatch, admin_client):
    from django.core.management import call_command

    path = tmp_path / "con-dau.p12"
    path.write_bytes(p12)
    monkeypatch.setenv("CONGSO_PKCS12_PASSPHRASE", PASSPHRASE)
    call_command(
        "import_pkcs12", str(path), "--label", "con-dau-trung-tam", "--kind", "seal", "--agency", centre.code
    )
    key = SigningKey.objects.get(label="con-dau-trung-tam")
    assert key.agency == centre
    response = admin_client.get("/quan-tri-he-thong/signing/signingkey/")
    assert response.status_code == 200 and "con-dau-trung-tam" in response.content.decode()
    assert admin_client.get("/quan-tri-he-thong/signing/signingkey/add/").status_code == 200
    detail = admin_client.get(f"/quan-tri-he-thong/signing/signingkey/{key.pk}/change/").content.decode()
    assert PASSPHRASE not in detail


def test_admin_imports_a_pkcs12(admin_client, centre, p12):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        "/quan-tri-he-thong/signing/signingkey/add/",
        {
            "pkcs12_file": SimpleUploadedFile("k.p12", p12),
            "passphrase": PASSPHRASE,
            "label": "con-dau-qua-admin",
            "kind": "seal",
            "agency": centre.pk,
            "signer_name": "",
            "position": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SigningKey.objects.filter(label="con-dau-qua-admin", agency=centre).exists()
