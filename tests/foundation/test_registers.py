from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import attrs
import pytest

from egovkit.documents import (
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Register,
    Registrar,
    Secrecy,
)
from egovkit.errors import ValidationError
from egovkit.ports import SequenceKey
from egovkit.storage import MemorySequenceAllocator


def _issue(
    registrar: Registrar, register: Register, document: Document, **changes: object
) -> tuple[int, str]:
    entry = registrar.register_outgoing(
        register,
        attrs.evolve(document, **changes),  # type: ignore[arg-type]
        issuer_abbreviation="UBND",
    )
    return entry.number, str(entry.document.number)


def test_outgoing_numbers_run_from_one_each_year(
    egov_registrar: Registrar, egov_outgoing_register: Register, egov_document: Document
) -> None:
    issued = [
        _issue(
            egov_registrar,
            egov_outgoing_register,
            egov_document,
            issued_on=dt.date(2026, 12, 30 + i),
        )
        for i in range(2)
    ]
    issued.append(
        _issue(egov_registrar, egov_outgoing_register, egov_document, issued_on=dt.date(2027, 1, 1))
    )
    assert issued == [(1, "01/QĐ-UBND"), (2, "02/QĐ-UBND"), (1, "01/QĐ-UBND")]


def test_secret_documents_have_their_own_sequence(
    egov_registrar: Registrar, egov_outgoing_register: Register, egov_document: Document
) -> None:
    ordinary = _issue(egov_registrar, egov_outgoing_register, egov_document)
    secret = _issue(
        egov_registrar,
        egov_outgoing_register,
        egov_document,
        secrecy=Secrecy.SECRET,
        type=DocumentType.get("plan"),
    )
    ordinary_again = _issue(egov_registrar, egov_outgoing_register, egov_document)
    assert (ordinary, secret, ordinary_again) == (
        (1, "01/QĐ-UBND"),
        (1, "01/KH-UBND"),
        (2, "02/QĐ-UBND"),
    )


def test_a_refused_document_takes_no_number(
    egov_registrar: Registrar,
    egov_outgoing_register: Register,
    egov_document: Document,
    egov_allocator: MemorySequenceAllocator,
) -> None:
    with pytest.raises(ValidationError) as caught:
        _issue(egov_registrar, egov_outgoing_register, egov_document, subject=None, signer=None)
    assert {f.where for f in caught.value.findings} == {"subject", "signer"}
    assert egov_allocator.current(egov_outgoing_register.sequence(2026, secret=False)) == 0
    assert _issue(egov_registrar, egov_outgoing_register, egov_document)[0] == 1


def test_an_undated_document_cannot_be_numbered(
    egov_registrar: Registrar, egov_outgoing_register: Register, egov_document: Document
) -> None:
    with pytest.raises(ValidationError) as caught:
        _issue(egov_registrar, egov_outgoing_register, egov_document, issued_on=None)
    assert caught.value.code == "register.no_date"


def test_incoming_documents_get_arrival_numbers_by_year_of_arrival(
    egov_registrar: Registrar, egov_incoming_register: Register, egov_document: Document
) -> None:
    incoming = attrs.evolve(
        egov_document,
        direction=Direction.INCOMING,
        number=DocumentNumber.parse("15/QĐ-BNV"),
        issued_on=dt.date(2026, 12, 29),
    )
    first = egov_registrar.register_incoming(
        egov_incoming_register, incoming, received_on=dt.date(2026, 12, 31)
    )
    second = egov_registrar.register_incoming(
        egov_incoming_register, incoming, received_on=dt.date(2027, 1, 2)
    )
    assert (first.number, first.year, second.number, second.year) == (1, 2026, 1, 2027)
    assert second.document.number == DocumentNumber.parse("15/QĐ-BNV")


def test_registers_refuse_the_wrong_direction(
    egov_registrar: Registrar, egov_incoming_register: Register, egov_document: Document
) -> None:
    with pytest.raises(ValidationError) as caught:
        egov_registrar.register_outgoing(
            egov_incoming_register, egov_document, issuer_abbreviation="UBND"
        )
    assert caught.value.code == "register.direction"


def test_sequence_keys_separate_agency_register_year_and_secrecy() -> None:
    register = Register(
        agency=__import__("egovkit").agencies.AgencyCode.province("H41"),
        direction=Direction.OUTGOING,
        name="Quyết định",
    )
    keys = {
        register.sequence(2026, secret=False),
        register.sequence(2026, secret=True),
        register.sequence(2027, secret=False),
        attrs.evolve(register, name="main").sequence(2026, secret=False),
    }
    assert len(keys) == 4
    assert (
        str(register.sequence(2026, secret=True))
        == "register/000.00.00.H41/outgoing/Quyết định/2026/secret"
    )
    with pytest.raises(ValidationError):
        SequenceKey("register", ("a/b",))


def test_memory_allocator_is_gap_free_under_threads() -> None:
    allocator = MemorySequenceAllocator()
    key = SequenceKey("test", ("k",))
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda _: allocator.allocate(key), range(2000)))
    assert sorted(numbers) == list(range(1, 2001))
    assert allocator.current(key) == 2000
