"""Trust stores, chains, validity at a time, key usage and CRL revocation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from egovkit.errors import ConfigurationError
from egovkit.signatures import (
    LEGACY_POLICY,
    Indication,
    RevocationSources,
    SubIndication,
    TrustStore,
    ValidationPolicy,
    sign_envelope,
    verify,
)
from egovkit.testing.pki import FixturePKI

from .conftest import envelope


def _report(pki: FixturePKI, name: str, **kw: object):  # type: ignore[no-untyped-def]
    signed = sign_envelope(envelope(), getattr(pki, name).signer())
    kw.setdefault("revocation", pki.revocation())
    return verify(signed, trust=pki.trust_store(), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "indication", "sub", "code"),
    [
        (
            "expired",
            Indication.TOTAL_FAILED,
            SubIndication.EXPIRED,
            "signatures.certificate.expired",
        ),
        (
            "not_yet_valid",
            Indication.TOTAL_FAILED,
            SubIndication.NOT_YET_VALID,
            "signatures.certificate.not_yet_valid",
        ),
        (
            "revoked",
            Indication.TOTAL_FAILED,
            SubIndication.REVOKED,
            "signatures.certificate.revoked",
        ),
        (
            "no_signing_usage",
            Indication.INDETERMINATE,
            SubIndication.CHAIN_CONSTRAINTS_FAILURE,
            "signatures.certificate.key_usage",
        ),
    ],
)
def test_certificate_problems(
    pki: FixturePKI, name: str, indication: Indication, sub: SubIndication, code: str
) -> None:
    report = _report(pki, name)
    assert (report.indication, report.sub_indication) == (indication, sub), report.to_text()
    assert code in {f.code for f in report.signatures[0].findings}


def test_validation_time_moves_the_answer(pki: FixturePKI) -> None:
    # The expired certificate was fine ten days ago; the revoked one before its revocation.
    earlier = pki.now - dt.timedelta(days=10)
    assert _report(pki, "expired", at=earlier).passed
    before = pki.revoked_at - dt.timedelta(days=1)
    report = _report(pki, "revoked", at=before)
    assert report.passed, report.to_text()
    assert any("revoked later" in r.detail for r in report.signatures[0].revocation)
    # The intermediate is not valid 6 years ago: the signature cannot have been made then.
    assert _report(pki, "agency", at=pki.now - dt.timedelta(days=6 * 365)).sub_indication is (
        SubIndication.NOT_YET_VALID
    )


def test_revocation_required_by_default(pki: FixturePKI) -> None:
    report = _report(pki, "agency", revocation=RevocationSources())
    assert report.indication is Indication.INDETERMINATE
    assert report.sub_indication is SubIndication.TRY_LATER
    relaxed = ValidationPolicy(name="no-revocation", check_revocation=False)
    assert _report(pki, "agency", revocation=RevocationSources(), policy=relaxed).passed


def test_stale_or_forged_crls_do_not_count(pki: FixturePKI) -> None:
    stale = pki.crl(
        this_update=pki.now - dt.timedelta(days=30), next_update=pki.now - dt.timedelta(days=20)
    )
    forged = pki.crl(signed_by=pki.person.key)  # right issuer name, wrong key
    for crl in (stale, forged):
        sources = RevocationSources(crls=(pki.crl("root"), crl))
        report = _report(pki, "agency", revocation=sources)
        assert report.sub_indication is SubIndication.TRY_LATER, report.to_text()
    # A forged CRL cannot un-revoke: an empty forged list does not make "revoked" good.
    sources = RevocationSources(
        crls=(pki.crl("root"), pki.crl(revoked=[], signed_by=pki.person.key))
    )
    assert not _report(pki, "revoked", revocation=sources).passed


def test_supplied_ocsp_responses(pki: FixturePKI) -> None:
    good = pki.ocsp_response(pki.agency.certificate)
    delegated = pki.ocsp_response(pki.agency.certificate, responder="delegated")
    stranger = pki.ocsp_response(pki.agency.certificate, responder="stranger")
    revoked = pki.ocsp_response(pki.revoked.certificate)
    root_crl = (pki.crl("root"),)
    ok = RevocationSources(crls=root_crl, ocsp_responses=(good,))
    assert _report(pki, "agency", revocation=ok).passed
    ok = RevocationSources(crls=root_crl, ocsp_responses=(delegated,))
    assert _report(pki, "agency", revocation=ok).passed
    bad = RevocationSources(crls=root_crl, ocsp_responses=(stranger,))
    assert _report(pki, "agency", revocation=bad).sub_indication is SubIndication.TRY_LATER
    gone = RevocationSources(crls=root_crl, ocsp_responses=(revoked,))
    assert _report(pki, "revoked", revocation=gone).sub_indication is SubIndication.REVOKED


def test_weak_key_default_and_legacy(pki: FixturePKI) -> None:
    assert _report(pki, "weak_rsa").sub_indication is SubIndication.CRYPTO_CONSTRAINTS_FAILURE
    legacy = _report(pki, "weak_rsa", policy=LEGACY_POLICY)
    assert legacy.indication is Indication.INDETERMINATE
    assert legacy.sub_indication is SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE


def test_only_the_store_is_trusted(pki: FixturePKI) -> None:
    signed = sign_envelope(envelope(), pki.agency.signer())
    # Trusting a stranger's root: no chain.
    stranger = TrustStore(anchors=(pki.stranger_root.certificate,))
    report = verify(signed, trust=stranger, revocation=pki.revocation())
    assert report.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    # Pinning the intermediate as the anchor works and needs no root.
    pinned = TrustStore(anchors=(pki.intermediate.certificate,))
    report = verify(signed, trust=pinned, revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert len(report.signatures[0].chain) == 2


def test_trust_store_from_files_and_folders(pki: FixturePKI, tmp_path: Path) -> None:
    der = tmp_path / "root.der"
    der.write_bytes(pki.root.certificate.public_bytes(serialization.Encoding.DER))
    folder = tmp_path / "anchors"
    folder.mkdir()
    (folder / "root.pem").write_bytes(pki.root.cert_pem() + pki.stranger_root.cert_pem())
    (folder / "notes.txt").write_text("ignored")
    inter = tmp_path / "inter.crt"
    inter.write_bytes(pki.intermediate.cert_pem())
    assert TrustStore.from_paths(der).anchors == (pki.root.certificate,)
    store = TrustStore.from_paths(folder, intermediates=[inter])
    assert len(store.anchors) == 2
    assert store.intermediates == (pki.intermediate.certificate,)
    assert TrustStore.from_pem(pki.root.cert_pem() + pki.stranger_root.cert_pem()).anchors == (
        pki.root.certificate,
        pki.stranger_root.certificate,
    )
    with pytest.raises(ConfigurationError):
        TrustStore.from_paths(tmp_path / "missing.pem")
    with pytest.raises(ConfigurationError):
        TrustStore.from_pem(b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")


def test_crl_files(pki: FixturePKI, tmp_path: Path) -> None:
    root_crl = tmp_path / "root.crl"
    root_crl.write_bytes(pki.crl_der("root"))
    inter_crl = tmp_path / "inter.pem"
    inter_crl.write_bytes(pki.crl().public_bytes(serialization.Encoding.PEM))
    sources = RevocationSources.from_files(root_crl, inter_crl)
    assert _report(pki, "agency", revocation=sources).passed
    assert _report(pki, "revoked", revocation=sources).sub_indication is SubIndication.REVOKED
    with pytest.raises(ConfigurationError):
        RevocationSources.from_files(tmp_path / "none.crl")
