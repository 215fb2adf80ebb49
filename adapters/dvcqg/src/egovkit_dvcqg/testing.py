"""A fake national portal on 127.0.0.1 that misbehaves on request, for tests (yours too).

``mode`` picks the dialect it speaks (:mod:`egovkit_dvcqg.dialects`) and checks each request
the way that dialect's real server needs it: ``envelope`` (``/api``, the envelope with a
``service``), ``opencps`` (a login at ``/auth`` with the configured username and password,
then ``session``, ``madonvi`` and the ``dstcode`` header on every call to ``/api``; answers with
an integer ``error_code`` as OpenCPS reads it) and ``gateway`` (bare arrays posted to
``/ThemMoi``, ``/CapNhat`` and ``/DongBoTienTrinh``, at most 10 steps a call, the owner's
``DinhDanhCHS`` never empty; plain-text progress answers). A request missing what the dialect
needs is refused and kept in ``refused``.

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

    def __init__(self, mode: str = "envelope") -> None:
        self.mode = mode
        self.username = "dvc-tinh"
        self.password = "mat-khau"  # noqa: S105 - a test server's own credential
        self.unit = "000.00.00.H99"
        self.dstcode = "VN:GOV:000.00.00.G22:DVCQG"
        self.session = "s3ss10n-0001"
        self.logins = 0
        self.refused: list[str] = []
        self.faults: deque[str] = deque()
        self.down = False
        self.slow_seconds = 0.6
        self.dossiers: dict[str, dict[str, Any]] = {}
        self.steps: dict[str, list[dict[str, Any]]] = {}
        self.reject: dict[str, str] = {}  # MaHoSo -> message
        self.requests: list[Any] = []
        self.headers: list[dict[str, str]] = []
        self.procedures: list[dict[str, Any]] = []
        self.details: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.base = ""
        self.url = ""
        self.auth_url = ""

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """The answer to one well-behaved envelope call."""
        service = body.get("service")
        data = body.get("data") or []
        ok: object = 0 if self.mode == "opencps" else "0"
        if service == "DongBoHoSoMC":
            item = data[0]
            code = item["MaHoSo"]
            if code in self.reject:
                return {"error_code": "1", "message": self.reject[code]}
            if code in self.dossiers and body.get("isUpdating") != "True":
                return {"error_code": "3", "message": f"Hồ sơ {code} đã tồn tại"}
            self.dossiers[code] = item
            return {"error_code": ok, "message": "Thành công"}
        if service == "CapNhatTienDoHoSoMC":
            if len(data) > 10:
                return self._refuse("more than 10 steps in one call")
            for item in data:
                if item["MaHoSo"] not in self.dossiers:
                    return {"error_code": "2", "message": "Không tìm thấy hồ sơ"}
                self.steps.setdefault(item["MaHoSo"], []).append(item)
            return {"error_code": ok, "message": "Thành công"}
        if service == "TraCuuHoSo":
            code = body.get("mahoso")
            if not isinstance(code, str):
                return self._refuse("TraCuuHoSo without mahoso")
            found = [self.dossiers[code]] if code in self.dossiers else []
            return {"error_code": ok, "message": "", "result": found}
        if service == "LayDanhSachTTHC":
            return {"error_code": ok, "message": "", "result": self.procedures}
        if service == "LayThuTuc":
            code = body.get("maTTHC")
            if not isinstance(code, str) or code not in self.details:
                return self._refuse("LayThuTuc without a known top-level maTTHC")
            return {"error_code": ok, "message": "", "result": [self.details[code]]}
        return {"error_code": "9", "message": f"unknown service {service}"}

    def _refuse(self, why: str) -> dict[str, Any]:
        self.refused.append(why)
        return {"error_code": "-1", "message": f"Yêu cầu không hợp lệ: {why}"}

    def login(self, body: object) -> dict[str, Any]:
        """The OpenCPS login: ``{"username", "password"}`` gives ``{"session", "error_code":
        0}``."""
        if (
            isinstance(body, dict)
            and body.get("username") == self.username
            and body.get("password") == self.password
        ):
            self.logins += 1
            return {"session": self.session, "error_code": 0}
        return self._refuse("login with a wrong username or password")

    def checked(self, body: object, headers: dict[str, str]) -> dict[str, Any] | None:
        """What an OpenCPS integration endpoint refuses before looking at the call."""
        if not isinstance(body, dict) or not isinstance(body.get("service"), str):
            return self._refuse("not an object with a service")
        if self.mode != "opencps":
            return None
        if headers.get("dstcode") != self.dstcode:
            return self._refuse("missing or wrong dstcode header")
        if body.get("session") != self.session:
            return self._refuse("missing or expired session")
        if body.get("madonvi") != self.unit:
            return self._refuse("missing or wrong madonvi")
        return None

    def gateway(self, path: str, body: object) -> tuple[int, str, str]:
        """A provincial gateway's answer (status, body, media type) to a bare array."""
        if not isinstance(body, list) or not all(
            isinstance(i, dict) and isinstance(i.get("MaHoSo"), str) for i in body
        ):
            self.refused.append(f"{path}: not a bare array of objects with MaHoSo")
            return 400, "Dữ liệu không hợp lệ", "text/plain; charset=utf-8"
        if path == "/DongBoTienTrinh":
            if len(body) > 10:
                self.refused.append(f"{path}: more than 10 steps")
                return 400, "Tối đa 10 bản ghi mỗi lần", "text/plain; charset=utf-8"
            for item in body:
                if item["MaHoSo"] not in self.dossiers:
                    return 200, "Không tìm thấy hồ sơ", "text/plain; charset=utf-8"
                self.steps.setdefault(item["MaHoSo"], []).append(item)
            return 200, "Đồng bộ tiến trình thành công", "text/plain; charset=utf-8"
        answers: list[dict[str, Any]] = []
        for item in body:
            code = item["MaHoSo"]
            if not item.get("DinhDanhCHS"):
                self.refused.append(f"{path}: {code} without DinhDanhCHS")
                answers.append({"error_code": "1", "message": "Thiếu DinhDanhCHS"})
            elif path == "/ThemMoi" and code in self.dossiers:
                answers.append({"error_code": "-3", "message": f"Hồ sơ {code} đã tồn tại"})
            elif path == "/CapNhat" and code not in self.dossiers:
                answers.append({"error_code": "2", "message": "Không tìm thấy hồ sơ"})
            elif path in ("/ThemMoi", "/CapNhat"):
                self.dossiers[code] = item
                answers.append({"error_code": "0", "message": "Đồng bộ thành công"})
            else:
                return 404, "Not found", "text/plain; charset=utf-8"
        answer = answers[0] if len(answers) == 1 else {"error_code": "0", "message": str(answers)}
        return 200, json.dumps(answer, ensure_ascii=False), "application/json"


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
            headers = {k.lower(): v for k, v in self.headers.items()}
            portal.headers.append(dict(self.headers.items()))
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            portal.requests.append(body)
        if fault in {"500", "429", "400"}:
            self.send_response(int(fault))
            if fault == "429":
                self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"error")
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
            if portal.mode == "gateway":
                status, text, media = portal.gateway(self.path, body)
                self._send(status, text.encode("utf-8"), media)
                return
            if self.path == "/auth" and portal.mode == "opencps":
                answer = portal.login(body)
            elif self.path != "/api":
                self._send(404, b"not found")
                return
            else:
                answer = portal.checked(body, headers) or portal.answer(body)
        self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    portal: FakePortal

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up on a slow or huge answer is what the tests want


@contextmanager
def running_portal(mode: str = "envelope") -> Iterator[FakePortal]:
    """Start a fake portal speaking ``mode`` on a free port of 127.0.0.1 (``base``; ``url`` is
    its ``/api`` endpoint, ``auth_url`` its OpenCPS login), stopped on exit."""
    portal = FakePortal(mode)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.portal = portal
    portal.base = f"http://127.0.0.1:{server.server_address[1]}"
    portal.url = f"{portal.base}/api"
    portal.auth_url = f"{portal.base}/auth"
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
