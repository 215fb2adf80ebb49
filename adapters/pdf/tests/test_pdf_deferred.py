"""PAdES signed through a deferred (remote) signer: prepared, signed later by the service,
finished — and then valid for egovkit, pyHanko's validator and poppler's pdfsig, with the same
appearance as signing in one go."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from egovkit.errors import ConfigurationError, SignatureError
from egovkit.signatures.deferred import (
    PreparedDocument,
)
from egovkit.testing.pki import FixturePKI
from egovkit.testing.remote import LocalRemoteSigner, sign_digest
from egovkit_pdf import Level, Placement, SignOptions, verify_pdf
from egovkit_pdf._bridge import to_asn1
from egovkit_pdf.deferred import finish_pdf, prepare_pdf
from egovkit_pdf.testing import sample_pdf, signature_png


class Remote(LocalRemoteSigner):
    """The service's key; tests sign the prepared digest themselves."""

    def sign_digest(self, prepared: PreparedDocument) -> bytes:
        """What the service returns for ``prepared``'s request (signing the digest only)."""
        request = prepared.request("r")
        return sign_digest(self.credential.key, request.digest, request.algorithm)


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


def _options() -> SignOptions:
    return SignOptions(image=signature_png(), placement=Placement.below_text("CHU TICH"))


@pytest.mark.parametrize("name", ["person", "agency_ec"])
def test_a_deferred_pades_signature_validates(pki: FixturePKI, name: str, tmp_path: Path) -> None:
    remote = Remote(getattr(pki, name))
    prepared = prepare_pdf(sample_pdf(), remote, _options())
    assert not verify_pdf(prepared.document, trust=pki.trust_store()).passed  # a placeholder
    signed = finish_pdf(prepared, remote, remote.sign_digest(prepared))
    assert len(signed) == len(prepared.document)
    report = verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    context = ValidationContext(
        trust_roots=[to_asn1(pki.root.certificate)],
        crls=[
            pki.crl(i).public_bytes(serialization.Encoding.DER) for i in ("root", "intermediate")
        ],
        allow_fetching=False,
    )
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    assert [validate_pdf_signature(s, context).bottom_line for s in reader.embedded_signatures] == [
        True
    ]
    if shutil.which("pdfsig"):
        path = tmp_path / "deferred.pdf"
        path.write_bytes(signed)
        out = subprocess.run(
            ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60
        ).stdout
        assert "Signature Validation: Signature is Valid." in out, out


def test_a_value_from_another_document_or_key_is_refused(pki: FixturePKI) -> None:
    remote = Remote(pki.person)
    prepared = prepare_pdf(sample_pdf(), remote, _options())
    other = prepare_pdf(sample_pdf(number="16/QD-UBND"), remote, _options())
    with pytest.raises(SignatureError) as wrong:
        finish_pdf(prepared, remote, remote.sign_digest(other))
    assert wrong.value.code == "signing.bad_signature"
    stranger = Remote(pki.agency)
    with pytest.raises(SignatureError):
        finish_pdf(prepared, remote, stranger.sign_digest(prepared))


def test_only_b_b_is_prepared(pki: FixturePKI) -> None:
    with pytest.raises(ConfigurationError):
        prepare_pdf(sample_pdf(), Remote(pki.person), SignOptions(level=Level.B_T))
