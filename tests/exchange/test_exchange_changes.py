"""Recall, update and replace (business types 1–3) applied to the registered document.

Source of the vocabulary: QCVN 102:2016 as used by the national axis clients —
``BussinessDocType`` 0 new, 1 revoke (thu hồi), 2 update (cập nhật), 3 replace (thay thế);
type 3 carries ``ReplacementInfoList``; status 15/16 answer an update or recall request
(github.com/QuangChuIT/edoc-integrator builds the same parts; ../shared/reference).
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.edxml import BusinessType, StatusCode
from egovkit.edxml.mapping import document_id
from egovkit.exchange import ExchangeService, MemoryAxis
from egovkit.exchange.service import INBOX
from egovkit.ports import Store
from egovkit.testing.contracts.exchange import (
    RECIPIENT,
    SENDER,
    agency_service,
    sample_document,
)
from egovkit.testing.pki import FixturePKI

THIRD = AgencyCode.parse("000.00.03.H99")


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@attrs.define
class Agencies:
    axis: MemoryAxis
    a: ExchangeService
    b: ExchangeService
    b_store: Store

    def sent_and_received(self, number: int = 1) -> str:
        self.a.send(sample_document(number))
        (result,) = self.b.receive()
        assert result.outcome == "registered"
        return result.document_id

    def answers(self, document: str) -> list[str]:
        self.a.receive()
        return [e.status for e in self.a.history(document)]


def service(
    store: Store, axis: MemoryAxis, agency: AgencyCode, pki: FixturePKI, **kw: object
) -> ExchangeService:
    return agency_service(store, axis.connect(agency), pki, **kw)


@pytest.fixture
def agencies(pki: FixturePKI) -> Iterator[Agencies]:
    axis = MemoryAxis()
    with egovkit.open("memory://") as a, egovkit.open("memory://") as b:
        yield Agencies(
            axis=axis,
            a=service(a, axis, SENDER, pki),
            b=service(b, axis, RECIPIENT, pki),
            b_store=b,
        )


def test_a_recall_marks_the_registered_document_and_keeps_it(agencies: Agencies) -> None:
    target = agencies.sent_and_received()
    agencies.a.revoke(sample_document(1), reason="Gửi nhầm đơn vị")
    agencies.a.flush()
    (result,) = agencies.b.receive()
    assert (result.outcome, result.document_id) == ("recalled", target)
    record = agencies.b_store.records.get(INBOX, target)
    assert record.data["standing"] == "recalled"
    assert record.data["arrival_number"] == 1  # still in the register
    (change,) = agencies.b.changes(target)
    assert change.kind is BusinessType.REVOKE
    assert change.reason == "Gửi nhầm đơn vị"
    assert change.sender == SENDER
    assert len(list(agencies.b_store.documents.all())) == 1  # nothing new registered, nothing gone
    assert agencies.answers(target) == ["01", "03", StatusCode.REQUEST_ACCEPTED.wire]
    agencies.b_store.audit.verify()


def test_an_update_keeps_the_earlier_version(agencies: Agencies) -> None:
    target = agencies.sent_and_received()
    before = agencies.b_store.records.get(INBOX, target).data["document_key"]
    corrected = attrs.evolve(sample_document(1), subject="V/v liên thông văn bản (bản sửa)")
    agencies.a.update(corrected, reason="Sửa trích yếu")
    agencies.a.flush()
    (result,) = agencies.b.receive()
    assert result.outcome == "updated"
    record = agencies.b_store.records.get(INBOX, target)
    assert record.data["standing"] == "updated"
    (change,) = agencies.b.changes(target)
    assert change.kind is BusinessType.UPDATE
    assert change.previous_key == before
    assert change.document_key == record.data["document_key"] != before
    assert agencies.b_store.documents.get(change.document_key).document.subject == corrected.subject
    assert agencies.b_store.documents.get(before).document.subject == sample_document(1).subject
    second = attrs.evolve(corrected, subject="V/v liên thông văn bản (bản sửa lần 2)")
    agencies.a.update(second, reason="Sửa lần 2")
    agencies.a.flush()
    assert [r.outcome for r in agencies.b.receive()] == ["updated"]
    assert [c.reason for c in agencies.b.changes(target)] == ["Sửa trích yếu", "Sửa lần 2"]
    assert agencies.answers(target)[-2:] == ["15", "15"]


def test_a_replacement_is_registered_and_marks_what_it_replaces(agencies: Agencies) -> None:
    old = agencies.sent_and_received(1)
    new_document = sample_document(2)
    agencies.a.replace(new_document, replaces=[old], reason="Thay thế văn bản số 01")
    agencies.a.flush()
    (result,) = agencies.b.receive()
    assert result.outcome == "registered"
    assert result.arrival_number == 2
    assert result.document_id == document_id(new_document)
    assert old in result.reason
    record = agencies.b_store.records.get(INBOX, old)
    assert record.data["standing"] == "replaced"
    assert record.data["replaced_by"] == result.document_id
    (change,) = agencies.b.changes(old)
    assert change.kind is BusinessType.REPLACE
    assert change.replaced_by == result.document_id
    assert len(list(agencies.b_store.documents.all())) == 2


def test_a_recall_of_an_unknown_document_is_refused_with_16(agencies: Agencies) -> None:
    agencies.a.revoke(sample_document(9), reason="Thu hồi")
    agencies.a.flush()
    (result,) = agencies.b.receive()
    assert result.outcome == "refused"
    assert "không tìm thấy" in result.reason
    target = document_id(sample_document(9))
    assert agencies.answers(target) == [StatusCode.REQUEST_REFUSED.wire]
    assert agencies.b.changes(target) == ()


def test_a_recall_twice_is_refused_the_second_time(agencies: Agencies) -> None:
    target = agencies.sent_and_received()
    agencies.a.revoke(sample_document(1), reason="Gửi nhầm")
    agencies.a.flush()
    assert [r.outcome for r in agencies.b.receive()] == ["recalled"]
    agencies.a.revoke(sample_document(1), reason="Gửi nhầm (lần 2)")
    agencies.a.flush()
    (again,) = agencies.b.receive()
    assert again.outcome == "refused"
    assert "already recalled" in again.reason
    assert len(agencies.b.changes(target)) == 1


def test_the_same_recall_delivered_twice_is_applied_once(pki: FixturePKI) -> None:
    axis = MemoryAxis(duplicate_listings=True)
    with egovkit.open("memory://") as a, egovkit.open("memory://") as b:
        sender = service(a, axis, SENDER, pki)
        receiver = service(b, axis, RECIPIENT, pki)
        sender.send(sample_document(1))
        receiver.receive()
        sender.revoke(sample_document(1), reason="Gửi nhầm")
        sender.flush()
        outcomes = sorted(r.outcome for r in receiver.receive())
        assert outcomes == ["duplicate", "recalled"]
        assert len(receiver.changes(document_id(sample_document(1)))) == 1


def test_an_unsigned_recall_changes_nothing(pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with egovkit.open("memory://") as a, egovkit.open("memory://") as b:
        sender = service(a, axis, SENDER, pki)
        receiver = service(b, axis, RECIPIENT, pki)
        sender.send(sample_document(1))
        receiver.receive()
        unsigned = service(a, axis, SENDER, pki, signer=None)
        unsigned.revoke(sample_document(1), reason="Thu hồi")
        unsigned.flush()
        (result,) = receiver.receive()
        assert result.outcome == "refused"
        assert "chữ ký số" in result.reason
        target = document_id(sample_document(1))
        assert b.records.get(INBOX, target).data.get("standing") is None


def test_another_agency_cannot_recall_a_document(pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with (
        egovkit.open("memory://") as a,
        egovkit.open("memory://") as b,
        egovkit.open("memory://") as c,
    ):
        service(a, axis, SENDER, pki).send(sample_document(1))
        receiver = service(b, axis, RECIPIENT, pki)
        receiver.receive()
        intruder = service(c, axis, THIRD, pki)
        genuine = sample_document(1)
        assert genuine.issuer is not None
        forged = attrs.evolve(genuine, issuer=attrs.evolve(genuine.issuer, code=THIRD))
        business = attrs.evolve(
            intruder._business(forged, BusinessType.REVOKE, "Thu hồi"),
            document_id=document_id(sample_document(1)),
        )
        intruder.submit(forged, business=business)
        intruder.flush()
        (result,) = receiver.receive()
        assert result.outcome == "refused"
        assert "another agency" in result.reason
        target = document_id(sample_document(1))
        assert b.records.get(INBOX, target).data.get("standing") is None
        assert receiver.changes(target) == ()


def test_a_recall_needs_a_reason(agencies: Agencies) -> None:
    from egovkit.errors import ValidationError

    with pytest.raises(ValidationError):
        agencies.a.revoke(sample_document(1), reason=" ")
