"""Validate certificate paths to RFC 5280: a good signer, a revoked one, an expired one, and a
message that brings a pool of cross-signed CAs. Uses the fixture PKI (public test keys): never
use it for real signatures."""

from __future__ import annotations

import datetime as dt

from egovkit.signatures import WorkBudget, validate_path
from egovkit.testing.pki import FixturePKI, cross_signed_pool, issue_certificate


def main() -> None:
    pki = FixturePKI.create()
    trust = pki.trust_store()
    revocation = pki.revocation()
    for who in ("agency", "revoked", "expired"):
        report = validate_path(
            getattr(pki, who).certificate,
            trust=trust,
            intermediates=[pki.intermediate.certificate],
            revocation=revocation,
        )
        sub = report.sub_indication.value if report.sub_indication else ""
        print(f"{who:8} {report.indication.value} {sub}  ({report.engine})")
        for finding in report.findings:
            print("         ", finding)

    issuer, pool = cross_signed_pool(now=pki.now)
    leaf = issue_certificate(
        pki.agency.certificate.subject,
        key=pki.agency.key,
        issuer=issuer,
        serial=99,
        not_before=pki.now - dt.timedelta(days=1),
        not_after=pki.now + dt.timedelta(days=365),
        ca=False,
    )
    for budget in (WorkBudget(), WorkBudget(max_offered=len(pool))):
        report = validate_path(
            leaf.certificate, trust=trust, intermediates=pool, revocation=revocation, budget=budget
        )
        print(
            f"pool of {len(pool)}: {report.indication.value}, work {report.work}:",
            report.findings[0].code,
        )


if __name__ == "__main__":
    main()
