"""OAuth2 client credentials (RFC 6749 §4.4) against the test gateway: one token reused,
renewed before it expires and once after a 401, and no secret in anything printed."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable

import pytest

from egovkit.errors import EgovkitError, RemoteError
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER
from egovkit_lgsp import LgspClient, LgspExchange
from egovkit_lgsp.testing import GatewayTestServer

MakeGateway = Callable[..., GatewayTestServer]
Connect = Callable[..., LgspClient]


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_token_request_is_the_client_credentials_grant(
    make_gateway: MakeGateway, connect: Connect
) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as client:
        client.received()
        token_call = next(c for c in gw.calls if c.path == "/token")
    assert token_call.method == "POST"
    assert token_call.body == b"grant_type=client_credentials"
    assert token_call.headers["content-type"] == "application/x-www-form-urlencoded"
    scheme, _, encoded = token_call.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded) == b"sender-app:sender-client-s3cret"
    api_call = gw.calls[-1]
    assert api_call.headers["authorization"].startswith("Bearer ")
    assert api_call.headers["secret"] == "unit-key-of-the-sender-0001"


def test_one_token_serves_many_calls(make_gateway: MakeGateway, connect: Connect) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as client:
        for _ in range(5):
            client.received()
    assert gw.issued == 1


def test_the_token_is_renewed_before_it_expires(
    make_gateway: MakeGateway, connect: Connect
) -> None:
    clock = Clock()
    with make_gateway(token_lifetime=120) as gw, connect(gw, SENDER, token_clock=clock) as c:
        c.received()
        clock.now += 60  # inside 120 - 30 s margin
        c.received()
        assert gw.issued == 1
        clock.now += 31  # past expiry minus the margin
        c.received()
        assert gw.issued == 2


def test_a_401_renews_the_token_once_and_repeats_the_call(
    make_gateway: MakeGateway, connect: Connect
) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as sender:
        sender.received()
        gw.revoke_tokens()  # the gateway restarted and forgot its tokens
        doc_id = sender.send(b"<edXML/>", kind="edoc", to=[RECIPIENT])
        assert gw.issued == 2
        assert gw.count() == 1  # the refused POST was not processed; the repeat was
        assert doc_id.startswith("LGSP-")


def test_a_token_refused_twice_is_an_error(make_gateway: MakeGateway, connect: Connect) -> None:
    with (
        make_gateway(token_lifetime=0) as gw,
        connect(gw, SENDER) as client,
        pytest.raises(RemoteError) as caught,
    ):
        client.received()
    assert caught.value.code == "lgsp.unauthorized"
    assert gw.issued == 2  # the first token, then one renewal — no loop


def test_wrong_client_credentials_are_refused_and_not_retried(make_gateway: MakeGateway) -> None:
    with make_gateway() as gw:
        bad = LgspClient(
            gw.url,
            agency=SENDER,
            client_id="sender-app",
            client_secret="not-the-sender-client-s3cret",
            unit_key="unit-key-of-the-sender-0001",
            dialect=gw.dialect,
        )
        with bad, pytest.raises(RemoteError) as caught:
            bad.received()
        assert caught.value.code == "lgsp.token.refused"
        assert sum(c.path == "/token" for c in gw.calls) == 1


def test_a_failing_token_endpoint_is_retried(make_gateway: MakeGateway, connect: Connect) -> None:
    with make_gateway() as gw, connect(gw, SENDER) as client:
        gw.fail("/token", times=2, status=503)
        client.received()
        assert sum(c.path == "/token" for c in gw.calls) == 3


def test_an_unknown_unit_key_is_refused(make_gateway: MakeGateway, connect: Connect) -> None:
    with (
        make_gateway() as gw,
        connect(gw, SENDER, unit_key="someone-else") as client,
        pytest.raises(RemoteError) as caught,
    ):
        client.received()
    assert caught.value.code == "lgsp.fail.401"


def test_no_secret_in_logs_errors_or_reprs(
    make_gateway: MakeGateway,
    connect: Connect,
    lgsp_secrets: tuple[str, ...],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    printed: list[str] = []
    with make_gateway() as gw, connect(gw, SENDER) as sender, connect(gw, RECIPIENT) as recipient:
        exchange = LgspExchange(sender)
        printed += [repr(sender), repr(sender.auth), repr(exchange), repr(sender.dialect)]
        printed += [str(vars(sender)), str(vars(sender.auth))]
        sender.send(b"<edXML/>", kind="edoc", to=[RECIPIENT])
        [message] = recipient.received()
        recipient.fetch(message.doc_id)
        recipient.update_status(message.doc_id, "DONE")
        gw.revoke_tokens()
        recipient.received()
        for failing in (lambda: recipient.fetch("LGSP-404"), lambda: sender.units()):
            gw.garbage("/truclienthong/v1.0.0/donvilienthongs")
            try:
                failing()
            except EgovkitError as exc:
                printed += [str(exc), repr(exc), json.dumps(exc.to_dict())]
        printed += [str(vars(sender.auth)), str(vars(recipient.auth)), str(vars(recipient))]
        assert sender.auth.fetched == 1
    assert len(printed) > 6
    everything = "\n".join([*printed, caplog.text])
    for secret in lgsp_secrets:
        assert secret not in everything
