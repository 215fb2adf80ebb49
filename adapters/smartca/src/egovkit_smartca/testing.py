"""A local SmartCA-shaped service on 127.0.0.1 (the calls of :mod:`egovkit_smartca.client`):
the official "confirms on the phone" ``confirm_after`` seconds after a request, or refuses, or
never answers — and the faults of :class:`~egovkit.exchange.testserver.FaultyServer` (slow
answers, dropped connections) on demand. It signs with a private key it is given, at most once
per transaction id, and counts what it was asked, so tests can prove nothing is signed twice."""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.parse
from typing import Any, Literal

import cryptography.hazmat.primitives.asymmetric.ec
import cryptography.hazmat.primitives.asymmetric.rsa
import cryptography.x509
from cryptography.hazmat.primitives import serialization

from egovkit.exchange.testserver import Call, FaultyServer
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.testing.remote import sign_digest

_STATUS = re.compile(r"/v1/signatures/sign/([^/]+)/status")
Behaviour = Literal["sign", "refuse", "never"]
_HASHES = {32: DigestAlgorithm.SHA256, 48: DigestAlgorithm.SHA384, 64: DigestAlgorithm.SHA512}


class SmartCATestServer(FaultyServer):
    """The service in a thread; ``url`` is its base URL. Use as a context manager."""

    def __init__(
        self,
        # Fully qualified: Sphinx reads a plain class's __init__ hints as unevaluated strings.
        key: cryptography.hazmat.primitives.asymmetric.rsa.RSAPrivateKey
        | cryptography.hazmat.primitives.asymmetric.ec.EllipticCurvePrivateKey,
        certificate: cryptography.x509.Certificate,
        *,
        behaviour: Literal["sign", "refuse", "never"] = "sign",
        confirm_after: float = 5.0,
        lifetime: int = 300,
    ) -> None:
        super().__init__()
        self.key = key
        self.certificate = certificate
        self.behaviour: Behaviour = behaviour
        self.confirm_after = confirm_after
        self.lifetime = lifetime
        self.requests: dict[str, int] = {}  # transaction id → sign requests received
        self.signed: dict[str, int] = {}  # transaction id → signatures made
        self._pending: dict[str, tuple[float, bytes]] = {}
        self._values: dict[str, bytes] = {}

    def _sign(self, digest: bytes) -> bytes:
        return sign_digest(self.key, digest, _HASHES[len(digest)])

    def handle(self, call: Call) -> tuple[int, bytes, str]:
        try:
            body: Any = json.loads(call.body or b"{}")
        except ValueError:
            return 400, b'{"message": "not JSON"}', "application/json"
        if call.path == "/v1/credentials/get_certificate":
            der = self.certificate.public_bytes(serialization.Encoding.DER)
            cert = {
                "serial_number": format(self.certificate.serial_number, "x"),
                "cert_data": base64.b64encode(der).decode(),
            }
            return self._json({"status_code": 200, "message": "SUCCESS",
                               "data": {"user_certificates": [cert]}})  # fmt: skip
        if call.path == "/v1/signatures/sign":
            return self._submit(body)
        found = _STATUS.fullmatch(call.path)
        if found:
            return self._status(urllib.parse.unquote(found.group(1)))
        return 404, b'{"message": "not found"}', "application/json"

    def _json(self, data: object) -> tuple[int, bytes, str]:
        return 200, json.dumps(data).encode(), "application/json"

    def _submit(self, body: Any) -> tuple[int, bytes, str]:
        transaction = str(body.get("transaction_id", ""))
        try:
            digest = bytes.fromhex(body["sign_files"][0]["data_to_be_signed"])
        except (KeyError, IndexError, TypeError, ValueError):
            return self._json({"status_code": 400, "message": "bad sign_files", "data": None})
        if len(digest) not in _HASHES or not transaction:
            return self._json({"status_code": 400, "message": "bad request", "data": None})
        with self.lock:
            self.requests[transaction] = self.requests.get(transaction, 0) + 1
            # a repeated transaction id is the same transaction, never a second signature
            self._pending.setdefault(transaction, (time.monotonic(), digest))
        answer = {
            "transaction_id": transaction,
            "tran_code": transaction,
            "expired_in": self.lifetime,
        }
        return self._json({"status_code": 200, "message": "SUCCESS", "data": answer})

    def _status(self, transaction: str) -> tuple[int, bytes, str]:
        with self.lock:
            found = self._pending.get(transaction)
            if found is None:
                return self._json({"status_code": 404, "message": "NOT_FOUND", "data": None})
            started, digest = found
            waited = time.monotonic() - started
            left = max(0, int(self.lifetime - waited))
            if self.behaviour == "never" or waited < self.confirm_after:
                data = {"transaction_id": transaction, "signatures": None, "expired_in": left}
                return self._json({"status_code": 200, "message": "PENDING", "data": data})
            if self.behaviour == "refuse":
                data = {"transaction_id": transaction, "signatures": None, "expired_in": left}
                return self._json({"status_code": 200, "message": "REJECTED", "data": data})
            if transaction not in self._values:
                self._values[transaction] = self._sign(digest)
                self.signed[transaction] = self.signed.get(transaction, 0) + 1
            value = base64.b64encode(self._values[transaction]).decode()
        signature = {"doc_id": transaction, "signature_value": value}
        done = {"transaction_id": transaction, "signatures": [signature], "expired_in": left}
        return self._json({"status_code": 200, "message": "SUCCESS", "data": done})


__all__ = ["SmartCATestServer"]
