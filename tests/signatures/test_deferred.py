"""Deferred (remote) signing: XML-DSig in two halves around the wait, and documents held in a
store until their signature comes — never lost, never signed twice, never sent unsigned."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from egovkit.edxml.signing import EDXML_PROFILE
from egovkit.errors import ConflictError, SignatureError
from egovkit.signatures import Indication
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.deferred import (
    DeferredSigner,
    Outcome,
    PreparedDocument,
    SigningRequest,
    SigningStatus,
    finish_xml,
    prepare_xml,
    wait_for,
)
from egovkit.signatures.holding import HoldState, SignatureHold
from egovkit.signatures.validation import verify_document
from egovkit.storage import open_store
from egovkit.testing.pki import FixturePKI
from egovkit.testing.remote import LocalRemoteSigner

from .conftest import envelope


def _finish(prepared: PreparedDocument, signer: DeferredSigner, value: bytes) -> bytes:
    return finish_xml(prepared, signer, value, profile=EDXML_PROFILE)


def test_xml_signed_in_two_halves_validates(pki: FixturePKI) -> None:
    service = LocalRemoteSigner(pki.agency)
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    request = prepared.request("r1")
    assert request.digest == hashlib.sha256(prepared.to_sign).digest()
    assert b"<SignedInfo" in prepared.to_sign
    service.requests.append(request)
    service.confirm("tx-r1")
    signed = _finish(prepared, service, service.poll("tx-r1").signature)
    report = verify_document(
        signed, profile=EDXML_PROFILE, trust=pki.trust_store(), revocation=pki.revocation()
    )
    assert report.indication is Indication.TOTAL_PASSED, report.to_text()
    # the same signature as a key-file signer makes: the halves change nothing
    from egovkit.signatures.xmldsig import sign_document

    assert signed == sign_document(envelope(), pki.agency.signer(), profile=EDXML_PROFILE)


def test_a_signature_over_other_bytes_is_refused(pki: FixturePKI) -> None:
    service = LocalRemoteSigner(pki.agency)
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    other = prepare_xml(envelope(subject="Khác"), service, profile=EDXML_PROFILE)
    service.requests.append(other.request("r2"))
    service.confirm("tx-r2")
    with pytest.raises(SignatureError) as refused:
        _finish(prepared, service, service.poll("tx-r2").signature)
    assert refused.value.code == "signing.bad_signature"


def test_wait_for_is_bounded_and_returns_the_answer(pki: FixturePKI) -> None:
    service = LocalRemoteSigner(pki.agency)
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds
        if now[0] >= 12:  # the official confirms after 12 s
            service.confirm("tx-r")

    service.requests.append(SigningRequest(reference="r", digest=bytes(32)))
    assert wait_for(service, "tx-r", clock=lambda: now[0], sleep=sleep).status is (
        SigningStatus.SIGNED
    )
    never = wait_for(service, "tx-none", timeout=30, clock=lambda: now[0], sleep=sleep)
    assert never.status is SigningStatus.EXPIRED


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Parts:
    """A SQLite store, a fake service, a clock and a hold wired together."""

    def __init__(self, pki: FixturePKI, place: Path) -> None:
        self.store = open_store(f"sqlite:///{place / 'egov.db'}")
        self.service = LocalRemoteSigner(pki.agency)
        self.clock = Clock()
        self.released: list[tuple[str, bytes]] = []
        self.hold = SignatureHold(
            self.store,
            self.service,
            {"xml": _finish},
            clock=self.clock,
            patience=timedelta(minutes=3),
            on_signed=lambda key, data: self.released.append((key, data)),
        )


@pytest.fixture
def parts(pki: FixturePKI, tmp_path: Path) -> Iterator[Parts]:
    made = Parts(pki, tmp_path)
    yield made
    made.store.close()


def test_a_held_document_is_released_once_when_signed(parts: Parts, pki: FixturePKI) -> None:
    store = parts.store
    service = parts.service
    hold = parts.hold
    released = parts.released
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    held = hold.hold("cv-120", prepared, description="Công văn 120/UBND-VP")
    assert (held.state, held.transaction) == (HoldState.SUBMITTED, "tx-cv-120#1")
    assert hold.hold("cv-120", prepared) == held  # holding again sends nothing
    assert hold.resume("cv-120").state is HoldState.SUBMITTED  # still waiting
    assert released == []
    assert hold.document("cv-120") == envelope()  # the document is kept, unsigned
    service.confirm("tx-cv-120#1")
    done = hold.resume("cv-120")
    assert done.state is HoldState.SIGNED
    assert hold.resume("cv-120") == done  # final: nothing more happens
    assert len(service.requests) == 1
    assert [key for key, _ in released] == ["cv-120"]
    report = verify_document(
        released[0][1], profile=EDXML_PROFILE, trust=pki.trust_store(), revocation=pki.revocation()
    )
    assert report.indication is Indication.TOTAL_PASSED
    assert hold.document("cv-120") == released[0][1]
    with pytest.raises(ConflictError):
        hold.retry("cv-120")
    assert list(hold.waiting()) == []
    store.audit.verify()


def test_refused_then_retried_as_a_new_attempt(parts: Parts) -> None:
    service = parts.service
    hold = parts.hold
    released = parts.released
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    hold.hold("cv-7", prepared)
    service.answers["tx-cv-7#1"] = Outcome(status=SigningStatus.REFUSED, message="REJECTED")
    assert hold.resume("cv-7").state is HoldState.REFUSED
    again = hold.retry("cv-7")
    assert (again.attempt, again.state, again.transaction) == (2, HoldState.SUBMITTED, "tx-cv-7#2")
    service.confirm("tx-cv-7#1")  # a late answer to the attempt given up is never used
    assert hold.resume("cv-7").state is HoldState.SUBMITTED
    service.confirm("tx-cv-7#2")
    assert hold.resume("cv-7").state is HoldState.SIGNED
    assert len(released) == 1


def test_no_answer_expires_locally_and_keeps_the_document(parts: Parts) -> None:
    service = parts.service
    clock = parts.clock
    hold = parts.hold
    released = parts.released
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    hold.hold("cv-9", prepared)
    clock.now += timedelta(minutes=2)
    assert hold.resume("cv-9").state is HoldState.SUBMITTED
    clock.now += timedelta(minutes=1)
    expired = hold.resume("cv-9")
    assert expired.state is HoldState.EXPIRED
    assert hold.document("cv-9") == envelope()
    assert [s for _, s in expired.history] == ["prepared", "submitted", "expired"]
    assert released == []


def test_an_unreachable_service_keeps_the_same_attempt(parts: Parts) -> None:
    service = parts.service
    hold = parts.hold
    service.unreachable = 2
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    assert hold.hold("cv-3", prepared).state is HoldState.PREPARED
    assert hold.resume("cv-3").state is HoldState.PREPARED
    resumed = hold.resume("cv-3")
    assert (resumed.state, resumed.attempt) == (HoldState.SUBMITTED, 1)
    assert [r.reference for r in service.requests] == ["cv-3#1"]


def test_a_wrong_signature_fails_without_release(parts: Parts, pki: FixturePKI) -> None:
    service = parts.service
    hold = parts.hold
    released = parts.released
    prepared = prepare_xml(envelope(), service, profile=EDXML_PROFILE)
    hold.hold("cv-5", prepared)
    service.answers["tx-cv-5#1"] = Outcome(status=SigningStatus.SIGNED, signature=bytes(256))
    failed = hold.resume("cv-5")
    assert failed.state is HoldState.FAILED
    assert "signing.bad_signature" in failed.message
    assert released == []
    assert DigestAlgorithm.SHA256 is failed.digest


def test_a_callback_is_taken_once_and_only_for_the_current_attempt(parts: Parts) -> None:
    service, hold, released = parts.service, parts.hold, parts.released
    hold.hold("cv-11", prepare_xml(envelope(), service, profile=EDXML_PROFILE))
    service.confirm("tx-cv-11#1")
    signed = service.answers["tx-cv-11#1"]
    assert hold.deliver("cv-11", "tx-other", signed).state is HoldState.SUBMITTED
    assert hold.deliver("cv-11", "tx-cv-11#1", signed).state is HoldState.SIGNED
    assert hold.deliver("cv-11", "tx-cv-11#1", signed).state is HoldState.SIGNED
    assert len(released) == 1
