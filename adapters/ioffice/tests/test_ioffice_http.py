"""The client on the shared egovkit.http helper: Retry-After honoured, bounded answers, and a
POST without an Idempotency-Key never repeated once it may have reached the system."""

from __future__ import annotations

import httpx
import pytest

from egovkit.errors import RemoteError, UnsafeInputError
from egovkit.exchange import RetryPolicy
from egovkit.testing.contracts.exchange import SENDER
from egovkit_ioffice import BearerToken, IofficeClient


def _client(answer: httpx.MockTransport, waits: list[float], **options: int) -> IofficeClient:
    return IofficeClient(
        "http://qlvb.test/api",
        agency=SENDER,
        auth=BearerToken("t"),
        retry=RetryPolicy(sleep=waits.append),
        transport=answer,
        **options,  # type: ignore[arg-type]
    )


def test_a_503_with_retry_after_waits_what_the_server_asks() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(503, headers={"Retry-After": "7"})
        return httpx.Response(200, json={"items": []})

    waits: list[float] = []
    assert _client(httpx.MockTransport(answer), waits).messages() == ()
    assert waits == [7.0]
    assert calls[1].headers["authorization"] == "Bearer t"  # authenticated on every attempt
    assert calls[1].headers["x-agency"] == str(SENDER)


def test_an_answer_over_the_limit_is_refused() -> None:
    big = httpx.MockTransport(lambda _r: httpx.Response(200, content=b"[" * 5000))
    with pytest.raises(UnsafeInputError) as caught:
        _client(big, [], max_response_bytes=1000).messages()
    assert caught.value.code == "ioffice.response.size"


def test_only_keyed_or_idempotent_posts_are_retried_after_a_dropped_answer() -> None:
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ReadError("connection reset", request=request)

    client = _client(httpx.MockTransport(answer), [])
    with pytest.raises(RemoteError):
        client.confirm_message("M1", ok=True)  # harmless to repeat: retried
    assert len(calls) == 4
    calls.clear()
    with pytest.raises(RemoteError):
        client._call("POST", "/messages", body={})  # no key: never repeated
    assert len(calls) == 1
