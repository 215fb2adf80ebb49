"""egovkit.http against a real, misbehaving HTTP server on 127.0.0.1.

The server answers each path from a script (500s, 503 with Retry-After, stalls, dropped
connections, oversized and dripping bodies), so every failure the client claims to handle
happens on a real socket. Retry-After semantics follow RFC 9110 §10.2.3 (delay-seconds or an
HTTP-date); 429/503 meaning "not processed" follows RFC 6585 §4 and RFC 9110 §15.6.4.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import ConfigurationError, RemoteError, UnsafeInputError
from egovkit.http import NO_RETRY, HttpClient, RetryPolicy, parse_retry_after

SECRET = "s3cr3t-Token-0042"


class Script:
    """What the server does, per path: a list of behaviours, one per request (the last repeats)."""

    def __init__(self) -> None:
        self.plans: dict[str, list[str]] = {}
        self.seen: list[str] = []
        self.lock = threading.Lock()

    def next(self, method: str, path: str) -> str:
        with self.lock:
            self.seen.append(f"{method} {path}")
            plan = self.plans.get(path.split("?")[0], ["ok"])
            return plan.pop(0) if len(plan) > 1 else plan[0]

    def count(self, path: str) -> int:
        return sum(1 for line in self.seen if line.split(" ", 1)[1].split("?")[0] == path)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _status(self, code: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            if length:
                self.rfile.read(length)
            act = script.next(self.command, self.path)
            if act == "ok":
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif act == "404":
                self._status(404)
            elif act == "500":
                self._status(500)
            elif act == "503-seconds":
                self._status(503, {"Retry-After": "7"})
            elif act == "503-date":
                when = datetime.now(UTC) + timedelta(seconds=120)
                self._status(503, {"Retry-After": email.utils.format_datetime(when, usegmt=True)})
            elif act == "429-huge":
                self._status(429, {"Retry-After": "86400"})
            elif act == "stall":
                time.sleep(1.0)  # longer than the client's read timeout; bounded
                self._status(200)
            elif act == "drop":
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
            elif act == "cut":  # promise 1000 bytes, send 10, hang up
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"0123456789")
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
            elif act == "announced-huge":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.close_connection = True
            elif act == "chunked-huge":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                piece = b"x" * 4096
                for _ in range(64):  # 256 KiB, bounded
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            elif act == "drip":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for _ in range(12):  # 12 × 0.05 s, each byte well inside the read timeout
                    self.wfile.write(b"1\r\nx\r\n")
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(b"0\r\n\r\n")

        def do_GET(self) -> None:
            with contextlib.suppress(OSError):
                self._serve()

        def do_POST(self) -> None:
            with contextlib.suppress(OSError):
                self._serve()

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _client(base: str, sleeps: Sleeps, **kwargs: object) -> HttpClient:
    policy = RetryPolicy(
        attempts=3, base_delay=0.1, max_delay=1.0, sleep=sleeps, random=lambda: 0.5
    )
    options: dict[str, object] = {"timeout": 0.3, "retry": policy, "name": "test"}
    options.update(kwargs)
    return HttpClient(base, **options)  # type: ignore[arg-type]


def test_a_healthy_answer_is_returned_whole(server: tuple[str, Script]) -> None:
    base, _ = server
    with _client(base, Sleeps()) as client:
        answer = client.request("GET", "/fine")
    assert answer.ok
    assert answer.status == 200
    assert answer.body == b'{"ok": true}'


def test_500s_are_retried_with_jittered_backoff(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/flaky"] = ["500", "500", "ok"]
    sleeps = Sleeps()
    with _client(base, sleeps) as client:
        assert client.request("GET", "/flaky").ok
    assert script.count("/flaky") == 3
    # full jitter: random() = 0.5 of min(1.0, 0.1 * 2**n)
    assert sleeps.waits == [pytest.approx(0.05), pytest.approx(0.1)]


def test_retries_end_with_the_last_error(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/down"] = ["500"]
    with _client(base, Sleeps()) as client, pytest.raises(RemoteError) as info:
        client.request("GET", "/down")
    assert info.value.code == "test.http.500"
    assert info.value.retryable
    assert script.count("/down") == 3


def test_503_retry_after_in_seconds_is_honoured(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/busy"] = ["503-seconds", "ok"]
    sleeps = Sleeps()
    with _client(base, sleeps) as client:
        assert client.request("GET", "/busy").ok
    assert sleeps.waits == [7.0]


def test_503_retry_after_as_an_http_date_is_honoured_and_capped(
    server: tuple[str, Script],
) -> None:
    base, script = server
    script.plans["/busy"] = ["503-date", "ok"]
    sleeps = Sleeps()
    policy = RetryPolicy(attempts=2, max_retry_after=60.0, sleep=sleeps)
    with HttpClient(base, retry=policy, timeout=0.3) as client:
        assert client.request("GET", "/busy").ok
    assert sleeps.waits == [60.0]  # the server asked for ~120 s


def test_a_huge_retry_after_is_capped(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/limited"] = ["429-huge", "ok"]
    sleeps = Sleeps()
    with _client(base, sleeps) as client:
        assert client.request("POST", "/limited", content=b"{}").ok  # 429: not processed
    assert sleeps.waits == [30.0]


def test_a_stalled_server_times_out_and_is_retried(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/stall"] = ["stall", "ok"]
    with _client(base, Sleeps()) as client:
        assert client.request("GET", "/stall").ok
    assert script.count("/stall") == 2


def test_a_stalled_non_idempotent_request_is_not_repeated(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/send"] = ["stall", "ok"]
    with _client(base, Sleeps()) as client, pytest.raises(RemoteError) as info:
        client.request("POST", "/send", content=b"payload")
    assert info.value.code == "test.timeout"
    assert script.count("/send") == 1


def test_a_dropped_connection_is_retried_when_the_caller_says_it_is_safe(
    server: tuple[str, Script],
) -> None:
    base, script = server
    script.plans["/send"] = ["drop", "ok"]
    with _client(base, Sleeps()) as client:
        assert client.request("POST", "/send", content=b"x", idempotent=True).ok
    assert script.count("/send") == 2


def test_a_dropped_post_is_not_repeated(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/send"] = ["drop", "ok"]
    with _client(base, Sleeps()) as client, pytest.raises(RemoteError) as info:
        client.request("POST", "/send", content=b"x")
    assert info.value.code == "test.connection"
    assert script.count("/send") == 1


def test_an_answer_cut_short_is_a_retryable_connection_error(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/cut"] = ["cut"]
    with _client(base, Sleeps()) as client, pytest.raises(RemoteError) as info:
        client.request("GET", "/cut")
    assert info.value.code == "test.connection"
    assert script.count("/cut") == 3


def test_a_refused_connection_is_retried_even_for_a_post() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    with _client(f"http://127.0.0.1:{port}", sleeps) as client, pytest.raises(RemoteError) as info:
        client.request("POST", "/send", content=b"x")
    assert info.value.code == "test.connection"
    assert len(sleeps.waits) == 2  # never reached the server: safe to repeat


def test_an_announced_oversized_body_is_refused_unread(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/big"] = ["announced-huge"]
    with (
        _client(base, Sleeps(), max_response_bytes=1024) as client,
        pytest.raises(UnsafeInputError) as info,
    ):
        client.request("GET", "/big")
    assert info.value.code == "test.response.size"
    assert script.count("/big") == 1  # not retried


def test_a_streamed_oversized_body_is_refused(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/big"] = ["chunked-huge"]
    with (
        _client(base, Sleeps(), max_response_bytes=64 * 1024) as client,
        pytest.raises(UnsafeInputError) as info,
    ):
        client.request("GET", "/big")
    assert info.value.code == "test.response.size"


def test_a_body_within_the_cap_is_accepted(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/big"] = ["chunked-huge"]
    with _client(base, Sleeps(), max_response_bytes=256 * 1024) as client:
        assert len(client.request("GET", "/big").body) == 256 * 1024


def test_a_dripping_answer_trips_the_deadline(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/drip"] = ["drip"]
    with (
        _client(base, Sleeps(), deadline=0.2, retry=NO_RETRY) as client,
        pytest.raises(RemoteError) as info,
    ):
        client.request("GET", "/drip")
    assert info.value.code == "test.timeout"


def test_a_4xx_is_returned_for_the_caller_to_judge(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/missing"] = ["404"]
    with _client(base, Sleeps()) as client:
        answer = client.request("GET", "/missing")
    assert answer.status == 404
    assert not answer.ok
    assert script.count("/missing") == 1


def test_prepare_runs_on_every_attempt(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/flaky"] = ["500", "ok"]
    stamps: list[int] = []

    def stamp(request: httpx.Request) -> None:
        stamps.append(len(stamps))
        request.headers["X-Attempt"] = str(len(stamps))

    with _client(base, Sleeps()) as client:
        client.request("GET", "/flaky", prepare=stamp)
    assert stamps == [0, 1]


def test_on_retry_is_told_of_each_retry(server: tuple[str, Script]) -> None:
    base, script = server
    script.plans["/flaky"] = ["500", "500", "ok"]
    told: list[tuple[int, str]] = []
    with _client(base, Sleeps(), on_retry=lambda n, e: told.append((n, e.code))) as client:
        client.request("GET", "/flaky")
    assert told == [(1, "test.http.500"), (2, "test.http.500")]


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(ConfigurationError):
        HttpClient("file:///etc/passwd")
    with HttpClient(retry=NO_RETRY) as client, pytest.raises(RemoteError) as info:
        client.request("GET", "ftp://127.0.0.1/x")
    assert info.value.code == "http.url"


def test_secrets_appear_in_no_repr_log_or_error(
    server: tuple[str, Script], caplog: pytest.LogCaptureFixture
) -> None:
    """Credentials in the URL, the query and the headers stay out of everything printed."""
    base, script = server
    script.plans["/down"] = ["500"]
    script.plans["/send"] = ["drop"]
    caplog.set_level(logging.DEBUG)
    host = base.removeprefix("http://")
    sleeps = Sleeps()
    client = _client(f"http://user:{SECRET}@{host}", sleeps, headers={"X-Key": SECRET})
    printed = [repr(client), client.base_url]
    for method, path in (("GET", "/down"), ("POST", "/send")):
        try:
            client.request(
                method,
                path,
                params={"token": SECRET},
                headers={"Authorization": f"Bearer {SECRET}"},
                content=SECRET.encode(),
            )
        except RemoteError as exc:
            printed += [str(exc), repr(exc), exc.message, str(exc.to_dict()), repr(exc.__cause__)]
    client.close()
    printed += [record.getMessage() for record in caplog.records]
    assert len(printed) > 5
    assert all(SECRET not in text for text in printed), [t for t in printed if SECRET in t]


def test_the_policy_rejects_nonsense() -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(attempts=0)
    with pytest.raises(ConfigurationError):
        RetryPolicy(base_delay=-1)


@given(st.integers(min_value=0, max_value=10), st.floats(min_value=0, max_value=1))
def test_backoff_stays_within_its_ceiling(retry: int, draw: float) -> None:
    policy = RetryPolicy(base_delay=0.2, max_delay=5.0, random=lambda: draw)
    wait = policy.backoff(retry)
    assert 0 <= wait <= min(5.0, 0.2 * 2**retry)
    assert wait == pytest.approx(min(5.0, 0.2 * 2**retry) * draw)


@given(st.integers(min_value=0, max_value=10**7))
def test_retry_after_seconds_read_back(seconds: int) -> None:
    assert parse_retry_after(str(seconds)) == seconds


@given(st.integers(min_value=-86400, max_value=86400))
def test_retry_after_dates_read_back(offset: int) -> None:
    now = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)
    text = email.utils.format_datetime(now + timedelta(seconds=offset), usegmt=True)
    assert parse_retry_after(text, now=now) == max(0, offset)


@pytest.mark.parametrize("junk", [None, "", "soon", "-5", "1.5", "Fri, 99 Foo 2026"])
def test_unreadable_retry_after_is_ignored(junk: str | None) -> None:
    assert parse_retry_after(junk) is None


def test_rfc_example_date() -> None:
    """The example of RFC 9110 §10.2.3."""
    now = datetime(2015, 10, 21, 7, 27, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 60.0
