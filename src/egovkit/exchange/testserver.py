"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for adapters' test servers.

Subclass :class:`FaultyServer` and implement :meth:`FaultyServer.handle` (what the remote system
answers); the base class serves it from a thread and, when told, answers with an error status,
stalls past the client's timeout, hangs up before or after doing the work, or sends garbage —
the failures a real network and a real remote system produce.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import attrs


@attrs.define(kw_only=True)
class Fault:
    """One planned misbehaviour for the next call of ``path`` (``method`` ``"*"``: any)."""

    path: str
    kind: str  # error, delay, drop_before, drop_after, garbage
    method: str = "*"
    status: int = 500
    seconds: float = 0.0


@attrs.frozen(kw_only=True)
class Call:
    """One request the server saw (headers with lower-case names)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class FaultyServer:
    """Serves :meth:`handle` on ``127.0.0.1`` from a thread; use as a context manager."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self._faults: list[Fault] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def handle(self, call: Call) -> tuple[int, bytes, str]:
        """The remote system's answer: ``(HTTP status, body, content type)``."""
        raise NotImplementedError

    # -- misbehaviour -------------------------------------------------------------------------

    def fail(self, path: str, *, times: int = 1, status: int = 500, method: str = "*") -> None:
        """Answer the next ``times`` calls of ``path`` with HTTP ``status`` (work not done)."""
        self._add(path, "error", times, method, status=status)

    def delay(self, path: str, seconds: float, *, times: int = 1, method: str = "*") -> None:
        """Stall ``seconds`` before doing the work of the next ``times`` calls."""
        self._add(path, "delay", times, method, seconds=seconds)

    def drop_before(self, path: str, *, times: int = 1, method: str = "*") -> None:
        """Hang up without doing the work on the next ``times`` calls."""
        self._add(path, "drop_before", times, method)

    def drop_after(self, path: str, *, times: int = 1, method: str = "*") -> None:
        """Do the work, then hang up without answering (a retry will repeat the work)."""
        self._add(path, "drop_after", times, method)

    def garbage(self, path: str, *, times: int = 1, method: str = "*") -> None:
        """Answer 200 with bytes that are not what the client expects."""
        self._add(path, "garbage", times, method)

    def _add(self, path: str, kind: str, times: int, method: str, **extra: Any) -> None:
        with self.lock:
            self._faults += [
                Fault(path=path, kind=kind, method=method, **extra) for _ in range(times)
            ]

    def _fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for index, fault in enumerate(self._faults):
                if fault.path == path and fault.method in ("*", method):
                    return self._faults.pop(index)
        return None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving (done by ``with``)."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _handler(server: FaultyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read :attr:`FaultyServer.calls` instead."""

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urllib.parse.urlsplit(self.path)
            call = Call(
                method=method,
                path=parts.path,
                query=urllib.parse.parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            with server.lock:
                server.calls.append(call)
            fault = server._fault(method, call.path)
            kind = fault.kind if fault is not None else ""
            if fault is not None and kind == "error":
                self._answer(fault.status, b'{"error": "injected failure"}', "application/json")
                return
            if kind == "drop_before":
                self._hang_up()
                return
            if fault is not None and kind == "delay":
                time.sleep(fault.seconds)
            if kind == "garbage":
                self._answer(200, b"<html>proxy error</html>", "text/html")
                return
            status, answer, content_type = server.handle(call)
            if kind == "drop_after":
                self._hang_up()
                return
            self._answer(status, answer, content_type)

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout): nothing to answer
                self.close_connection = True

        def _hang_up(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


__all__ = ["Call", "Fault", "FaultyServer"]
