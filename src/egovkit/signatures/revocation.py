"""Revocation: CRLs (given or fetched) and OCSP, through a small HTTP port.

A revocation answer counts only when it is signed by the certificate's issuer (or, for OCSP, by
a responder the issuer delegated to), names the certificate and is fresh for the validation
time. A fetch that fails, times out or returns junk leaves the status unknown, which makes the
signature INDETERMINATE / TRY_LATER — never valid.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    CRLEntryExtensionOID,
    ExtendedKeyUsageOID,
    ExtensionOID,
)

from egovkit.errors import ConfigurationError, RemoteError
from egovkit.findings import Finding
from egovkit.signatures._certs import crl_signed_by, issued_by, issuer_der, subject_text
from egovkit.signatures._names import names_match
from egovkit.signatures.policy import ValidationPolicy
from egovkit.signatures.report import (
    Indication,
    RevocationEvidence,
    RevocationStatus,
    SubIndication,
)
from egovkit.signatures.trust import Problem

if TYPE_CHECKING:  # httpx loads on first online use only
    import httpx

_MAX_URLS = 4


class HttpClient(abc.ABC):
    """Port: fetch a CRL (GET) or ask an OCSP responder (POST). Raise ``RemoteError`` on failure."""

    @abc.abstractmethod
    def get(self, url: str) -> bytes:
        """The body of a successful GET."""

    @abc.abstractmethod
    def post(self, url: str, body: bytes, content_type: str) -> bytes:
        """The body of a successful POST."""


class HttpxClient(HttpClient):
    """The httpx implementation: http(s) only, bounded time and size, no redirects.

    ``timeout`` bounds each network operation and the whole exchange; pass ``client`` to reuse
    a configured :class:`httpx.Client` (proxies, a mock transport in tests).
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        max_bytes: int = 16 * 1024 * 1024,
        client: httpx.Client | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = client

    def get(self, url: str) -> bytes:
        return self._request("GET", url, None, None)

    def post(self, url: str, body: bytes, content_type: str) -> bytes:
        return self._request("POST", url, body, content_type)

    def _request(
        self, method: str, url: str, body: bytes | None, content_type: str | None
    ) -> bytes:
        if not url.lower().startswith(("http://", "https://")):
            raise RemoteError(
                f"refusing to fetch {url!r}: only http and https are used",
                code="signatures.revocation.url_scheme",
                where=url,
            )
        import httpx

        headers = {"Content-Type": content_type} if content_type else {}
        client = self._client or httpx.Client(follow_redirects=False)
        deadline = time.monotonic() + self.timeout
        try:
            with client.stream(
                method, url, content=body, headers=headers, timeout=self.timeout
            ) as r:
                if r.status_code != 200:
                    raise RemoteError(
                        f"{url} answered HTTP {r.status_code}",
                        code="signatures.revocation.http_status",
                        where=url,
                        retryable=r.status_code >= 500,
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise RemoteError(
                            f"{url} sent more than {self.max_bytes} bytes",
                            code="signatures.revocation.too_large",
                            where=url,
                        )
                    if time.monotonic() > deadline:
                        raise RemoteError(
                            f"{url} took longer than {self.timeout} s",
                            code="signatures.revocation.timeout",
                            where=url,
                            retryable=True,
                        )
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise RemoteError(
                f"{url} did not answer within {self.timeout} s",
                code="signatures.revocation.timeout",
                where=url,
                retryable=True,
            ) from exc
        except httpx.HTTPError as exc:
            raise RemoteError(
                f"{url} failed: {exc}",
                code="signatures.revocation.fetch",
                where=url,
                retryable=True,
            ) from exc
        finally:
            if self._client is None:
                client.close()


def load_crl(data: bytes, *, where: str = "") -> x509.CertificateRevocationList:
    """A CRL from DER or PEM bytes."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise ConfigurationError(
            f"cannot read a CRL: {exc}", code="signatures.crl.bad", where=where
        ) from exc


@attrs.frozen(kw_only=True)
class RevocationSources:
    """Where revocation answers come from.

    ``crls`` and ``ocsp_responses`` are given up front (files, a message archive); ``http``
    fetches from the URLs in certificates (OCSP first, then CRL distribution points). Without
    ``http`` nothing is fetched: the offline mode.
    """

    crls: tuple[x509.CertificateRevocationList, ...] = ()
    ocsp_responses: tuple[bytes, ...] = ()
    http: HttpClient | None = None

    @classmethod
    def offline(cls, *crls: bytes | x509.CertificateRevocationList) -> RevocationSources:
        """Only the given CRLs (DER or PEM bytes, or loaded)."""
        return cls(
            crls=tuple(
                c if isinstance(c, x509.CertificateRevocationList) else load_crl(c) for c in crls
            )
        )

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str]) -> RevocationSources:
        """CRLs read from files."""
        loaded: list[x509.CertificateRevocationList] = []
        for raw in paths:
            path = Path(raw)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot read {path}: {exc.strerror}", code="signatures.crl.io", where=str(path)
                ) from exc
            loaded.append(load_crl(data, where=str(path)))
        return cls(crls=tuple(loaded))

    @classmethod
    def online(
        cls,
        *,
        http: HttpClient | None = None,
        timeout: float = 10.0,
        crls: Iterable[x509.CertificateRevocationList] = (),
    ) -> RevocationSources:
        """Fetch OCSP and CRLs from the certificates' URLs (httpx unless ``http`` is given)."""
        return cls(crls=tuple(crls), http=http or HttpxClient(timeout=timeout))


def _evidence(
    certificate: x509.Certificate,
    source: str,
    origin: str,
    status: RevocationStatus,
    **extra: Any,
) -> RevocationEvidence:
    return RevocationEvidence(
        subject=subject_text(certificate),
        serial=format(certificate.serial_number, "x"),
        source=source,
        origin=origin,
        status=status,
        **extra,
    )


def _fresh(
    this_update: dt.datetime,
    next_update: dt.datetime | None,
    *,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
) -> str | None:
    """Why an answer cannot speak for time ``at`` (``None`` when it can)."""
    if this_update > now + policy.clock_skew:
        return f"issued in the future ({this_update.isoformat()})"
    if next_update is not None and next_update < this_update:
        return "next update before this update"
    if this_update >= at - policy.clock_skew:
        if next_update is None and now - this_update > policy.max_revocation_age:
            return f"older than {policy.max_revocation_age} and no next update"
        return None
    if next_update is not None and next_update >= at:
        return None
    return f"stale for {at.isoformat()} (this update {this_update.isoformat()})"


def _from_crl(
    crl: x509.CertificateRevocationList,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    *,
    origin: str,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
    strict: bool = True,
) -> RevocationEvidence | None:
    if crl.issuer.public_bytes() != issuer_der(certificate) and not names_match(
        crl.issuer, certificate.issuer
    ):
        return None
    unusable = RevocationStatus.UNKNOWN
    refusal = _basic_refusal(crl, certificate, issuer) if strict else ""
    if refusal:
        return _evidence(certificate, "crl", origin, unusable, detail=refusal)
    if not crl_signed_by(crl, issuer):
        return _evidence(
            certificate, "crl", origin, unusable, detail="CRL signature does not verify"
        )
    stale = _fresh(crl.last_update_utc, crl.next_update_utc, at=at, now=now, policy=policy)
    times = {"this_update": crl.last_update_utc, "next_update": crl.next_update_utc}
    if stale:
        return _evidence(certificate, "crl", origin, unusable, detail=stale, **times)
    try:
        entry = _entry_for(crl, certificate.serial_number)
    except _UnusableCrlError as exc:
        return _evidence(certificate, "crl", origin, unusable, detail=str(exc), **times)
    if entry is None:
        return _evidence(certificate, "crl", origin, RevocationStatus.GOOD, **times)
    reason: str | None = None
    with contextlib.suppress(x509.ExtensionNotFound):
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
    if entry.revocation_date_utc <= at + policy.clock_skew:
        return _evidence(
            certificate,
            "crl",
            origin,
            RevocationStatus.REVOKED,
            revoked_at=entry.revocation_date_utc,
            reason=reason,
            **times,
        )
    return _evidence(
        certificate,
        "crl",
        origin,
        RevocationStatus.GOOD,
        detail=f"revoked later, on {entry.revocation_date_utc.isoformat()}",
        revoked_at=entry.revocation_date_utc,
        reason=reason,
        **times,
    )


_HANDLED_CRL_EXTENSIONS = {
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
    ExtensionOID.CRL_NUMBER,
    ExtensionOID.ISSUER_ALTERNATIVE_NAME,
}
_HANDLED_ENTRY_EXTENSIONS = {CRLEntryExtensionOID.CRL_REASON, CRLEntryExtensionOID.INVALIDITY_DATE}


def _basic_refusal(
    crl: x509.CertificateRevocationList, certificate: x509.Certificate, issuer: x509.Certificate
) -> str:
    """Why the basic engine may not use ``crl`` for ``certificate`` ("" when it may).

    The basic engine reads only complete, direct CRLs: a scoped CRL (issuingDistributionPoint),
    a delta CRL, an unknown critical extension or a signer without cRLSign needs RFC 5280 §6.3
    (``egovkit[pkix]``), and reading it as "good" could hide a revocation.
    """
    for extension in crl.extensions:
        if extension.oid == ExtensionOID.DELTA_CRL_INDICATOR:
            return "delta CRLs need the RFC 5280 engine (egovkit[pkix])"
        if extension.oid == ExtensionOID.ISSUING_DISTRIBUTION_POINT:
            return "a CRL with a limited scope (issuingDistributionPoint) needs egovkit[pkix]"
        if extension.critical and extension.oid not in _HANDLED_CRL_EXTENSIONS:
            return f"the CRL has an unknown critical extension {extension.oid.dotted_string}"
    try:
        certificate.extensions.get_extension_for_oid(ExtensionOID.FRESHEST_CRL)
        return "the certificate points to delta CRLs (freshestCRL): needs egovkit[pkix]"
    except x509.ExtensionNotFound:
        pass
    try:
        usage = issuer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.crl_sign:
        return "the CRL issuer's key usage lacks cRLSign"
    return ""


def _entry_for(crl: x509.CertificateRevocationList, serial: int) -> x509.RevokedCertificate | None:
    """The entry for ``serial``, refusing entries with unknown critical extensions."""
    try:
        entry = crl.get_revoked_certificate_by_serial_number(serial)
    except (ValueError, OverflowError):  # a negative serial number
        entry = next((e for e in crl if e.serial_number == serial), None)
    if entry is not None:
        for extension in entry.extensions:
            if extension.critical and extension.oid not in _HANDLED_ENTRY_EXTENSIONS:
                raise _UnusableCrlError(
                    f"the CRL entry has an unknown critical extension {extension.oid.dotted_string}"
                )
    return entry


class _UnusableCrlError(Exception):
    """A CRL the basic engine must not read."""


def _cert_id(
    certificate: x509.Certificate, issuer: x509.Certificate, algorithm: hashes.HashAlgorithm
) -> tuple[bytes, bytes] | None:
    """(issuer name hash, issuer key hash) as an OCSP CertID computes them."""
    try:
        request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, algorithm).build()
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return request.issuer_name_hash, request.issuer_key_hash


