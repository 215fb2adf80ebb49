"""The client against an axis that misbehaves: 500s, stalls, dropped connections, garbage,
duplicate listings — and the whole flow between two agencies still registers each document once.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import egovkit
from egovkit.agencies.codes import AgencyCode
from egovkit.documents import Direction, Register
from egovkit.errors import NotFoundError, RemoteError
from egovkit.exchange import ExchangeService, RetryPolicy
from egovkit.ports import Store
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_document
from egovkit.testing.pki import FixturePKI
from egovkit_vdxp import NoAuthentication, SystemCredentials, VdxpClient, VdxpExchange
from egovkit_vdxp.protocol import hash_file
from egovkit_vdxp.testing import AxisTestServer, Verifier
from egovkit_vdxp.wire import AxisAgency

SECRET = "s3cret-never-logged"
SECRETS = {str(SENDER): SECRET, str(RECIPIENT): "another-s3cret-never-logged"}


@pytest.fixture
def axis(recipe_verifier: Callable[[dict[str, str]], Verifier]) -> Iterator[AxisTestServer]:
    agencies = (AxisAgency(code=str(SENDER), name="UBND tỉnh Thử Nghiệm"),)
    with AxisTestServer(verifier=recipe_verifier(SECRETS), agencies=agencies) as server:
        yield server


def credentials(agency: AgencyCode) -> SystemCredentials:
    return SystemCredentials(system_id=str(agency), secret=SECRETS[str(agency)])


class Waits:
    """A sleep that records the backoff instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def client(
    axis: AxisTestServer,
    agency: AgencyCode = SENDER,
    *,
    waits: Waits | None = None,
    timeout: float = 5.0,
    attempts: int = 4,
) -> VdxpClient:
    return VdxpClient(
        axis.url,
        auth=credentials(agency),
        timeout=timeout,
        retry=RetryPolicy(attempts=attempts, sleep=waits or Waits(), random=lambda: 0.5),
    )


def test_headers_and_hash_file_are_sent(axis: AxisTestServer) -> None:
    with client(axis) as c:
        doc_id = c.send_edoc(b"<edXML/>", to=[RECIPIENT], message_type="edoc")
    path, headers = axis.calls[-1].path, axis.calls[-1].headers
    assert path == "/sendEdoc"
    assert headers["xroadvnpt-servicetype"] == "eDoc"
    assert headers["xroadvnpt-messagetype"] == "edoc"
    assert headers["xroadvnpt-from"] == str(SENDER)
    assert headers["xroadvnpt-to"] == f'["{RECIPIENT}"]'
    assert headers["xroadvnpt-hash-file"] == hash_file(b"<edXML/>")
    assert headers["content-type"] == "application/octet-stream"
    assert headers["xroadvnpt-systemid"] == str(SENDER)
    assert "systemid" not in headers
    assert "secret" not in headers
    assert doc_id.startswith("VDXP-")


def test_500s_are_retried_with_growing_backoff(axis: AxisTestServer) -> None:
    waits = Waits()
    axis.fail("/sendEdoc", times=3)
    with client(axis, waits=waits) as c:
        c.send_edoc(b"x", to=[RECIPIENT], message_type="edoc")
    assert waits.delays == [0.1, 0.2, 0.4]  # base 0.2 * 2**n, times the jitter draw 0.5
    assert axis.count() == 1


def test_retries_give_up_with_a_retryable_error(axis: AxisTestServer) -> None:
    axis.fail("/getReceivedEdocList", times=5, status=503)
    with client(axis, attempts=3) as c, pytest.raises(RemoteError) as caught:
        c.received()
    assert caught.value.code == "vdxp.http.503"
    assert caught.value.retryable


def test_a_stalled_answer_times_out_and_is_retried(axis: AxisTestServer) -> None:
    axis.delay("/getAgenciesList", 2.0)
    with client(axis, timeout=0.3) as c:
        assert [a.code for a in c.agencies()] == [str(SENDER)]
    assert sum(1 for c in axis.calls if c.path == "/getAgenciesList") == 2


def test_a_connection_dropped_before_the_work_is_retried(axis: AxisTestServer) -> None:
    axis.drop_before("/sendEdoc")
    with client(axis) as c:
        c.send_edoc(b"x", to=[RECIPIENT], message_type="edoc")
    assert axis.count() == 1


