"""The RFC 5280 engine: one candidate path checked by pyhanko-certvalidator (``egovkit[pkix]``).

egovkit builds the candidate paths itself (with a work budget, see
:mod:`egovkit.signatures.pathvalidation`) and hands each one, with every CRL and OCSP answer it
has, to pyhanko-certvalidator's ``async_validate_path``: §6.1 (names, validity, basic
constraints, key usage, name constraints, the policy tree) and §6.3 (CRL scope, reasons, delta
and indirect CRLs, CRL signer paths). Nothing is fetched here: the validator runs offline on what
egovkit gathered. This module is imported only when a path is validated, never by
``import egovkit.signatures``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from cryptography import x509

from egovkit.signatures._certs import certificate_der, crl_der, subject_text
from egovkit.signatures.policy import ValidationPolicy
from egovkit.signatures.report import (
    Indication,
    RevocationEvidence,
    RevocationStatus,
    SubIndication,
)
from egovkit.signatures.revocation import readable_ocsp
from egovkit.signatures.trust import Problem, problem

if TYPE_CHECKING:
    from egovkit.signatures.pathvalidation import PkixParameters

ENGINE_NAME = "pyhanko-certvalidator"
_ANY_POLICY = "2.5.29.32.0"


def available() -> bool:
    """True when pyhanko-certvalidator can be imported (the ``pkix`` extra is installed)."""
    try:
        import pyhanko_certvalidator  # noqa: F401
    except ImportError:
        return False
    return True


def engine_version() -> str:
    """``pyhanko-certvalidator <version>``."""
    from pyhanko_certvalidator.version import __version__

    return f"{ENGINE_NAME} {__version__}"


@functools.lru_cache(maxsize=2048)
def _asn1_certificate(der: bytes) -> Any:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]

    return asn1_x509.Certificate.load(der)


_CRLS: dict[bytes, Any] = {}


def _asn1_crl(der: bytes) -> Any:
    from asn1crypto import crl as asn1_crl

    loaded = _CRLS.get(der)
    if loaded is None:
        if len(_CRLS) > 256:
            _CRLS.clear()
        loaded = _CRLS[der] = asn1_crl.CertificateList.load(der)
    return loaded


def _policy_id(oid: str) -> str:
    return "any_policy" if oid == _ANY_POLICY else oid


def check_path(
    path: Sequence[x509.Certificate],
    *,
    anchors: Sequence[x509.Certificate],
    pool: Sequence[x509.Certificate],
    crls: Sequence[x509.CertificateRevocationList],
    ocsp_responses: Sequence[bytes],
    at: dt.datetime,
    policy: ValidationPolicy,
    pkix: PkixParameters,
) -> tuple[list[Problem], list[RevocationEvidence]]:
    """Validate ``path`` (leaf first, anchor last) as of ``at``; the problems and evidence."""
    from pyhanko_certvalidator import errors as pkix_errors
    from pyhanko_certvalidator.authority import CertTrustAnchor
    from pyhanko_certvalidator.context import ValidationContext
    from pyhanko_certvalidator.path import ValidationPath
    from pyhanko_certvalidator.policy_decl import (
        DisallowWeakAlgorithmsPolicy,
        PKIXValidationParams,
    )
    from pyhanko_certvalidator.validate import async_validate_path

    leaf, *middle, anchor = (_asn1_certificate(certificate_der(c)) for c in path)
    context = ValidationContext(
        trust_roots=[_asn1_certificate(certificate_der(c)) for c in anchors],
        other_certs=[_asn1_certificate(certificate_der(c)) for c in pool],
        crls=[_asn1_crl(crl_der(c)) for c in crls],
        ocsps=[d for d in ocsp_responses if readable_ocsp(d)],
        moment=at,
        # Answers issued after the validation time still speak for it (the signing time is in
        # the past; the CRL of today says whether the certificate had been revoked by then).
        retroactive_revinfo=True,
        revocation_mode="require" if policy.check_revocation else "soft-fail",
        time_tolerance=policy.clock_skew,
        # egovkit's own policy judges digests and key sizes (with its own sub-indications);
        # the engine refuses only what no policy may accept.
        algorithm_usage_policy=DisallowWeakAlgorithmsPolicy(  # type: ignore[no-untyped-call]
            weak_hash_algos={"md2", "md5"}, rsa_key_size_threshold=1024, dsa_key_size_threshold=1024
        ),
    )
    # the engine wants the intermediates from the anchor down
    candidate = ValidationPath(trust_anchor=CertTrustAnchor(anchor), interm=middle[::-1], leaf=leaf)
    parameters = PKIXValidationParams(
        user_initial_policy_set=frozenset(_policy_id(p) for p in pkix.user_initial_policy_set),
        initial_explicit_policy=pkix.initial_explicit_policy,
        initial_policy_mapping_inhibit=pkix.initial_policy_mapping_inhibit,
        initial_any_policy_inhibit=pkix.initial_any_policy_inhibit,
    )
    below_anchor = path[:-1]
    try:
        _run(async_validate_path(context, candidate, parameters=parameters))
    except pkix_errors.RevokedError as exc:
        depth = _depth_of(exc, len(below_anchor))
        revoked = below_anchor[depth]
        when = exc.revocation_dt
        reason = str(getattr(exc.reason, "human_friendly", exc.reason))
        evidence = RevocationEvidence(
            subject=subject_text(revoked),
            serial=format(revoked.serial_number, "x"),
            source="crl/ocsp",
            origin=ENGINE_NAME,
            status=RevocationStatus.REVOKED,
            revoked_at=when,
            reason=reason,
            detail=str(exc),
        )
        return [
            problem(
                Indication.TOTAL_FAILED,
                SubIndication.REVOKED,
                "certificate.revoked",
                f"chain[{depth}]",
                f"{subject_text(revoked)} was revoked (thu hồi) on {when.isoformat()}, "
                f"reason {reason}",
            )
        ], [evidence]
    except pkix_errors.InsufficientRevinfoError as exc:
        return [
            problem(
                Indication.INDETERMINATE,
                SubIndication.TRY_LATER,
                "revocation.unknown",
                "chain",
                f"revocation status unknown: {exc}",
            )
        ], _evidence(below_anchor, RevocationStatus.UNKNOWN, str(exc))
    except pkix_errors.ExpiredError as exc:
        return [
            problem(
                Indication.TOTAL_FAILED,
                SubIndication.EXPIRED,
                "certificate.expired",
                "chain",
                f"{exc} (hết hạn)",
            )
        ], []
    except pkix_errors.NotYetValidError as exc:
        return [
            problem(
                Indication.TOTAL_FAILED,
                SubIndication.NOT_YET_VALID,
                "certificate.not_yet_valid",
                "chain",
                f"{exc} (chưa có hiệu lực)",
            )
        ], []
    except pkix_errors.DisallowedAlgorithmError as exc:
        return [
            problem(
                policy.weak_indication,
                policy.weak_sub_indication,
                "weak.path_algorithm",
                "chain",
                str(exc),
            )
        ], []
    except (pkix_errors.PathValidationError, pkix_errors.InvalidCertificateError) as exc:
        return [
            problem(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "chain.rfc5280",
                "chain",
                str(exc),
            )
        ], []
    except pkix_errors.PathError as exc:
        return [
            problem(
                Indication.INDETERMINATE,
                SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
                "chain.not_found",
                "chain",
                str(exc),
            )
        ], []
    status = RevocationStatus.GOOD if policy.check_revocation else RevocationStatus.UNKNOWN
    detail = "" if policy.check_revocation else "revocation not required by the policy"
    return [], _evidence(below_anchor, status, detail)


def _run(coroutine: Coroutine[Any, Any, object]) -> object:
    """Run the engine's coroutine to the end, also when the caller is itself inside an event
    loop (an async web handler calling ``verify``): then in a worker thread with its own loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


def _depth_of(exc: Any, count: int) -> int:
    """Which certificate of the path a RevokedError speaks of (0: the leaf)."""
    if getattr(exc, "is_ee_cert", False):
        return 0
    state = getattr(exc, "proc_state", None)
    index = getattr(state, "index", None)
    if isinstance(index, int) and 0 < index <= count:
        return count - index  # the engine counts from the anchor's child (1) to the leaf
    return 0


def _evidence(
    certificates: Sequence[x509.Certificate], status: RevocationStatus, detail: str
) -> list[RevocationEvidence]:
    return [
        RevocationEvidence(
            subject=subject_text(c),
            serial=format(c.serial_number, "x"),
            source="crl/ocsp",
            origin=ENGINE_NAME,
            status=status,
            detail=detail,
        )
        for c in certificates
    ]
