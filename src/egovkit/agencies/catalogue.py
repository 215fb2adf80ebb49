"""The agency catalogue: codes, names, parents and validity dates, loaded from the user's data.

The official code list is not published as data and codes may be reissued after mergers, so the
catalogue is data that users load (CSV or JSON), never constants in code. One code may appear in
several non-overlapping validity periods (a unit renamed or merged).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Final

import attrs

from egovkit._io import TextSource, read_text
from egovkit.agencies.codes import AgencyCode
from egovkit.errors import EgovkitError, NotFoundError, ParseError, ValidationError
from egovkit.findings import Finding
from egovkit.text import clean

#: Columns of the CSV form, in order. The JSON form is a list of objects with the same keys.
COLUMNS: Final = ("code", "name", "parent", "abbreviation", "valid_from", "valid_to")


def _optional_text(value: str | None) -> str | None:
    return clean(value) or None if value is not None else None


@attrs.frozen(kw_only=True)
class Agency:
    """One agency (cơ quan, tổ chức) during one validity period.

    ``valid_from`` is the first day it exists and ``valid_to`` the first day it no longer does
    (``None``: open-ended). ``abbreviation`` is what its document notations use (``"UBND"``).
    """

    code: AgencyCode
    name: str = attrs.field(converter=clean)
    parent: AgencyCode | None = None
    abbreviation: str | None = attrs.field(default=None, converter=_optional_text)
    valid_from: date | None = None
    valid_to: date | None = None

    def __attrs_post_init__(self) -> None:
        if not self.name:
            raise ValidationError("agency name is empty", code="agency.name", where="name")
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError(
                f"valid_to {self.valid_to} is not after valid_from {self.valid_from}",
                code="agency.validity",
                where="valid_to",
            )

    @property
    def effective_parent(self) -> AgencyCode | None:
        """The explicit parent, or else the one the code's structure implies."""
        return self.parent if self.parent is not None else self.code.parent

    def is_valid_on(self, day: date) -> bool:
        """True when the agency exists on ``day``."""
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day < self.valid_to)