def _verify_with(
    certificate: x509.Certificate,
    signature: bytes,
    data: bytes,
    algorithm: hashes.HashAlgorithm | None,
) -> bool:
    if algorithm is None:
        return False
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _responder(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, at: dt.datetime
) -> x509.Certificate | None:
    def named(candidate: x509.Certificate) -> bool:
        if response.responder_name is not None:
            return candidate.subject == response.responder_name
        key_id = x509.SubjectKeyIdentifier.from_public_key(candidate.public_key())
        return response.responder_key_hash == key_id.digest

    if named(issuer):
        return issuer
    for candidate in response.certificates:
        if not (named(candidate) and issued_by(candidate, issuer)):
            continue
        try:
            usage = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING not in usage:
            continue
        if not candidate.not_valid_before_utc <= at <= candidate.not_valid_after_utc:
            continue
        return candidate
    return None


def _from_ocsp(
    data: bytes,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    *,
    origin: str,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
) -> RevocationEvidence | None:
    unknown = RevocationStatus.UNKNOWN
    try:
        response = ocsp.load_der_ocsp_response(data)
    except ValueError as exc:
        return _evidence(
            certificate, "ocsp", origin, unknown, detail=f"unreadable OCSP response: {exc}"
        )
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return _evidence(
            certificate,
            "ocsp",
            origin,
            unknown,
            detail=f"responder said {response.response_status.name}",
        )
    single = None
    for candidate in response.responses:
        if candidate.serial_number != certificate.serial_number:
            continue
        expected = _cert_id(certificate, issuer, candidate.hash_algorithm)
        if expected == (candidate.issuer_name_hash, candidate.issuer_key_hash):
            single = candidate
            break
    if single is None:
        return None
    responder = _responder(response, issuer, now)
    if responder is None or not _verify_with(
        responder,
        response.signature,
        response.tbs_response_bytes,
        response.signature_hash_algorithm,
    ):
        return _evidence(
            certificate,
            "ocsp",
            origin,
            unknown,
            detail="OCSP response not signed by the issuer or its delegate",
        )
    times = {"this_update": single.this_update_utc, "next_update": single.next_update_utc}
    stale = _fresh(single.this_update_utc, single.next_update_utc, at=at, now=now, policy=policy)
    if stale:
        return _evidence(certificate, "ocsp", origin, unknown, detail=stale, **times)
    status = single.certificate_status
    if status is ocsp.OCSPCertStatus.GOOD:
        return _evidence(certificate, "ocsp", origin, RevocationStatus.GOOD, **times)
    if status is ocsp.OCSPCertStatus.REVOKED:
        revoked_at = single.revocation_time_utc
        reason = single.revocation_reason.name if single.revocation_reason else None
        if revoked_at is not None and revoked_at > at + policy.clock_skew:
            return _evidence(
                certificate,
                "ocsp",
                origin,
                RevocationStatus.GOOD,
                detail=f"revoked later, on {revoked_at.isoformat()}",
                revoked_at=revoked_at,
                reason=reason,
                **times,
            )
        return _evidence(
            certificate,
            "ocsp",
            origin,
            RevocationStatus.REVOKED,
            revoked_at=revoked_at,
            reason=reason,
            **times,
        )
    return _evidence(
        certificate,
        "ocsp",
        origin,
        unknown,
        detail="responder does not know the certificate",
        **times,
    )