def test_a_connection_dropped_after_the_work_duplicates_the_message(
    axis: AxisTestServer,
) -> None:
    axis.drop_after("/sendEdoc")
    with client(axis) as c:
        c.send_edoc(b"x", to=[RECIPIENT], message_type="edoc")
    assert axis.count() == 2  # at-least-once: the receiver must recognise the duplicate


def test_garbage_and_refusals_are_not_retried(axis: AxisTestServer) -> None:
    axis.garbage("/getReceivedEdocList")
    with client(axis) as c:
        with pytest.raises(RemoteError) as caught:
            c.received()
        assert caught.value.code == "vdxp.response"
        assert not caught.value.retryable
        with pytest.raises(RemoteError) as refused:
            c.send_edoc(b"x", to=[], message_type="edoc")
        assert refused.value.code == "vdxp.fail.TO"
        with pytest.raises(NotFoundError):
            c.get_edoc("VDXP-99999999")


def test_wrong_credentials_are_refused_and_the_secret_is_never_logged(
    axis: AxisTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad = VdxpClient(
        axis.url,
        auth=SystemCredentials(system_id=str(SENDER), secret="wrong-" + SECRET),
        retry=RetryPolicy(sleep=lambda _s: None),
    )
    with bad, pytest.raises(RemoteError) as caught:
        bad.received()
    assert caught.value.code == "vdxp.fail.401"
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(bad)
    assert SECRET not in repr(SystemCredentials(system_id=str(SENDER), secret=SECRET))
    with client(axis) as good:
        good.send_edoc(b"x", to=[RECIPIENT], message_type="edoc")
    assert caplog.records  # something was logged (httpx, the client) …
    assert SECRET not in caplog.text  # … but never the secret


def test_tls_certificates_are_verified_by_default(tmp_path: Path) -> None:
    pki = FixturePKI.create()
    (tmp_path / "key.pem").write_bytes(pki.agency.key_pem())
    (tmp_path / "cert.pem").write_bytes(pki.agency.cert_pem())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")

    class Quiet(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        c = VdxpClient(
            f"https://127.0.0.1:{port}",
            agency=SENDER,
            auth=NoAuthentication(),
            retry=RetryPolicy(attempts=1),
        )
        with c, pytest.raises(RemoteError) as caught:
            c.received()
        assert caught.value.code == "vdxp.tls"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a = egovkit.open(f"sqlite:///{tmp_path / 'a.db'}")
    b = egovkit.open(f"sqlite:///{tmp_path / 'b.db'}")
    yield a, b
    a.close()
    b.close()


def service(store: Store, c: VdxpClient, pki: FixturePKI) -> ExchangeService:
    return ExchangeService(
        store=store,
        exchange=VdxpExchange(c),
        incoming_register=Register(agency=c.agency, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=pki.agency.signer(),
    )


def test_flow_through_a_misbehaving_axis_registers_each_document_once(
    axis: AxisTestServer, stores: tuple[Store, Store]
) -> None:
    pki = FixturePKI.create()
    with client(axis, SENDER) as sender, client(axis, RECIPIENT) as recipient:
        _flow(axis, stores, service(stores[0], sender, pki), service(stores[1], recipient, pki))


def _flow(
    axis: AxisTestServer, stores: tuple[Store, Store], a: ExchangeService, b: ExchangeService
) -> None:
    axis.drop_after("/sendEdoc")  # the first document reaches the axis twice
    axis.fail("/getEdoc", times=2)
    axis.duplicate_listings = True
    for number in (1, 2, 3):
        assert a.send(sample_document(number)).state == "sent"
    assert axis.count() == 4
    results = b.receive()
    registered = sorted(r.arrival_number or 0 for r in results if r.outcome == "registered")
    assert registered == [1, 2, 3]
    assert [r.outcome for r in results].count("duplicate") == 1
    assert len(list(stores[1].documents.all())) == 3
    axis.duplicate_listings = False
    assert b.receive() == []
    a.receive()
    for number in (1, 2, 3):
        document_id = f"{SENDER},2026/03/02,{number:02d}/UBND-VP"
        assert [e.status for e in a.history(document_id)] == ["01", "03"]