class AgencyCatalogue:
    """Agencies by code and date. Overlapping periods for one code are refused."""

    def __init__(self, agencies: Iterable[Agency] = ()) -> None:
        periods: dict[AgencyCode, list[Agency]] = defaultdict(list)
        for agency in agencies:
            periods[agency.code].append(agency)
        findings = [f for code, items in periods.items() for f in _overlaps(code, items)]
        if findings:
            raise ValidationError.from_findings("agency catalogue", findings)
        self._periods = {
            code: sorted(items, key=lambda a: a.valid_from or date.min)
            for code, items in periods.items()
        }

    # -- reading ------------------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, source: str) -> AgencyCatalogue:
        """Build from mappings with the keys of :data:`COLUMNS`; every bad row is reported."""
        agencies: list[Agency] = []
        findings: list[Finding] = []
        for number, record in enumerate(records, start=1):
            try:
                agencies.append(_agency_from_record(record))
            except EgovkitError as exc:
                findings.append(
                    Finding(
                        code=exc.code,
                        where=f"{source} record {number}: {exc.where or 'record'}",
                        message=exc.message,
                    )
                )
        if findings:
            raise ValidationError.from_findings(f"agency catalogue {source}", findings)
        return cls(agencies)

    @classmethod
    def read_csv(cls, source: TextSource) -> AgencyCatalogue:
        """Load a CSV file with the header :data:`COLUMNS` (extra columns are ignored)."""
        text = read_text(source, what="agency catalogue")
        reader = csv.DictReader(io.StringIO(text))
        missing = {"code", "name"} - set(reader.fieldnames or ())
        if missing:
            raise ParseError(
                f"agency catalogue CSV lacks column(s) {sorted(missing)}",
                code="agency_catalogue.columns",
                where="header",
            )
        return cls.from_records(reader, source="CSV")

    @classmethod
    def read_json(cls, source: TextSource) -> AgencyCatalogue:
        """Load a JSON list of objects with the keys of :data:`COLUMNS`."""
        try:
            data = json.loads(read_text(source, what="agency catalogue"))
        except (ValueError, RecursionError) as exc:
            raise ParseError(
                f"agency catalogue is not valid JSON: {exc}", code="agency_catalogue.json"
            ) from exc
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ParseError(
                "agency catalogue JSON must be a list of objects", code="agency_catalogue.json"
            )
        return cls.from_records(data, source="JSON")

    # -- writing ------------------------------------------------------------------------------
    def to_records(self) -> list[dict[str, str]]:
        """Plain records, in code order then period order; ``from_records`` reads them back."""
        return [_record_from_agency(a) for a in self]

    def to_csv(self) -> str:
        """The catalogue as CSV text (header :data:`COLUMNS`)."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_records())
        return out.getvalue()

    def to_json(self) -> str:
        """The catalogue as a JSON list, UTF-8 text with Vietnamese kept readable."""
        return json.dumps(self.to_records(), ensure_ascii=False, indent=1)

    # -- looking up ---------------------------------------------------------------------------
    def find(self, code: AgencyCode | str, *, on: date | None = None) -> Agency | None:
        """The agency with ``code`` on ``on`` (default: the latest period), or None."""
        periods = self._periods.get(_as_code(code), [])
        if on is None:
            return periods[-1] if periods else None
        return next((a for a in periods if a.is_valid_on(on)), None)

    def get(self, code: AgencyCode | str, *, on: date | None = None) -> Agency:
        """Like :meth:`find`, but a missing agency raises :class:`~egovkit.errors.NotFoundError`."""
        agency = self.find(code, on=on)
        if agency is None:
            when = f" on {on}" if on else ""
            raise NotFoundError(
                f"no agency {code}{when} in the catalogue", code="agency.not_found", where="code"
            )
        return agency

    def children(self, code: AgencyCode | str, *, on: date | None = None) -> list[Agency]:
        """Agencies whose parent is ``code`` (on ``on``, when given), in code order."""
        parent = _as_code(code)
        return [a for a in self._current(on) if a.effective_parent == parent]

    def ancestors(self, code: AgencyCode | str, *, on: date | None = None) -> list[Agency]:
        """Known agencies above ``code``, nearest first (following explicit parents)."""
        chain: list[Agency] = []
        seen: set[AgencyCode] = set()
        node = self.get(code, on=on).effective_parent
        while node is not None and node not in seen:
            seen.add(node)
            agency = self.find(node, on=on)
            if agency is None:
                break
            chain.append(agency)
            node = agency.effective_parent
        return chain

    def _current(self, on: date | None) -> Iterator[Agency]:
        for code in sorted(self._periods, key=str):
            agency = self.find(code, on=on)
            if agency is not None:
                yield agency

    def __iter__(self) -> Iterator[Agency]:
        for code in sorted(self._periods, key=str):
            yield from self._periods[code]

    def __len__(self) -> int:
        return sum(len(p) for p in self._periods.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, (AgencyCode, str)) and _as_code(code) in self._periods

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AgencyCatalogue):
            return NotImplemented
        return self._periods == other._periods

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<AgencyCatalogue of {len(self)} agency periods>"


def _as_code(code: AgencyCode | str) -> AgencyCode:
    return code if isinstance(code, AgencyCode) else AgencyCode.parse(code)


def _parse_date(value: object, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParseError(
            f"{field} {value!r} is not an ISO date (YYYY-MM-DD)", code="agency.date", where=field
        ) from exc


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ParseError(f"{key} must be text", code="agency.field_type", where=key)
    return value


def _agency_from_record(record: Mapping[str, Any]) -> Agency:
    code_text = _text(record, "code")
    if code_text is None:
        raise ValidationError("code is missing", code="agency.code", where="code")
    parent_text = _text(record, "parent")
    return Agency(
        code=AgencyCode.parse(code_text),
        name=_text(record, "name") or "",
        parent=AgencyCode.parse(parent_text) if parent_text else None,
        abbreviation=_text(record, "abbreviation"),
        valid_from=_parse_date(record.get("valid_from"), "valid_from"),
        valid_to=_parse_date(record.get("valid_to"), "valid_to"),
    )


def _record_from_agency(agency: Agency) -> dict[str, str]:
    return {
        "code": str(agency.code),
        "name": agency.name,
        "parent": str(agency.parent) if agency.parent else "",
        "abbreviation": agency.abbreviation or "",
        "valid_from": agency.valid_from.isoformat() if agency.valid_from else "",
        "valid_to": agency.valid_to.isoformat() if agency.valid_to else "",
    }


def _overlaps(code: AgencyCode, periods: list[Agency]) -> list[Finding]:
    ordered = sorted(periods, key=lambda a: a.valid_from or date.min)
    findings = []
    for before, after in itertools.pairwise(ordered):
        if before.valid_to is None or (after.valid_from or date.min) < before.valid_to:
            findings.append(
                Finding(
                    code="agency_catalogue.overlap",
                    where=str(code),
                    message=f"validity periods of {code} overlap ({before.name!r}, {after.name!r})",
                )
            )
    return findings
