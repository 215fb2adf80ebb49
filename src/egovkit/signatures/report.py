"""The validation report, after ETSI EN 319 102-1 and the EU DSS.

A report has an indication (TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE), a sub-indication saying
why, one entry per signature (signer, chain, algorithms, revocation evidence, findings) and the
bytes that were actually signed. Only those bytes are safe to act on.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import json
from typing import Any

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from lxml import etree

from egovkit.errors import SignatureError
from egovkit.findings import Finding
from egovkit.signatures._certs import issuer_text, subject_text
from egovkit.signatures.identity import SignerIdentity


class Indication(enum.Enum):
    """The overall answer (ETSI EN 319 102-1, 5.1.3)."""

    TOTAL_PASSED = "TOTAL_PASSED"
    TOTAL_FAILED = "TOTAL_FAILED"
    INDETERMINATE = "INDETERMINATE"

    @property
    def rank(self) -> int:
        """Order of badness, for combining: passed < indeterminate < failed."""
        return {"TOTAL_PASSED": 0, "INDETERMINATE": 1, "TOTAL_FAILED": 2}[self.value]


class SubIndication(enum.Enum):
    """Why a signature did not pass (ETSI names; ``VERIFIER_ERROR`` is egovkit's own)."""

    FORMAT_FAILURE = "FORMAT_FAILURE"
    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    CERTIFICATE_CHAIN_GENERAL_FAILURE = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    TRY_LATER = "TRY_LATER"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
    VERIFIER_ERROR = "VERIFIER_ERROR"

    @property
    def description(self) -> str:
        """What the sub-indication means, in one line."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    SubIndication.FORMAT_FAILURE: "the signature is not shaped as the profile requires",
    SubIndication.HASH_FAILURE: "the signed content was changed (digest mismatch)",
    SubIndication.SIG_CRYPTO_FAILURE: "the signature value does not verify with the certificate",
    SubIndication.REVOKED: "a certificate was revoked (thu hồi) at the validation time",
    SubIndication.EXPIRED: "a certificate had expired (hết hạn) at the validation time",
    SubIndication.NOT_YET_VALID: "a certificate was not yet valid at the validation time",
    SubIndication.SIG_CONSTRAINTS_FAILURE: "the signature breaks a constraint of the policy",
    SubIndication.CHAIN_CONSTRAINTS_FAILURE: "a certificate breaks a chain constraint",
    SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE: "the chain could not be checked",
    SubIndication.CRYPTO_CONSTRAINTS_FAILURE: "an algorithm or key size is too weak",
    SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: (
        "an algorithm or key size is too weak today and nothing proves the signature is older"
    ),
    SubIndication.NO_SIGNING_CERTIFICATE_FOUND: "the signing certificate cannot be identified",
    SubIndication.NO_CERTIFICATE_CHAIN_FOUND: "no chain to a trusted certificate",
    SubIndication.TRY_LATER: "revocation status unknown (no CRL/OCSP answer); try again later",
    SubIndication.SIGNED_DATA_NOT_FOUND: "the signed data could not be found",
    SubIndication.VERIFIER_ERROR: "the verifier failed; the signature was not checked",
}


def key_text(key: object) -> str:
    """A key as the report names it: ``RSA-2048``, ``EC-secp256r1``."""
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC-{key.curve.name}"
    return type(key).__name__


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@attrs.frozen(kw_only=True)
class CertificateInfo:
    """One certificate as the report shows it (``source``: message, store or anchor)."""

    subject: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    key: str
    sha256: str
    source: str = "message"

    @classmethod
    def from_certificate(cls, certificate: x509.Certificate, *, source: str) -> CertificateInfo:
        """Summarise ``certificate``."""
        return _certificate_info(certificate, source)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": _time(self.not_before),
            "not_after": _time(self.not_after),
            "key": self.key,
            "sha256": self.sha256,
            "source": self.source,
        }


@functools.lru_cache(maxsize=1024)
def _certificate_info(certificate: x509.Certificate, source: str) -> CertificateInfo:
    return CertificateInfo(
        subject=subject_text(certificate),
        issuer=issuer_text(certificate),
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        key=key_text(certificate.public_key()),
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        source=source,
    )


@attrs.frozen(kw_only=True)
class AlgorithmInfo:
    """The algorithms a signature names (URIs as written in SignedInfo)."""

    signature_method: str
    digest_methods: tuple[str, ...]
    canonicalization: str
    transforms: tuple[tuple[str, ...], ...] = ()
    key: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "signature_method": self.signature_method,
            "digest_methods": list(self.digest_methods),
            "canonicalization": self.canonicalization,
            "transforms": [list(t) for t in self.transforms],
            "key": self.key,
        }


class RevocationStatus(enum.Enum):
    """What a CRL or OCSP answer said about one certificate."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class RevocationEvidence:
    """One revocation answer used (or refused) for one certificate."""

    subject: str
    serial: str
    source: str
    origin: str
    status: RevocationStatus
    this_update: dt.datetime | None = None
    next_update: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    reason: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "subject": self.subject,
            "serial": self.serial,
            "source": self.source,
            "origin": self.origin,
            "status": self.status.value,
            "this_update": _time(self.this_update),
            "next_update": _time(self.next_update),
            "revoked_at": _time(self.revoked_at),
            "reason": self.reason,
            "detail": self.detail,
        }


