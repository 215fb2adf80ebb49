"""The SDK's signed-header protocol, checked against sources outside egovkit.

Sources: the decompiled VPCP Java SDK (SDKVXP 2.0.1, github.com/williamdunbar/SDK),
``com/vpcp/services/VnptService.java`` (``addXroadVnptHashHeader``) and
``com/vpcp/services/KnobstickServiceImp.java`` (``createContentHA256``, ``sendEdoc``: ``to``
kept as JSON text). The server's verification (``SdkRecipeVerifier`` in this directory's
``conftest.py``) is written from that recipe independently of the client;
``java/SdkHeaders.java`` runs the recipe on the JDK's own ``HashMap`` and ``Mac`` when a JDK
is installed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ConfigurationError, EgovkitError, NotFoundError, RemoteError
from egovkit.exchange import RetryPolicy
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER
from egovkit_vdxp import NoAuthentication, SystemCredentials, VdxpClient, VdxpExchange
from egovkit_vdxp import protocol as p
from egovkit_vdxp.testing import AxisTestServer, Verifier
from egovkit_vdxp.wire import AxisAgency

SECRETS = {str(SENDER): "sender-s3cret-never-shown", str(RECIPIENT): "recipient-s3cret-hidden"}
VerifierFactory = Callable[[dict[str, str]], Verifier]

JAVA_RECIPE = Path(__file__).parent / "java" / "SdkHeaders.java"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MOMENT = dt.datetime(2026, 3, 2, 9, 15, 30, 42_000, tzinfo=VIETNAM)
GOLDEN_SECRET = "golden-secret"
PROVINCE = "000.00.00.H99"
DEPARTMENT = "000.00.02.H99"


@pytest.fixture
def axis(recipe_verifier: VerifierFactory) -> Iterator[AxisTestServer]:
    agencies = (
        AxisAgency(code=str(SENDER), name="UBND tỉnh Thử Nghiệm", id="17", mail="vt@h99.vn"),
        AxisAgency(code=str(RECIPIENT), name="Sở Nội vụ", old_code="000.00.31.H99"),
    )
    with AxisTestServer(verifier=recipe_verifier(SECRETS), agencies=agencies) as server:
        yield server


def credentials(agency: AgencyCode) -> SystemCredentials:
    return SystemCredentials(system_id=str(agency), secret=SECRETS[str(agency)])


def client(axis: AxisTestServer, agency: AgencyCode = SENDER, **options: object) -> VdxpClient:
    return VdxpClient(
        axis.url,
        auth=credentials(agency),
        timeout=5.0,
        retry=RetryPolicy(sleep=lambda _s: None),
        **options,  # type: ignore[arg-type]
    )


def test_golden_send_headers_computed_by_hand_from_the_recipe(
    recipe_verifier: VerifierFactory,
) -> None:
    """One ``sendEdoc`` header set, worked out by hand from ``VnptService.java``.

    The header map gets ``timestamp``, ``systemid`` (constructor), ``Content-Type``,
    the caller's ``servicetype``, ``messagetype``, ``from``, ``to`` and then ``hash-file``.
    Java's HashMap (capacity 16) iterates by bucket ``(h ^ h>>>16) & 15`` of
    ``String.hashCode``: systemid 2, servicetype 2, messagetype 5, hash-file 6, from 10, to 11,
    timestamp 15, Content-Type 15 — insertion order inside a bucket. The same order and digest
    came out of ``java/SdkHeaders.java`` on OpenJDK.
    """
    server = AxisTestServer(verifier=recipe_verifier({PROVINCE: GOLDEN_SECRET}))
    auth = SystemCredentials(system_id=PROVINCE, secret=GOLDEN_SECRET, clock=lambda: MOMENT)
    with server, VdxpClient(server.url, auth=auth, retry=RetryPolicy(attempts=1)) as c:
        c.send_edoc(b"<edXML/>", to=[AgencyCode.parse(DEPARTMENT)], message_type="edoc")
    headers = server.calls[-1].headers
    # SHA-256("<edXML/>") = 8d55f6c7bf7cd534cf027a10e1bb5731c68279c3cb991c0f4844774c685b3758
    # with padding; Integer.toHexString writes the bytes 0x02 and 0x0f as "2" and "f".
    padded = "8d55f6c7bf7cd534cf027a10e1bb5731c68279c3cb991c0f4844774c685b3758"
    hash_file = "8d55f6c7bf7cd534cf27a10e1bb5731c68279c3cb991cf4844774c685b3758"
    assert hashlib.sha256(b"<edXML/>").hexdigest() == padded
    signed = (
        '{"XroadVnpt-systemid":"000.00.00.H99","XroadVnpt-servicetype":"eDoc",'
        '"XroadVnpt-messagetype":"edoc","XroadVnpt-hash-file":"' + hash_file + '",'
        '"XroadVnpt-from":"000.00.00.H99","XroadVnpt-to":"[\\"000.00.02.H99\\"]",'
        '"XroadVnpt-timestamp":"02032026T091530+0042",'
        '"XroadVnpt-Content-Type":"application/octet-stream"}'
    )
    digest = hmac.new(b"golden-secret", signed.encode(), hashlib.sha256).hexdigest()
    assert digest == "5a51172d5727e4ecd208df99cb06c5e5d2082a96394b60912a692d8f414d1116"
    assert headers["xroadvnpt-sign-header-key"] == (
        "systemid;servicetype;messagetype;hash-file;from;to;timestamp;Content-Type"
    )
    assert headers["xroadvnpt-sign-header"] == signed
    assert headers["xroadvnpt-hash-header"] == digest
    assert headers["xroadvnpt-hash-file"] == hash_file
    assert headers["xroadvnpt-to"] == '["000.00.02.H99"]'  # Gson toString: no spaces
    assert headers["content-type"] == "application/octet-stream"
    assert headers["user-agent"] == "JAVASDKAgent/1.0.0 XRoad/VPCP"
    assert headers["xroadvnpt-version"] == "3.0.201608"
    assert not any(GOLDEN_SECRET in v for v in headers.values())
    assert "secret" not in headers
    assert server.calls[-1].body == b"<edXML/>"


def _java(secret: str, file: str, entries: list[tuple[str, str]]) -> list[str]:
    assert shutil.which("java")
    args = ["java", str(JAVA_RECIPE), secret, file, *(f"{k}={v}" for k, v in entries)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("java") is None, reason="needs a JDK")
@pytest.mark.parametrize(
    "params",
    [
        # updateStatus as Bkav's ServiceVPCP.java calls it
        [("Content-Type", "application/json"), ("status", "done"), ("docid", "VDXP-1")],
        # more than 12 entries: the HashMap has grown to 32 buckets
        [("Content-Type", "application/json")] + [(f"param{i}", f"v{i}") for i in range(14)],
    ],
)
def test_the_signature_equals_the_jdks(params: list[tuple[str, str]]) -> None:
    timestamp = p.sdk_timestamp(MOMENT)
    java = _java("k€y-ü", "", [("timestamp", timestamp), ("systemid", PROVINCE), *params])
    entries = p.signed_entries(dict(params), system_id=PROVINCE, timestamp=timestamp)
    ours = p.signature_headers(entries, "k€y-ü")
    assert java == [
        ours["XroadVnpt-sign-header-key"],
        ours["XroadVnpt-sign-header"],
        ours["XroadVnpt-hash-header"],
    ]


@pytest.mark.skipif(shutil.which("java") is None, reason="needs a JDK")
def test_hash_file_equals_the_jdks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 3
    (tmp_path / "f.edxml").write_bytes(data)
    java = _java("k", str(tmp_path / "f.edxml"), [])
    signed = json.loads(java[1])
    assert signed["XroadVnpt-hash-file"] == p.hash_file(data)


def _java_hashmap(keys: list[str]) -> list[str]:
    """A literal simulation of java.util.HashMap: buckets of lists, put, resize by doubling
    with the lo/hi split that keeps each bucket's order (JDK 8+ ``HashMap.resize``)."""
    table: list[list[str]] = [[] for _ in range(16)]
    size = 0
    for key in keys:
        h = 0
        for unit in key.encode("utf-16-be").hex(" ", 2).split():
            h = (h * 31 + int(unit, 16)) % 2**32
        spread = h ^ (h >> 16)
        bucket = table[spread & (len(table) - 1)]
        if key in bucket:
            continue
        bucket.append(key)
        size += 1
        if size > len(table) * 0.75:
            bigger: list[list[str]] = [[] for _ in range(2 * len(table))]
            for entries in table:
                for entry in entries:
                    g = 0
                    for unit in entry.encode("utf-16-be").hex(" ", 2).split():
                        g = (g * 31 + int(unit, 16)) % 2**32
                    bigger[(g ^ (g >> 16)) & (len(bigger) - 1)].append(entry)
            table = bigger
    return [key for entries in table for key in entries]


