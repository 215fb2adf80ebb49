"""Interoperability: poppler's pdfsig and pyHanko's own validator agree with egovkit."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from egovkit.testing.pki import FixturePKI
from egovkit_pdf import Level, Placement, Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf._bridge import to_asn1
from egovkit_pdf.testing import sample_pdf, seal_png, signature_png
from egovkit_pdf.tsa import LocalTsa, fixture_tsa

#: Skipped without pdfsig, failed without it under CI=true (egovkit.testing.tools).
needs_pdfsig = pytest.mark.needs_tool("pdfsig", install="Debian package poppler-utils")


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="module")
def document() -> bytes:
    return sample_pdf()


@pytest.fixture(scope="module")
def tsa(pki: FixturePKI) -> Iterator[LocalTsa]:
    with fixture_tsa(pki.intermediate.certificate, pki.intermediate.key) as server:
        yield server


@pytest.fixture
def healthy_tsa(tsa: LocalTsa) -> Iterator[LocalTsa]:
    tsa.mode = "ok"
    yield tsa
    tsa.mode = "ok"


def _signed(pki: FixturePKI, document: bytes) -> bytes:
    personal = sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(image=signature_png(), placement=Placement.below_text("CHU TICH")),
    )
    return sign_pdf(
        personal,
        pki.agency.signer(),
        SignOptions(
            role=Role.AGENCY, image=seal_png(), placement=Placement.over_signature("ChuKyCaNhan")
        ),
    )


def _pdfsig(path: Path) -> str:
    result = subprocess.run(
        ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    return result.stdout


@needs_pdfsig
def test_pdfsig_reports_both_signatures_valid_with_the_right_signers(
    pki: FixturePKI, document: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed(pki, document))
    out = _pdfsig(path)
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert "Common Name: Nguyễn Văn An" in out
    assert "Common Name: Ủy ban nhân dân tỉnh Thử Nghiệm" in out
    assert "ETSI.CAdES.detached" in out


@needs_pdfsig
def test_pdfsig_catches_a_changed_byte(pki: FixturePKI, document: bytes, tmp_path: Path) -> None:
    data = bytearray(_signed(pki, document))
    data[data.index(b"QUYET DINH") + 1] = ord("V")
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(data))
    out = _pdfsig(path)
    assert "Signature is Valid" not in out.split("Signature #2")[0], out
    assert not verify_pdf(bytes(data), trust=pki.trust_store(), revocation=pki.revocation()).passed


@needs_pdfsig
def test_pdfsig_accepts_b_t(
    pki: FixturePKI, document: bytes, healthy_tsa: LocalTsa, tmp_path: Path
) -> None:
    from egovkit_pdf import HttpTimeStamper

    path = tmp_path / "bt.pdf"
    path.write_bytes(
        sign_pdf(
            document,
            pki.agency.signer(),
            SignOptions(level=Level.B_T, timestamper=HttpTimeStamper(healthy_tsa.url)),
        )
    )
    out = _pdfsig(path)
    assert "Signature is Valid." in out, out


def test_pyhanko_validator_agrees(pki: FixturePKI, document: bytes) -> None:
    data = _signed(pki, document)
    context = ValidationContext(
        trust_roots=[to_asn1(pki.root.certificate)],
        crls=[
            pki.crl("root").public_bytes(serialization.Encoding.DER),
            pki.crl("intermediate").public_bytes(serialization.Encoding.DER),
        ],
        allow_fetching=False,
    )
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    theirs = [validate_pdf_signature(s, context).bottom_line for s in reader.embedded_signatures]
    ours = verify_pdf(data, trust=pki.trust_store(), revocation=pki.revocation())
    assert theirs == [s.passed for s in ours.signatures] == [True, True]
    changed = bytearray(data)
    changed[changed.index(b"QUYET DINH")] = ord("X")
    reader = PdfFileReader(io.BytesIO(bytes(changed)), strict=False)
    theirs = [validate_pdf_signature(s, context).bottom_line for s in reader.embedded_signatures]
    ours = verify_pdf(bytes(changed), trust=pki.trust_store(), revocation=pki.revocation())
    assert theirs == [s.passed for s in ours.signatures] == [False, False]
