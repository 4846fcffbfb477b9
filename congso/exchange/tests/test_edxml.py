"""edXML build and parse: round trips, the sample packets, and every kind of bad XML refused."""

import base64
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from congso.exchange import edxml

DATA = Path(__file__).parent / "data"
VN = edxml.VN_TZ


def packet(**fields):
    values = {
        "sender": edxml.Organ(
            "000.00.00.H21", "Ủy ban nhân dân tỉnh Gia Lai", address="Số 02 Trần Phú, Quy Nhơn"
        ),
        "recipients": [
            edxml.Organ("000.00.12.H21", "Sở Tư pháp tỉnh Gia Lai"),
            edxml.Organ("000.00.15.H21", "Sở Xây dựng tỉnh Gia Lai"),
        ],
        "code_number": "15",
        "code_notation": "QĐ-UBND",
        "promulgation_date": dt.date(2026, 12, 4),
        "place": "Gia Lai",
        "type_name": "Quyết định",
        "subject": "Về việc kiện toàn Hội đồng phối hợp phổ biến, giáo dục pháp luật",
        "content": "Quyết định có hiệu lực kể từ ngày ký.",
        "signer": edxml.Signer("TM.", "Chủ tịch", "Phạm Anh Tuấn"),
        "due_date": dt.date(2026, 12, 18),
        "to_places": ["Như Điều 3", "Lưu: VT, NC"],
        "priority": 3,
        "sphere": "Cơ quan nhà nước tỉnh",
        "typer_notation": "NTH",
        "promulgation_amount": 12,
        "page_amount": 3,
        "steering_type": 1,
        "trace": [edxml.TraceHeader("000.00.00.H21", dt.datetime(2026, 12, 4, 15, 30, tzinfo=VN))],
        "attachments": [
            edxml.Attachment(
                "cid:1", "QD-15-UBND.pdf", "application/pdf", b"%PDF-1.7\n\x00\xff binary", "Quyết định"
            ),
            edxml.Attachment("cid:2", "phu-luc.docx", "application/vnd.openxmlformats", b"PK\x03\x04"),
        ],
    }
    values.update(fields)
    return edxml.Packet(**values)


def test_packet_round_trip():
    original = packet()
    parsed = edxml.parse_packet(edxml.to_bytes(edxml.build_packet(original)))
    assert dataclasses.asdict(parsed) == dataclasses.asdict(original)
    assert parsed.document_id == "000.00.00.H21,2026/12/04,15/QĐ-UBND"
    assert parsed.attachments[0].data == b"%PDF-1.7\n\x00\xff binary"


def test_recall_round_trip_names_the_original():
    original = packet(
        business=edxml.Business.RECALL,
        business_reason="Ban hành nhầm đối tượng",
        response_for=[
            edxml.ResponseFor(
                "000.00.00.H21", "15/QĐ-UBND", dt.date(2026, 12, 4), "000.00.00.H21,2026/12/04,15/QĐ-UBND"
            )
        ],
        attachments=[],
    )
    parsed = edxml.parse_packet(edxml.to_bytes(edxml.build_packet(original)))
    assert parsed.business == edxml.Business.RECALL
    assert parsed.response_for == original.response_for


def test_status_round_trip():
    status = edxml.Status(
        sender=edxml.Organ("000.00.12.H21", "Sở Tư pháp tỉnh Gia Lai"),
        response_for=edxml.ResponseFor(
            "000.00.00.H21", "15/QĐ-UBND", dt.date(2026, 12, 4), "000.00.00.H21,2026/12/04,15/QĐ-UBND"
        ),
        status_code="04",
        description="Đã phân công phòng Phổ biến giáo dục pháp luật chủ trì",
        timestamp=dt.datetime(2026, 12, 5, 8, 15, tzinfo=VN),
        department="Văn phòng Sở",
        staff="Phan Thị Lan",
    )
    parsed = edxml.parse_status(edxml.to_bytes(edxml.build_status(status)))
    assert dataclasses.asdict(parsed) == dataclasses.asdict(status)
    assert parsed.label == "Đã phân công"


@pytest.mark.parametrize(
    "name,reason",
    [
        ("billion_laughs.xml", "xml_attack"),
        ("external_entity.xml", "xml_attack"),
        ("external_dtd.xml", "xml_attack"),
        ("malformed.xml", "malformed"),
        ("not_edxml.xml", "malformed"),
        ("bad_date.xml", "malformed"),
        ("missing_attachment.xml", "malformed"),
    ],
)
def test_bad_samples_are_refused(name, reason):
    with pytest.raises(edxml.PacketError) as caught:
        edxml.parse_packet((DATA / name).read_bytes())
    assert caught.value.reason == reason
    assert str(caught.value)  # a Vietnamese message for the hub and the inbox


