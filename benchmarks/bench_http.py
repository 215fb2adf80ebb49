"""What the careful HTTP client costs per request, against plain httpx on the same connection.

A local server on 127.0.0.1 answers every request with the same 1 KiB JSON. ``egovkit.http``
adds the bounded read, the retry loop and the redacting log filter; the national-axis client
adds the SDK's signed ``XroadVnpt-*`` headers (HMAC-SHA256, Java HashMap order) and reads the
answer envelope. Both run against ``httpx.Client.post`` with the body read whole, in the same
run, over keep-alive connections.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from _harness import Comparison, best_of

from egovkit.agencies import AgencyCode
from egovkit.http import HttpClient
from egovkit_vdxp import SystemCredentials, VdxpClient

BODY = (
    b'{"status":"OK","ErrorCode":"0","ErrorDesc":"","data":['
    + b",".join(b'{"docId":"VDXP-%08d","from":"000.00.00.H99","to":"[]"}' % i for i in range(18))
    + b"]}"
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body in one segment: no delayed-ACK stall per request

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


@contextmanager
def _server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def run(quick: bool) -> list[Comparison]:
    count = 200 if quick else 2_000
    repeat = 2 if quick else 3
    with (
        _server() as url,
        httpx.Client(base_url=url) as plain,
        HttpClient(url, name="bench") as careful,
        VdxpClient(
            url, auth=SystemCredentials(system_id="000.00.00.H99", secret="bench-secret")
        ) as axis,
    ):

        def peer() -> None:
            for _ in range(count):
                assert plain.post("/getReceivedEdocList", content=b"").content == BODY

        def ours() -> None:
            for _ in range(count):
                assert careful.request("POST", "/getReceivedEdocList", content=b"").body == BODY

        def signed() -> None:
            for _ in range(count):
                assert len(axis.received()) == 18

        base = best_of(peer, repeat=repeat)
        mine = best_of(ours, repeat=repeat)
        sdk = best_of(signed, repeat=repeat)
    assert AgencyCode.parse("000.00.00.H99") == axis.agency
    return [
        Comparison(
            f"{count:,} POSTs through egovkit.http",
            mine,
            "httpx.Client.post",
            base,
            notes=f"{mine / count * 1e6:.0f} µs per request",
        ),
        Comparison(
            f"{count:,} signed getReceivedEdocList calls (VdxpClient)",
            sdk,
            "httpx.Client.post",
            base,
            notes=f"{sdk / count * 1e6:.0f} µs per call: signing, envelope and 18 items read",
        ),
    ]
