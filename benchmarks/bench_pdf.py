"""PAdES B-B signing and validation of a one-page PDF: egovkit-pdf against plain pyHanko.

The peer is pyHanko called the plain way (``signers.sign_pdf`` with default settings, a
``SimpleSigner``; ``validate_pdf_signature`` with a validation context holding the same root and
CRLs). Aim: signing at least 1.5x faster (ratio <= 0.67).
"""

from __future__ import annotations

import io

from _harness import Comparison, best_of, judged, ratio_at_most


def run(quick: bool) -> list[Comparison]:
    try:
        from egovkit_pdf import SignOptions, sign_pdf, verify_pdf
        from egovkit_pdf._bridge import to_asn1
        from egovkit_pdf.testing import sample_pdf, signature_png
    except ImportError:  # the adapter is not installed
        return []
    from asn1crypto import keys  # type: ignore[import-untyped]
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from egovkit.testing.pki import FixturePKI
    from egovkit_pdf.placement import Placement

    pki = FixturePKI.create()
    document = sample_pdf()
    signer = pki.person.signer()
    key = keys.PrivateKeyInfo.load(
        pki.person.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    peer_signer = signers.SimpleSigner(
        signing_cert=to_asn1(pki.person.certificate),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [to_asn1(c) for c in pki.person.chain]
        ),
    )

    def ours() -> bytes:
        return sign_pdf(document, signer)

    visible = SignOptions(image=signature_png(), placement=Placement.below_text("CHU TICH"))

    def ours_visible() -> bytes:
        return sign_pdf(document, signer, visible)

    def peer() -> bytes:
        out = signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(document)),
            signers.PdfSignatureMetadata(field_name="Signature1"),
            signer=peer_signer,
        )
        return bytes(out.getvalue())

    repeat = 3 if quick else 15
    signed = ours()
    trust = pki.trust_store()
    revocation = pki.revocation()
    crls = [
        pki.crl("root").public_bytes(serialization.Encoding.DER),
        pki.crl("intermediate").public_bytes(serialization.Encoding.DER),
    ]

    def validate_ours() -> object:
        return verify_pdf(signed, trust=trust, revocation=revocation)

    def validate_peer() -> object:
        context = ValidationContext(
            trust_roots=[to_asn1(pki.root.certificate)], crls=crls, allow_fetching=False
        )
        reader = PdfFileReader(io.BytesIO(signed))
        return validate_pdf_signature(reader.embedded_signatures[0], context)

    peer_time = best_of(peer, repeat=repeat)
    rows = [
        Comparison(
            "PAdES B-B sign, one page (invisible)",
            best_of(ours, repeat=repeat),
            "pyHanko sign_pdf defaults",
            peer_time,
            target="<= 0.67 (1.5x faster)",
        ),
        Comparison(
            "PAdES B-B sign, one page, signature image",
            best_of(ours_visible, repeat=repeat),
            "pyHanko sign_pdf defaults (invisible)",
            peer_time,
            target="<= 0.67 (1.5x faster, with the image)",
            notes="includes PNG decoding and the appearance stream",
        ),
        Comparison(
            "PAdES validation (chain, CRLs, diff analysis)",
            best_of(validate_ours, repeat=repeat),
            "pyHanko validate_pdf_signature",
            best_of(validate_peer, repeat=repeat),
            target="<= 1 (no slower)",
        ),
    ]
    return [
        judged(row, ratio_at_most(limit))
        for row, limit in zip(rows, (0.67, 0.67, 1.0), strict=True)
    ]
