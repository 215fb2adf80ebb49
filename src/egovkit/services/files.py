"""The procedure catalogue as a CSV file, one version per row, for people to keep in a
spreadsheet.

Columns (:data:`COLUMNS`): ``code``, ``name``, ``field``, ``competent_level``,
``processing_time`` (``"10 working_days"``), ``fees`` (``"Lệ phí=50000; Phí=0"``),
``components`` (names separated by ``;``), ``capabilities`` (names of
:class:`~egovkit.services.capabilities.Capability` separated by ``;``), ``agencies`` (codes
separated by ``;``), ``valid_from``, ``valid_to`` (ISO dates, ``valid_to`` may be empty).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from typing import Final

from egovkit._io import TextSource, read_text
from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration, DurationUnit
from egovkit.errors import EgovkitError, ParseError, ValidationError
from egovkit.findings import Finding
from egovkit.services.capabilities import capability_set
from egovkit.services.catalogue import (
    CompetentLevel,
    Component,
    FeeItem,
    Procedure,
    ProcedureCatalogue,
)
from egovkit.services.codes import ProcedureCode

#: The columns of the CSV form, in order.
COLUMNS: Final = (
    "code",
    "name",
    "field",
    "competent_level",
    "processing_time",
    "fees",
    "components",
    "capabilities",
    "agencies",
    "valid_from",
    "valid_to",
)


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _duration(text: str) -> Duration | None:
    if not text.strip():
        return None
    amount, _, unit = text.strip().partition(" ")
    try:
        return Duration(amount=int(amount), unit=DurationUnit(unit.strip()))
    except ValueError as exc:
        raise ParseError(
            f"{text!r} is not a processing time like '10 working_days'",
            code="services.csv.processing_time",
            where="processing_time",
        ) from exc


def _fee(text: str) -> FeeItem:
    name, sep, amount = text.rpartition("=")
    if not sep or not amount.strip().isdigit():
        raise ParseError(
            f"{text!r} is not a fee like 'Lệ phí=50000'", code="services.csv.fees", where="fees"
        )
    return FeeItem(name=name, amount=int(amount))


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ParseError(
            f"{where} {text!r} is not an ISO date", code="services.csv.date", where=where
        ) from exc


def procedure_from_row(row: Mapping[str, str | None]) -> Procedure:
    """One procedure version from a CSV row (missing optional cells read as empty)."""

    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    until = cell("valid_to")
    try:
        level = CompetentLevel(cell("competent_level"))
    except ValueError as exc:
        raise ParseError(
            f"{cell('competent_level')!r} is not a level of government "
            f"({', '.join(v.value for v in CompetentLevel)})",
            code="services.csv.competent_level",
            where="competent_level",
        ) from exc
    return Procedure(
        code=ProcedureCode.parse(cell("code")),
        name=cell("name"),
        field=cell("field"),
        competent_level=level,
        processing_time=_duration(cell("processing_time")),
        fees=[_fee(f) for f in _items(cell("fees"))],
        components=[Component(name=n) for n in _items(cell("components"))],
        capabilities=capability_set(_items(cell("capabilities"))),
        agencies=[AgencyCode.parse(a) for a in _items(cell("agencies"))],
        valid_from=_date(cell("valid_from"), "valid_from"),
        valid_to=_date(until, "valid_to") if until else None,
    )


def read_catalogue_csv(source: TextSource) -> ProcedureCatalogue:
    """Read a catalogue CSV; every bad row is reported in one
    :class:`~egovkit.errors.ValidationError` naming its line and column."""
    text = read_text(source, what="procedure catalogue")
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name", "competent_level", "valid_from"} - set(reader.fieldnames or ())
    if missing:
        raise ParseError(
            f"procedure catalogue CSV lacks column(s) {sorted(missing)}",
            code="services.csv.columns",
            where="header",
        )
    procedures: list[Procedure] = []
    findings: list[Finding] = []
    for line, row in enumerate(reader, start=2):
        try:
            procedures.append(procedure_from_row(row))
        except EgovkitError as exc:
            findings.append(
                Finding(code=exc.code, where=f"line {line}: {exc.where}", message=exc.message)
            )
    if findings:
        raise ValidationError.from_findings("procedure catalogue CSV", findings)
    return ProcedureCatalogue(procedures)


def procedure_to_row(procedure: Procedure) -> dict[str, str]:
    """The CSV row of one version; :func:`procedure_from_row` reads it back."""
    time = procedure.processing_time
    return {
        "code": str(procedure.code),
        "name": procedure.name,
        "field": procedure.field,
        "competent_level": procedure.competent_level.value,
        "processing_time": "" if time is None else f"{time.amount} {time.unit.value}",
        "fees": "; ".join(f"{f.name}={f.amount}" for f in procedure.fees),
        "components": "; ".join(c.name for c in procedure.components),
        "capabilities": "; ".join(sorted(c.value for c in procedure.capabilities)),
        "agencies": "; ".join(str(a) for a in procedure.agencies),
        "valid_from": procedure.valid_from.isoformat(),
        "valid_to": "" if procedure.valid_to is None else procedure.valid_to.isoformat(),
    }


def write_catalogue_csv(catalogue: ProcedureCatalogue) -> str:
    """The catalogue as CSV text with the header :data:`COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(procedure_to_row(p) for p in catalogue)
    return out.getvalue()


__all__ = [
    "COLUMNS",
    "procedure_from_row",
    "procedure_to_row",
    "read_catalogue_csv",
    "write_catalogue_csv",
]
