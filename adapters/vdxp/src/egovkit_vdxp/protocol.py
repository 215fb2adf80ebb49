"""How the VPCP SDK puts a call on the wire: ``XroadVnpt-*`` headers signed with HMAC-SHA256.

Learnt from the decompiled VPCP Java SDK (SDKVXP 2.0.1, github.com/williamdunbar/SDK,
``com/vpcp/services/VnptService.java`` ``addXroadVnptHashHeader`` and
``KnobstickServiceImp.java`` ``createContentHA256``). The SDK keeps one header map per service
object — ``timestamp`` and ``systemid`` first, then ``Content-Type``, then the caller's
parameters (``servicetype``, ``messagetype``, ``from``, ``to``, ``docId``, ``status``…) and, for
``sendEdoc``, ``hash-file`` — and for each request sends:

* ``Content-Type`` as itself, and every map entry as ``XroadVnpt-<name>: <value>``;
* ``XroadVnpt-sign-header-key``: the names, joined by ``;``;
* ``XroadVnpt-sign-header``: a compact JSON object ``{"XroadVnpt-<name>": "<value>", …}``
  (Gson, in the iteration order of Java's ``HashMap``);
* ``XroadVnpt-hash-header``: lower-case hex of HMAC-SHA256 over that JSON text (UTF-8), keyed
  by the system's secret (UTF-8) — the secret itself never travels;
* ``User-Agent: JAVASDKAgent/1.0.0 XRoad/VPCP`` and ``XroadVnpt-version: 3.0.201608``.

``hash-file`` is SHA-256 of the edXML with each byte written by ``Integer.toHexString``: hex
**without** zero padding (byte ``0x0a`` is ``a``). Header values are sent as UTF-8 (the SDK's
HTTP client is configured with a UTF-8 charset, ``HttpClientFactory.java``). Every wire name of
the request side lives in this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Final
from zoneinfo import ZoneInfo

import httpx

#: Prefix of every parameter header.
PREFIX: Final = "XroadVnpt-"
SIGN_KEYS: Final = "XroadVnpt-sign-header-key"
SIGN_JSON: Final = "XroadVnpt-sign-header"
SIGN_HASH: Final = "XroadVnpt-hash-header"
VERSION_HEADER: Final = "XroadVnpt-version"
#: What the Java SDK sends as ``User-Agent`` and ``XroadVnpt-version``.
SDK_USER_AGENT: Final = "JAVASDKAgent/1.0.0 XRoad/VPCP"
SDK_VERSION: Final = "3.0.201608"
#: The SDK's own entries of the header map, put before any parameter.
SYSTEM_ID: Final = "systemid"
TIMESTAMP: Final = "timestamp"
CONTENT_TYPE: Final = "Content-Type"
#: Parameter names, as the SDK's callers spell them.
SERVICE_TYPE: Final = "servicetype"
MESSAGE_TYPE: Final = "messagetype"
FROM: Final = "from"
TO: Final = "to"
DOC_ID: Final = "docId"
STATUS_DOC_ID: Final = "docid"  # updateStatus: Bkav's ServiceVPCP.java spells it so
STATUS: Final = "status"
DESCRIPTION: Final = "description"
HASH_FILE: Final = "hash-file"
#: List filters, as a public gateway over the SDK passes them (format of the dates unknown).
FROM_DATE: Final = "fromDate"
TO_DATE: Final = "toDate"
PAGE_SIZE: Final = "pageSize"
PAGE_INDEX: Final = "pageIndex"
EDOC_SERVICE: Final = "eDoc"

_SIGNING: Final = frozenset(n.lower() for n in (SIGN_KEYS, SIGN_JSON, SIGN_HASH, VERSION_HEADER))
_VIETNAM: Final = ZoneInfo("Asia/Ho_Chi_Minh")


def sdk_hex(digest: bytes) -> str:
    """Hex as ``Integer.toHexString(0xFF & b)`` writes it: no zero padding per byte."""
    return "".join(format(byte, "x") for byte in digest)


def hash_file(data: bytes, *, padded: bool = False) -> str:
    """The ``hash-file`` value of ``data``: the SDK's unpadded hex of SHA-256, or with
    ``padded=True`` the usual 64-character hexdigest."""
    digest = hashlib.sha256(data).digest()
    return digest.hex() if padded else sdk_hex(digest)


def compact_json(value: object) -> str:
    """JSON as Gson's ``JsonElement.toString()`` writes it: no spaces, non-ASCII kept,
    U+2028/U+2029 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def sdk_timestamp(moment: dt.datetime) -> str:
    """``ddMMyyyy'T'HHmmss+SSSS`` (SimpleDateFormat; ``SSSS`` is milliseconds, four digits),
    in Vietnam time."""
    local = moment.astimezone(_VIETNAM) if moment.tzinfo else moment
    return local.strftime("%d%m%YT%H%M%S") + f"+{local.microsecond // 1000:04d}"


