"""The SmartCA deferred signer against a local SmartCA-shaped server (``egovkit_smartca.
testing``) that confirms after 5 s, refuses, or never answers, and that drops an answer: in
each case the held document is kept, signed at most once, and released only when signed.

The wire shape follows public SmartCA client code (see :mod:`egovkit_smartca.client`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from egovkit.edxml.signing import EDXML_PROFILE
from egovkit.ports import Store
from egovkit.signatures import Indication
from egovkit.signatures.deferred import (
    DeferredSigner,
    PreparedDocument,
    SigningStatus,
    finish_xml,
    prepare_xml,
    wait_for,
)
from egovkit.signatures.holding import HoldState, PendingSignature, SignatureHold
from egovkit.signatures.validation import verify_document
from egovkit.storage import open_store
from egovkit.testing.pki import FixturePKI
from egovkit_smartca import SmartCAConfig, SmartCASigner
from egovkit_smartca.testing import Behaviour, SmartCATestServer

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ENVELOPE = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:Subject>Về việc chuẩn bị Tết</edXML:Subject></edXML:MessageHeader>
</edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope></edXML>""".encode()


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


def _server(pki: FixturePKI, behaviour: Behaviour, confirm_after: float = 5.0) -> SmartCATestServer:
    return SmartCATestServer(
        pki.agency.key, pki.agency.certificate, behaviour=behaviour, confirm_after=confirm_after
    )


def _signer(
    server: SmartCATestServer, timeout: float = 10.0, pki: FixturePKI | None = None
) -> SmartCASigner:
    config = SmartCAConfig(
        base_url=server.url, sp_id="sp", sp_password="secret", user_id="079123456789",
        timeout=timeout,
    )  # fmt: skip
    return SmartCASigner(config, chain=pki.agency.chain if pki else ())


def _finish(prepared: PreparedDocument, signer: DeferredSigner, value: bytes) -> bytes:
    return finish_xml(prepared, signer, value, profile=EDXML_PROFILE)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'egov.db'}")
    yield opened
    opened.close()


def _until_final(hold: SignatureHold, key: str, *, seconds: float) -> PendingSignature:
    """Resume every 0.5 s for at most ``seconds`` (a bounded loop)."""
    pending = hold.get(key)
    for _ in range(int(seconds / 0.5) + 1):
        pending = hold.resume(key)
        if not pending.waiting:
            return pending
        time.sleep(0.5)
    return pending


def test_the_certificate_comes_from_the_service(pki: FixturePKI) -> None:
    with _server(pki, "sign") as server:
        signer = _signer(server)
        assert signer.certificate == pki.agency.certificate
        signer.close()


def test_a_signature_that_comes_after_5_s(pki: FixturePKI, store: Store) -> None:
    released: list[bytes] = []
    with _server(pki, "sign", confirm_after=5.0) as server:
        signer = _signer(server, pki=pki)
        hold = SignatureHold(
            store, signer, {"xml": _finish}, on_signed=lambda _k, data: released.append(data)
        )
        hold.hold("cv-120", prepare_xml(ENVELOPE, signer, profile=EDXML_PROFILE))
        assert hold.resume("cv-120").state is HoldState.SUBMITTED  # the official has not yet
        assert released == []
        done = _until_final(hold, "cv-120", seconds=15)
        assert done.state is HoldState.SIGNED
        assert server.requests == {"cv-120#1": 1}
        assert server.signed == {"cv-120#1": 1}
        signer.close()
    (document,) = released
    report = verify_document(
        document, profile=EDXML_PROFILE, trust=pki.trust_store(), revocation=pki.revocation()
    )
    assert report.indication is Indication.TOTAL_PASSED, report.to_text()


def test_a_refusal_keeps_the_document_and_sends_nothing(pki: FixturePKI, store: Store) -> None:
    released: list[bytes] = []
    with _server(pki, "refuse", confirm_after=0.5) as server:
        signer = _signer(server)
        hold = SignatureHold(
            store, signer, {"xml": _finish}, on_signed=lambda _k, data: released.append(data)
        )
        hold.hold("cv-7", prepare_xml(ENVELOPE, signer, profile=EDXML_PROFILE))
        refused = _until_final(hold, "cv-7", seconds=5)
        assert (refused.state, refused.message) == (HoldState.REFUSED, "REJECTED")
        assert hold.document("cv-7") == ENVELOPE
        assert server.signed == {}
        assert released == []
        signer.close()


def test_a_service_that_never_answers_expires_here(pki: FixturePKI, store: Store) -> None:
    with _server(pki, "never") as server:
        signer = _signer(server)
        hold = SignatureHold(store, signer, {"xml": _finish}, patience=timedelta(seconds=1))
        hold.hold("cv-9", prepare_xml(ENVELOPE, signer, profile=EDXML_PROFILE))
        expired = _until_final(hold, "cv-9", seconds=5)
        assert expired.state is HoldState.EXPIRED
        assert hold.document("cv-9") == ENVELOPE
        assert server.requests == {"cv-9#1": 1}
        assert server.signed == {}
        # wait_for gives up on its own too, without a store
        outcome = wait_for(signer, "cv-9#1", interval=0.2, timeout=0.6)
        assert outcome.status is SigningStatus.EXPIRED
        signer.close()


def test_a_lost_answer_repeats_the_same_attempt_not_a_second_one(
    pki: FixturePKI, store: Store
) -> None:
    with _server(pki, "sign", confirm_after=0.0) as server:
        server.drop_after("/v1/signatures/sign")  # the service got it; the answer is lost
        signer = _signer(server)
        hold = SignatureHold(store, signer, {"xml": _finish})
        first = hold.hold("cv-3", prepare_xml(ENVELOPE, signer, profile=EDXML_PROFILE))
        assert first.state is HoldState.PREPARED
        assert _until_final(hold, "cv-3", seconds=5).state is HoldState.SIGNED
        assert server.requests == {"cv-3#1": 2}  # the same transaction id twice …
        assert server.signed == {"cv-3#1": 1}  # … signed once
        signer.close()


def test_a_slow_answer_over_the_client_timeout_is_retried(pki: FixturePKI, store: Store) -> None:
    with _server(pki, "sign", confirm_after=0.0) as server:
        server.delay("/v1/signatures/sign", 2.0)
        signer = _signer(server, timeout=0.5)
        hold = SignatureHold(store, signer, {"xml": _finish})
        assert hold.hold("cv-4", prepare_xml(ENVELOPE, signer, profile=EDXML_PROFILE)).state is (
            HoldState.PREPARED
        )
        assert _until_final(hold, "cv-4", seconds=8).state is HoldState.SIGNED
        assert server.signed == {"cv-4#1": 1}
        signer.close()
