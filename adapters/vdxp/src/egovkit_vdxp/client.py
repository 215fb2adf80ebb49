"""An HTTP client for the national document exchange axis (trục liên thông văn bản quốc gia).

Calls are made as the VPCP Java SDK makes them (:mod:`egovkit_vdxp.protocol`): every parameter
is an ``XroadVnpt-<name>`` header, signed by the :class:`~egovkit_vdxp.auth.Authenticator`;
``sendEdoc`` carries the edXML as ``application/octet-stream`` with ``hash-file``; ``from`` is
the system id the axis registered (the axis refuses any other sender). Transport is
:class:`egovkit.http.HttpClient`: timeouts, bounded answers, retries with backoff and jitter on
transient failures. TLS certificates are verified unless you pass ``verify=False`` explicitly.
"""

from __future__ import annotations

import base64
import binascii
import ssl
from collections.abc import Callable, Sequence
from typing import Final, Literal, TypeVar

import httpx

import egovkit.exchange.retry
import egovkit.http
import egovkit_vdxp.auth
from egovkit.agencies.codes import AgencyCode
from egovkit.agencies.renames import CodeRename, CodeRenames
from egovkit.errors import (
    ConfigurationError,
    EgovkitError,
    NotFoundError,
    RemoteError,
    UnsafeInputError,
)
from egovkit_vdxp import protocol as p
from egovkit_vdxp.wire import AxisAgency, AxisItem, AxisResponse, SentItem, read_response

#: Bytes accepted in one answer (an edXML with attachments, base64: a third larger).
MAX_RESPONSE_BYTES: Final = 256 * 1024 * 1024
#: Error codes of the axis that mean "no such message" (assumed; the public SDK names none).
NOT_FOUND_CODES: Final = frozenset({"404", "NOT_FOUND"})
#: ``updateStatus`` values: taken, could not be taken, being processed.
Status = Literal["done", "fail", "processing"]
_JSON: Final = "application/json"
_OCTETS: Final = "application/octet-stream"
T = TypeVar("T")


