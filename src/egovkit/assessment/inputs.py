"""Indicator values of the assessed units (đơn vị được đánh giá), read from CSV or JSON.

Input files come from dozens of agencies and are treated as hostile: sizes, row and column counts
and cell lengths are capped, numbers are read as decimals (``29,9%`` and ``5/20`` included),
``NaN`` and infinities are refused, and every error names the row and column at fault.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import attrs

from egovkit.assessment._numbers import CONTEXT
from egovkit.errors import ParseError, UnsafeInputError
from egovkit.errors import ValidationError as _ValidationError
from egovkit.findings import Finding
from egovkit.text import clean

#: Default limits for one input file; pass others to the readers when you need more.
MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_UNITS = 1_000_000
MAX_COLUMNS = 2_000
MAX_CELL_CHARS = 256
_PLAIN = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,20})?")
_MISSING = frozenset({"", "-", "—", "n/a", "na", "null"})
_TRUE = frozenset({"true", "yes", "có", "co", "đạt", "1"})
_FALSE = frozenset({"false", "no", "không", "khong", "chưa", "0"})


@attrs.frozen(kw_only=True)
class Measure:
    """One indicator value: a number, or a numerator over a ``denominator`` (``5/20``)."""

    value: Decimal
    denominator: Decimal | None = None

    @property
    def is_fraction(self) -> bool:
        """True when the value carries its own denominator."""
        return self.denominator is not None

    def rate(self) -> Decimal | None:
        """The value, or numerator ÷ denominator; ``None`` when the denominator is zero."""
        if self.denominator is None:
            return self.value
        if self.denominator == 0:
            return None
        return CONTEXT.divide(self.value, self.denominator)

    def __str__(self) -> str:
        return (
            f"{self.value}/{self.denominator}" if self.denominator is not None else str(self.value)
        )


@attrs.frozen(kw_only=True)
class UnitInput:
    """Everything known about one assessed unit: its name, attributes and indicator values.

    ``attributes`` hold text such as ``level`` (``province``, ``district``, ``commune``: cấp
    tỉnh, huyện, xã); ``merged_from`` lists predecessor units after a merger (sáp nhập).
    """

    unit: str = attrs.field(converter=clean)
    values: Mapping[str, Measure] = attrs.field(factory=dict, hash=False)
    attributes: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    merged_from: tuple[str, ...] = ()


def parse_measure(text: str, *, where: str = "") -> Measure | None:
    """Read one cell: ``0.95``, ``95%``, ``29,9%``, ``5/20``, ``có``/``không``; ``None`` when empty.

    >>> from egovkit.assessment import parse_measure
    >>> parse_measure("29,9%")
    Measure(value=Decimal('0.299'), denominator=None)
    >>> str(parse_measure("5/20"))
    '5/20'
    """
    if _PLAIN.fullmatch(text):  # the common case, 0.8253: no folding, no unit suffix
        return Measure(value=Decimal(text))
    raw = clean(text)
    if len(raw) > MAX_CELL_CHARS:
        raise UnsafeInputError(
            f"value longer than {MAX_CELL_CHARS} characters",
            code="assessment.input.cell",
            where=where,
        )
    key = raw.casefold()
    if key in _MISSING:
        return None
    if key in _TRUE:
        return Measure(value=Decimal(1))
    if key in _FALSE:
        return Measure(value=Decimal(0))
    if "/" in raw:
        top, _, bottom = raw.partition("/")
        return Measure(value=_number(top, where), denominator=_number(bottom, where))
    return Measure(value=_number(raw, where))


def _number(text: str, where: str) -> Decimal:
    raw = text.strip().replace(" ", "")
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1]
    if "," in raw:
        if "." in raw or raw.count(",") > 1:
            raise ParseError(
                f"ambiguous number {text!r}: use one decimal separator and no thousands separator",
                code="assessment.input.number",
                where=where,
            )
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ParseError(
            f"not a number: {text!r}", code="assessment.input.number", where=where
        ) from None
    if not number.is_finite():
        raise ParseError(
            f"not a finite number: {text!r}", code="assessment.input.number", where=where
        )
    if number and abs(number.adjusted()) > 30:
        raise UnsafeInputError(
            f"number out of any plausible range: {text!r}",
            code="assessment.input.magnitude",
            where=where,
        )
    return CONTEXT.divide(number, 100) if percent else number


def _measure_from_json(value: object, where: str) -> Measure | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return Measure(value=Decimal(int(value)))
    if isinstance(value, (int, Decimal)):
        return parse_measure(str(value), where=where)
    if isinstance(value, float):  # from Python callers: the shortest text of the float
        return parse_measure(repr(value), where=where)
    if isinstance(value, str):
        return parse_measure(value, where=where)
    if isinstance(value, Mapping) and set(value) == {"numerator", "denominator"}:
        top = _measure_from_json(value["numerator"], f"{where}.numerator")
        bottom = _measure_from_json(value["denominator"], f"{where}.denominator")
        if top is None or bottom is None or top.is_fraction or bottom.is_fraction:
            raise ParseError(
                "numerator and denominator must both be numbers",
                code="assessment.input.value",
                where=where,
            )
        return Measure(value=top.value, denominator=bottom.value)
    raise ParseError(
        f"not an indicator value: {type(value).__name__}",
        code="assessment.input.value",
        where=where,
    )


def units_from_records(
    records: Iterable[Mapping[str, object]],
    *,
    attributes: Sequence[str] = (),
    indicators: Collection[str] | None = None,
    max_units: int = MAX_UNITS,
    where: str = "input",
) -> list[UnitInput]:
    """Build units from flat records (``{"unit": …, "awareness": …}``) or nested ones
    (``{"unit": …, "attributes": {…}, "values": {…}}``).

    Columns named ``X.numerator`` and ``X.denominator`` together make the fraction value of X.
    With ``indicators`` (a rule set's indicator ids), any other value key is refused before its
    values are read, so a stray text column is reported as unknown, not as a bad number.
    """
    units: list[UnitInput] = []
    seen: set[str] = set()
    wanted = set(attributes)
    for n, record in enumerate(records):
        here = f"{where}[{n}]"
        if n >= max_units:
            raise UnsafeInputError(
                f"more than {max_units} units", code="assessment.input.too_many_units", where=here
            )
        if not isinstance(record, Mapping):
            raise ParseError(
                "expected an object per unit", code="assessment.input.shape", where=here
            )
        if len(record) > MAX_COLUMNS:
            raise UnsafeInputError(
                f"more than {MAX_COLUMNS} fields",
                code="assessment.input.too_many_columns",
                where=here,
            )
        flat = dict(record)
        nested_values = flat.pop("values", None)
        nested_attributes = flat.pop("attributes", None)
        merged_from = _names(flat.pop("merged_from", None), f"{here}.merged_from")
        name = flat.pop("unit", None)
        if not isinstance(name, str) or not clean(name):
            raise ParseError(
                "missing unit name", code="assessment.input.unit", where=f"{here}.unit"
            )
        unit_name = clean(name)
        if len(unit_name) > MAX_CELL_CHARS:
            raise UnsafeInputError(
                f"unit name longer than {MAX_CELL_CHARS} characters",
                code="assessment.input.cell",
                where=f"{here}.unit",
            )
        if unit_name in seen:
            raise _ValidationError(
                f"unit {unit_name!r} appears twice",
                code="assessment.input.duplicate_unit",
                where=f"{here}.unit",
                findings=[
                    Finding(
                        code="assessment.input.duplicate_unit",
                        where=f"{here}.unit",
                        message=f"unit {unit_name!r} appears twice",
                    )
                ],
            )
        seen.add(unit_name)
        attrs_out: dict[str, str] = {}
        raw_values: dict[str, object] = {}
        for key, value in flat.items():
            if key in wanted:
                attrs_out[key] = _attribute(value, f"{here}.{key}")
            else:
                raw_values[key] = value
        for label, extra, into in (
            ("attributes", nested_attributes, attrs_out),
            ("values", nested_values, raw_values),
        ):
            if extra is None:
                continue
            if not isinstance(extra, Mapping):
                raise ParseError(
                    f"{label} must be an object", code="assessment.input.shape", where=here
                )
            if len(extra) > MAX_COLUMNS:
                raise UnsafeInputError(
                    f"more than {MAX_COLUMNS} {label}",
                    code="assessment.input.too_many_columns",
                    where=f"{here}.{label}",
                )
            for key, value in extra.items():
                into[str(key)] = (
                    _attribute(value, f"{here}.{label}.{key}") if label == "attributes" else value
                )
        if indicators is not None:
            _refuse_unknown(raw_values, indicators, here)
        units.append(
            UnitInput(
                unit=unit_name,
                values=_values(raw_values, here),
                attributes={k: v for k, v in attrs_out.items() if v},  # empty = absent
                merged_from=merged_from,
            )
        )
    return units


def _base(key: str) -> str:
    base, dot, part = key.rpartition(".")
    return base if dot and part in ("numerator", "denominator") else key


def _refuse_unknown(keys: Iterable[str], indicators: Collection[str], where: str) -> None:
    unknown = sorted({k for k in keys if _base(k) not in indicators})
    if not unknown:
        return
    findings = [
        Finding(
            code="assessment.input.unknown_indicator",
            where=f"{where}.{key}" if where else key,
            message=f"{key!r} is neither an indicator of the rule set nor an attribute",
        )
        for key in unknown
    ]
    raise _ValidationError(
        f"unknown column(s) {', '.join(unknown)}: not indicators of the rule set",
        code="assessment.input.unknown_indicator",
        where=findings[0].where,
        findings=findings,
    )


def _names(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_COLUMNS:
        raise ParseError(
            "expected a list of unit names", code="assessment.input.shape", where=where
        )
    return tuple(_attribute(v, f"{where}[{i}]") for i, v in enumerate(value))


def units_to_records(units: Iterable[UnitInput]) -> list[dict[str, Any]]:
    """The nested JSON-ready form :func:`units_from_records` reads back (values as text, so
    decimals stay exact: ``"0.8253"``, ``"5/20"``)."""
    out: list[dict[str, Any]] = []
    for unit in units:
        record: dict[str, Any] = {
            "unit": unit.unit,
            "attributes": dict(unit.attributes),
            "values": {k: str(m) for k, m in unit.values.items()},
        }
        if unit.merged_from:
            record["merged_from"] = list(unit.merged_from)
        out.append(record)
    return out


def units_to_json(units: Iterable[UnitInput]) -> str:
    """Units as the JSON :func:`read_units_json` reads (e.g. merged inputs to keep on file)."""
    return json.dumps({"units": units_to_records(units)}, ensure_ascii=False, indent=2) + "\n"


def units_to_csv(units: Sequence[UnitInput]) -> str:
    """Units as the CSV :func:`read_units_csv` reads: ``unit``, the attribute columns, then one
    column per indicator (fractions as ``5/20``). Read it back with the same ``attributes``;
    ``merged_from`` is not kept (use JSON for that)."""
    attributes = sorted({k for u in units for k in u.attributes})
    indicators = sorted({k for u in units for k in u.values})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", *attributes, *indicators])
    for unit in units:
        writer.writerow(
            [
                unit.unit,
                *(unit.attributes.get(a, "") for a in attributes),
                *(str(unit.values[i]) if i in unit.values else "" for i in indicators),
            ]
        )
    return buffer.getvalue()


def _attribute(value: object, where: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_CELL_CHARS:
        raise ParseError(
            "an attribute must be short text", code="assessment.input.attribute", where=where
        )
    return clean(value)


def _values(raw: Mapping[str, object], where: str) -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    pairs: dict[str, dict[str, object]] = {}
    for key, value in raw.items():
        base, dot, part = key.rpartition(".")
        if dot and part in ("numerator", "denominator"):
            pairs.setdefault(base, {})[part] = value
            continue
        measure = _measure_from_json(value, f"{where}.{key}")
        if measure is not None:
            out[key] = measure
    for base, parts in pairs.items():
        if base in out:
            raise ParseError(
                f"{base} given both as a value and as numerator/denominator",
                code="assessment.input.shape",
                where=f"{where}.{base}",
            )
        top = _measure_from_json(parts.get("numerator"), f"{where}.{base}.numerator")
        bottom = _measure_from_json(parts.get("denominator"), f"{where}.{base}.denominator")
        if top is None and bottom is None:
            continue
        if top is None or bottom is None or top.is_fraction or bottom.is_fraction:
            raise ParseError(
                f"{base} needs both a numerator and a denominator",
                code="assessment.input.value",
                where=f"{where}.{base}",
            )
        out[base] = Measure(value=top.value, denominator=bottom.value)
    return out


def _bounded_text(source: str | os.PathLike[str] | IO[str], max_bytes: int, what: str) -> str:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ParseError(
                f"cannot read {what} {os.fspath(source)!r}: {exc.strerror}", code="io.read"
            ) from exc
        if size > max_bytes:
            raise UnsafeInputError(
                f"{what} is {size} bytes, more than the limit of {max_bytes}",
                code="assessment.input.size",
            )
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ParseError(f"cannot read {what}: {exc}", code="io.read") from exc
    text = source.read(max_bytes + 1)
    if len(text) > max_bytes:
        raise UnsafeInputError(
            f"{what} is larger than the limit of {max_bytes}", code="assessment.input.size"
        )
    return text.removeprefix("\ufeff")


def read_units_csv(
    source: str | os.PathLike[str] | IO[str],
    *,
    attributes: Sequence[str] = (),
    indicators: Collection[str] | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    max_units: int = MAX_UNITS,
) -> list[UnitInput]:
    """Units from a CSV file with a ``unit`` column, attribute columns and indicator columns.

    Cells are read with :func:`parse_measure`; an empty cell is a missing value.
    """
    text = _bounded_text(source, max_bytes, "input CSV")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError("input CSV is empty", code="assessment.input.empty") from None
    except csv.Error as exc:
        raise ParseError(f"input CSV: {exc}", code="assessment.input.csv") from exc
    header = [clean(h) for h in header]
    if len(header) > MAX_COLUMNS:
        raise UnsafeInputError(
            f"more than {MAX_COLUMNS} columns", code="assessment.input.too_many_columns"
        )
    if "unit" not in header:
        raise ParseError(
            "input CSV has no 'unit' column", code="assessment.input.unit", where="header"
        )
    if indicators is not None:
        wanted = {"unit", *attributes}
        _refuse_unknown((h for h in header if h not in wanted), indicators, "")
    if len(set(header)) != len(header) or "" in header:
        raise ParseError(
            "input CSV has empty or repeated column names",
            code="assessment.input.header",
            where="header",
        )

    def rows() -> Iterable[dict[str, object]]:
        try:
            for number, row in enumerate(reader, start=2):
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise ParseError(
                        f"row {number} has {len(row)} cells, the header has {len(header)}",
                        code="assessment.input.row",
                        where=f"row {number}",
                    )
                yield dict(zip(header, row, strict=True))
        except csv.Error as exc:
            raise ParseError(
                f"input CSV: {exc}", code="assessment.input.csv", where=f"line {reader.line_num}"
            ) from exc

    return units_from_records(rows(), attributes=attributes, max_units=max_units, where="row")


def read_units_json(
    source: str | os.PathLike[str] | IO[str],
    *,
    attributes: Sequence[str] = (),
    indicators: Collection[str] | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    max_units: int = MAX_UNITS,
) -> list[UnitInput]:
    """Units from JSON: a list of unit objects, or ``{"units": [...]}`` (see
    :func:`units_from_records`)."""
    text = _bounded_text(source, max_bytes, "input JSON")
    try:
        data: Any = json.loads(
            text, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant
        )
    except RecursionError as exc:
        raise UnsafeInputError(
            "input JSON nested too deeply", code="assessment.input.depth"
        ) from exc
    except ValueError as exc:
        raise ParseError(
            f"input is not JSON: {exc}",
            code="assessment.input.syntax",
            position=getattr(exc, "pos", None),
        ) from exc
    if isinstance(data, Mapping):
        data = data.get("units")
    if not isinstance(data, list):
        raise ParseError(
            'input JSON must be a list of units or {"units": [...]}',
            code="assessment.input.shape",
        )
    return units_from_records(
        data, attributes=attributes, indicators=indicators, max_units=max_units, where="units"
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not an indicator value")


def read_units(
    path: str | os.PathLike[str],
    *,
    attributes: Sequence[str] = (),
    indicators: Collection[str] | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> list[UnitInput]:
    """Units from a ``.csv`` or ``.json`` file, chosen by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_units_csv(
            path, attributes=attributes, indicators=indicators, max_bytes=max_bytes
        )
    if suffix == ".json":
        return read_units_json(
            path, attributes=attributes, indicators=indicators, max_bytes=max_bytes
        )
    raise ParseError(
        f"cannot tell the input format of {os.fspath(path)!r}: use .csv or .json",
        code="assessment.input.format",
    )


__all__ = [
    "MAX_INPUT_BYTES",
    "Measure",
    "UnitInput",
    "parse_measure",
    "read_units",
    "read_units_csv",
    "read_units_json",
    "units_from_records",
    "units_to_csv",
    "units_to_json",
    "units_to_records",
]
