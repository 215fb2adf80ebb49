"""The axis' side of the VPCP SDK's request signing, written from the recipe alone.

Source: the decompiled VPCP Java SDK (SDKVXP 2.0.1, github.com/williamdunbar/SDK),
``com/vpcp/services/VnptService.java`` (``addXroadVnptHashHeader``: every header-map entry sent
as ``XroadVnpt-<name>``, the names joined by ``;`` in ``XroadVnpt-sign-header-key``, a Gson
``JsonObject`` of ``{"XroadVnpt-<name>": value}`` in ``XroadVnpt-sign-header``, and
``Hex.encodeHexString(HmacSHA256(secret, json))`` in ``XroadVnpt-hash-header``) and
``KnobstickServiceImp.java`` (``createContentHA256``: ``Integer.toHexString(0xFF & b)``).

The verifier deliberately uses nothing of ``egovkit_vdxp``'s signing code: it is the
independent check the client's signing must pass. The fixtures at the end give the tests one
secret per connected system and an axis that verifies every request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from typing import Literal

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.exchange.testserver import Call
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER
from egovkit_vdxp import SystemCredentials
from egovkit_vdxp.testing import AxisTestServer
from egovkit_vdxp.wire import AxisAgency

#: The secret of each connected system (its id is the agency code, as the axis registers it).
SECRETS = {str(SENDER): "sender-s3cret-never-shown", str(RECIPIENT): "recipient-s3cret-hidden"}

_SIGNING = {
    "xroadvnpt-sign-header-key",
    "xroadvnpt-sign-header",
    "xroadvnpt-hash-header",
    "xroadvnpt-version",
}
_TIMESTAMP = re.compile(r"\d{8}T\d{6}\+\d{4}")


def _text(call: Call, name: str) -> str | None:
    raw = call.headers.get(name.lower())
    return None if raw is None else raw.encode("latin-1").decode("utf-8")


class SdkRecipeVerifier:
    """Accepts a request only if it is signed as the SDK signs, by a known system."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self.secrets = dict(secrets)
        self.refusals: list[str] = []

    def __call__(self, call: Call) -> str | None:
        reason = self._check(call)
        if reason is not None:
            self.refusals.append(reason)
        return reason

    def _check(self, call: Call) -> str | None:
        keys, signed, given = (
            _text(call, "XroadVnpt-sign-header-key"),
            _text(call, "XroadVnpt-sign-header"),
            _text(call, "XroadVnpt-hash-header"),
        )
        if keys is None or signed is None or given is None:
            return "unsigned request"
        try:
            pairs = json.loads(signed, object_pairs_hook=list)
        except ValueError:
            return "sign-header is not JSON"
        if not isinstance(pairs, list) or not all(isinstance(v, str) for _, v in pairs):
            return "sign-header is not an object of texts"
        # Gson's JsonObject.toString(): compact, nothing re-ordered.
        if json.dumps(dict(pairs), ensure_ascii=False, separators=(",", ":")) != signed:
            return "sign-header is not compact JSON"
        names = keys.split(";")
        if [k for k, _ in pairs] != ["XroadVnpt-" + n for n in names]:
            return "sign-header-key does not list the signed names in order"
        for name, value in pairs:
            if _text(call, name) != value:
                return f"header {name} differs from its signed value"
        sent = {n for n in call.headers if n.startswith("xroadvnpt-")} - _SIGNING
        if sent - {k.lower() for k, _ in pairs}:
            return "unsigned XroadVnpt header"
        values = dict(pairs)
        for required in ("systemid", "timestamp", "Content-Type"):
            if "XroadVnpt-" + required not in values:
                return f"{required} is not signed"
        if not _TIMESTAMP.fullmatch(values["XroadVnpt-timestamp"]):
            return "timestamp is not ddMMyyyy'T'HHmmss+SSSS"
        if values["XroadVnpt-Content-Type"] != _text(call, "Content-Type"):
            return "Content-Type differs from its signed value"
        secret = self.secrets.get(values["XroadVnpt-systemid"])
        if secret is None:
            return "unknown system"
        expected = hmac.new(secret.encode("utf-8"), signed.encode("utf-8"), hashlib.sha256)
        if not hmac.compare_digest(expected.hexdigest(), given):
            return "hash-header does not match"
        if any(secret in value for value in call.headers.values()) or secret.encode() in call.body:
            return "the secret itself was sent"
        return None


Credentials = Callable[[AgencyCode], SystemCredentials]
VerifierFactory = Callable[[Mapping[str, str]], SdkRecipeVerifier]


AxisFactory = Callable[..., AxisTestServer]


@pytest.fixture
def credentials() -> Credentials:
    """The credentials of an agency's own system."""

    def make(agency: AgencyCode) -> SystemCredentials:
        return SystemCredentials(system_id=str(agency), secret=SECRETS[str(agency)])

    return make


@pytest.fixture
def recipe_verifier() -> VerifierFactory:
    """The verifier class, for tests that choose their own secrets."""
    return SdkRecipeVerifier


@pytest.fixture
def verifying_axis() -> AxisFactory:
    """Makes axes (to use in ``with``) that check every request's signature as the SDK's
    recipe says."""

    def make(
        agencies: tuple[AxisAgency, ...] = (), *, hash_file: Literal["sdk", "padded"] = "sdk"
    ) -> AxisTestServer:
        return AxisTestServer(
            verifier=SdkRecipeVerifier(SECRETS), agencies=agencies, hash_file=hash_file
        )

    return make
