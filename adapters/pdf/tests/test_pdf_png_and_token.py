"""The PNG reader/writer round trip, bad images, and PAdES signing on a PKCS#11 token."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.errors import ParseError
from egovkit.testing.pki import FixturePKI
from egovkit.testing.tools import require
from egovkit_pdf import Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf.png import read_png, write_png
from egovkit_pdf.testing import sample_pdf


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="module")
def document() -> bytes:
    return sample_pdf()


@st.composite
def rgba_images(draw: st.DrawFn) -> tuple[int, int, bytes]:
    width = draw(st.integers(1, 12))
    height = draw(st.integers(1, 12))
    pixels = draw(st.binary(min_size=width * height * 4, max_size=width * height * 4))
    return width, height, pixels


@settings(max_examples=60, deadline=None)
@given(rgba_images(), st.sampled_from([None, 96.0, 300.0]))
def test_png_round_trip(image: tuple[int, int, bytes], dpi: float | None) -> None:
    width, height, pixels = image
    decoded = read_png(write_png(width, height, pixels, dpi=dpi))
    assert (decoded.width, decoded.height) == (width, height)
    rebuilt = bytearray()
    assert decoded.alpha is not None
    for i in range(width * height):
        rebuilt += decoded.colour[i * 3 : i * 3 + 3] + decoded.alpha[i : i + 1]
    assert bytes(rebuilt) == pixels
    if dpi:
        assert decoded.dpi is not None
        assert decoded.dpi[0] == pytest.approx(dpi, rel=0.01)


def test_filtered_png_rows_are_decoded() -> None:
    import struct
    import zlib

    # 2x2 RGB with Sub, Up, Average and Paeth rows (one per image of two rows each)
    for kind in (1, 2, 3, 4):
        rows = bytes([0, 10, 20, 30, 40, 50, 60]) + bytes([kind, 1, 2, 3, 4, 5, 6])
        ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)

        def chunk(k: bytes, b: bytes) -> bytes:
            return struct.pack(">I", len(b)) + k + b + struct.pack(">I", zlib.crc32(k + b))

        data = (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b"")
        )
        image = read_png(data)
        first = bytes([10, 20, 30, 40, 50, 60])
        assert image.colour[:6] == first
        assert image.alpha is None
        second = image.colour[6:]
        if kind == 2:
            assert second == bytes(a + b for a, b in zip(first, [1, 2, 3, 4, 5, 6], strict=True))
        if kind == 1:
            assert second == bytes([1, 2, 3, 5, 7, 9])


@pytest.mark.parametrize(
    "data", [b"GIF89a", b"\x89PNG\r\n\x1a\n", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"]
)
def test_bad_png_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        read_png(data)


def test_pades_on_a_softhsm_token(pki: FixturePKI, document: bytes) -> None:
    softhsm = pytest.importorskip("egovkit_pkcs11.softhsm")
    require(softhsm.softhsm_module(), "SoftHSM2", install="Debian package softhsm2")
    from egovkit_pkcs11 import Pkcs11Signer

    token = softhsm.provision_token(
        "egovkit-pdf-tests",
        [
            softhsm.TokenKey(
                label="agency",
                key_id=b"\x11",
                key=pki.agency.key,
                certificate=pki.agency.certificate,
            )
        ],
    )
    with Pkcs11Signer(
        module=token.module,
        token_label=token.label,
        pin=lambda: token.pin,
        key_label="agency",
        chain=pki.agency.chain,
    ) as signer:
        signed = sign_pdf(document, signer, SignOptions(role=Role.ATTACHMENT, number="15/QĐ-UBND"))
    report = verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert report.signatures[0].certificate is not None
    assert "MNS:1234567" in report.signatures[0].certificate.subject


def test_encrypted_pdf_is_refused(pki: FixturePKI, document: bytes) -> None:
    import io

    from pyhanko.pdf_utils.crypt import StandardSecurityHandler
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(document), strict=False))
    writer.security_handler = StandardSecurityHandler.build_from_pw(b"secret")
    writer._encrypt = writer.add_object(writer.security_handler.as_pdf_object())
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    with pytest.raises(ParseError) as caught:
        sign_pdf(out.getvalue(), pki.person.signer())
    assert caught.value.code == "pdf.encrypted"
