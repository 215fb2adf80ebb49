"""PAdES B-B signing with the Decree 30 appearance, and validation into ValidationReport."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from egovkit.errors import ConfigurationError, NotFoundError, ParseError, PolicyError
from egovkit.signatures import Indication, SubIndication
from egovkit.testing.pki import FixturePKI
from egovkit_pdf import Placement, Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf.placement import field_rect
from egovkit_pdf.testing import sample_pdf, seal_png, signature_png


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="module")
def document() -> bytes:
    return sample_pdf()


def _personal(pki: FixturePKI, document: bytes) -> bytes:
    return sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(image=signature_png(), placement=Placement.below_text("CHU TICH")),
    )


def _both(pki: FixturePKI, document: bytes) -> bytes:
    return sign_pdf(
        _personal(pki, document),
        pki.agency.signer(),
        SignOptions(
            role=Role.AGENCY,
            image=seal_png(),
            placement=Placement.over_signature("ChuKyCaNhan"),
        ),
    )


def _rects(data: bytes) -> dict[str, tuple[float, float, float, float]]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return {name: field_rect(reader, name)[1] for name in ("ChuKyCaNhan", "ChuKyCoQuan")}


def test_personal_then_agency_both_pass(pki: FixturePKI, document: bytes) -> None:
    signed = _both(pki, document)
    report = verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert [s.signer.kind.value for s in report.signatures if s.signer] == [
        "person",
        "organisation",
    ]
    first = report.signatures[0]
    assert first.signed_content is not None
    assert signed.startswith(first.signed_content)
    assert len(first.signed_content) < len(signed)
    assert any(f.code == "pdf.later_updates" for f in first.findings)


def test_input_is_not_modified(pki: FixturePKI) -> None:
    original = bytearray(sample_pdf())
    before = bytes(original)
    sign_pdf(bytes(original), pki.person.signer())
    assert bytes(original) == before


def test_signature_image_sits_between_position_and_name(pki: FixturePKI, document: bytes) -> None:
    rects = _rects(_both(pki, document))
    x0, y0, x1, y1 = rects["ChuKyCaNhan"]
    assert 330 < y0 < y1 < 420  # position line at y=420, name line at y=330
    seal = rects["ChuKyCoQuan"]
    # the seal's right edge is a third into the signer's image, from the left
    assert seal[2] == pytest.approx(x0 + (x1 - x0) / 3, abs=0.1)
    # actual size: a 36 mm seal is 102 points wide
    assert seal[2] - seal[0] == pytest.approx(36 / 25.4 * 72, abs=0.5)


def test_attachment_stamp_top_right(pki: FixturePKI, document: bytes) -> None:
    signed = sign_pdf(
        document, pki.agency.signer(), SignOptions(role=Role.ATTACHMENT, number="15/QĐ-UBND")
    )
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    _page, (_x0, _y0, x1, y1) = field_rect(reader, "ChuKyPhuLuc")
    assert x1 > 500
    assert y1 > 780
    assert b"/Times-Roman" in signed
    assert b"+07:00" in signed
    assert verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation()).passed


def test_attachment_needs_a_number_and_no_image(pki: FixturePKI, document: bytes) -> None:
    with pytest.raises(ConfigurationError):
        sign_pdf(document, pki.agency.signer(), SignOptions(role=Role.ATTACHMENT))
    with pytest.raises(ConfigurationError):
        sign_pdf(
            document,
            pki.agency.signer(),
            SignOptions(role=Role.ATTACHMENT, number="1/UBND", image=seal_png()),
        )
    # every Vietnamese letter is shown (issue 18); a character the font lacks is still refused
    sign_pdf(document, pki.agency.signer(), SignOptions(role=Role.ATTACHMENT, number="Số ơ"))
    with pytest.raises(PolicyError):
        sign_pdf(document, pki.agency.signer(), SignOptions(role=Role.ATTACHMENT, number="Số 漢"))


def test_placement_by_coordinates_and_field(pki: FixturePKI, document: bytes) -> None:
    signed = sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(image=signature_png(), placement=Placement.at(0, 100, 100, 120, 50)),
    )
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    assert field_rect(reader, "ChuKyCaNhan")[1] == (100, 100, 220, 150)
    with pytest.raises(NotFoundError):
        sign_pdf(document, pki.person.signer(), SignOptions(placement=Placement.below_text("zz")))


def test_changed_byte_is_caught(pki: FixturePKI, document: bytes) -> None:
    signed = bytearray(_both(pki, document))
    signed[signed.index(b"QUYET DINH")] = ord("X")
    report = verify_pdf(bytes(signed), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.HASH_FAILURE
    assert report.signed_content is None


def test_change_appended_after_signing_is_caught(pki: FixturePKI, document: bytes) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = _personal(pki, document)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (DA SUA) Tj ET")
    )
    page["/Contents"] = stream
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    report = verify_pdf(out.getvalue(), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.indication is Indication.TOTAL_FAILED
    assert any(f.code == "pdf.modified_after_signing" for f in report.signatures[0].findings), (
        report.to_text()
    )


def test_untrusted_and_revoked(pki: FixturePKI, document: bytes) -> None:
    from egovkit.signatures import TrustStore

    signed = sign_pdf(document, pki.person.signer())
    stranger = TrustStore(anchors=(pki.stranger_root.certificate,))
    report = verify_pdf(signed, trust=stranger, revocation=pki.revocation())
    assert report.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    revoked = sign_pdf(document, pki.revoked.signer())
    report = verify_pdf(revoked, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.sub_indication is SubIndication.REVOKED
    no_revocation = verify_pdf(signed, trust=pki.trust_store())
    assert no_revocation.sub_indication is SubIndication.TRY_LATER


def test_ecdsa_and_pss(pki: FixturePKI, document: bytes) -> None:
    for credential, pss in ((pki.agency_ec, False), (pki.agency_pss, True)):
        signed = sign_pdf(document, credential.signer(pss=pss))
        report = verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation())
        assert report.passed, report.to_text()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"hello", "pdf.not_pdf"),
        (b"%PDF-1.7\n1 0 obj garbage", "pdf.corrupt"),
    ],
)
def test_bad_input_is_typed(pki: FixturePKI, data: bytes, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        sign_pdf(data, pki.person.signer())
    assert caught.value.code == code
    report = verify_pdf(data, trust=pki.trust_store())
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.FORMAT_FAILURE


def test_unsigned_pdf_fails_format(pki: FixturePKI, document: bytes) -> None:
    report = verify_pdf(document, trust=pki.trust_store())
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    assert report.findings[0].code == "signatures.no_signature"


def test_report_json_round_trip_fields(pki: FixturePKI, document: bytes) -> None:
    import json

    signed = sign_pdf(document, pki.person.signer())
    data = json.loads(
        verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation()).to_json()
    )
    assert data["profile"] == "PAdES"
    assert data["signatures"][0]["algorithms"]["digest_methods"] == ["sha256"]


def test_cms_carries_ess_signing_certificate_v2(pki: FixturePKI, document: bytes) -> None:
    signed = sign_pdf(document, pki.person.signer())
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    attributes = reader.embedded_signatures[0].signer_info["signed_attrs"]
    names = {a["type"].native for a in attributes}
    assert {"signing_certificate_v2", "message_digest", "content_type"} <= names


def test_existing_empty_field_is_filled_and_signed_field_refused(
    pki: FixturePKI, document: bytes
) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    from egovkit.errors import SignatureError

    writer = IncrementalPdfFileWriter(io.BytesIO(document), strict=False)
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name="KyDuyet", on_page=0, box=(60, 60, 180, 110))
    )
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    template = out.getvalue()
    signed = sign_pdf(
        template,
        pki.person.signer(),
        SignOptions(image=signature_png(), placement=Placement.field_named("KyDuyet")),
    )
    report = verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert report.signatures[0].where == "/AcroForm/KyDuyet"
    with pytest.raises(SignatureError) as caught:
        sign_pdf(signed, pki.agency.signer(), SignOptions(field="KyDuyet"))
    assert caught.value.code == "pdf.sign.field_signed"
