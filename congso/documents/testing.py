"""Test and demo helpers: the Gia Lai world with registers, a review chain, keys, and a second agency
(Sở Xây dựng) staffed to receive documents; a decision released through the exchange hub, and a file
its signer signed again (the recall and update tests)."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from pypdf import PdfWriter

from congso.accounts import testing as accounts_testing
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER
from congso.exchange import services as exchange_services
from congso.signing import demo as signing_demo
from congso.signing.models import SigningKey
from congso.signing.services import sign_pdf

from . import services
from .models import Document, DocumentType, Register, ReviewStep

EXTRA_STAFF = {
    # key: (username, full name, role, agency key, position)
    "head_civil": ("truongphong.htp", "Lê Văn Hải", Role.LEADER, "justice_civil", "Trưởng phòng"),
    "cx_clerical": ("vanthu.xaydung", "Đỗ Thị Hương", Role.CLERICAL, "construction", ""),
    "cx_leader": ("lanhdao.xaydung", "Trần Đức Thịnh", Role.LEADER, "construction", "Giám đốc"),
    "cx_officer": ("chuyenvien.xaydung", "Nguyễn Thị Thu", Role.OFFICER, "construction", "Chuyên viên"),
}


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scan_pdf(lines, *, image=False) -> bytes:
    """A scanned page: the lines drawn on an A4 image at 150 dpi, as an image-only PDF (no text layer)
    or, with ``image``, as a PNG. Needs the DejaVu font (fonts-dejavu-core)."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 40)
    for i, line in enumerate(lines):
        draw.text((100, 150 + 80 * i), line, font=font, fill=0)
    buf = io.BytesIO()
    if image:
        page.save(buf, format="PNG")
    else:
        page.save(buf, format="PDF", resolution=150)
    return buf.getvalue()


def doc_type(abbreviation: str) -> DocumentType:
    if abbreviation == "":
        return DocumentType.objects.get(name="Công văn")
    return DocumentType.objects.get(abbreviation=abbreviation)


def setup_agency(agency, notation: str, *, chain=True) -> dict:
    """Four registers (incoming, outgoing, each ordinary and secret) and, if asked, a review chain
    chuyên viên's draft → trưởng phòng → lãnh đạo."""
    regs = {}
    for direction, secret, name in (
        (Register.Direction.INCOMING, False, "Sổ văn bản đến"),
        (Register.Direction.INCOMING, True, "Sổ văn bản đến mật"),
        (Register.Direction.OUTGOING, False, "Sổ văn bản đi"),
        (Register.Direction.OUTGOING, True, "Sổ văn bản đi mật"),
    ):
        regs[(direction, secret)], _ = Register.objects.get_or_create(
            agency=agency,
            name=name,
            defaults={"direction": direction, "secret": secret, "notation": notation},
        )
    if chain and not ReviewStep.objects.filter(agency=agency).exists():
        ReviewStep.objects.create(agency=agency, position=1, title="Trưởng phòng thẩm định", role=Role.LEADER)
        ReviewStep.objects.create(agency=agency, position=2, title="Lãnh đạo Sở duyệt", role=Role.LEADER)
    return regs


def keys_for(agency, leader, position="Giám đốc"):
    signing_demo.ensure_ca()
    seal = signing_demo.demo_key(
        label=f"con-dau-{agency.code}",
        kind=SigningKey.Kind.SEAL,
        common_name=agency.name,
        organisation=agency.code,
        agency=agency,
    )
    personal = signing_demo.demo_key(
        label=f"chu-ky-{leader.username}",
        kind=SigningKey.Kind.PERSONAL,
        common_name=leader.full_name or leader.username,
        organisation=agency.name,
        user=leader,
        agency=agency,
        position=position,
    )
    return seal, personal


def build_world():
    """``accounts.testing.build_world()`` plus the documents' registers and the extra staff. The Decree 30
    types come from migration 0002 (the root conftest puts them back after a transactional test's flush)."""
    w = accounts_testing.build_world()
    User = get_user_model()
    for key, (username, name, role, agency_key, position) in EXTRA_STAFF.items():
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            full_name=name,
            kind=User.Kind.OFFICIAL,
            email=f"{username}@gialai.gov.vn",
        )
        Membership.objects.create(
            user=user, agency=w.agencies[agency_key], role=role, position=position, valid_from=TWO_TIER
        )
        w.users[key] = user
    Membership.objects.filter(user=w.users["leader"]).update(position="Giám đốc Sở")
    w.registers = setup_agency(w.agencies["justice"], "STP")
    w.cx_registers = setup_agency(w.agencies["construction"], "SXD", chain=False)
    return w


HUB_DECISION = {
    "doc_type": "QĐ",
    "subject": "Quyết định phê duyệt Kế hoạch phổ biến, giáo dục pháp luật năm 2027 trên địa bàn tỉnh Gia Lai",
    "pages": 1,
    "recipients_text": "Sở Xây dựng\nUBND tỉnh Gia Lai\nLưu: VT",
}


def released_through_hub(world, *agencies, metadata=None) -> Document:
    """A decision of the Sở Tư pháp (``HUB_DECISION`` updated with ``metadata``): drafted by chuyên viên,
    approved by the trưởng phòng and the Giám đốc Sở, signed, numbered and sealed, released by văn thư
    THROUGH the exchange hub to ``agencies``; each agency's poll job fetches it (an agency with registers
    files it as an incoming document) and the Sở's poll fetches the statuses that came back (01, 03).
    Needs the Sở's keys (``keys_for``), each agency's seal (``exchange.testing.seal_for``) and a hub (the
    ``hub`` fixture)."""
    u = world.users
    doc = services.create_draft(
        actor=u["officer"],
        agency=world.agencies["justice"],
        metadata={**HUB_DECISION, **(metadata or {})},
        upload=pdf_bytes(),
    )
    services.submit(doc, actor=u["officer"])
    services.approve(doc, actor=u["head_civil"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    doc = services.release(
        doc, actor=u["clerical"], external=[{"organ_id": a.code, "name": a.name} for a in agencies]
    )
    for agency in agencies:
        exchange_services.receive(agency)
    exchange_services.receive(world.agencies["justice"])
    return doc


def signed_again(signer, pages: int = 1) -> bytes:
    """The corrected text of a document (``pages`` long), signed again with ``signer``'s personal key:
    the file văn thư sends as an update (``services.send_update``)."""
    return sign_pdf(pdf_bytes(pages), services.personal_key(signer), actor=signer).data
