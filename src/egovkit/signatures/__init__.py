"""Digital signatures (chữ ký số) on edXML envelopes: sign, verify, explain.

High level — what applications call:

- :func:`sign_envelope` adds an enveloped XML-DSig signature (RSA-SHA256 by default) to an
  edXML envelope, as the last child of ``edXML:edXMLHeader``.
- :func:`verify` checks every signature, its chain to a trust store
  (:class:`~egovkit.signatures.trust.TrustStore`), revocation and the algorithm policy, and
  returns a :class:`~egovkit.signatures.report.ValidationReport`; act only on the report's
  ``signed_content`` when it passed.

Lower level (clearly below the line, for other document types): :mod:`egovkit.signatures.xmldsig`
(one signature, any :class:`~egovkit.signatures.profile.SignatureProfile`),
:mod:`~egovkit.signatures.validation`, :mod:`~egovkit.signatures.trust` and
:mod:`~egovkit.signatures.revocation`; :func:`validate_path`
(:mod:`~egovkit.signatures.pathvalidation`) validates one certificate path to RFC 5280.
"""

from __future__ import annotations

import datetime as dt

from egovkit.signatures.algorithms import DigestAlgorithm, SignatureScheme
from egovkit.signatures.identity import SignerIdentity, SignerKind
from egovkit.signatures.pathvalidation import (
    PathReport,
    PkixParameters,
    WorkBudget,
    validate_path,
)
from egovkit.signatures.policy import DEFAULT_POLICY, LEGACY_POLICY, ValidationPolicy
from egovkit.signatures.profile import SignatureProfile
from egovkit.signatures.report import (
    Indication,
    RevocationStatus,
    SignatureReport,
    SubIndication,
    ValidationReport,
)
from egovkit.signatures.revocation import HttpClient, HttpxClient, RevocationSources
from egovkit.signatures.signer import KeyFileSigner, Signer
from egovkit.signatures.trust import TrustStore


def _edxml_profile() -> SignatureProfile:
    """The edXML profile, imported late: it lives with the edXML wire format, which imports
    this package's profile type."""
    from egovkit.edxml.signing import EDXML_PROFILE

    return EDXML_PROFILE


def sign_envelope(
    data: bytes,
    signer: Signer,
    *,
    digest: DigestAlgorithm = DigestAlgorithm.SHA256,
    profile: SignatureProfile | None = None,
) -> bytes:
    """Sign an edXML envelope (bytes in, signed UTF-8 bytes out).

    ``profile`` defaults to :data:`~egovkit.edxml.signing.EDXML_PROFILE`.

    A second call adds a second signature after the first (personal first, then the agency;
    see :mod:`egovkit.signatures.validation`). Raises
    :class:`~egovkit.errors.SignatureError` when the envelope has no header to hold it and
    :class:`~egovkit.errors.PolicyError` for a weak digest.
    """
    from egovkit.signatures.xmldsig import sign_document

    return sign_document(data, signer, profile=profile or _edxml_profile(), digest=digest)


def verify(
    data: bytes,
    *,
    trust: TrustStore,
    at: dt.datetime | None = None,
    policy: ValidationPolicy | None = None,
    revocation: RevocationSources | None = None,
    profile: SignatureProfile | None = None,
    pkix: PkixParameters | None = None,
    budget: WorkBudget | None = None,
) -> ValidationReport:
    """Validate the signatures of an edXML envelope; never raises for bad input.

    ``profile`` defaults to :data:`~egovkit.edxml.signing.EDXML_PROFILE`.

    ``at`` (time-zone aware) is the validation time, taken as the signing time (default: now).
    ``revocation`` says where CRL/OCSP answers come from; without one, and with the default
    policy's revocation check, the best possible answer is INDETERMINATE / TRY_LATER.
    Each signer's path is checked by :func:`validate_path` (``pkix``: the RFC 5280 user inputs;
    ``budget``: the chain-building work budget, which also caps the KeyInfo certificates).
    """
    from egovkit.signatures.validation import verify_document

    return verify_document(
        data,
        profile=profile or _edxml_profile(),
        trust=trust,
        at=at,
        policy=policy,
        revocation=revocation,
        pkix=pkix,
        budget=budget,
    )


__all__ = [
    "DEFAULT_POLICY",
    "LEGACY_POLICY",
    "DigestAlgorithm",
    "HttpClient",
    "HttpxClient",
    "Indication",
    "KeyFileSigner",
    "PathReport",
    "PkixParameters",
    "RevocationSources",
    "RevocationStatus",
    "SignatureProfile",
    "SignatureReport",
    "SignatureScheme",
    "Signer",
    "SignerIdentity",
    "SignerKind",
    "SubIndication",
    "TrustStore",
    "ValidationPolicy",
    "ValidationReport",
    "WorkBudget",
    "sign_envelope",
    "validate_path",
    "verify",
]
