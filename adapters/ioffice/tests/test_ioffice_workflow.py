"""Documents, processing status and directions through the contract; a misbehaving server."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.documents import AgencyRef, Direction, Register, Secrecy
from egovkit.errors import NotFoundError, PolicyError, RemoteError
from egovkit.exchange import ExchangeService, MessageKind, RetryPolicy
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_document, sample_envelope
from egovkit.testing.pki import FixturePKI
from egovkit_ioffice import (
    BearerToken,
    Instruction,
    IofficeClient,
    IofficeExchange,
    ProcessingStatus,
    ProcessingUpdate,
)
from egovkit_ioffice.testing import IofficeTestServer

TOKEN = "workflow-token-never-logged"


@pytest.fixture
def server() -> Iterator[IofficeTestServer]:
    with IofficeTestServer(token=TOKEN) as running:
        yield running


def client(
    server: IofficeTestServer, agency: AgencyCode = RECIPIENT, *, timeout: float = 5.0
) -> IofficeClient:
    return IofficeClient(
        server.url,
        agency=agency,
        auth=BearerToken(TOKEN),
        timeout=timeout,
        retry=RetryPolicy(sleep=lambda _s: None),
    )


def test_push_and_pull_documents_with_paging(server: IofficeTestServer) -> None:
    with client(server) as c:
        ids = [c.push_document(sample_document(n), key=f"doc-{n}") for n in (1, 2, 3)]
        assert c.push_document(sample_document(1), key="doc-1") == ids[0]  # a retry: no copy
        first, cursor = c.documents(direction="outgoing")
        rest, end = c.documents(direction="outgoing", after=cursor)
    assert [d.id for d in first + rest] == ids
    assert end == ""
    assert [d.document for d in first + rest] == [sample_document(n) for n in (1, 2, 3)]


def test_secret_documents_are_refused_before_anything_is_sent(server: IofficeTestServer) -> None:
    secret = attrs.evolve(sample_document(), secrecy=Secrecy.TOP_SECRET)
    with client(server) as c, pytest.raises(PolicyError):
        c.push_document(secret, key="secret")
    assert [call for call in server.calls if call.path == "/documents"] == []


def test_processing_and_directions(server: IofficeTestServer) -> None:
    with client(server) as c:
        remote = c.push_document(
            attrs.evolve(sample_document(), direction=Direction.INCOMING), key="in-1"
        )
        instruction = Instruction(
            lead=AgencyRef(name="Phòng Tổ chức cán bộ"),
            cooperating=[AgencyRef(name="Sở Tài chính", code=AgencyCode.parse("000.00.03.H99"))],
            deadline=dt.date(2026, 3, 20),
            comment="Chủ trì tham mưu, báo cáo trước ngày 20/3",
            by="Phó Giám đốc Trần Thị Bình",
        )
        c.set_instruction(remote, instruction)
        assert c.instruction(remote) == instruction
        at = dt.datetime(2026, 3, 3, 8, tzinfo=dt.UTC)
        for status in ProcessingStatus:
            c.set_processing(remote, ProcessingUpdate(status=status, at=at, by="Chuyên viên"))
        assert [u.status for u in c.processing(remote)] == list(ProcessingStatus)
        with pytest.raises(NotFoundError):
            c.processing("D999999")


def test_faults_are_retried_and_idempotency_prevents_duplicates(
    server: IofficeTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    document_id, data = sample_envelope()
    server.fail("/messages", times=2, method="POST")
    server.drop_after("/messages", method="POST")  # stored, answer lost: the retry must not copy
    with IofficeExchange(client(server, SENDER)) as sender:
        receipt = sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
    assert receipt.duplicate  # the retry was recognised by its Idempotency-Key
    assert server.count() == 1
    server.delay("/messages", 2.0, method="GET")
    with IofficeExchange(client(server, RECIPIENT, timeout=0.3)) as recipient:
        assert len(recipient.received()) == 1
    assert TOKEN not in caplog.text


def test_garbage_and_wrong_tokens_are_not_retried(server: IofficeTestServer) -> None:
    server.garbage("/messages")
    with client(server) as c:
        with pytest.raises(RemoteError) as caught:
            c.messages()
        assert caught.value.code == "ioffice.response"
    bad = IofficeClient(
        server.url,
        agency=RECIPIENT,
        auth=BearerToken("wrong"),
        retry=RetryPolicy(sleep=lambda _s: None),
    )
    with bad, pytest.raises(RemoteError) as refused:
        bad.messages()
    assert refused.value.code == "ioffice.http.401"
    assert not refused.value.retryable
    assert "wrong" not in repr(BearerToken("wrong"))


def test_flow_with_processing_reported_back(server: IofficeTestServer, tmp_path: Path) -> None:
    pki = FixturePKI.create()
    server.duplicate_listings = True
    with (
        egovkit.open(f"sqlite:///{tmp_path / 'a.db'}") as store_a,
        egovkit.open(f"sqlite:///{tmp_path / 'b.db'}") as store_b,
        IofficeExchange(client(server, SENDER)) as ex_a,
        IofficeExchange(client(server, RECIPIENT)) as ex_b,
    ):
        a, b = (
            ExchangeService(
                store=store,
                exchange=ex,
                incoming_register=Register(agency=ex.agency, direction=Direction.INCOMING),
                trust=pki.trust_store(),
                revocation=pki.revocation(),
                signer=pki.agency.signer(),
            )
            for store, ex in ((store_a, ex_a), (store_b, ex_b))
        )
        sent = a.send(sample_document())
        results = b.receive()
        assert sorted(r.outcome for r in results) == ["duplicate", "registered"]
        remote = ex_b.client.push_document(
            next(store_b.documents.all()).document, key=sent.document_id
        )
        for status in (ProcessingStatus.ASSIGNED, ProcessingStatus.DONE):
            ex_b.client.set_processing(remote, ProcessingUpdate(status=status))
            b.report_status(sent.document_id, status.status_code)
        a.receive()
        assert [e.status for e in a.history(sent.document_id)] == ["01", "03", "04", "06"]
        assert [e.status for e in ex_a.history(sent.document_id)] == ["01", "03", "04", "06"]


def test_open_exchange_from_a_url() -> None:
    from egovkit.errors import ConfigurationError
    from egovkit.exchange.registry import open_exchange

    with open_exchange(
        "ioffice+https://qlvb.example.invalid/api", agency=SENDER, secret="t"
    ) as exchange:
        assert isinstance(exchange, IofficeExchange)
    with pytest.raises(ConfigurationError) as caught:
        open_exchange("ioffice+https://qlvb.example.invalid/api", agency=SENDER)
    assert caught.value.code == "ioffice.auth"


def test_tls_certificates_are_verified_by_default(tmp_path: Path) -> None:
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
        c = IofficeClient(
            f"https://127.0.0.1:{server.server_address[1]}",
            agency=RECIPIENT,
            auth=BearerToken(TOKEN),
            retry=RetryPolicy(attempts=1),
        )
        with c, pytest.raises(RemoteError) as caught:
            c.messages()
        assert caught.value.code == "ioffice.tls"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
