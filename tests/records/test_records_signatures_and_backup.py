"""Signatures survive a transfer: an edXML envelope signed with the fixture PKI is exported,
read back from the package and still verifies TOTAL_PASSED (its bytes are never rewritten).
A store holding transfers and disposals backs up and verifies (every record matches the last
audit entry about it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from egovkit.documents import Attachment
from egovkit.records import DisposalDecision, Retention, read_package
from egovkit.signatures import Indication, sign_envelope, verify
from egovkit.storage import backup, open_store, verify_archive
from egovkit.storage.case_files import case_files, export_transfer
from egovkit.testing.contracts.case_files import case_file, document
from egovkit.testing.pki import FixturePKI
from tests.signatures.conftest import envelope


def test_a_signed_envelope_still_verifies_after_transfer(tmp_path: Path) -> None:
    pki = FixturePKI.create()
    signed = sign_envelope(envelope(), pki.agency.signer())
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}") as store:
        ref = store.blobs.put(signed)
        xml = Attachment(
            name="vb.edxml", media_type="application/xml", size=ref.size, sha256=ref.sha256
        )
        case = case_file("01.VP", documents=())
        doc = attrs.evolve(document("signed", case.start_date), attachments=[xml])
        stored = case_files(store).add(case.file(doc).close(end_date=dt.date(2026, 12, 31)))
        package, _ = export_transfer(
            store, [stored.key], tmp_path / "p.zip", actor="a", on=dt.date(2027, 1, 5)
        )
    read = read_package(tmp_path / "p.zip", keep_content=True, expect_digest=package.digest)
    carried = read.contents[ref.sha256]
    assert carried == signed
    report = verify(carried, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.indication is Indication.TOTAL_PASSED, report.to_text()


def test_transfers_and_disposals_back_up_cleanly(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}") as store:
        repo = case_files(store)
        kept = repo.add(case_file("01.VP", closed=True))
        short = repo.add(case_file("02.VP", retention=Retention.of_years(2), closed=True))
        repo.record_transfer([kept], on=dt.date(2027, 1, 5), reference="a" * 64, actor="luu.tru")
        decision = DisposalDecision(
            number="7/QĐ-UBND",
            decided_by="Chủ tịch",
            decided_on=dt.date(2029, 1, 2),
            files=[short.key],
        )
        repo.dispose(short, decision, on=dt.date(2029, 1, 3), actor="luu.tru")
        manifest = backup(store, tmp_path / "backup.tar.gz")
    assert verify_archive(tmp_path / "backup.tar.gz").head == manifest.head
