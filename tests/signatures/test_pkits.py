"""NIST PKITS through :func:`egovkit.signatures.validate_path`.

Source: NIST's Public Key Interoperability Test Suite, with each case's expected result as
published in pyhanko-certvalidator's test fixtures (``pkits/README.md`` says where from). Every
case runs at 2022-05-01 with the root's CRL, the case's certificates, CRLs and PKIX inputs.

The one known disagreement: 4.1.5 (valid DSA parameter inheritance) — its intermediate has a DSA
key whose parameters are inherited from its issuer, which ``cryptography`` cannot load at all, so
egovkit refuses the case before validation (a valid path refused, never an invalid one accepted).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.signatures import (
    DigestAlgorithm,
    PkixParameters,
    RevocationSources,
    TrustStore,
    ValidationPolicy,
    WorkBudget,
    validate_path,
)
from egovkit.signatures.pathvalidation import ANY_POLICY, PathReport, clear_cache

pytest.importorskip("pyhanko_certvalidator")

PKITS = Path(__file__).parent / "pkits"
AT = dt.datetime(2022, 5, 1, tzinfo=dt.UTC)
CASES: list[dict[str, Any]] = json.loads((PKITS / "pkits.json").read_text(encoding="utf-8"))
#: Cases egovkit does not agree with, and why (see the module docstring).
KNOWN_DISAGREEMENTS = {"valid_dsa_parameter_inheritance_test5"}


@functools.cache
def _cert(name: str) -> x509.Certificate:
    with warnings.catch_warnings():  # PKITS has certificates with negative serial numbers
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_der_x509_certificate((PKITS / "certs" / name).read_bytes())


@functools.cache
def _crl(name: str) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl((PKITS / "crls" / name).read_bytes())


def _inputs(case: dict[str, Any]) -> dict[str, Any]:
    params = case.get("params", {})
    return {
        "certificate": _cert(case["cert"]),
        "trust": TrustStore(anchors=(_cert("TrustAnchorRootCertificate.crt"),)),
        "intermediates": [_cert(n) for n in case.get("other_certs", [])],
        "crls": [_crl("TrustAnchorRootCRL.crl"), *(_crl(n) for n in case.get("crls", []))],
        "pkix": PkixParameters(
            user_initial_policy_set=frozenset(params.get("user_initial_policy_set", [ANY_POLICY])),
            initial_explicit_policy=params.get("initial_explicit_policy", False),
            initial_policy_mapping_inhibit=params.get("initial_policy_mapping_inhibit", False),
            initial_any_policy_inhibit=params.get("initial_any_policy_inhibit", False),
        ),
        # PKITS judges paths, not algorithm strength: its DSA certificates use SHA-1.
        "policy": ValidationPolicy(
            name="pkits",
            weak_digests=frozenset({DigestAlgorithm.MD5}),
            check_revocation=case.get("revocation", True),
        ),
    }


def _run(
    inputs: dict[str, Any],
    *,
    intermediates: list[x509.Certificate] | None = None,
    crls: list[x509.CertificateRevocationList] | None = None,
    engine: str = "auto",
) -> PathReport:
    return validate_path(
        inputs["certificate"],
        trust=inputs["trust"],
        intermediates=inputs["intermediates"] if intermediates is None else intermediates,
        revocation=RevocationSources(crls=tuple(inputs["crls"] if crls is None else crls)),
        at=AT,
        pkix=inputs["pkix"],
        policy=inputs["policy"],
        budget=WorkBudget(max_offered=16),
        engine=engine,
    )


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['id']}-{case['name']}"


def _loadable(case: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return _inputs(case)
    except ValueError:  # cryptography cannot read the certificate: refused, never accepted
        return None


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_pkits_case(case: dict[str, Any]) -> None:
    expected_valid = "error" not in case
    inputs = _loadable(case)
    if inputs is None:
        assert case["name"] in KNOWN_DISAGREEMENTS
        return
    report = _run(inputs)
    assert report.sub_indication is None or report.sub_indication.value != "VERIFIER_ERROR"
    if case["name"] in KNOWN_DISAGREEMENTS:
        assert not report.passed
        return
    assert report.passed is expected_valid, "\n".join(str(f) for f in report.findings)
    if report.passed:
        assert len(report.chain) == case["path_len"]


def test_pkits_totals() -> None:
    """The issue's bar: 0 invalid accepted, 0 crashes, at least 240/246 agree."""
    agree = accepted_invalid = crashes = 0
    for case in CASES:
        inputs = _loadable(case)
        valid = "error" not in case
        if inputs is None:
            agree += not valid
            continue
        report = _run(inputs)
        crashes += report.sub_indication is not None and report.sub_indication.value == (
            "VERIFIER_ERROR"
        )
        agree += report.passed is valid
        accepted_invalid += report.passed and not valid
    assert (accepted_invalid, crashes) == (0, 0)
    assert agree >= 240
    assert agree == len(CASES) - len(KNOWN_DISAGREEMENTS)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_pkits_basic_engine_never_accepts_an_invalid_path(case: dict[str, Any]) -> None:
    """Without the extra, the basic engine may refuse good paths, never accept a bad one."""
    inputs = _loadable(case)
    if inputs is None or "error" not in case:
        return
    assert not _run(inputs, engine="basic").passed


_SHUFFLED = [c for c in CASES if len(c.get("crls", [])) + len(c.get("other_certs", [])) > 2]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(_SHUFFLED), data=st.data())
def test_order_of_crls_and_intermediates_never_changes_the_answer(
    case: dict[str, Any], data: st.DataObject
) -> None:
    inputs = _loadable(case)
    if inputs is None:
        return
    clear_cache()
    reference = _run(inputs)
    intermediates = data.draw(st.permutations(inputs["intermediates"]))
    crls = data.draw(st.permutations(inputs["crls"]))
    clear_cache()  # the shuffled run must reach its own answer, not the cached one
    shuffled = _run(inputs, intermediates=list(intermediates), crls=list(crls))
    assert (shuffled.indication, shuffled.sub_indication) == (
        reference.indication,
        reference.sub_indication,
    )
    assert shuffled.chain == reference.chain
    basic = _run(inputs, engine="basic")
    basic_shuffled = _run(
        inputs, intermediates=list(intermediates), crls=list(crls), engine="basic"
    )
    assert (basic.indication, basic.sub_indication) == (
        basic_shuffled.indication,
        basic_shuffled.sub_indication,
    )