@settings(deadline=None, max_examples=200)
@given(st.lists(st.text(min_size=1, max_size=12), max_size=40))
def test_hashmap_order_matches_a_simulated_java_hashmap(keys: list[str]) -> None:
    assert p.java_hashmap_order(keys) == _java_hashmap(keys)


@given(st.binary(max_size=300))
def test_hash_file_is_the_sdks_unpadded_hex(data: bytes) -> None:
    # createContentHA256: Integer.toHexString(0xFF & b) for each byte of the digest
    assert p.hash_file(data) == "".join(hex(b)[2:] for b in hashlib.sha256(data).digest())
    assert p.hash_file(data, padded=True) == hashlib.sha256(data).hexdigest()


def test_unpadded_and_padded_hashes_differ_for_most_files() -> None:
    differ = sum(
        p.hash_file(bytes([i])) != p.hash_file(bytes([i]), padded=True) for i in range(256)
    )
    assert differ > 200  # a digest has no byte below 0x10 with probability (15/16)**32 ≈ 13 %


@given(st.lists(st.text(max_size=8), max_size=4))
def test_compact_json_reads_back(values: list[str]) -> None:
    text = p.compact_json(values)
    assert json.loads(text) == values
    assert text.count(" ") == sum(v.count(" ") for v in values)  # no separator spaces


