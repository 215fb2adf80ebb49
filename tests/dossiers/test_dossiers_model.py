"""The dossier value: its parts, its invariants over random lives, and immutability."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import given, settings

from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    TRANSITIONS,
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
    DossierStatus,
    Fee,
    FeeCollection,
    Identifier,
    IdentifierKind,
    Payment,
    PaymentMethod,
    Result,
)
from egovkit.errors import ValidationError
from egovkit.testing.strategies.dossiers import dossiers

from ._support import CALENDAR, SIMPLE, UNIT, at, received


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (IdentifierKind.PERSONAL_ID, "00109000123"),
        (IdentifierKind.PERSONAL_ID, "0010900012345"),
        (IdentifierKind.OLD_ID_CARD, "12345678"),
        (IdentifierKind.TAX_CODE, "010123456"),
        (IdentifierKind.OTHER, "  "),
        (IdentifierKind.AGENCY_CODE, "28.22.H17"),
    ],
)
def test_identifiers_are_checked(kind: IdentifierKind, value: str) -> None:
    with pytest.raises(ValidationError):
        Identifier(kind=kind, value=value)


def test_applicants() -> None:
    business = Applicant(
        kind=ApplicantKind.BUSINESS,
        name="Công ty Cổ phần Sông Hương",
        identifiers=[Identifier(kind=IdentifierKind.TAX_CODE, value="3300101234-001")],
    )
    assert business.identifier(IdentifierKind.TAX_CODE) == "3300101234-001"
    assert business.identifier(IdentifierKind.PERSONAL_ID) is None
    agency = Identifier(kind=IdentifierKind.AGENCY_CODE, value="000.00.00.H53")
    assert agency.value == "000.00.00.H53"
    with pytest.raises(ValidationError):
        Applicant(kind=ApplicantKind.CITIZEN, name=" ")
    # composed and decomposed Vietnamese compare equal
    assert Applicant(kind=ApplicantKind.CITIZEN, name="Nguye\u0302\u0303n") == Applicant(
        kind=ApplicantKind.CITIZEN, name="Nguyễn"
    )


def test_fees_payments_results_and_attachments() -> None:
    form = Attachment(name="to-khai.pdf", media_type="application/pdf", size=10, sha256="a" * 64)
    dossier = Dossier.receive(
        code=DossierCode(agency=UNIT, day=date(2026, 3, 2), number=1),
        procedure=SIMPLE,
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Phạm Minh"),
        channel=Channel.ONLINE,
        receiving_agency=UNIT,
        received_at=at(2026, 3, 2, 9),
        actor="cb",
        calendar=CALENDAR,
        fees=[
            Fee(name="Lệ phí", amount=50_000),
            Fee(name="Phí", amount=20_000, collection=FeeCollection.EXEMPT),
        ],
        attachments=[form],
    )
    assert dossier.fees_due == 50_000
    assert dossier.attachments == (form,)
    waiting = dossier.request_payment(at=at(2026, 3, 2, 10), actor="cv")
    paid = waiting.record_payment(
        Payment(
            amount=50_000, paid_at=at(2026, 3, 2, 11), method=PaymentMethod.ONLINE, reference="GD-1"
        ),
        actor="cổng thanh toán",
    )
    assert paid.amount_paid == 50_000
    assert paid.status is DossierStatus.AWAITING_PAYMENT
    assert paid.history[-1].event == "record_payment"
    done = paid.resolve(
        at=at(2026, 3, 3, 9),
        actor="ld",
        results=[Result(name="Giấy khai sinh", issued_at=at(2026, 3, 3, 9), reference="12/KS")],
    )
    assert done.results[0].reference == "12/KS"
    assert done.open_pause is None  # resolving ends the wait for payment
    with pytest.raises(ValidationError):
        Fee(name="x", amount=-1)


def test_instants_are_kept_in_vietnam_time_and_naive_ones_refused() -> None:
    dossier = received(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    assert dossier.received_at == at(2026, 3, 2, 9)
    assert dossier.received_at is not None
    assert dossier.received_at.utcoffset() is not None
    assert str(dossier.received_at.tzinfo) == "Asia/Ho_Chi_Minh"
    with pytest.raises(ValidationError):
        received(datetime(2026, 3, 2, 9))


def test_actions_return_new_dossiers() -> None:
    dossier = received(at(2026, 3, 2, 9))
    moved = dossier.start_processing(at=at(2026, 3, 2, 10), actor="cv")
    assert dossier.status is DossierStatus.RECEIVED
    assert moved.status is DossierStatus.PROCESSING
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        moved.status = DossierStatus.RESOLVED  # type: ignore[misc]


def test_competent_agency_may_differ_from_the_desk() -> None:
    province = DossierCode(agency=UNIT, day=date(2026, 3, 2), number=1).agency.parent
    assert province is not None
    dossier = Dossier.receive(
        code=DossierCode(agency=UNIT, day=date(2026, 3, 2), number=1),
        procedure=SIMPLE,
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Phạm Minh"),
        channel=Channel.DIRECT,
        receiving_agency=UNIT,
        competent_agency=province,
        received_at=at(2026, 3, 2, 9),
        actor="cb",
        calendar=CALENDAR,
    )
    assert dossier.competent_agency == province
    assert dossier.regime.routes_to_competent_authority


@settings(max_examples=60)
@given(dossiers(CALENDAR))
def test_every_life_keeps_the_invariants(dossier: Dossier) -> None:
    history = dossier.history
    assert history[0].source is None
    assert history[-1].target is dossier.status
    for before, after in itertools.pairwise(history):
        assert before.at <= after.at
        assert after.source is before.target
        assert after.source is after.target or after.target in TRANSITIONS[after.source]
    # a pause is open exactly when the state stops the clock
    assert (dossier.open_pause is not None) == dossier.status.stops_clock
    assert all(p.ended_at is not None for p in dossier.pauses[:-1])
    assert dossier.due_at is not None
    assert dossier.clock_started_at is not None
    assert dossier.due_at >= dossier.clock_started_at
    for extension in dossier.extensions:
        assert extension.new_due > extension.previous_due
    if dossier.status in (DossierStatus.RESOLVED, DossierStatus.RETURNED):
        assert dossier.finished_at is not None
        assert all(s.finished_at is not None for s in dossier.steps if s.started_at is not None)
    closed = dossier.closed_at
    assert (closed is None) == (
        dossier.status not in (DossierStatus.RESOLVED, DossierStatus.RETURNED)
        and not dossier.status.is_terminal
    )
