"""OCSP and CRL fetched over HTTP from a real local server, including one that misbehaves."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from egovkit.errors import RemoteError
from egovkit.signatures import (
    HttpxClient,
    Indication,
    RevocationSources,
    RevocationStatus,
    SubIndication,
    sign_envelope,
    verify,
)
from egovkit.testing.pki import FixturePKI

from .conftest import envelope


class Server:
    def __init__(self) -> None:
        self.mode = "ok"
        self.requests: list[str] = []
        self.pki: FixturePKI | None = None


def _handler(state: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, body: bytes) -> None:
            mode = state.mode
            if mode == "slow":
                time.sleep(2.0)
            if mode == "drop" or (mode == "ocsp-drop" and self.path == "/ocsp"):
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if mode == "500" or (mode == "ocsp-500" and self.path == "/ocsp"):
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if mode == "junk":
                body = b"<html>maintenance</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            with contextlib.suppress(OSError):
                state.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length", "0"))
                request = self.rfile.read(length)
                assert state.pki is not None
                self._answer(state.pki.ocsp_answer(request))

        def do_GET(self) -> None:
            with contextlib.suppress(OSError):
                state.requests.append(f"GET {self.path}")
                assert state.pki is not None
                issuer = "root" if self.path == "/crl/root.crl" else "intermediate"
                self._answer(state.pki.crl_der(issuer))

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.pki = FixturePKI.create(base_url=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def live(server: Server) -> Iterator[Server]:
    server.mode = "ok"
    server.requests.clear()
    yield server
    server.mode = "ok"


def _verify(state: Server, name: str, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    pki = state.pki
    assert pki is not None
    signed = sign_envelope(envelope(), getattr(pki, name).signer())
    return verify(
        signed, trust=pki.trust_store(), revocation=RevocationSources.online(timeout=timeout)
    )


def test_online_ocsp_and_crl(live: Server) -> None:
    report = _verify(live, "agency")
    assert report.passed, report.to_text()
    evidence = report.signatures[0].revocation
    assert [(e.source, e.status) for e in evidence] == [
        ("ocsp", RevocationStatus.GOOD),  # the leaf, by OCSP
        ("crl", RevocationStatus.GOOD),  # the intermediate, by the root's CRL
    ]
    assert live.requests == ["POST /ocsp", "GET /crl/root.crl"]


def test_online_revoked(live: Server) -> None:
    report = _verify(live, "revoked")
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.REVOKED


def test_ocsp_failure_falls_back_to_crl(live: Server) -> None:
    live.mode = "ocsp-500"
    report = _verify(live, "agency")
    assert report.passed, report.to_text()
    assert "GET /crl/intermediate.crl" in live.requests


@pytest.mark.parametrize("mode", ["500", "drop", "slow", "junk"])
def test_misbehaving_server_is_never_valid(live: Server, mode: str) -> None:
    live.mode = mode
    report = _verify(live, "agency", timeout=0.5)
    assert report.indication is Indication.INDETERMINATE
    assert report.sub_indication is SubIndication.TRY_LATER
    assert not report.passed
    details = " ".join(e.detail for e in report.signatures[0].revocation)
    assert details  # each failed attempt is recorded


def test_offline_mode_fetches_nothing(live: Server) -> None:
    pki = live.pki
    assert pki is not None
    signed = sign_envelope(envelope(), pki.agency.signer())
    report = verify(signed, trust=pki.trust_store(), revocation=RevocationSources())
    assert report.sub_indication is SubIndication.TRY_LATER
    assert live.requests == []


def test_httpx_client_limits(live: Server) -> None:
    pki = live.pki
    assert pki is not None
    with pytest.raises(RemoteError) as caught:
        HttpxClient().get("file:///etc/passwd")
    assert caught.value.code == "signatures.revocation.url_scheme"
    with pytest.raises(RemoteError) as caught:
        HttpxClient(max_bytes=10).get(f"{pki.base_url}/crl/root.crl")
    assert caught.value.code == "signatures.revocation.too_large"
    live.mode = "500"
    with pytest.raises(RemoteError) as caught:
        HttpxClient().get(f"{pki.base_url}/crl/root.crl")
    assert caught.value.retryable


def test_injected_httpx_client_with_mock_transport() -> None:
    import httpx

    pki = FixturePKI.create(base_url="http://ca.invalid")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, content=pki.http_answer(request.url.path, request.read()))

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        sources = RevocationSources.online(http=HttpxClient(client=client))
        signed = sign_envelope(envelope(), pki.person_ec.signer())
        report = verify(signed, trust=pki.trust_store(), revocation=sources)
    assert report.passed, report.to_text()
    assert seen == ["POST /ocsp", "GET /crl/root.crl"]
