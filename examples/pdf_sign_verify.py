"""Sign a one-page decision as the chairman (signature image) and then as the agency (red seal
over the left third of the signature), sign an attachment (number and time at the top right),
and verify all of it. Uses the fixture PKI (public test keys): never for real signatures."""

from __future__ import annotations

from egovkit.testing.pki import FixturePKI
from egovkit_pdf import Placement, Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf.testing import sample_pdf, seal_png, signature_png


def main() -> None:
    pki = FixturePKI.create()
    document = sample_pdf()
    personal = sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(image=signature_png(), placement=Placement.below_text("CHU TICH")),
    )
    issued = sign_pdf(
        personal,
        pki.agency.signer(),
        SignOptions(
            role=Role.AGENCY,
            image=seal_png(),
            placement=Placement.over_signature("ChuKyCaNhan"),
        ),
    )
    attachment = sign_pdf(
        sample_pdf(number="15/QD-UBND (phu luc)"),
        pki.agency.signer(),
        SignOptions(role=Role.ATTACHMENT, number="15/QĐ-UBND"),
    )
    for name, data in (("decision", issued), ("attachment", attachment)):
        report = verify_pdf(data, trust=pki.trust_store(), revocation=pki.revocation())
        signers = ", ".join(str(s.signer) for s in report.signatures)
        print(f"{name}: {report.indication.value} ({len(data)} bytes) — {signers}")
    forged = bytearray(issued)
    forged[forged.index(b"QUYET DINH")] = ord("X")
    bad = verify_pdf(bytes(forged), trust=pki.trust_store(), revocation=pki.revocation())
    sub = bad.sub_indication.value if bad.sub_indication else ""
    print(f"forged copy: {bad.indication.value} / {sub}")


if __name__ == "__main__":
    main()
