"""Signatures made by the platform validate in independent tools: pyHanko's CLI and poppler's pdfsig."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from congso.signing import crypto, official_forms, services
from congso.signing.models import IssuedDocument

from . import helpers

pytestmark = pytest.mark.django_db

PYHANKO = str(Path(sys.executable).with_name("pyhanko"))


@pytest.fixture
def anchor_pem(demo_ca, tmp_path):
    path = tmp_path / "demo-ca.pem"
    path.write_text(crypto.to_pem(demo_ca[0]))
    return path


@pytest.fixture
def nss_db(anchor_pem, tmp_path):
    if not shutil.which("certutil") or not shutil.which("pdfsig"):
        pytest.skip("certutil (libnss3-tools) and pdfsig (poppler-utils) are needed")
    db = tmp_path / "nss"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{db}", "-n", "congso-demo-ca", "-t", "CT,C,C", "-i", str(anchor_pem)],
        check=True,
    )
    return f"sql:{db}"


@pytest.fixture
def issued(tmp_path, clerk, leader, seal_key, leader_key, receipt_data, one_page_pdf):
    _doc, receipt = official_forms.issue_receipt(receipt_data, actor=clerk)
    result = services.create_document_record(
        kind=IssuedDocument.Kind.RESULT,
        code="125/GP-TTPVHCC",
        title="Giấy phép xây dựng",
        agency=seal_key.agency,
        actor=leader,
    )
    signed = services.issue_pdf(one_page_pdf, result, actor=leader, keys=[leader_key, seal_key])
    paths = {"receipt": tmp_path / "giay-tiep-nhan.pdf", "result": tmp_path / "ket-qua.pdf"}
    paths["receipt"].write_bytes(receipt)
    paths["result"].write_bytes(signed)
    paths["tampered"] = tmp_path / "ket-qua-bi-sua.pdf"
    paths["tampered"].write_bytes(helpers.flip_byte_in_signed_content(signed))
    return paths


def _pyhanko(path, anchor):
    return subprocess.run(
        [PYHANKO, "sign", "validate", "--trust", str(anchor), "--trust-replace", str(path)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("name", ["receipt", "result"])
def test_pyhanko_cli_accepts_our_signatures(issued, anchor_pem, name):
    run = _pyhanko(issued[name], anchor_pem)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert lines and all(":INTACT:TRUSTED" in line for line in lines), run.stdout


def test_pyhanko_cli_rejects_a_tampered_file(issued, anchor_pem):
    run = _pyhanko(issued["tampered"], anchor_pem)
    assert run.returncode != 0


@pytest.mark.parametrize("name", ["receipt", "result"])
def test_pdfsig_accepts_our_signatures(issued, nss_db, name):
    run = subprocess.run(["pdfsig", "-nssdir", nss_db, str(issued[name])], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("Signature is Valid.") == (2 if name == "result" else 1), run.stdout
    assert "Certificate is Trusted." in run.stdout
    assert "Not Trusted" not in run.stdout and "Invalid" not in run.stdout


def test_pdfsig_reports_a_tampered_file(issued, nss_db):
    run = subprocess.run(
        ["pdfsig", "-nssdir", nss_db, str(issued["tampered"])], capture_output=True, text=True
    )
    assert "Signature is Valid." not in run.stdout.split("Signature #2")[0]


def test_congso_verify_command(issued, capsys):
    from django.core.management import call_command

    call_command("verify", str(issued["result"]))
    out = capsys.readouterr().out
    assert "Tài liệu hợp lệ" in out and "Nguyễn Văn Hùng" in out
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify", str(issued["tampered"]))
    assert exit_info.value.code == 1
    assert "KHÔNG hợp lệ" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["receipt", "result"])
def test_the_visible_signature_renders_in_a_pdf_viewer(issued, name, tmp_path):
    """Render with poppler (as a viewer does) and look for the red seal and the blue signature."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is needed")
    from PIL import Image

    prefix = tmp_path / name
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(issued[name]), str(prefix)], check=True
    )
    image = Image.open(f"{prefix}.png").convert("RGB")
    pixels = list(image.getdata())
    red = sum(1 for r, g, b in pixels if r > 150 and g < 90 and b < 90)
    blue = sum(1 for r, g, b in pixels if b > 120 and r < 90 and g < 110)
    assert red > 200, "the agency's red seal is not visible"
    if name == "result":
        assert blue > 40, "the signer's blue signature is not visible"