def test_compact_json_escapes_line_separators_as_gson_does() -> None:
    assert p.compact_json(["a\u2028b"]) == '["a\\u2028b"]'


def test_timestamp_format() -> None:
    """``new SimpleDateFormat("ddMMyyyy'T'HHmmss+SSSS")``: milliseconds in four digits."""
    assert p.sdk_timestamp(MOMENT) == "02032026T091530+0042"
    assert p.sdk_timestamp(MOMENT.astimezone(dt.UTC)) == "02032026T091530+0042"


# -- the verifying server refuses what was not signed right ---------------------------------


class Tamper:
    """Signs correctly, then changes the request as an intermediary might."""

    def __init__(self, auth: SystemCredentials, change: str) -> None:
        self.auth, self.change = auth, change
        self.system_id = auth.system_id

    def authenticate(self, request: httpx.Request) -> None:
        self.auth.authenticate(request)
        if self.change == "value":
            request.headers["XroadVnpt-messagetype"] = "status"
        elif self.change == "extra":
            request.headers["XroadVnpt-docId"] = "VDXP-00000001"
        elif self.change == "reorder":
            signed = json.loads(request.headers["XroadVnpt-sign-header"])
            request.headers["XroadVnpt-sign-header"] = json.dumps(
                dict(reversed(signed.items())), separators=(",", ":")
            )
        elif self.change == "hash":
            request.headers["XroadVnpt-hash-header"] = "0" * 64
        elif self.change == "unsigned":
            for name in ("XroadVnpt-sign-header", "XroadVnpt-hash-header"):
                del request.headers[name]


