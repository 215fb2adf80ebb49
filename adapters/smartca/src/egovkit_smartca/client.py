"""The SmartCA service-provider API as a :class:`~egovkit.signatures.deferred.DeferredSigner`.

Three calls, all ``POST`` with JSON (the only module that knows their names):

- ``{base}/v1/credentials/get_certificate`` — ``sp_id``, ``sp_password``, ``user_id``,
  ``serial_number``, ``transaction_id``; answers ``data.user_certificates[]`` with
  ``serial_number`` and ``cert_data`` (base64 DER);
- ``{base}/v1/signatures/sign`` — the same credentials, ``transaction_id`` (chosen by the
  caller), ``transaction_desc``, ``serial_number``, ``time_stamp`` and ``sign_files[]`` of
  ``data_to_be_signed`` (the hash, lower-case hex), ``doc_id``, ``file_type``, ``sign_type``
  (``"hash"``); answers ``data.transaction_id``, ``data.tran_code``, ``data.expired_in``
  (seconds);
- ``{base}/v1/signatures/sign/{transaction_id}/status`` — an empty object; answers ``message``
  (``SUCCESS`` once signed) and ``data.signatures[]`` of ``doc_id`` and ``signature_value``
  (base64), with ``data.expired_in``.

Sources (public client code, read through code search; no official specification was found in
public): a C# client of ``…/sca/sp769/v1/signatures/sign`` and ``…/status`` (``RemoteSign.cs``,
a WinForms sample that sends the SHA-256 "second hash" as lower-case hex with
``sign_type = "hash"`` and reads ``signatures[0].signature_value``), and NestJS services that
poll the status endpoint every 10 s, treat ``REJECTED`` as a refusal and ``EXPIRED``,
``TIMEOUT``, ``CANCELLED`` or ``expired_in <= 0`` as an expiry. Those outcome words are
assumptions of this adapter, configurable in :class:`SmartCAConfig`.
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import cryptography.x509
import httpx
from cryptography import x509

from egovkit.errors import RemoteError, SignatureError
from egovkit.signatures.deferred import (
    DeferredSigner,
    Outcome,
    SigningRequest,
    SigningStatus,
    Submission,
)


@attrs.frozen(kw_only=True)
class SmartCAConfig:
    """Where and as whom to call SmartCA; the outcome words are the assumptions above."""

    base_url: str
    sp_id: str
    sp_password: str = attrs.field(repr=False)
    user_id: str
    serial_number: str = ""
    timeout: float = 40.0
    signed_words: frozenset[str] = frozenset({"SUCCESS"})
    refused_words: frozenset[str] = frozenset({"REJECTED"})
    expired_words: frozenset[str] = frozenset({"EXPIRED", "TIMEOUT", "CANCELLED"})


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RemoteError(f"SmartCA answered {type(value).__name__}, not an object", where=where)
    return value


class SmartCASigner(DeferredSigner):
    """Signs through SmartCA; the certificate is read from the service unless given, and the
    intermediates (``chain``) embedded in signatures are the ones given here."""

    def __init__(
        self,
        config: SmartCAConfig,
        *,
        # Fully qualified: Sphinx reads a plain class's __init__ hints as unevaluated strings.
        certificate: cryptography.x509.Certificate | None = None,
        chain: Iterable[cryptography.x509.Certificate] = (),
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._chain = tuple(chain)
        self.config = config
        self._http = httpx.Client(
            base_url=config.base_url.rstrip("/"), timeout=config.timeout, transport=transport
        )
        self._certificate = certificate

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def _post(self, path: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
        try:
            answer = self._http.post(path, json=dict(body))
        except httpx.HTTPError as exc:
            raise RemoteError(
                f"SmartCA could not be reached ({type(exc).__name__}: {exc})",
                code="smartca.unreachable",
                where=path,
            ) from exc
        if answer.status_code != 200:
            raise RemoteError(
                f"SmartCA answered HTTP {answer.status_code}", code="smartca.http", where=path
            )
        try:
            found = answer.json()
        except ValueError as exc:
            raise RemoteError("SmartCA answered something not JSON", where=path) from exc
        return _object(found, path)

    def _credentials(self) -> dict[str, Any]:
        c = self.config
        return {"sp_id": c.sp_id, "sp_password": c.sp_password, "user_id": c.user_id}

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self._chain

    @property
    def certificate(self) -> x509.Certificate:
        if self._certificate is None:
            self._certificate = self._fetch_certificate()
        return self._certificate

    def _fetch_certificate(self) -> x509.Certificate:
        path = "/v1/credentials/get_certificate"
        body = {
            **self._credentials(),
            "serial_number": self.config.serial_number,
            "transaction_id": "certificate",
        }
        data = _object(self._post(path, body).get("data"), path)
        found = data.get("user_certificates")
        if not isinstance(found, list) or not found:
            raise SignatureError("SmartCA lists no certificate for the user", code="smartca.cert")
        wanted = self.config.serial_number
        for item in found:
            item = _object(item, path)
            if wanted and item.get("serial_number") != wanted:
                continue
            try:
                return x509.load_der_x509_certificate(base64.b64decode(item["cert_data"]))
            except (KeyError, ValueError, TypeError) as exc:
                raise SignatureError(
                    f"SmartCA sent an unreadable certificate: {exc}", code="smartca.cert"
                ) from exc
        raise SignatureError(
            f"SmartCA lists no certificate with serial {wanted!r}", code="smartca.cert"
        )

    def submit(self, request: SigningRequest) -> Submission:
        path = "/v1/signatures/sign"
        body = {
            **self._credentials(),
            "transaction_id": request.reference,
            "transaction_desc": request.description,
            "serial_number": self.config.serial_number,
            "time_stamp": datetime.now(UTC).strftime("%Y%m%d%H%M%S"),
            "sign_files": [
                {
                    "data_to_be_signed": request.digest.hex(),
                    "doc_id": request.reference,
                    "file_type": "hash",
                    "sign_type": "hash",
                }
            ],
        }
        answer = self._post(path, body)
        data = _object(answer.get("data"), path)
        transaction = data.get("transaction_id")
        if not isinstance(transaction, str) or not transaction:
            raise RemoteError(
                f"SmartCA refused the request: {answer.get('message', '')}",
                code="smartca.refused_request",
                where=path,
            )
        expires = data.get("expired_in")
        expires_at = (
            datetime.now(UTC) + timedelta(seconds=expires)
            if isinstance(expires, int) and not isinstance(expires, bool) and expires > 0
            else None
        )
        return Submission(transaction=transaction, expires_at=expires_at)

    def poll(self, transaction: str) -> Outcome:
        path = f"/v1/signatures/sign/{urllib.parse.quote(transaction, safe='')}/status"
        answer = self._post(path, {})
        word = str(answer.get("message", "")).upper()
        data = answer.get("data")
        data = data if isinstance(data, Mapping) else {}
        if word in self.config.signed_words:
            signatures = data.get("signatures")
            if isinstance(signatures, list) and signatures:
                value = _object(signatures[0], path).get("signature_value")
                try:
                    signature = base64.b64decode(str(value), validate=True)
                except ValueError as exc:
                    raise RemoteError("SmartCA sent an unreadable signature", where=path) from exc
                if signature:
                    return Outcome(status=SigningStatus.SIGNED, signature=signature)
            return Outcome(status=SigningStatus.PENDING, message="signed, value not yet given")
        if word in self.config.refused_words:
            return Outcome(status=SigningStatus.REFUSED, message=word)
        left = data.get("expired_in")
        if word in self.config.expired_words or (isinstance(left, int) and left <= 0):
            return Outcome(status=SigningStatus.EXPIRED, message=word)
        return Outcome(status=SigningStatus.PENDING, message=word)


__all__ = ["SmartCAConfig", "SmartCASigner"]
