"""Test helpers of inter-agency exchange: seals for two agencies, a signed PDF, a packet, a live hub.

Used by this app's tests, the benchmark and (later) the documents app's tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading

from pypdf import PdfWriter

from congso.signing import demo
from congso.signing.models import SigningKey
from congso.signing.services import sign_pdf

from . import edxml
from .hub import Hub, make_hub_server


def seal_for(agency) -> SigningKey:
    """The agency's demo seal (its certificate names the agency's code in OU, as the demo CA issues)."""
    demo.ensure_ca()
    return demo.demo_key(
        label=f"demo-seal-{agency.code}",
        kind=SigningKey.Kind.SEAL,
        common_name=agency.name[:64],
        organisation=agency.code,
        agency=agency,
    )


def blank_pdf_bytes(pages: int = 1, padding: int = 0) -> bytes:
    """A blank A4 PDF; ``padding`` bytes of incompressible metadata make it as large as a real scan."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        import os  # local import: random filler for a realistic size

        writer.add_metadata({"/Filler": os.urandom(padding // 4).hex()})  # written as hex: 4 bytes each
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf(key: SigningKey, padding: int = 0) -> bytes:
    return sign_pdf(blank_pdf_bytes(padding=padding), key, actor=None, as_system=True).data


def sample_packet(
    sender, recipient, *, pdf: bytes | None = None, number: str = "15", **fields
) -> edxml.Packet:
    """A decision of the province's People's Committee to the Department of Justice."""
    values = {
        "sender": edxml.Organ(sender.code, sender.name),
        "recipients": [edxml.Organ(recipient.code, recipient.name)],
        "code_number": number,
        "code_notation": "QĐ-UBND",
        "promulgation_date": dt.date(2026, 12, 4),
        "place": "Gia Lai",
        "document_type": "1",
        "type_name": "Quyết định",
        "subject": "Về việc kiện toàn Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Gia Lai",
        "content": "",
        "signer": edxml.Signer("TM.", "Chủ tịch", "Phạm Anh Tuấn"),
        "due_date": dt.date(2026, 12, 18),
        "to_places": ["Sở Tư pháp", "Lưu: VT"],
        "priority": 1,
        "steering_type": 1,
        "page_amount": 1,
        "promulgation_amount": 5,
        "attachments": [edxml.Attachment("cid:1", f"QD-{number}-UBND.pdf", "application/pdf", pdf)]
        if pdf
        else [],
    }
    values.update(fields)
    return edxml.Packet(**values)


@contextlib.contextmanager
def running_hub():
    """A hub on a free local port in a thread: yields (hub, base URL)."""
    hub = Hub()
    server = make_hub_server("127.0.0.1", 0, hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
