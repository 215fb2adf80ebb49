"""A fake national portal on 127.0.0.1 that misbehaves on request, for tests (yours too).

``faults`` is a queue of what the next requests get instead of a normal answer: ``"500"``,
``"429"``, ``"400"``, ``"slow"`` (answers after ``slow_seconds``), ``"drop"`` (closes the
connection without answering), ``"garbage"`` (not JSON), ``"huge"`` (a body over 9 MB),
``"deep"`` (nesting past the limit). ``down`` makes every request a 500.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakePortal:
    """The portal's state: what it holds, what it will refuse, the faults queued, and every
    request and header it received."""

    def __init__(self) -> None:
        self.faults: deque[str] = deque()
        self.down = False
        self.slow_seconds = 0.6
        self.dossiers: dict[str, dict[str, Any]] = {}
        self.steps: dict[str, list[dict[str, Any]]] = {}
        self.reject: dict[str, str] = {}  # MaHoSo -> message
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.procedures: list[dict[str, Any]] = []
        self.details: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """The answer to one well-behaved call."""
        service = body.get("service")
        data = body.get("data") or []
        if service == "DongBoHoSoMC":
            item = data[0]
            code = item["MaHoSo"]
            if code in self.reject:
                return {"error_code": "1", "message": self.reject[code]}
            if code in self.dossiers and body.get("isUpdating") != "True":
                return {"error_code": "3", "message": f"Hồ sơ {code} đã tồn tại"}
            self.dossiers[code] = item
            return {"error_code": "0", "message": "Thành công"}
        if service == "CapNhatTienDoHoSoMC":
            for item in data:
                if item["MaHoSo"] not in self.dossiers:
                    return {"error_code": "2", "message": "Không tìm thấy hồ sơ"}
                self.steps.setdefault(item["MaHoSo"], []).append(item)
            return {"error_code": "0", "message": "Thành công"}
        if service == "LayDanhSachTTHC":
            return {"error_code": "0", "message": "", "data": self.procedures}
        if service == "LayThuTuc":
            return {"error_code": "0", "message": "", "data": [self.details[data[0]["MaTTHC"]]]}
        return {"error_code": "9", "message": f"unknown service {service}"}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        portal = self.server.portal
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        with portal.lock:
            fault = "500" if portal.down else (portal.faults.popleft() if portal.faults else "")
            portal.headers.append(dict(self.headers.items()))
            body = json.loads(raw)
            portal.requests.append(body)
        if fault in {"500", "429", "400"}:
            self._send(int(fault), b"error")
            return
        if fault == "slow":
            time.sleep(portal.slow_seconds)
        if fault == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if fault == "garbage":
            self._send(200, b"<html>Bad gateway</html>", "text/html")
            return
        if fault == "huge":
            self._send(200, b'{"error_code": "0", "message": "' + b"x" * (9 * 1024 * 1024) + b'"}')
            return
        if fault == "deep":
            self._send(200, b"[" * 100 + b"]" * 100)
            return
        with portal.lock:
            answer = portal.answer(body)
        self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    portal: FakePortal

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up on a slow or huge answer is what the tests want


@contextmanager
def running_portal() -> Iterator[FakePortal]:
    """Start a fake portal on a free port of 127.0.0.1 (its ``url``), stopped on exit."""
    portal = FakePortal()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.portal = portal
    portal.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield portal
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
