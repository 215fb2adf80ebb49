"""The yearly file list (danh mục hồ sơ, Decree 30/2020 Art. 28 and Appendix V §I–II).

Approved by the head of the agency at the start of the year, it lists the files expected to be
formed: under headings (đề mục, by unit or by field), each file's number and notation, title,
retention and the person who forms it. Agencies edit it during the year; every edit makes a new
version of that year's list, so what a file was opened against can always be shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import NotFoundError, ValidationError
from egovkit.records._shapes import shaped
from egovkit.records.codes import FileCode, check_notation
from egovkit.records.retention import Retention
from egovkit.text import clean

#: Title: String, 500 (Appendix VI Part II §III.2).
MAX_TITLE_LENGTH = 500


def _optional(value: str | None) -> str | None:
    return (clean(value) or None) if value is not None else None


@attrs.frozen(kw_only=True)
class FileListEntry:
    """One planned file: its heading (đề mục, e.g. ``I. Tổ chức cán bộ``), notation
    (``01.TCCB``), title, retention, unit and the person who forms it (người lập hồ sơ)."""

    notation: str = attrs.field(converter=check_notation)
    title: str = attrs.field(converter=clean)
    retention: Retention
    heading: str = attrs.field(default="", converter=clean)
    unit: str = attrs.field(default="", converter=clean)
    creator: str = attrs.field(default="", converter=clean)
    schedule_item: str | None = attrs.field(default=None, converter=_optional)
    construction: bool = False
    note: str = attrs.field(default="", converter=clean)

    def __attrs_post_init__(self) -> None:
        if not self.title or len(self.title) > MAX_TITLE_LENGTH:
            raise ValidationError(
                f"a file title is 1-{MAX_TITLE_LENGTH} characters",
                code="records.title",
                where=self.notation,
            )


def _entries(value: Iterable[FileListEntry]) -> tuple[FileListEntry, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class FileList:
    """Danh mục hồ sơ of one agency for one year, at one version (1 for the approved list)."""

    agency: AgencyCode
    year: int
    version: int = 1
    approved_on: dt.date | None = None
    decision: str = attrs.field(default="", converter=clean)
    entries: tuple[FileListEntry, ...] = attrs.field(default=(), converter=_entries)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.notation in seen:
                raise ValidationError(
                    f"file notation {entry.notation!r} appears twice in the {self.year} list",
                    code="records.list_duplicate",
                    where=entry.notation,
                )
            seen.add(entry.notation)
        FileCode(agency=self.agency, year=self.year, notation="0")  # checks the year

    def entry(self, notation: str) -> FileListEntry:
        """The planned file ``notation``, or NotFoundError."""
        for entry in self.entries:
            if entry.notation == notation:
                return entry
        raise NotFoundError(
            f"the {self.year} file list (v{self.version}) has no file {notation!r}",
            code="records.list_entry",
            where=notation,
        )

    def next_notation(self, abbreviation: str, *, per_heading: bool = False) -> str:
        """The notation of the next file (Appendix V §I.2): its number, then the abbreviation of
        its main heading (``03.TCCB``). Numbers run from 01 through the whole list, or with
        ``per_heading`` within the files of that abbreviation only."""
        numbers = []
        for entry in self.entries:
            number, _, rest = entry.notation.partition(".")
            if number.isdigit() and (not per_heading or rest == abbreviation):
                numbers.append(int(number))
        return check_notation(f"{max(numbers, default=0) + 1:02d}.{abbreviation}")

    def code(self, notation: str) -> FileCode:
        """The file code of planned file ``notation``."""
        return FileCode(agency=self.agency, year=self.year, notation=self.entry(notation).notation)

    def revise(
        self,
        *,
        add: Iterable[FileListEntry] = (),
        replace: Iterable[FileListEntry] = (),
        remove: Iterable[str] = (),
        approved_on: dt.date | None = None,
        decision: str | None = None,
    ) -> FileList:
        """The next version: entries added, replaced (by notation) or removed."""
        by_notation = {e.notation: e for e in self.entries}
        for notation in remove:
            self.entry(notation)
            del by_notation[notation]
        for entry in replace:
            self.entry(entry.notation)
            by_notation[entry.notation] = entry
        entries = list(by_notation.values())
        entries += list(add)
        return attrs.evolve(
            self,
            version=self.version + 1,
            approved_on=approved_on if approved_on is not None else self.approved_on,
            decision=decision if decision is not None else self.decision,
            entries=entries,
        )

    def counts(self) -> dict[str, int]:
        """What the list's header states (Appendix V §II): files in all, permanent, limited."""
        permanent = sum(1 for e in self.entries if e.retention.permanent)
        return {
            "files": len(self.entries),
            "permanent": permanent,
            "limited": len(self.entries) - permanent,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON form an agency edits (:meth:`from_dict` reads it)."""
        return {
            "agency": str(self.agency),
            "year": self.year,
            "version": self.version,
            "approved_on": None if self.approved_on is None else self.approved_on.isoformat(),
            "decision": self.decision,
            "entries": [
                {
                    "notation": e.notation,
                    "title": e.title,
                    "retention": e.retention.to_json(),
                    "heading": e.heading,
                    "unit": e.unit,
                    "creator": e.creator,
                    "schedule_item": e.schedule_item,
                    "construction": e.construction,
                    "note": e.note,
                }
                for e in self.entries
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileList:
        """Read the JSON form; a wrong shape raises ValidationError."""
        with shaped("file list", code="records.file_list", where="file_list"):
            approved = data.get("approved_on")
            return cls(
                agency=AgencyCode.parse(str(data["agency"])),
                year=int(data["year"]),
                version=int(data.get("version", 1)),
                approved_on=None if approved is None else dt.date.fromisoformat(approved),
                decision=str(data.get("decision", "")),
                entries=[
                    FileListEntry(
                        notation=str(e["notation"]),
                        title=str(e["title"]),
                        retention=Retention.parse(e["retention"]),
                        heading=str(e.get("heading", "")),
                        unit=str(e.get("unit", "")),
                        creator=str(e.get("creator", "")),
                        schedule_item=e.get("schedule_item"),
                        construction=bool(e.get("construction", False)),
                        note=str(e.get("note", "")),
                    )
                    for e in data["entries"]
                ],
            )


__all__ = ["MAX_TITLE_LENGTH", "FileList", "FileListEntry"]
