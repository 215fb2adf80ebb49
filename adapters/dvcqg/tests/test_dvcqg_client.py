from __future__ import annotations

import random
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import ConfigurationError, ParseError, RemoteError, UnsafeInputError
from egovkit.services import PortalRejectedError, PushAction
from egovkit_dvcqg import PortalClient, RetryPolicy, bearer
from egovkit_dvcqg.testing import FakePortal, free_port, running_portal


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with running_portal() as fake:
        yield fake


FAST = RetryPolicy(attempts=4, base=0.01, cap=0.05)


def client(portal: FakePortal, sleeps: list[float] | None = None, **kw: object) -> PortalClient:
    waits = sleeps if sleeps is not None else []
    options: dict[str, object] = {"retry": FAST, "timeout": 2.0, "sleep": waits.append}
    options.update(kw)
    return PortalClient(portal.url, **options)  # type: ignore[arg-type]


def item(code: str = "000.00.01.H99-260213-0001") -> dict[str, str]:
    return {"MaHoSo": code}


def test_a_call_sends_the_envelope_and_the_auth_hook(portal: FakePortal) -> None:
    with client(portal, auth=bearer(lambda: "t0k3n")) as c:
        reply = c.call("DongBoHoSoMC", [item()])
    assert reply.ok
    assert portal.requests == [{"service": "DongBoHoSoMC", "isUpdating": "False", "data": [item()]}]
    assert portal.headers[0]["Authorization"] == "Bearer t0k3n"


@pytest.mark.parametrize("fault", ["500", "429", "drop", "slow"])
def test_transient_faults_are_retried(portal: FakePortal, fault: str) -> None:
    portal.faults.extend([fault, fault])
    sleeps: list[float] = []
    retried: list[int] = []
    timeout = 0.2 if fault == "slow" else 2.0
    with client(portal, sleeps, timeout=timeout, on_retry=lambda n, _e: retried.append(n)) as c:
        assert c.call("DongBoHoSoMC", [item()]).ok
    assert retried == [1, 2]
    assert len(sleeps) == 2
    if fault == "429":
        assert sleeps == [1.0, 1.0]  # what Retry-After asks
    else:
        assert 0 <= sleeps[0] <= FAST.base  # full jitter below the exponential ceiling
        assert 0 <= sleeps[1] <= min(FAST.cap, FAST.base * 2)
    assert len(portal.requests) == 3


def test_a_portal_that_stays_down_gives_up_after_the_attempts(portal: FakePortal) -> None:
    portal.down = True
    sleeps: list[float] = []
    with client(portal, sleeps) as c, pytest.raises(RemoteError) as caught:
        c.call("DongBoHoSoMC", [item()])
    assert caught.value.code == "dvcqg.unavailable"
    assert caught.value.retryable
    assert len(portal.requests) == FAST.attempts
    assert len(sleeps) == FAST.attempts - 1


def test_no_server_at_all() -> None:
    sleeps: list[float] = []
    c = PortalClient(f"http://127.0.0.1:{free_port()}/", retry=FAST, sleep=sleeps.append)
    with c, pytest.raises(RemoteError) as caught:
        c.call("LayDanhSachTTHC", [])
    assert caught.value.code == "dvcqg.unavailable"
    assert len(sleeps) == FAST.attempts - 1


def test_a_4xx_is_not_retried(portal: FakePortal) -> None:
    portal.faults.append("400")
    with client(portal) as c, pytest.raises(RemoteError) as caught:
        c.call("DongBoHoSoMC", [item()])
    assert not caught.value.retryable
    assert len(portal.requests) == 1


def test_a_huge_answer_is_refused_unread(portal: FakePortal) -> None:
    portal.faults.append("huge")
    with client(portal) as c, pytest.raises(UnsafeInputError) as caught:
        c.call("DongBoHoSoMC", [item()])
    assert caught.value.code == "dvcqg.json.too_large"


def test_a_streamed_answer_over_the_limit_is_cut(portal: FakePortal) -> None:
    portal.faults.append("garbage")
    with client(portal, max_response_bytes=10) as c, pytest.raises(UnsafeInputError):
        c.call("DongBoHoSoMC", [item()])


@pytest.mark.parametrize(("fault", "error"), [("garbage", ParseError), ("deep", UnsafeInputError)])
def test_hostile_answers(portal: FakePortal, fault: str, error: type[Exception]) -> None:
    portal.faults.append(fault)
    with client(portal) as c, pytest.raises(error):
        c.call("DongBoHoSoMC", [item()])


def test_already_exists_becomes_an_update(portal: FakePortal) -> None:
    with client(portal) as c:
        assert c.push("DongBoHoSoMC", item()) is PushAction.CREATED
        assert c.push("DongBoHoSoMC", item()) is PushAction.UPDATED
    assert [r["isUpdating"] for r in portal.requests] == ["False", "False", "True"]


def test_a_refusal_carries_the_portal_message(portal: FakePortal) -> None:
    portal.reject["X"] = "Mã TTHC không hợp lệ"
    with client(portal) as c, pytest.raises(PortalRejectedError) as caught:
        c.push("DongBoHoSoMC", item("X"), where="X")
    assert caught.value.portal_code == "1"
    assert caught.value.portal_message == "Mã TTHC không hợp lệ"
    assert len(portal.requests) == 1


def test_the_reply_shape_is_checked() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"message": "no code"})

    c = PortalClient("http://portal.invalid/", transport=httpx.MockTransport(handler))
    with c, pytest.raises(ParseError) as caught:
        c.call("TraCuuHoSo", [])
    assert caught.value.where == "error_code"


def test_bad_endpoint_and_policy() -> None:
    with pytest.raises(ConfigurationError):
        PortalClient("ftp://portal")
    with pytest.raises(ConfigurationError):
        RetryPolicy(base=-1)


@given(st.integers(1, 30), st.integers(0, 2**32))
def test_backoff_grows_and_stays_bounded(attempt: int, seed: int) -> None:
    policy = RetryPolicy(base=0.5, cap=10.0)
    ceiling = min(10.0, 0.5 * 2.0 ** (attempt - 1))
    delay = policy.delay(attempt, random.Random(seed))
    assert 0 <= delay <= ceiling
    shared = policy.for_http(lambda _s: None, random.Random(seed))
    assert (shared.attempts, shared.base_delay, shared.max_delay) == (4, 0.5, 10.0)


def test_retry_after_is_honoured(portal: FakePortal) -> None:
    """A 429 with ``Retry-After: 1`` waits what the server asks (the shared egovkit.http
    transport), not the backoff."""
    portal.faults.append("429")
    sleeps: list[float] = []
    with client(portal, sleeps) as c:
        assert c.call("DongBoHoSoMC", [item()]).ok
    assert sleeps == [1.0]