class VdxpClient:
    """The axis' endpoints as methods, for one connected system.

    ``agency`` is the sender (``from``); with :class:`~egovkit_vdxp.auth.SystemCredentials` it
    defaults to, and must equal, the credentials' system id. ``hash_file="padded"`` sends the
    64-character hexdigest instead of the SDK's unpadded hex. ``resend_on_doubt`` repeats a
    ``sendEdoc`` whose answer was lost (the receiver registers a duplicate once, by
    DocumentId); set it to False to surface the doubt as an error instead.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: egovkit_vdxp.auth.Authenticator,
        agency: AgencyCode | None = None,
        timeout: float = 30.0,
        retry: egovkit.http.RetryPolicy | egovkit.exchange.retry.RetryPolicy | None = None,
        verify: bool | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        hash_file: Literal["sdk", "padded"] = "sdk",
        resend_on_doubt: bool = True,
    ) -> None:
        self.agency = _sender(agency, auth)
        self._auth = auth
        self._padded = hash_file == "padded"
        self._resend = resend_on_doubt
        self._http = egovkit.http.HttpClient(
            base_url,
            name="vdxp",
            timeout=timeout,
            retry=_policy(retry),
            verify=verify,
            transport=transport,
            max_response_bytes=max_response_bytes,
        )

    def __repr__(self) -> str:
        return f"VdxpClient({self._http.base_url!r}, agency={str(self.agency)!r})"

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> VdxpClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- documents ----------------------------------------------------------------------------

    def send_edoc(self, data: bytes, *, to: Sequence[AgencyCode], message_type: str) -> str:
        """``/sendEdoc``: send an edXML message; returns the axis' ``DocId``."""
        params = [
            *self._common(message_type),
            (p.TO, p.compact_json([str(code) for code in to])),
            (p.HASH_FILE, p.hash_file(data, padded=self._padded)),
        ]
        answer = self._call("/sendEdoc", params, data, content_type=_OCTETS, safe=self._resend)
        if not answer.doc_id:
            raise RemoteError("sendEdoc answered without a DocId", code="vdxp.response.doc_id")
        return answer.doc_id

    def received(
        self,
        *,
        message_type: str = "edoc",
        from_date: str = "",
        to_date: str = "",
        status: str = "",
        page_size: int | None = None,
        page_index: int | None = None,
    ) -> tuple[AxisItem, ...]:
        """``/getReceivedEdocList``: messages waiting for this system. The optional filters
        travel as ``fromDate``, ``toDate``, ``status``, ``pageSize`` and ``pageIndex`` (as a
        public gateway over the SDK sends them; the dates' format is the axis' own)."""
        params = self._common(message_type)
        for name, value in (
            (p.FROM_DATE, from_date),
            (p.TO_DATE, to_date),
            (p.STATUS, status),
            (p.PAGE_SIZE, "" if page_size is None else str(page_size)),
            (p.PAGE_INDEX, "" if page_index is None else str(page_index)),
        ):
            if value:
                params.append((name, value))
        answer = self._call("/getReceivedEdocList", params, b"")
        return _read(answer.items)

    def sent(self, *, message_type: str = "edoc") -> tuple[SentItem, ...]:
        """``/getSentEdocList``: messages this system sent, with their delivery status."""
        answer = self._call("/getSentEdocList", self._common(message_type), b"")
        return _read(answer.sent_items)

    def count_received(self, *, message_type: str = "edoc") -> int:
        """``/countReceiveEdoc`` (or ``/countReceiveStatus`` for ``status``): how many wait."""
        path = "/countReceiveStatus" if message_type == "status" else "/countReceiveEdoc"
        answer = self._call(path, self._common(message_type), b"{}")
        if answer.count is None:
            raise RemoteError(f"{path} answered without a count", code="vdxp.response.count")
        return answer.count

    def get_edoc(self, doc_id: str) -> bytes:
        """``/getEdoc``: the edXML bytes of a message (sent base64-encoded)."""
        params = [*self._common("edoc"), (p.DOC_ID, doc_id)]
        answer = self._call("/getEdoc", params, b"{}", where=doc_id)
        if not isinstance(answer.data, str):
            raise RemoteError("getEdoc answered without content", code="vdxp.response.content")
        try:
            return base64.b64decode(answer.data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnsafeInputError(
                "getEdoc content is not valid base64", code="vdxp.response.base64"
            ) from exc

    def download_edoc(self, doc_id: str) -> bytes:
        """``/downloadEdoc``: the edXML bytes of a message as a raw download (GET)."""
        params = [*self._common("edoc"), (p.DOC_ID, doc_id)]
        answer = self._http.request(
            "GET",
            "/downloadEdoc",
            headers=p.parameter_headers(_JSON, params),
            prepare=self._auth.authenticate,
        )
        if answer.status == 404:
            raise NotFoundError("downloadEdoc: not found", code="vdxp.not_found", where=doc_id)
        if not answer.ok:
            raise RemoteError(
                f"downloadEdoc: HTTP {answer.status}", code=f"vdxp.http.{answer.status}"
            )
        if answer.body.lstrip().startswith(b"{"):  # an error envelope instead of a file
            envelope = read_response_or_fail(answer.body, "/downloadEdoc")
            self._check(envelope, "/downloadEdoc", doc_id)
            raise RemoteError("downloadEdoc answered JSON, not a file", code="vdxp.response")
        return answer.body

    def update_status(self, doc_id: str, status: Status = "done", *, description: str = "") -> None:
        """``/updateStatus``: the message was taken (``done``), could not be (``fail``) or is
        being processed (``processing``), with an optional ``description``."""
        if status not in ("done", "fail", "processing"):
            raise ConfigurationError(
                f"status must be done, fail or processing, not {status!r}",
                code="vdxp.status",
                where="status",
            )
        params = [*self._common("edoc"), (p.STATUS_DOC_ID, doc_id), (p.STATUS, status)]
        if description:
            params.append((p.DESCRIPTION, description))
        self._call("/updateStatus", params, b"{}", where=doc_id)

    # -- agencies -----------------------------------------------------------------------------

    def agencies(self) -> tuple[AxisAgency, ...]:
        """``/getAgenciesList``: the agencies connected to the axis."""
        return _read(self._call("/getAgenciesList", self._common("edoc"), b"").agencies)

    def agencies_qd20(self) -> tuple[AxisAgency, ...]:
        """``/getAgenciesListQD20``: the agencies by Decision 20/2020 code, with ``code102``."""
        return _read(self._call("/getAgenciesListQD20", self._common("edoc"), b"").agencies)

    def code_renames(self) -> CodeRenames:
        """The old → new code mapping the agency list publishes (``oldCode``)."""
        return renames_from(self.agencies(), source="getAgenciesList")

    # -- plumbing -----------------------------------------------------------------------------

    def _common(self, message_type: str) -> list[tuple[str, str]]:
        return [
            (p.SERVICE_TYPE, p.EDOC_SERVICE),
            (p.MESSAGE_TYPE, message_type),
            (p.FROM, str(self.agency)),
        ]

    def _call(
        self,
        path: str,
        params: Sequence[tuple[str, str]],
        content: bytes,
        *,
        content_type: str = _JSON,
        safe: bool = True,
        where: str = "",
    ) -> AxisResponse:
        answer = self._http.request(
            "POST",
            path,
            headers=p.parameter_headers(content_type, params),
            content=content,
            idempotent=safe,
            prepare=self._auth.authenticate,
        )
        if not answer.ok and not answer.body.lstrip().startswith(b"{"):
            raise RemoteError(f"{path}: HTTP {answer.status}", code=f"vdxp.http.{answer.status}")
        return self._check(read_response_or_fail(answer.body, path), path, where)

    @staticmethod
    def _check(answer: AxisResponse, path: str, where: str) -> AxisResponse:
        if answer.ok:
            return answer
        if answer.error_code in NOT_FOUND_CODES:
            raise NotFoundError(
                f"{path}: {answer.error_desc or 'not found'}", code="vdxp.not_found", where=where
            )
        raise RemoteError(
            f"{path}: the axis refused ({answer.error_code}): {answer.error_desc}",
            code=f"vdxp.fail.{answer.error_code}",
            where=where,
        )


def read_response_or_fail(raw: bytes, path: str) -> AxisResponse:
    """The envelope of an answer, or a :class:`~egovkit.errors.RemoteError` if unreadable."""
    try:
        return read_response(raw)
    except EgovkitError as exc:
        raise RemoteError(f"{path}: unreadable answer: {exc}", code="vdxp.response") from exc


def renames_from(agencies: Sequence[AxisAgency], *, source: str) -> CodeRenames:
    """The ``oldCode`` → ``code`` pairs of an agency list as
    :class:`~egovkit.agencies.renames.CodeRenames` (entries
    whose codes do not parse, even leniently, are left out)."""
    pairs: list[CodeRename] = []
    for agency in agencies:
        if not agency.old_code:
            continue
        try:
            old = AgencyCode.parse(agency.old_code, strict=False)
            new = AgencyCode.parse(agency.code, strict=False)
        except EgovkitError:
            continue
        pairs.append(CodeRename(old=old, new=new, source=source))
    return CodeRenames(pairs)


def _read(parse: Callable[[], tuple[T, ...]]) -> tuple[T, ...]:
    try:
        return parse()
    except EgovkitError as exc:
        raise RemoteError(f"malformed list: {exc}", code="vdxp.response.shape") from exc


def _policy(
    retry: egovkit.http.RetryPolicy | egovkit.exchange.retry.RetryPolicy | None,
) -> egovkit.http.RetryPolicy | None:
    """The exchange's retry policy (same fields) as the HTTP client's."""
    if retry is None or isinstance(retry, egovkit.http.RetryPolicy):
        return retry
    return egovkit.http.RetryPolicy(
        attempts=retry.attempts,
        base_delay=retry.base_delay,
        max_delay=retry.max_delay,
        sleep=retry.sleep,
        random=retry.random,
    )


def _sender(agency: AgencyCode | None, auth: egovkit_vdxp.auth.Authenticator) -> AgencyCode:
    system_id = getattr(auth, "system_id", None)
    if system_id is None:
        if agency is None:
            raise ConfigurationError(
                "say which agency sends: agency=… (the authenticator names no system id)",
                code="vdxp.agency",
                where="agency",
            )
        return agency
    try:
        registered = AgencyCode.parse(str(system_id), strict=False)
    except EgovkitError as exc:
        raise ConfigurationError(
            f"the system id is not an agency code: {exc.message}",
            code="vdxp.agency",
            where="system_id",
        ) from exc
    if agency is not None and agency != registered:
        raise ConfigurationError(
            f"the axis accepts 'from' only as the registered system id {registered}, "
            f"not {agency} (đơn vị gửi không đúng với mã đã đăng ký)",
            code="vdxp.agency.mismatch",
            where="agency",
        )
    return registered


__all__ = ["MAX_RESPONSE_BYTES", "Status", "VdxpClient", "read_response_or_fail", "renames_from"]
