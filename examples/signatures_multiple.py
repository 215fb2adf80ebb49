"""Two signatures on one envelope: the leader's personal signature first, then the agency's.

Shows what each signature covers and that both are checked. Fixture PKI only (test keys).
"""

from __future__ import annotations

import json

from egovkit.signatures import sign_envelope, verify
from egovkit.testing.pki import FixturePKI

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ENVELOPE = f"""<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}">
<edXML:edXMLHeader><edXML:MessageHeader><edXML:Subject>Quyết định phê duyệt kế hoạch năm 2026
</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody/>
</edXML:edXMLEnvelope></edXML>""".encode()


def main() -> None:
    pki = FixturePKI.create()
    personal = sign_envelope(ENVELOPE, pki.person.signer())  # the leader approves the text
    both = sign_envelope(personal, pki.agency_ec.signer())  # the clerk applies the agency's
    report = verify(both, trust=pki.trust_store(), revocation=pki.revocation())
    print("envelope:", report.indication.value)
    for s in report.signatures:
        kind = s.signer.kind.value if s.signer else "?"
        print(f"  {s.index}. {s.signer} [{kind}] {s.indication.value}: covers {s.covers}")
    summary = json.loads(report.to_json())
    print("JSON keys:", sorted(summary)[:4], "…")


if __name__ == "__main__":
    main()