def test_the_sample_packet_parses():
    p = edxml.parse_packet((DATA / "packet_unsigned.xml").read_bytes())
    assert p.code == "15/QĐ-UBND"
    assert p.priority == 3
    assert p.signer.full_name == "Phạm Anh Tuấn"
    assert [r.organ_id for r in p.recipients] == ["000.00.12.H21", "000.00.15.H21"]
    assert edxml.parse_status((DATA / "status_unsigned.xml").read_bytes()).status_code == "06"


def test_building_checks_the_rules():
    with pytest.raises(edxml.PacketError) as caught:
        edxml.build_packet(packet(subject=" ", recipients=[], priority=9))
    message = str(caught.value)
    assert "trích yếu" in message and "cơ quan nhận" in message and "độ khẩn" in message
    with pytest.raises(edxml.PacketError):
        edxml.build_packet(packet(business=edxml.Business.UPDATE))  # an update must name its original


def _envelope_with(prolog: bytes = b"", inside: bytes = b"") -> bytes:
    """The sample packet with ``prolog`` before its root element and ``inside`` at the end of its body."""
    data = (DATA / "packet_unsigned.xml").read_bytes()
    start = data.index(b"<edXML:edXMLEnvelope")
    end = data.index(b"</edXML:edXMLBody>")
    return data[:start] + prolog + data[start:end] + inside + data[end:]


@pytest.mark.parametrize(
    "prolog,inside,reason",
    [
        # a DOCTYPE after a long comment, past the gate's first chunk: still read before the root
        (b"<!--" + b"x" * 200_000 + b"-->\n<!DOCTYPE e [<!ENTITY a 'b'>]>\n", b"", "xml_attack"),
        (b'<!DOCTYPE e SYSTEM "http://169.254.169.254/">\n', b"", "xml_attack"),
        # no DOCTYPE: an entity deep in the body (after a 400 KB attachment) is undefined, not resolved
        (b"", b"<edXML:Note>" + b"A" * 400_000 + b"&xxe;</edXML:Note>", "malformed"),
        (b"", b"<!DOCTYPE e [<!ENTITY a 'b'>]>", "malformed"),  # a DOCTYPE inside an element
        (b"", b"<edXML:Note>", "malformed"),  # cut short
    ],
)
def test_the_prolog_gate_and_lxml_refuse_what_hides_in_a_large_packet(prolog, inside, reason):
    with pytest.raises(edxml.PacketError) as caught:
        edxml.safe_parse(_envelope_with(prolog, inside))
    assert caught.value.reason == reason


def test_a_large_packet_with_a_comment_before_its_root_parses():
    root = edxml.safe_parse(_envelope_with(b"<!--" + "ghi chú".encode() * 20_000 + b"-->\n"))
    assert root.tag == edxml.E + "edXMLEnvelope"


def test_an_attachment_is_base64_with_line_breaks_and_nothing_else():
    built = edxml.to_bytes(edxml.build_packet(packet()))
    parsed = edxml.parse_packet(built)
    assert parsed.attachments, "the sample packet carries a file"
    content = parsed.attachments[0].data
    wrapped = base64.encodebytes(content)  # 76 characters a line, as other systems send it
    encoded = base64.b64encode(content)
    assert edxml.parse_packet(built.replace(encoded, wrapped)).attachments[0].data == content
    for bad in (encoded[:-2] + b"*=", encoded + b"A", b"\xc3\xa1" + encoded):
        with pytest.raises(edxml.PacketError) as caught:
            edxml.parse_packet(built.replace(encoded, bad))
        assert caught.value.reason == "malformed"


def test_size_limit(settings):
    settings.CONGSO_EXCHANGE_MAX_PACKET_BYTES = 1000
    with pytest.raises(edxml.PacketError) as caught:
        edxml.parse_packet(edxml.to_bytes(edxml.build_packet(packet())))
    assert caught.value.reason == "too_large"


def test_route_of_a_packet_and_a_status():
    kind, message_id, sender, to = edxml.peek_route(
        edxml.to_bytes(edxml.build_packet(packet(message_id="6f1c2a52-4d1e-4d7f-9b8e-3a1f0c2d4e5f")))
    )
    assert (kind, message_id, sender, to) == (
        "packet",
        "6f1c2a52-4d1e-4d7f-9b8e-3a1f0c2d4e5f",
        "000.00.00.H21",
        ["000.00.12.H21", "000.00.15.H21"],
    )
    kind, _, sender, to = edxml.peek_route((DATA / "status_unsigned.xml").read_bytes())
    assert (kind, sender, to) == ("status", "000.00.12.H21", ["000.00.00.H21"])