def java_string_hash(text: str) -> int:
    """``String.hashCode()``: ``31 * h + c`` over UTF-16 code units, as an unsigned 32-bit."""
    units = text.encode("utf-16-be")
    value = 0
    for index in range(0, len(units), 2):
        value = (31 * value + int.from_bytes(units[index : index + 2], "big")) & 0xFFFFFFFF
    return value


def java_hashmap_order(names: Iterable[str]) -> list[str]:
    """The order in which a ``java.util.HashMap`` that received ``names`` (in that order)
    iterates them: by bucket (``(h ^ h >>> 16) & (capacity - 1)``, capacity 16 doubling past
    a 0.75 load), insertion order within a bucket. A name put twice keeps its first place."""
    unique = list(dict.fromkeys(names))
    capacity = 16
    while len(unique) > capacity * 3 // 4:
        capacity *= 2

    def bucket(name: str) -> int:
        code = java_string_hash(name)
        return (code ^ (code >> 16)) & (capacity - 1)

    position = {name: index for index, name in enumerate(unique)}
    return sorted(unique, key=lambda name: (bucket(name), position[name]))


def parameter_headers(content_type: str, params: Sequence[tuple[str, str]]) -> dict[str, bytes]:
    """The plain ``Content-Type`` and one ``XroadVnpt-<name>`` header per parameter, in the
    SDK's insertion order (``Content-Type`` first), UTF-8 encoded."""
    headers = {CONTENT_TYPE: content_type, PREFIX + CONTENT_TYPE: content_type}
    for name, value in params:
        headers[PREFIX + name] = value
    return {name: value.encode("utf-8") for name, value in headers.items()}


def signed_entries(
    params: Mapping[str, str], *, system_id: str, timestamp: str
) -> list[tuple[str, str]]:
    """``(name, value)`` of the header map in the SDK's iteration order: ``timestamp`` and
    ``systemid`` put first, then ``params`` in their order."""
    values = {TIMESTAMP: timestamp, SYSTEM_ID: system_id, **params}
    values[TIMESTAMP], values[SYSTEM_ID] = timestamp, system_id
    return [(name, values[name]) for name in java_hashmap_order(values)]


def signature_headers(entries: Sequence[tuple[str, str]], secret: str) -> dict[str, str]:
    """The three signing headers for ``entries`` (in order), keyed by ``secret``."""
    signed = compact_json({PREFIX + name: value for name, value in entries})
    mac = hmac.new(secret.encode("utf-8"), signed.encode("utf-8"), hashlib.sha256)
    return {
        SIGN_KEYS: ";".join(name for name, _ in entries),
        SIGN_JSON: signed,
        SIGN_HASH: mac.hexdigest(),
    }


def sign_request(
    request: httpx.Request,
    *,
    system_id: str,
    secret: str,
    moment: dt.datetime,
    user_agent: str = SDK_USER_AGENT,
    version: str = SDK_VERSION,
) -> None:
    """Add ``systemid``, ``timestamp`` and the signing headers to ``request`` in place, over
    every ``XroadVnpt-<name>`` parameter header it already carries."""
    params: dict[str, str] = {}
    for raw_name, raw_value in request.headers.raw:
        name = raw_name.decode("latin-1")
        if name.lower().startswith(PREFIX.lower()) and name.lower() not in _SIGNING:
            params[name[len(PREFIX) :]] = raw_value.decode("utf-8")
    entries = signed_entries(params, system_id=system_id, timestamp=sdk_timestamp(moment))
    headers = {PREFIX + name: value for name, value in entries}
    headers |= signature_headers(entries, secret)
    headers |= {"User-Agent": user_agent, VERSION_HEADER: version}
    request.headers.encoding = "utf-8"
    for name, value in headers.items():
        request.headers[name] = value


__all__ = [
    "PREFIX",
    "SDK_USER_AGENT",
    "SDK_VERSION",
    "compact_json",
    "hash_file",
    "java_hashmap_order",
    "java_string_hash",
    "parameter_headers",
    "sdk_hex",
    "sdk_timestamp",
    "sign_request",
    "signature_headers",
    "signed_entries",
]
