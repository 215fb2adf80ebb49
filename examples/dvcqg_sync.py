"""Sync dossiers to a (fake, local) national portal that fails now and then, with a checkpoint
file, a dead-letter list and a progress bar."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from egovkit.services.contract import sample_dossier
from egovkit_dvcqg import (
    DvcqgGateway,
    FileCheckpoint,
    PortalClient,
    RetryPolicy,
    StatusRules,
    bearer,
    dossier_to_portal,
    sync_dossiers,
    text_progress_bar,
)
from egovkit_dvcqg.testing import running_portal


def main() -> None:
    rules = StatusRules.default()
    dossiers = [sample_dossier(n) for n in range(1, 21)]
    with tempfile.TemporaryDirectory() as folder, running_portal() as portal:
        portal.faults.extend(["500", "drop", "429"])  # a bad minute on the portal
        portal.reject[str(dossiers[4].code)] = "Mã TTHC không tồn tại trên Cổng DVCQG"
        client = PortalClient(
            portal.url,
            auth=bearer(lambda: "demo-token"),
            timeout=5.0,
            retry=RetryPolicy(attempts=4, base=0.05),
        )
        gateway = DvcqgGateway(client, rules=rules)
        checkpoint = FileCheckpoint(Path(folder) / "sync.json")
        report = sync_dossiers(
            gateway,
            dossiers,
            checkpoint=checkpoint,
            payload=lambda d: dossier_to_portal(d, rules=rules),
            progress=text_progress_bar(sys.stderr.write),
        )
        print(f"created {report.created}, rejected {report.rejected}")
        for letter in report.dead_letters:
            print(f"  {letter.dossier}: {letter.message}")
        again = sync_dossiers(
            gateway,
            dossiers,
            checkpoint=checkpoint,
            payload=lambda d: dossier_to_portal(d, rules=rules),
        )
        print(f"second run: {again.unchanged} unchanged, {again.rejected} still rejected")
        gateway.close()


if __name__ == "__main__":
    main()
