"""Test helpers: certificates outside the demo CA, a real RFC 3161 timestamp server, PDF surgery."""

from __future__ import annotations

import datetime
import http.server
import threading

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from congso.signing import crypto
from congso.signing.keystore import SoftSigner, _asn1


def make_ca(name="Root CA thử nghiệm không tin cậy"):
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name(name, "Tổ chức lạ"),
        public_key=key.public_key(),
        issuer_cert=None,
        issuer_key=key,
        ca=True,
        days=3650,
    )
    return cert, key


def make_signer(ca_cert, ca_key, common_name, *, not_before=None, not_after=None):
    key = crypto.new_rsa_key()
    cert = crypto.issue_certificate(
        subject=crypto.make_name(common_name, "Ủy ban nhân dân xã Ia Grai"),
        public_key=key.public_key(),
        issuer_cert=ca_cert,
        issuer_key=ca_key,
        not_before=not_before,
        not_after=not_after,
    )
    return soft_signer(key, cert, [ca_cert])


def soft_signer(key, cert, chain):
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SoftSigner(
        private_key=key,
        signing_cert=_asn1(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),
    )


def expired_window():
    now = datetime.datetime.now(datetime.UTC)
    return now - datetime.timedelta(days=400), now - datetime.timedelta(days=30)


class TimestampServer:
    """A real RFC 3161 server over HTTP; the token is made by pyHanko's local timestamper."""

    def __init__(self, ca_cert, ca_key):
        key = crypto.new_rsa_key()
        cert = crypto.issue_certificate(
            subject=crypto.make_name("Máy chủ cấp dấu thời gian thử nghiệm", "congso"),
            public_key=key.public_key(),
            issuer_cert=ca_cert,
            issuer_key=ca_key,
            timestamping=True,
        )
        der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self.stamper = DummyTimeStamper(
            tsa_cert=_asn1(cert), tsa_key=asn1_keys.PrivateKeyInfo.load(der), certs_to_embed=[_asn1(ca_cert)]
        )
        self.requests = 0
        stamper, server_ref = self.stamper, self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                response = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                server_ref.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def flip_byte_in_signed_content(pdf: bytes) -> bytes:
    """Change one byte inside a content stream covered by the first signature."""
    start = pdf.index(b"stream", pdf.index(b"/Length")) + 20
    changed = bytearray(pdf)
    changed[start] = (changed[start] + 1) % 256
    return bytes(changed)