def _finding_dicts(findings: tuple[Finding, ...]) -> list[dict[str, str]]:
    return [f.to_dict() for f in findings]


def _content_summary(content: bytes | None) -> dict[str, object] | None:
    if content is None:
        return None
    return {"length": len(content), "sha256": hashlib.sha256(content).hexdigest()}


@attrs.frozen(kw_only=True)
class SignatureReport:
    """The result for one signature of the document (``index`` counts from 1 in document order).

    ``signed_content`` holds the canonical bytes this signature covers (``None`` when it did
    not verify); ``covers`` says in words what they are.
    """

    index: int
    where: str
    indication: Indication
    sub_indication: SubIndication | None = None
    signer: SignerIdentity | None = None
    certificate: CertificateInfo | None = None
    chain: tuple[CertificateInfo, ...] = ()
    algorithms: AlgorithmInfo | None = None
    revocation: tuple[RevocationEvidence, ...] = ()
    findings: tuple[Finding, ...] = ()
    covers: str = ""
    signed_content: bytes | None = attrs.field(default=None, repr=False)

    @property
    def passed(self) -> bool:
        """True only for TOTAL_PASSED."""
        return self.indication is Indication.TOTAL_PASSED

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (the signed bytes as length and SHA-256)."""
        return {
            "index": self.index,
            "where": self.where,
            "indication": self.indication.value,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
            "signer": self.signer.to_dict() if self.signer else None,
            "signer_kind": self.signer.kind.value if self.signer else None,
            "certificate": self.certificate.to_dict() if self.certificate else None,
            "chain": [c.to_dict() for c in self.chain],
            "algorithms": self.algorithms.to_dict() if self.algorithms else None,
            "revocation": [r.to_dict() for r in self.revocation],
            "findings": _finding_dicts(self.findings),
            "covers": self.covers,
            "signed_content": _content_summary(self.signed_content),
        }


@attrs.frozen(kw_only=True)
class ValidationReport:
    """The answer of :func:`egovkit.signatures.verify`.

    Act on the document only when :attr:`passed`, and then read ``signed_content`` (or
    :meth:`signed_tree`), never the bytes you received: that is what makes wrapping attacks
    pointless.
    """

    indication: Indication
    sub_indication: SubIndication | None = None
    validation_time: dt.datetime
    policy: str
    profile: str
    signatures: tuple[SignatureReport, ...] = ()
    findings: tuple[Finding, ...] = ()
    signed_content: bytes | None = attrs.field(default=None, repr=False)

    @property
    def passed(self) -> bool:
        """True only for TOTAL_PASSED."""
        return self.indication is Indication.TOTAL_PASSED

    def signed_tree(self) -> etree._ElementTree:
        """The signed content parsed (safely) again; refused unless the report passed."""
        from egovkit.signatures._xml import parse_untrusted

        if not self.passed or self.signed_content is None:
            raise SignatureError(
                f"the signature did not pass ({self.indication.value}); nothing signed to read",
                code="signatures.report.not_passed",
            )
        return parse_untrusted(self.signed_content)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view with ``indication``, ``sub_indication`` and ``signatures``."""
        return {
            "indication": self.indication.value,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
            "validation_time": _time(self.validation_time),
            "policy": self.policy,
            "profile": self.profile,
            "signatures": [s.to_dict() for s in self.signatures],
            "findings": _finding_dicts(self.findings),
            "signed_content": _content_summary(self.signed_content),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON (Vietnamese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self) -> str:
        """The report for people."""
        head = self.indication.value
        if self.sub_indication:
            head += f" / {self.sub_indication.value} ({self.sub_indication.description})"
        lines = [
            head,
            f"  validation time {self.validation_time.isoformat()}, policy {self.policy}, "
            f"profile {self.profile}",
        ]
        lines += [f"  - {f}" for f in self.findings]
        for s in self.signatures:
            state = s.indication.value + (
                f" / {s.sub_indication.value}" if s.sub_indication else ""
            )
            lines.append(f"  signature {s.index} at {s.where}: {state}")
            if s.signer is not None:
                lines.append(f"    signer: {s.signer} [{s.signer.kind.value}]")
            if s.algorithms is not None:
                a = s.algorithms
                lines.append(
                    f"    algorithms: {a.signature_method}; digest {', '.join(a.digest_methods)}; "
                    f"key {a.key or '?'}"
                )
            for c in s.chain:
                lines.append(f"    chain: {c.subject} (until {c.not_after.date()}, {c.source})")
            for r in s.revocation:
                lines.append(
                    f"    revocation: {r.source} {r.status.value} for {r.subject} ({r.origin})"
                )
            if s.covers:
                lines.append(f"    covers: {s.covers}")
            lines += [f"    - {f}" for f in s.findings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()
