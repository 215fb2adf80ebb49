"""Real national-axis samples, several signatures on one envelope, and verifier crashes."""

from __future__ import annotations

import pytest
from lxml import etree

from egovkit.signatures import (
    LEGACY_POLICY,
    Indication,
    SubIndication,
    sign_envelope,
    verify,
)
from egovkit.signatures import validation as validation_module
from egovkit.testing.pki import FixturePKI

from .conftest import SAMPLES, envelope


@pytest.mark.parametrize("name", ["edoc_new.edxml", "edoc_three_recipients.edxml"])
@pytest.mark.parametrize("policy", [None, LEGACY_POLICY])
def test_real_samples_are_read_and_fail(pki: FixturePKI, name: str, policy: object) -> None:
    data = (SAMPLES / name).read_bytes()
    report = verify(data, trust=pki.trust_store(), policy=policy)  # type: ignore[arg-type]
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    (one,) = report.signatures
    assert one.algorithms is not None
    assert one.algorithms.signature_method == "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    codes = {f.code for f in one.findings}
    assert {"signatures.weak.signature_method", "signatures.weak.digest_method"} <= codes
    assert "signatures.format.namespace" in codes
    assert "rsa-sha1" in report.to_text()


def test_unsigned_status_message(pki: FixturePKI) -> None:
    report = verify((SAMPLES / "status_acceptance_03.edxml").read_bytes(), trust=pki.trust_store())
    assert report.indication is Indication.TOTAL_FAILED
    assert report.findings[0].code == "signatures.no_signature"


def test_sample_with_namespace_fixed_still_fails_on_values(pki: FixturePKI) -> None:
    data = (
        (SAMPLES / "edoc_new.edxml")
        .read_bytes()
        .replace(b"<Signature>", b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">')
    )
    report = verify(data, trust=pki.trust_store(), policy=LEGACY_POLICY)
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    # The non-standard exclusive C14N URI of the samples is reported precisely.
    assert "signatures.format.transforms" in {f.code for f in report.signatures[0].findings}


def _two(pki: FixturePKI) -> bytes:
    personal = sign_envelope(envelope(), pki.person.signer())
    return sign_envelope(personal, pki.agency_ec.signer())


def test_personal_then_agency(pki: FixturePKI) -> None:
    report = verify(_two(pki), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    first, second = report.signatures
    assert first.signer is not None
    assert first.signer.citizen_id == "001099000123"
    assert second.signer is not None
    assert second.signer.budget_unit_code == "1234567"
    assert first.signed_content is not None
    assert second.signed_content is not None
    # The agency signature covers the personal one; the personal one covers no signature.
    assert b"SignatureValue" not in first.signed_content
    assert second.signed_content.count(b"<SignatureValue>") == 1
    assert report.signed_content == first.signed_content
    assert second.covers == "the whole document with signature 1"
    assert first.covers.endswith("(signature 2 set aside: added later)")


def test_removing_the_agency_signature_leaves_a_valid_personal_one(pki: FixturePKI) -> None:
    root = etree.fromstring(_two(pki))
    header = root[0][0]
    header.remove(header[-1])
    report = verify(etree.tostring(root), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed
    assert len(report.signatures) == 1


def test_swapping_or_replacing_signatures_fails(pki: FixturePKI) -> None:
    root = etree.fromstring(_two(pki))
    header = root[0][0]
    personal, agency = header[-2], header[-1]
    header.remove(agency)
    header.insert(header.index(personal), agency)
    report = verify(etree.tostring(root), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.indication is Indication.TOTAL_FAILED
    # A different personal signature under the same agency signature breaks the agency one.
    other = etree.fromstring(sign_envelope(envelope(), pki.person_ec.signer()))
    root = etree.fromstring(_two(pki))
    header = root[0][0]
    header.replace(header[-2], other[0][0][-1])
    report = verify(etree.tostring(root), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.signatures[1].sub_indication is SubIndication.HASH_FAILURE
    assert report.signatures[0].passed


def test_one_bad_signature_fails_the_envelope(pki: FixturePKI) -> None:
    data = sign_envelope(sign_envelope(envelope(), pki.revoked.signer()), pki.agency.signer())
    report = verify(data, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.signatures[1].passed
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.REVOKED
    assert report.signed_content is None


def test_a_crashing_verifier_is_never_valid(
    pki: FixturePKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = sign_envelope(envelope(), pki.agency.signer())

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(validation_module, "validate_path", boom)
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.indication is Indication.INDETERMINATE
    assert report.sub_indication is SubIndication.VERIFIER_ERROR
    assert not report.passed
    assert report.signed_content is None
    assert "simulated crash" in report.to_text()
