"""PKCS#11 tokens and HSMs, tested against a real SoftHSM2 token initialised in a temporary directory."""

import os
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from congso.signing import crypto, services
from congso.signing.keystore import SigningError
from congso.signing.models import SignatureRecord
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db

MODULES = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"]
TOKEN = "BCY-THU-NGHIEM"
PIN = "246810"
SO_PIN = "13579135"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    module = next((m for m in MODULES if os.path.exists(m)), None)
    if module is None or not shutil.which("softhsm2-util"):
        pytest.skip("SoftHSM2 is not installed (Debian: apt-get install softhsm2)")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        capture_output=True,
    )
    return module


def _put_key_on_token(module, key, label):
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    numbers = key.private_numbers()

    def b(n):
        return n.to_bytes((n.bit_length() + 7) // 8, "big")

    lib = pkcs11.lib(module)
    token = lib.get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                Attribute.KEY_TYPE: KeyType.RSA,
                Attribute.LABEL: label,
                Attribute.ID: label.encode(),
                Attribute.TOKEN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
                Attribute.SIGN: True,
                Attribute.MODULUS: b(numbers.public_numbers.n),
                Attribute.PUBLIC_EXPONENT: b(numbers.public_numbers.e),
                Attribute.PRIVATE_EXPONENT: b(numbers.d),
                Attribute.PRIME_1: b(numbers.p),
                Attribute.PRIME_2: b(numbers.q),
                Attribute.EXPONENT_1: b(numbers.dmp1),
                Attribute.EXPONENT_2: b(numbers.dmq1),
                Attribute.COEFFICIENT: b(numbers.iqmp),
            }
        )


@pytest.fixture
def token_key(softhsm, demo_ca, leader, centre):
    """A leader's key generated outside, certified by the demo CA and imported into the token."""
    ca_cert, ca_key = demo_ca
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name("Nguyễn Văn Hùng", "Trung tâm Phục vụ hành chính công tỉnh Gia Lai"),
        public_key=key.public_key(),
        issuer_cert=ca_cert,
        issuer_key=ca_key,
    )
    label = f"lanhdao-{crypto.fingerprint(cert)[:8]}"
    _put_key_on_token(softhsm, key, label)
    return services.register_pkcs11_key(
        label=f"token-{label}",
        kind="personal",
        actor=None,
        as_system=True,
        module=softhsm,
        token_label=TOKEN,
        key_label=label,
        certificate_pem=crypto.to_pem(cert),
        chain_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
        user=leader,
        agency=centre,
    )


def test_signing_on_a_softhsm_token_verifies(leader, token_key, one_page_pdf):
    result = services.sign_pdf(one_page_pdf, token_key, actor=leader, pin=PIN)
    report = verify_pdf(result.data)
    assert report.ok, report.as_dict()
    assert report.signatures[0].signer_name == "Nguyễn Văn Hùng"
    assert SignatureRecord.objects.get().key == token_key


def test_an_hsm_pin_stored_encrypted_signs_without_prompt(leader, token_key, one_page_pdf):
    token_key.pin_encrypted = crypto.seal(PIN)
    token_key.save()
    assert PIN.encode() not in bytes(token_key.pin_encrypted)
    assert verify_pdf(services.sign_pdf(one_page_pdf, token_key, actor=leader).data).ok


def test_a_wrong_pin_gets_a_clear_message_and_changes_nothing(leader, token_key, one_page_pdf):
    with pytest.raises(SigningError, match="Mã PIN của token không đúng"):
        services.sign_pdf(one_page_pdf, token_key, actor=leader, pin="000000")
    assert not SignatureRecord.objects.exists()


def test_a_missing_pin_is_asked_for(leader, token_key, one_page_pdf):
    with pytest.raises(SigningError, match="Cần nhập mã PIN"):
        services.sign_pdf(one_page_pdf, token_key, actor=leader)


def test_a_token_that_is_not_plugged_in(leader, token_key, one_page_pdf):
    token_key.pkcs11_token_label = "TOKEN-KHONG-CO"
    token_key.save()
    with pytest.raises(SigningError, match="Không mở được token"):
        services.sign_pdf(one_page_pdf, token_key, actor=leader, pin=PIN)
