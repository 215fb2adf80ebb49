"""The basic path engine: what egovkit checks without the ``egovkit[pkix]`` extra.

Validity, basic constraints and path length (self-issued certificates not counted), key usage,
unknown critical extensions, and complete direct CRLs or OCSP answers (a REVOKED answer wins,
whatever the order). Whatever needs the full RFC 5280 algorithm — certificate policies and
policy constraints, policy mappings, name constraints, scoped, indirect or delta CRLs, PKIX
inputs other than the defaults — is refused as INDETERMINATE with a finding naming the extra,
so the basic engine may refuse a good path but never accepts one the full engine refuses for
those reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from egovkit.findings import Finding
from egovkit.signatures._certs import signature_state, subject_text
from egovkit.signatures._names import names_match
from egovkit.signatures.policy import ValidationPolicy
from egovkit.signatures.report import Indication, RevocationEvidence, SubIndication
from egovkit.signatures.revocation import RevocationSources, check_revocation
from egovkit.signatures.trust import Problem, check_chain

if TYPE_CHECKING:
    from egovkit.signatures.pathvalidation import PkixParameters

#: Extensions whose meaning needs the RFC 5280 policy or name-constraint machinery.
_NEEDS_PKIX = {
    ExtensionOID.NAME_CONSTRAINTS: "name constraints",
    ExtensionOID.POLICY_CONSTRAINTS: "policy constraints",
    ExtensionOID.POLICY_MAPPINGS: "policy mappings",
    ExtensionOID.INHIBIT_ANY_POLICY: "inhibitAnyPolicy",
}


def _needs_pkix(where: str, message: str) -> Problem:
    return Problem(
        indication=Indication.INDETERMINATE,
        sub_indication=SubIndication.CHAIN_CONSTRAINTS_FAILURE,
        finding=Finding(
            code="signatures.path.needs_pkix",
            where=where,
            message=f"{message}: the basic engine cannot check it; install egovkit[pkix]",
        ),
    )


def check_path(
    path: Sequence[x509.Certificate],
    *,
    sources: RevocationSources,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
    pkix: PkixParameters,
) -> tuple[list[Problem], list[RevocationEvidence]]:
    """The problems and revocation evidence of ``path`` (leaf first, anchor last)."""
    problems = check_chain(path, at=at, policy=policy)
    if not pkix.is_default:
        problems.append(_needs_pkix("chain", "PKIX inputs other than the defaults were asked"))
    for depth, certificate in enumerate(path[:-1]):
        issuer = path[depth + 1]
        if not (
            names_match(certificate.issuer, issuer.subject)
            and signature_state(certificate, issuer) is True
        ):
            problems.append(
                _needs_pkix(
                    f"chain[{depth}]",
                    f"the signature on {subject_text(certificate)} by "
                    f"{subject_text(issuer)} does not verify here",
                )
            )
        for extension in certificate.extensions:
            what = _NEEDS_PKIX.get(extension.oid)
            if what is not None:
                problems.append(
                    _needs_pkix(f"chain[{depth}]", f"{subject_text(certificate)} has {what}")
                )
    evidence: list[RevocationEvidence] = []
    if policy.check_revocation:
        evidence, revocation_problems = check_revocation(
            path, sources, at=at, now=now, policy=policy
        )
        problems += revocation_problems
    return problems, evidence
