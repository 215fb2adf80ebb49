"""The JSON form of a dossier: round trip on random lives, and errors that name the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings

from egovkit.calendar import Duration
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Dossier,
    Payment,
    PaymentMethod,
    Result,
    dossier_from_dict,
    dossier_to_dict,
)
from egovkit.errors import ParseError
from egovkit.testing.strategies.dossiers import dossiers

from ._support import CALENDAR, INTER_AGENCY, at, received


@settings(max_examples=60)
@given(dossiers(CALENDAR))
def test_read_gives_back_what_write_wrote(dossier: Dossier) -> None:
    data = dossier_to_dict(dossier)
    assert dossier_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == dossier


def _full() -> Dossier:
    scan = Attachment(name="kq.pdf", media_type="application/pdf", size=3, sha256="b" * 64)
    dossier = received(at(2026, 3, 2, 9), procedure=INTER_AGENCY)
    dossier = dossier.start_processing(at=at(2026, 3, 2, 10), actor="cv", step="Thẩm định")
    dossier = dossier.request_payment(at=at(2026, 3, 3, 9), actor="cv")
    dossier = dossier.record_payment(
        Payment(amount=10, paid_at=at(2026, 3, 3, 10), method=PaymentMethod.CASH), actor="kt"
    )
    dossier = dossier.resume(at=at(2026, 3, 3, 11), actor="cv", calendar=CALENDAR)
    dossier = dossier.extend(
        at=at(2026, 3, 4, 9),
        actor="ld",
        reason="r",
        letter_reference="1/XL",
        calendar=CALENDAR,
        by=Duration.working_days(1),
    )
    return dossier.resolve(
        at=at(2026, 3, 5, 9),
        actor="ld",
        results=[Result(name="Giấy phép", issued_at=at(2026, 3, 5, 9), attachment=scan)],
    )


def test_every_part_round_trips() -> None:
    dossier = _full()
    data = dossier_to_dict(dossier)
    assert data["format"] == "egovkit.dossier/1"
    assert data["procedure"]["cutoff"] == "15:00:00"
    assert data["history"][0] == {
        "event": "receive",
        "from": None,
        "to": "received",
        "actor": "cb.tiepnhan",
        "at": "2026-03-02T09:00:00+07:00",
        "reason": "",
    }
    assert dossier_from_dict(data) == dossier


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(dossier_to_dict(_full()))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "where", "code"),
    [
        (lambda d: d.update(format="other"), "format", "dossier.json.format"),
        (lambda d: d.pop("status"), "status", "dossier.json.missing"),
        (lambda d: d.update(status="lost"), "status", "dossier.json.value"),
        (lambda d: d.update(due_at="2026-03-02T09:00:00"), "due_at", "calendar.naive_datetime"),
        (lambda d: d.update(code="X-1"), "code", "dossier.code.syntax"),
        (lambda d: d["fees"].append({"name": "x"}), "fees[0].amount", "dossier.json.missing"),
        (
            lambda d: d["payments"][0].update(amount="10"),
            "payments[0].amount",
            "dossier.json.type",
        ),
        (
            lambda d: d["procedure"]["processing_time"].update(unit="weeks"),
            "procedure.processing_time.unit",
            "dossier.json.value",
        ),
        (
            lambda d: d["history"][1].update(at="yesterday"),
            "history[1].at",
            "dossier.json.value",
        ),
    ],
)
def test_errors_name_the_field(change: Any, where: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        dossier_from_dict(_broken(change))
    assert caught.value.where == where
    assert caught.value.code == code


def test_not_a_mapping() -> None:
    with pytest.raises(ParseError):
        dossier_from_dict([1, 2])
