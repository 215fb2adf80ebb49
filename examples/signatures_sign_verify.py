"""Sign an edXML envelope, verify it against a trust store with CRLs, then read only what was
signed. Uses the fixture PKI (public test keys): never use it for real signatures."""

from __future__ import annotations

from egovkit.signatures import sign_envelope, verify
from egovkit.testing.pki import FixturePKI

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ENVELOPE = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}">
  <edXML:edXMLEnvelope xmlns:edXML="{NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:Subject>V/v triển khai chữ ký số chuyên dùng công vụ</edXML:Subject>
      </edXML:MessageHeader>
    </edXML:edXMLHeader>
    <edXML:edXMLBody/>
  </edXML:edXMLEnvelope>
</edXML>
""".encode()


def main() -> None:
    pki = FixturePKI.create()
    signed = sign_envelope(ENVELOPE, pki.agency.signer())
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    print(report.to_text())
    if report.passed:
        subject = report.signed_tree().find(f".//{{{NS}}}Subject")
        print("signed subject:", subject.text if subject is not None else None)
    forged = signed.replace("chữ ký số".encode(), "tiền mặt".encode())
    bad = verify(forged, trust=pki.trust_store(), revocation=pki.revocation())
    print(
        "forged copy:", bad.indication.value, bad.sub_indication.value if bad.sub_indication else ""
    )


if __name__ == "__main__":
    main()
