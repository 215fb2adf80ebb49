"""Sign an edXML envelope and a PDF with a key that lives on a PKCS#11 token.

The token here is SoftHSM2 (Debian ``softhsm2``), initialised in a temporary folder with a
fixture-PKI key (public test key): a real office uses the vendor's module of its USB token and
its own PIN, read from the environment (``pin_from_env("EGOVKIT_PIN")``)."""

from __future__ import annotations

import os

from egovkit.signatures import sign_envelope, verify
from egovkit.testing.pki import FixturePKI
from egovkit_pdf import Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf.testing import sample_pdf
from egovkit_pkcs11 import Pkcs11Signer, pin_from_env
from egovkit_pkcs11.softhsm import TokenKey, provision_token, softhsm_module

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ENVELOPE = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:Subject>Ký bằng USB token</edXML:Subject></edXML:MessageHeader>
</edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope></edXML>
""".encode()


def main() -> None:
    if softhsm_module() is None:
        print("SoftHSM2 is not installed (apt-get install softhsm2); nothing to show")
        return
    pki = FixturePKI.create()
    token = provision_token(
        "egovkit-example",
        [
            TokenKey(
                label="agency",
                key_id=b"\x01",
                key=pki.agency.key,
                certificate=pki.agency.certificate,
            )
        ],
    )
    os.environ["EGOVKIT_PIN"] = token.pin  # in real life: set by the operator, not the code
    with Pkcs11Signer(
        module=token.module,
        token_label=token.label,
        key_label="agency",
        pin=pin_from_env("EGOVKIT_PIN"),
        chain=pki.agency.chain,
    ) as signer:
        print("token signer:", signer)
        envelope = sign_envelope(ENVELOPE, signer)
        pdf = sign_pdf(sample_pdf(), signer, SignOptions(role=Role.ATTACHMENT, number="7/UBND-VP"))
    trust, crls = pki.trust_store(), pki.revocation()
    print("edXML:", verify(envelope, trust=trust, revocation=crls).indication.value)
    print("PDF:  ", verify_pdf(pdf, trust=trust, revocation=crls).indication.value)


if __name__ == "__main__":
    main()
