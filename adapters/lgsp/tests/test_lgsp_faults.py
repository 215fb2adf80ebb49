"""The LGSP client against a gateway that misbehaves: 500s, stalls, dropped connections,
garbage, oversized answers — and a gateway configured with other routes and names."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from egovkit.errors import NotFoundError, RemoteError, UnsafeInputError
from egovkit.http import RetryPolicy
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER
from egovkit_lgsp import LgspClient, LgspDialect, Unit
from egovkit_lgsp.testing import GatewayTestServer

MakeGateway = Callable[..., GatewayTestServer]
Connect = Callable[..., LgspClient]
MESSAGES = "/truclienthong/v1.0.0/vanbans"


class Waits:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def test_500s_are_retried_with_backoff(make_gateway: MakeGateway, connect: Connect) -> None:
    waits = Waits()
    retry = RetryPolicy(attempts=4, base_delay=0.2, sleep=waits, random=lambda: 0.5)
    with make_gateway() as gw, connect(gw, SENDER, retry=retry) as client:
        gw.fail(MESSAGES, times=3, method="GET")
        client.received()
    assert waits.delays == [0.1, 0.2, 0.4]


def test_a_stall_times_out_and_is_retried(make_gateway: MakeGateway, connect: Connect) -> None:
    with make_gateway() as gw, connect(gw, SENDER, timeout=0.3) as client:
        gw.delay(MESSAGES, 1.0, method="GET")
        client.received()
        assert sum(c.path == MESSAGES for c in gw.calls) == 2


def test_a_send_whose_answer_was_lost_is_repeated_or_reported(
    make_gateway: MakeGateway, connect: Connect
) -> None:
    with make_gateway() as gw:
        with connect(gw, SENDER) as client:
            gw.drop_after(MESSAGES, method="POST")
            client.send(b"<edXML/>", kind="edoc", to=[RECIPIENT])
            assert gw.count() == 2  # at least once: the receiver registers it once
        with connect(gw, SENDER, resend_on_doubt=False) as careful:
            gw.drop_after(MESSAGES, method="POST")
            with pytest.raises(RemoteError) as caught:
                careful.send(b"<edXML/>", kind="edoc", to=[RECIPIENT])
            assert caught.value.code == "lgsp.connection"
            assert gw.count() == 3


def test_garbage_is_not_retried(make_gateway: MakeGateway, connect: Connect) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as client:
        gw.garbage(MESSAGES, method="GET")
        with pytest.raises(RemoteError) as caught:
            client.received()
        assert caught.value.code == "lgsp.response"
        assert sum(c.path == MESSAGES for c in gw.calls) == 1


def test_an_oversized_answer_is_refused(make_gateway: MakeGateway, connect: Connect) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as sender:
        sender.send(b"x" * 50_000, kind="edoc", to=[RECIPIENT])
        with connect(gw, RECIPIENT, max_response_bytes=10_000) as small:
            [message] = small.received()
            with pytest.raises(UnsafeInputError) as caught:
                small.fetch(message.doc_id)
    assert caught.value.code == "lgsp.response.size"


def test_unknown_messages_and_refusals(make_gateway: MakeGateway, connect: Connect) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as client:
        with pytest.raises(NotFoundError):
            client.fetch("LGSP-00000099")
        with pytest.raises(RemoteError) as refused:
            client.send(b"x", kind="edoc", to=[])
        assert refused.value.code == "lgsp.fail.TO"
        with pytest.raises(NotFoundError):
            client.update_status("LGSP-00000099", "DONE")


def test_status_values_and_units(make_gateway: MakeGateway, connect: Connect) -> None:
    units = (Unit(code=str(SENDER), id="1", name="UBND tỉnh"), Unit(code=str(RECIPIENT), id="2"))
    with make_gateway(unit_list=units) as gw:
        with connect(gw, SENDER) as sender, connect(gw, RECIPIENT) as recipient:
            doc_id = sender.send(b"<edXML/>", kind="edoc", to=[RECIPIENT])
            recipient.update_status(doc_id, "PROCESSING")
            assert [m.doc_id for m in recipient.received()] == [doc_id]
            recipient.update_status(doc_id, "DONE")
            assert recipient.received() == ()
            assert sender.units() == units
        assert [s[2] for s in gw.statuses] == ["PROCESSING", "DONE"]


def test_another_gateways_routes_and_names(make_gateway: MakeGateway, connect: Connect) -> None:
    """The assumed parts are configuration: a gateway with other paths and field names."""
    dialect = LgspDialect(
        token_path="/oauth2/token",
        base_path="/lienthongvanban/v2",
        messages="documents",
        message="documents/{doc_id}",
        units="units",
        unit_key_header="secretDonVi",
        data_field="content",
        kind_field="type",
        to_field="receivers",
        status_field="trangThai",
        kind_query="",
    )
    with make_gateway(dialect=dialect) as gw:
        with connect(gw, SENDER) as sender, connect(gw, RECIPIENT) as recipient:
            doc_id = sender.send(b"<edXML>2</edXML>", kind="status", to=[RECIPIENT])
            assert [m.doc_id for m in recipient.received(kind="status")] == [doc_id]
            assert recipient.received(kind="edoc") == ()
            assert recipient.fetch(doc_id) == b"<edXML>2</edXML>"
            recipient.update_status(doc_id, "DONE")
        paths = {c.path for c in gw.calls}
        assert {"/oauth2/token", "/lienthongvanban/v2/documents"} <= paths
        assert all("secretdonvi" in c.headers for c in gw.calls if c.path.startswith("/lien"))


def test_open_exchange_from_a_url(make_gateway: MakeGateway) -> None:
    from egovkit.errors import ConfigurationError
    from egovkit.exchange.registry import open_exchange
    from egovkit_lgsp import LgspExchange

    with make_gateway() as gw:
        url = gw.url.replace("http://", "lgsp+http://")
        with open_exchange(
            url,
            agency=SENDER,
            client_id="sender-app",
            client_secret="sender-client-s3cret",
            unit_key="unit-key-of-the-sender-0001",
        ) as exchange:
            assert isinstance(exchange, LgspExchange)
            assert exchange.received() == ()
            assert "s3cret" not in repr(exchange.client)
    with pytest.raises(ConfigurationError) as caught:
        open_exchange("lgsp+https://gateway.example.invalid", agency=SENDER, unit_key="k")
    assert caught.value.code == "lgsp.auth"
    with pytest.raises(ConfigurationError) as missing:
        open_exchange(
            "lgsp+https://gateway.example.invalid", agency=SENDER, system_id="app", secret="s"
        )
    assert missing.value.code == "lgsp.unit_key"