@pytest.mark.parametrize("change", ["value", "extra", "reorder", "hash", "unsigned"])
def test_an_altered_request_is_refused(axis: AxisTestServer, change: str) -> None:
    auth = Tamper(credentials(SENDER), change)
    with (
        VdxpClient(axis.url, auth=auth, retry=RetryPolicy(attempts=1)) as c,
        pytest.raises(RemoteError) as caught,
    ):
        c.received()
    assert caught.value.code == "vdxp.fail.401"
    assert axis.verifier is not None


def test_a_wrong_secret_is_refused(axis: AxisTestServer) -> None:
    auth = SystemCredentials(system_id=str(SENDER), secret="not-" + SECRETS[str(SENDER)])
    with VdxpClient(axis.url, auth=auth) as c, pytest.raises(RemoteError) as caught:
        c.received()
    assert caught.value.code == "vdxp.fail.401"
    assert "hash-header does not match" in caught.value.message


def test_an_unknown_system_is_refused(axis: AxisTestServer) -> None:
    auth = SystemCredentials(system_id="000.00.77.H99", secret="whatever")
    with VdxpClient(axis.url, auth=auth) as c, pytest.raises(RemoteError) as caught:
        c.received()
    assert "unknown system" in caught.value.message


def test_from_is_bound_to_the_system_id(axis: AxisTestServer) -> None:
    with pytest.raises(ConfigurationError) as caught:
        VdxpClient(axis.url, agency=RECIPIENT, auth=credentials(SENDER))
    assert caught.value.code == "vdxp.agency.mismatch"
    # Behind a gateway that signs for us, the axis itself refuses a foreign sender.
    server = AxisTestServer()
    with server, VdxpClient(server.url, agency=RECIPIENT, auth=Gateway()) as c:
        with pytest.raises(RemoteError) as refused:
            c.send_edoc(b"x", to=[SENDER], message_type="edoc")
        assert refused.value.code == "vdxp.fail.FROM"
        assert "khong dung voi ma da dang ky" in refused.value.message


class Gateway:
    """A signing gateway that always says the request comes from SENDER."""

    def authenticate(self, request: httpx.Request) -> None:
        request.headers["XroadVnpt-systemid"] = str(SENDER)


def test_padded_hash_file_is_an_option(recipe_verifier: VerifierFactory) -> None:
    padded = AxisTestServer(verifier=recipe_verifier(SECRETS), hash_file="padded")
    with padded as axis:
        with client(axis, hash_file="padded") as c:
            c.send_edoc(b"<edXML/>", to=[RECIPIENT], message_type="edoc")
        assert (
            axis.calls[-1].headers["xroadvnpt-hash-file"] == hashlib.sha256(b"<edXML/>").hexdigest()
        )
        with client(axis) as c, pytest.raises(RemoteError) as caught:
            c.send_edoc(b"<edXML/>", to=[RECIPIENT], message_type="edoc")
        assert caught.value.code == "vdxp.fail.HASH"


# -- the endpoints ---------------------------------------------------------------------------


