"""The packet's XML signature: made with the agency's seal, checked against the trust anchors and the
sender; a forger's own certificate, an expired one, or a signature wrapped around other content is refused."""

import datetime as dt

import pytest
from lxml import etree
from signxml import XMLSigner

from congso.exchange import edxml, testing, xmlsig
from congso.signing import crypto

pytestmark = pytest.mark.django_db


def sender_of(root):
    return edxml.packet_from_tree(root).sender.organ_id


def signed(province, justice, key=None):
    packet = testing.sample_packet(province, justice)
    return xmlsig.sign(edxml.build_packet(packet), key or testing.seal_for(province))


def test_seal_signature_verifies(province, justice):
    result = xmlsig.verify(signed(province, justice), sender_of)
    assert result.signer_name == province.name
    assert edxml.packet_from_tree(result.signed_root).code == "15/QĐ-UBND"


def test_forger_with_a_self_made_certificate_naming_the_organ_is_refused(province, justice):
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name(province.name, "Giả mạo", unit=province.code),
        public_key=key.public_key(),
        issuer_cert=None,
        issuer_key=key,
        ca=True,
    )
    root = edxml.build_packet(testing.sample_packet(province, justice))
    forged = etree.tostring(
        XMLSigner(c14n_algorithm=xmlsig.CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0).sign(
            root, key=key, cert=[cert]
        )
    )
    with pytest.raises(edxml.PacketError) as caught:
        xmlsig.verify(forged, sender_of)
    assert caught.value.reason == "untrusted"


def test_changed_after_signing_is_refused(province, justice):
    data = signed(province, justice).replace("kiện toàn".encode(), "giải thể".encode())
    with pytest.raises(edxml.PacketError) as caught:
        xmlsig.verify(data, sender_of)
    assert caught.value.reason == "signature"


def test_signature_wrapping_reads_only_what_was_signed(province, justice):
    """An attacker adds a second MessageHeader; the verifier's signed copy is what the app reads."""
    data = signed(province, justice)
    root = etree.fromstring(data)
    header = root.find("edXML:edXMLHeader", edxml.NSMAP)
    extra = etree.fromstring(etree.tostring(header.find("edXML:MessageHeader", edxml.NSMAP)))
    extra.find("edXML:Subject", edxml.NSMAP).text = "Nội dung chèn thêm"
    header.insert(0, extra)
    with pytest.raises(edxml.PacketError):
        xmlsig.verify(etree.tostring(root), sender_of)


def test_expired_seal_is_refused(province, justice):
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    ca_cert, ca_key = testing.demo.ensure_ca()
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name(province.name, "UBND", unit=province.code),
        public_key=key.public_key(),
        issuer_cert=ca_cert,
        issuer_key=ca_key,
        not_before=past,
        not_after=past + dt.timedelta(days=365),
    )
    root = edxml.build_packet(testing.sample_packet(province, justice))
    data = etree.tostring(
        XMLSigner(c14n_algorithm=xmlsig.CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0).sign(
            root, key=key, cert=[cert, ca_cert]
        )
    )
    with pytest.raises(edxml.PacketError) as caught:
        xmlsig.verify(data, sender_of)
    assert caught.value.reason == "untrusted"