def _urls(certificate: x509.Certificate) -> tuple[list[str], list[str]]:
    ocsp_urls: list[str] = []
    crl_urls: list[str] = []
    try:
        aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        ocsp_urls = [
            d.access_location.value
            for d in aia
            if d.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        crl_urls = [
            name.value
            for point in points
            for name in (point.full_name or ())
            if isinstance(name, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    return ocsp_urls[:_MAX_URLS], crl_urls[:_MAX_URLS]


def _final(answers: Sequence[RevocationEvidence]) -> RevocationEvidence | None:
    """The answer that counts: any REVOKED beats any GOOD, whatever the order of the sources."""
    for wanted in (RevocationStatus.REVOKED, RevocationStatus.GOOD):
        for answer in answers:
            if answer.status is wanted:
                return answer
    return answers[-1] if answers else None


def status_of(
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    sources: RevocationSources,
    *,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
    collected: list[tuple[str, object]] | None = None,
    strict: bool = True,
) -> list[RevocationEvidence]:
    """Every answer consulted for one certificate.

    Every supplied CRL and OCSP answer is read (the order they come in does not matter: a
    REVOKED answer wins); with ``http`` the network is asked too unless one of them already
    says REVOKED, OCSP first, then the CRL distribution points. ``collected`` receives what
    was fetched (``("crl", crl)`` or ``("ocsp", bytes)``) for an engine that re-reads it;
    ``strict=False`` reads scoped and delta CRLs as plain ones, for evidence an RFC 5280
    engine decides on.
    """
    seen: list[RevocationEvidence] = []

    def conclusive(evidence: RevocationEvidence | None) -> bool:
        if evidence is None:
            return False
        seen.append(evidence)
        return evidence.status is not RevocationStatus.UNKNOWN

    for crl in sources.crls:
        conclusive(
            _from_crl(
                crl,
                certificate,
                issuer,
                origin="supplied CRL",
                at=at,
                now=now,
                policy=policy,
                strict=strict,
            )
        )
    for data in sources.ocsp_responses:
        conclusive(
            _from_ocsp(
                data,
                certificate,
                issuer,
                origin="supplied OCSP response",
                at=at,
                now=now,
                policy=policy,
            )
        )
    # Online, the network is asked even when a supplied answer says GOOD: a supplied answer
    # may be an old CRL that is still "fresh" (a document can carry one), and a revocation
    # found anywhere wins. Only a supplied REVOKED makes asking pointless.
    if sources.http is None or any(e.status is RevocationStatus.REVOKED for e in seen):
        return seen
    ocsp_urls, crl_urls = _urls(certificate)
    for url in ocsp_urls:
        request = (
            ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA1()).build()  # noqa: S303 - the CertID hash RFC 6960 responders expect
        )
        try:
            body = sources.http.post(
                url, request.public_bytes(serialization.Encoding.DER), "application/ocsp-request"
            )
        except RemoteError as exc:
            seen.append(
                _evidence(certificate, "ocsp", url, RevocationStatus.UNKNOWN, detail=exc.message)
            )
            continue
        if collected is not None and readable_ocsp(body):
            collected.append(("ocsp", body))
        if conclusive(
            _from_ocsp(body, certificate, issuer, origin=url, at=at, now=now, policy=policy)
        ):
            return seen
    for url in crl_urls:
        try:
            crl = load_crl(sources.http.get(url), where=url)
        except (RemoteError, ConfigurationError) as exc:
            seen.append(
                _evidence(certificate, "crl", url, RevocationStatus.UNKNOWN, detail=exc.message)
            )
            continue
        if collected is not None:
            collected.append(("crl", crl))
        if conclusive(
            _from_crl(
                crl, certificate, issuer, origin=url, at=at, now=now, policy=policy, strict=strict
            )
        ):
            return seen
    return seen


def readable_ocsp(data: bytes) -> bool:
    try:
        ocsp.load_der_ocsp_response(data)
    except ValueError:
        return False
    return True


def supplied_evidence(
    path: Sequence[x509.Certificate],
    sources: RevocationSources,
    *,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
) -> list[RevocationEvidence]:
    """What the supplied CRLs and OCSP answers say of each certificate below the anchor, for
    the report (an RFC 5280 engine makes the decision)."""
    offline = RevocationSources(crls=sources.crls, ocsp_responses=sources.ocsp_responses)
    return _walk(path, offline, at=at, now=now, policy=policy, collected=None)


def _walk(
    path: Sequence[x509.Certificate],
    sources: RevocationSources,
    *,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
    collected: list[tuple[str, object]] | None,
) -> list[RevocationEvidence]:
    evidence: list[RevocationEvidence] = []
    for depth in range(len(path) - 1):
        evidence += status_of(
            path[depth],
            path[depth + 1],
            sources,
            at=at,
            now=now,
            policy=policy,
            collected=collected,
            strict=False,
        )
    return evidence


def fetch_for_path(
    path: Sequence[x509.Certificate],
    sources: RevocationSources,
    *,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
) -> tuple[list[x509.CertificateRevocationList], list[bytes], list[RevocationEvidence]]:
    """Fetch revocation answers for every certificate of ``path`` below its anchor.

    For the RFC 5280 engine, which runs offline on what it is given: the CRLs and OCSP answers
    fetched, and the evidence of each attempt (failures included).
    """
    collected: list[tuple[str, object]] = []
    online = RevocationSources(http=sources.http)
    evidence = _walk(path, online, at=at, now=now, policy=policy, collected=collected)
    crls = [
        c
        for kind, c in collected
        if kind == "crl" and isinstance(c, x509.CertificateRevocationList)
    ]
    answers = [c for kind, c in collected if kind == "ocsp" and isinstance(c, bytes)]
    return crls, answers, evidence


def check_revocation(
    chain: Sequence[x509.Certificate],
    sources: RevocationSources,
    *,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
) -> tuple[list[RevocationEvidence], list[Problem]]:
    """Revocation status of every certificate below the anchor, with the problems found."""
    evidence: list[RevocationEvidence] = []
    problems: list[Problem] = []
    for depth in range(len(chain) - 1):
        certificate, issuer = chain[depth], chain[depth + 1]
        answers = status_of(certificate, issuer, sources, at=at, now=now, policy=policy)
        evidence += answers
        label = subject_text(certificate)
        final = _final(answers)
        if final is not None and final.status is RevocationStatus.REVOKED:
            when = final.revoked_at.isoformat() if final.revoked_at else "an unknown time"
            problems.append(
                Problem(
                    indication=Indication.TOTAL_FAILED,
                    sub_indication=SubIndication.REVOKED,
                    finding=Finding(
                        code="signatures.certificate.revoked",
                        where=f"chain[{depth}]",
                        message=f"{label} was revoked (thu hồi) on {when}"
                        + (f", reason {final.reason}" if final.reason else ""),
                    ),
                )
            )
        elif final is None or final.status is RevocationStatus.UNKNOWN:
            why = "; ".join(f"{a.origin}: {a.detail}" for a in answers) or "no CRL or OCSP source"
            problems.append(
                Problem(
                    indication=Indication.INDETERMINATE,
                    sub_indication=SubIndication.TRY_LATER,
                    finding=Finding(
                        code="signatures.revocation.unknown",
                        where=f"chain[{depth}]",
                        message=f"revocation status of {label} is unknown ({why})",
                    ),
                )
            )
    return evidence, problems