def test_every_endpoint_against_the_verifying_axis(axis: AxisTestServer) -> None:
    with client(axis, SENDER) as sender, client(axis, RECIPIENT) as recipient:
        doc_id = sender.send_edoc(b"<edXML>1</edXML>", to=[RECIPIENT], message_type="edoc")
        assert recipient.count_received() == 1
        assert recipient.count_received(message_type="status") == 0
        [item] = recipient.received()
        assert (item.doc_id, item.sender, item.to) == (doc_id, str(SENDER), (str(RECIPIENT),))
        assert recipient.get_edoc(doc_id) == b"<edXML>1</edXML>"
        assert recipient.download_edoc(doc_id) == b"<edXML>1</edXML>"
        recipient.update_status(doc_id, "processing", description="Đang xử lý văn bản")
        assert recipient.count_received() == 1
        recipient.update_status(doc_id, "done")
        assert recipient.count_received() == 0
        [sent] = sender.sent()
        assert (sent.sender_doc_id, sent.from_code, sent.to_code) == (
            doc_id,
            str(SENDER),
            str(RECIPIENT),
        )
        assert sent.receive_status == "done"
        assert [a.mail for a in sender.agencies()] == ["vt@h99.vn", ""]
        assert [a.code for a in sender.agencies_qd20()] == [str(SENDER), str(RECIPIENT)]
        renames = sender.code_renames()
        assert renames.current(AgencyCode.parse("000.00.31.H99")) == RECIPIENT
        with pytest.raises(NotFoundError):
            recipient.download_edoc("VDXP-99999999")
    assert axis.statuses[0][2:] == ("processing", "Đang xử lý văn bản")
    assert vars(axis.verifier)["refusals"] == []


def test_list_filters_are_signed_parameters(axis: AxisTestServer) -> None:
    """Filter names as DocumentPipeline.getReceivedDocuments passes them (index id 64616416)."""
    with client(axis, RECIPIENT) as c:
        c.received(from_date="01/03/2026", to_date="31/03/2026", page_size=50, page_index=1)
    headers = axis.calls[-1].headers
    assert headers["xroadvnpt-fromdate"] == "01/03/2026"
    assert headers["xroadvnpt-pagesize"] == "50"
    assert "pageIndex" in headers["xroadvnpt-sign-header-key"].split(";")
    assert vars(axis.verifier)["refusals"] == []


def test_an_updatestatus_value_outside_the_sdks_is_refused_locally(axis: AxisTestServer) -> None:
    with client(axis) as c, pytest.raises(ConfigurationError):
        c.update_status("VDXP-1", "maybe")  # type: ignore[arg-type]


def test_the_secret_never_leaves_the_process(
    axis: AxisTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Everything captured — every request the axis saw, logs, errors, reprs — is scanned."""
    caplog.set_level(logging.DEBUG)
    printed: list[str] = []
    with client(axis, SENDER) as sender, client(axis, RECIPIENT) as recipient:
        exchange = VdxpExchange(recipient)
        printed += [repr(sender), repr(exchange), repr(credentials(SENDER)), str(sender.__dict__)]
        doc_id = sender.send_edoc(b"<edXML/>", to=[RECIPIENT], message_type="edoc")
        recipient.received()
        recipient.get_edoc(doc_id)
        recipient.update_status(doc_id, "fail", description="thiếu chữ ký")
        sender.sent()
        wrong = SystemCredentials(system_id=str(SENDER), secret=SECRETS[str(RECIPIENT)])
        impostor = VdxpClient(axis.url, auth=wrong, retry=RetryPolicy(attempts=1))
        for failing in (lambda: recipient.get_edoc("VDXP-404"), impostor.received):
            try:
                failing()
            except EgovkitError as exc:
                printed += [str(exc), repr(exc), json.dumps(exc.to_dict())]
        impostor.close()
    seen = [json.dumps(call.headers, ensure_ascii=False) for call in axis.calls]
    seen += [call.body.decode("latin-1") for call in axis.calls]
    everything = "\n".join([*printed, *seen, caplog.text])
    assert len(axis.calls) >= 7
    for secret in SECRETS.values():
        assert secret not in everything


def test_no_authentication_sends_parameters_unsigned() -> None:
    with (
        AxisTestServer() as axis,
        VdxpClient(axis.url, agency=SENDER, auth=NoAuthentication()) as c,
    ):
        c.received()
    headers = axis.calls[-1].headers
    assert headers["xroadvnpt-from"] == str(SENDER)
    assert "xroadvnpt-hash-header" not in headers
