"""Kill the sender (SIGKILL) mid-batch, restart it: each document is delivered exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import egovkit
from egovkit.documents import Direction, Register
from egovkit.exchange import ExchangeService, RetryPolicy
from egovkit.ports import Store
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER
from egovkit.testing.pki import FixturePKI
from egovkit_vdxp import SystemCredentials, VdxpClient, VdxpExchange
from egovkit_vdxp.testing import AxisTestServer, Verifier

BATCH = 12
SENDER_SCRIPT = """
import sys
import egovkit
from egovkit.documents import Direction, Register
from egovkit.exchange import ExchangeService
from egovkit.testing.contracts.exchange import SENDER, sample_document
from egovkit.testing.pki import FixturePKI
from egovkit_vdxp import SystemCredentials, VdxpClient, VdxpExchange

store_url, axis_url, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
pki = FixturePKI.create()
store = egovkit.open(store_url)
auth = SystemCredentials(system_id=str(SENDER), secret="crash-test-secret")
client = VdxpClient(axis_url, auth=auth)
service = ExchangeService(
    store=store,
    exchange=VdxpExchange(client),
    incoming_register=Register(agency=SENDER, direction=Direction.INCOMING),
    trust=pki.trust_store(),
    signer=pki.agency.signer(),
    worker="sender-worker",  # the restarted sender takes back its own claims at once
)
for number in range(1, batch + 1):
    service.submit(sample_document(number))
print("queued", flush=True)
while sent := service.flush(limit=1):
    print("sent", sent[0].document_id, flush=True)
print("done", flush=True)
"""


def _service(
    store: Store, agency: object, axis: AxisTestServer, pki: FixturePKI
) -> ExchangeService:
    code = SENDER if agency == SENDER else RECIPIENT
    client = VdxpClient(
        axis.url,
        auth=SystemCredentials(system_id=str(code), secret="crash-test-secret"),
        retry=RetryPolicy(sleep=lambda _s: None),
    )
    return ExchangeService(
        store=store,
        exchange=VdxpExchange(client),
        incoming_register=Register(agency=code, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=pki.agency.signer(),
        worker="sender-worker" if code == SENDER else "recipient-worker",  # as before the crash
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("kill_after", [1, 5])
def test_sender_killed_mid_batch_resumes_without_loss_or_duplication(
    tmp_path: Path, kill_after: int, recipe_verifier: Callable[[dict[str, str]], Verifier]
) -> None:
    script = tmp_path / "sender.py"
    script.write_text(SENDER_SCRIPT, encoding="utf-8")
    store_url = f"sqlite:///{tmp_path / 'sender.db'}"
    pki = FixturePKI.create()
    verifier = recipe_verifier(
        {str(SENDER): "crash-test-secret", str(RECIPIENT): "crash-test-secret"}
    )
    with AxisTestServer(verifier=verifier) as axis:
        axis.delay("/sendEdoc", 0.05, times=BATCH)  # widen the window the kill lands in
        sender = subprocess.Popen(
            [sys.executable, str(script), store_url, axis.url, str(BATCH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert sender.stdout is not None
            seen = 0
            while seen < kill_after:
                line = sender.stdout.readline()
                if not line:
                    _, error = sender.communicate(timeout=60)
                    pytest.fail(f"the sender stopped by itself: {error}")
                seen += line.startswith("sent")
            os.kill(sender.pid, signal.SIGKILL)
            sender.communicate(timeout=60)
        finally:
            if sender.poll() is None:
                sender.kill()
                sender.communicate(timeout=60)
        assert sender.returncode == -signal.SIGKILL
        assert axis.count() < BATCH  # it really died mid-batch

        with egovkit.open(store_url) as store:  # restart
            restarted = _service(store, SENDER, axis, pki)
            restarted.flush()
            assert len(list(restarted.outbox(state="sent"))) == BATCH
            restarted.exchange.close()
        assert BATCH <= axis.count() <= BATCH + 1  # at most the one in flight went twice

        with egovkit.open(f"sqlite:///{tmp_path / 'receiver.db'}") as store:
            receiver = _service(store, RECIPIENT, axis, pki)
            results = receiver.receive()
            receiver.exchange.close()
            registered = [r for r in results if r.outcome == "registered"]
            assert len(registered) == BATCH
            assert len({r.document_id for r in registered}) == BATCH
            assert sorted(r.arrival_number or 0 for r in registered) == list(range(1, BATCH + 1))
            assert len(list(store.documents.all())) == BATCH
