"""A local RFC 3161 time-stamp authority on 127.0.0.1 — for tests and examples only.

It answers with tokens signed by a test key, and can misbehave on purpose (``mode``: ``ok``,
``slow``, ``error`` for HTTP 500, ``drop`` to close the connection) so clients' timeouts and
retries can be tested.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import cryptography.hazmat.primitives.asymmetric.rsa
import cryptography.x509
from asn1crypto import keys, tsp  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egovkit_pdf._bridge import to_asn1


def tsa_certificate(
    issuer_certificate: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    *,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """A time-stamping certificate (EKU timeStamping, critical) issued by a test CA."""
    now = now or dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "TSA (THỬ NGHIỆM)"),
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                ]
            )
        )
        .issuer_name(issuer_certificate.subject)
        .public_key(key.public_key())
        .serial_number(0x5001)
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def fixture_tsa(
    issuer_certificate: x509.Certificate, issuer_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
) -> LocalTsa:
    """A :class:`LocalTsa` with a fresh RSA key and a certificate from ``issuer`` (not started)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = tsa_certificate(issuer_certificate, issuer_key, key)
    return LocalTsa(certificate, key, chain=(certificate, issuer_certificate))


class LocalTsa:
    """An HTTP TSA in a background thread; use as a context manager, read :attr:`url`.

    The key must be RSA (pyHanko's token builder, used here, signs with RSA only).
    """

    def __init__(
        self,
        # Fully qualified: Sphinx reads a plain class's __init__ hints as unevaluated strings.
        certificate: cryptography.x509.Certificate,
        key: cryptography.hazmat.primitives.asymmetric.rsa.RSAPrivateKey,
        chain: tuple[cryptography.x509.Certificate, ...] = (),
    ) -> None:
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._stamper = DummyTimeStamper(
            tsa_cert=to_asn1(certificate),
            tsa_key=keys.PrivateKeyInfo.load(der),
            certs_to_embed=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [to_asn1(c) for c in chain]
            ),
        )
        self.mode = "ok"
        self.delay = 2.0
        self.requests = 0
        self._lock = threading.Lock()
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with tsa._lock:
                    tsa.requests += 1
                    mode = tsa.mode
                if mode == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if mode == "error":
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if mode == "slow":
                    time.sleep(tsa.delay)
                try:
                    answer = tsa._answer(body)
                except ValueError:
                    self.send_response(400)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _answer(self, body: bytes) -> bytes:
        request = tsp.TimeStampReq.load(body)
        return bytes(self._stamper.request_tsa_response(request).dump())

    @property
    def url(self) -> str:
        """Where to POST requests."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/tsa"

    def __enter__(self) -> LocalTsa:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
