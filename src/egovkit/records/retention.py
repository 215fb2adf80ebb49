"""Retention (thời hạn bảo quản) and the dates that follow from it.

A retention period is permanent (vĩnh viễn) or a number of years (Decree 30/2020 Appendix V §I.4).
The transfer rules of Chapter IV — when a closed file is due at the agency archive (nộp lưu,
Art. 30(2)), which files are transferred at all (Art. 31(3)(c)), how long a unit may keep one back
(Art. 31(3)(d)) and how early the system gives notice (Appendix VI §III.5(b)) — are versioned data
(``data/transfer_rules.json``) with the article each number comes from; so are retention
schedules (bảng thời hạn bảo quản), which agencies load.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import attrs

from egovkit.errors import NotFoundError, ValidationError
from egovkit.records._shapes import shaped
from egovkit.text import clean, fold


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_YEARS = re.compile(r"(\d{1,3})(?:\s*(?:năm|nam|years?|y))?", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Retention:
    """Thời hạn bảo quản: ``years`` is ``None`` for permanent (vĩnh viễn)."""

    years: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.years is not None and not (_whole(self.years) and self.years >= 1):
            raise ValidationError(
                f"a retention period is permanent or a whole number of years >= 1, not "
                f"{self.years!r}",
                code="records.retention",
                where="retention",
            )

    @property
    def permanent(self) -> bool:
        """True for vĩnh viễn."""
        return self.years is None

    @classmethod
    def of_years(cls, years: int) -> Retention:
        """A retention of ``years`` years."""
        return cls(years=years)

    @classmethod
    def parse(cls, value: object) -> Retention:
        """Read ``"permanent"``, ``"Vĩnh viễn"``, ``20``, ``"20"`` or ``"20 năm"``."""
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(years=value)
        if isinstance(value, str):
            text = fold(value)
            if text in ("permanent", "vinh vien"):
                return cls()
            match = _YEARS.fullmatch(text)
            if match:
                return cls(years=int(match.group(1)))
        raise ValidationError(
            f"not a retention period: {value!r} (permanent, vĩnh viễn or a number of years)",
            code="records.retention",
            where="retention",
        )

    def to_json(self) -> str | int:
        """``"permanent"`` or the number of years (the form the JSON data uses)."""
        return "permanent" if self.years is None else self.years

    def label(self) -> str:
        """The Vietnamese text of the Maintenance field (Appendix VI Part II §III.3):
        ``"Vĩnh viễn"`` or ``"20 năm"``."""
        return "Vĩnh viễn" if self.years is None else f"{self.years} năm"

    def __str__(self) -> str:
        return self.label()


PERMANENT = Retention()


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


@attrs.frozen(kw_only=True)
class Rule:
    """One number of the transfer rules, with the article it comes from."""

    value: Any
    article: str
    text: str = ""
    assumption: bool = False


@attrs.frozen(kw_only=True)
class TransferRules:
    """The Chapter IV numbers as data: load others with :meth:`from_dict` when the rules change.

    ``construction_months`` (Art. 30(2)(a)), ``other_years`` (Art. 30(2)(b)),
    ``min_retention_years`` (Art. 31(3)(c)), ``max_keep_back_years`` (Art. 31(3)(d)),
    ``notice_days`` (Appendix VI §III.5(b)) and ``retention_counting`` (an assumption: see
    :doc:`/explanation/records`).
    """

    name: str
    version: int
    effective: dt.date
    source: str
    construction_months: Rule
    other_years: Rule
    min_retention_years: Rule
    max_keep_back_years: Rule
    notice_days: Rule
    retention_counting: Rule

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TransferRules:
        """Read the JSON form of ``data/transfer_rules.json``."""
        with shaped("transfer rules", code="records.rules", where="rules"):
            transfer = data["transfer"]

            def rule(entry: Mapping[str, Any], key: str = "value") -> Rule:
                return Rule(
                    value=entry[key],
                    article=str(entry.get("article", "")),
                    text=str(entry.get("text", "")),
                    assumption=bool(entry.get("assumption", False)),
                )

            rules = cls(
                name=str(data["name"]),
                version=int(data["version"]),
                effective=dt.date.fromisoformat(data["effective"]),
                source=str(data["source"]),
                construction_months=rule(transfer["construction"], "months"),
                other_years=rule(transfer["other"], "years"),
                min_retention_years=rule(data["transfer_min_retention_years"]),
                max_keep_back_years=rule(data["max_keep_back_years"]),
                notice_days=rule(data["notice_days"]),
                retention_counting=rule(data["retention_counting"]),
            )
        if rules.retention_counting.value not in ("calendar_years_after_end", "anniversary"):
            raise ValidationError(
                "retention_counting is calendar_years_after_end or anniversary",
                code="records.rules",
                where="retention_counting",
            )
        return rules

    @classmethod
    def default(cls) -> TransferRules:
        """The rules of Decree 30/2020 as egovkit ships them."""
        return _DEFAULT

    # -- computed dates

    def transfer_due(
        self,
        *,
        retention: Retention,
        end: dt.date,
        construction: bool = False,
        settled_on: dt.date | None = None,
        kept_until: dt.date | None = None,
    ) -> dt.date | None:
        """The last day a file may reach the agency archive, or ``None`` when it is not
        transferred (retention below ``min_retention_years``, Art. 31(3)(c)).

        Construction files (hồ sơ xây dựng cơ bản) are due ``construction_months`` after the
        settlement (quyết toán) — Art. 30(2)(a); others ``other_years`` after the work ended —
        Art. 30(2)(b). A unit allowed to keep a file back (Art. 31(3)(d)) has it due at
        ``kept_until``, at most ``max_keep_back_years`` after the first due date.
        """
        if retention.years is not None and retention.years < int(self.min_retention_years.value):
            return None
        if construction:
            if settled_on is None:
                raise ValidationError(
                    "a construction file is due 3 months after its settlement (Art. 30(2)(a)): "
                    "give settled_on",
                    code="records.settlement",
                    where="settled_on",
                )
            due = add_months(settled_on, int(self.construction_months.value))
        else:
            due = add_years(end, int(self.other_years.value))
        if kept_until is not None:
            latest = add_years(due, int(self.max_keep_back_years.value))
            if kept_until > latest:
                raise ValidationError(
                    f"a file may be kept back at most {self.max_keep_back_years.value} years "
                    f"after it falls due ({self.max_keep_back_years.article}): {kept_until} is "
                    f"after {latest}",
                    code="records.keep_back",
                    where="kept_until",
                )
            due = max(due, kept_until)
        return due

    def notice_from(self, due: dt.date) -> dt.date:
        """The first day the system gives notice of ``due`` (Appendix VI §III.5(b))."""
        return due - dt.timedelta(days=int(self.notice_days.value))

    def retention_end(self, *, retention: Retention, end: dt.date) -> dt.date | None:
        """The last day of retention of a file that ended on ``end`` (``None``: permanent)."""
        if retention.years is None:
            return None
        if self.retention_counting.value == "anniversary":
            return add_years(end, retention.years)
        return dt.date(end.year + retention.years, 12, 31)


def _load_default() -> TransferRules:
    text = (
        resources.files("egovkit.records")
        .joinpath("data/transfer_rules.json")
        .read_text(encoding="utf-8")
    )
    return TransferRules.from_dict(json.loads(text))


_DEFAULT = _load_default()


# --------------------------------------------------------------------------- schedules


@attrs.frozen(kw_only=True)
class ScheduleItem:
    """One line of a retention schedule: its number, what it covers and how long it is kept."""

    code: str = attrs.field(converter=clean)
    title: str = attrs.field(converter=clean)
    retention: Retention
    construction: bool = False
    note: str = ""


def _items(value: Iterable[ScheduleItem]) -> tuple[ScheduleItem, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RetentionSchedule:
    """Bảng thời hạn bảo quản: the general schedule or a sector one, as versioned data with
    its legal ``source`` and the day it takes ``effective``."""

    name: str
    title: str
    version: int
    effective: dt.date
    source: str
    items: tuple[ScheduleItem, ...] = attrs.field(converter=_items)

    def __attrs_post_init__(self) -> None:
        codes = [item.code for item in self.items]
        if len(codes) != len(set(codes)):
            raise ValidationError(
                f"schedule {self.name!r} lists an item twice",
                code="records.schedule_duplicate",
                where=self.name,
            )

    def item(self, code: str) -> ScheduleItem:
        """The item numbered ``code``, or NotFoundError."""
        for item in self.items:
            if item.code == code:
                return item
        raise NotFoundError(
            f"schedule {self.name!r} v{self.version} has no item {code!r}",
            code="records.schedule_item",
            where=code,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RetentionSchedule:
        """Read the JSON form (see ``data/retention_sample.json``)."""
        with shaped("retention schedule", code="records.schedule", where="schedule"):
            return cls(
                name=str(data["name"]),
                title=str(data.get("title", data["name"])),
                version=int(data["version"]),
                effective=dt.date.fromisoformat(data["effective"]),
                source=str(data["source"]),
                items=[
                    ScheduleItem(
                        code=str(item["code"]),
                        title=str(item["title"]),
                        retention=Retention.parse(item["retention"]),
                        construction=bool(item.get("construction", False)),
                        note=str(item.get("note", "")),
                    )
                    for item in data["items"]
                ],
            )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form :meth:`from_dict` reads."""
        return {
            "name": self.name,
            "title": self.title,
            "version": self.version,
            "effective": self.effective.isoformat(),
            "source": self.source,
            "items": [
                {
                    "code": item.code,
                    "title": item.title,
                    "retention": item.retention.to_json(),
                    **({"construction": True} if item.construction else {}),
                    **({"note": item.note} if item.note else {}),
                }
                for item in self.items
            ],
        }

    @classmethod
    def sample(cls) -> RetentionSchedule:
        """The illustrative schedule shipped for demos and tests (not a legal text)."""
        text = resources.files("egovkit.records").joinpath("data/retention_sample.json")
        return cls.from_dict(json.loads(text.read_text(encoding="utf-8")))


def schedule_in_force(
    schedules: Iterable[RetentionSchedule], name: str, on: dt.date
) -> RetentionSchedule:
    """The version of schedule ``name`` in force ``on`` (the latest effective on or before)."""
    found = [s for s in schedules if s.name == name and s.effective <= on]
    if not found:
        raise NotFoundError(
            f"no version of schedule {name!r} is in force on {on}",
            code="records.schedule_version",
            where=name,
        )
    return max(found, key=lambda s: (s.effective, s.version))


__all__ = [
    "PERMANENT",
    "Retention",
    "RetentionSchedule",
    "Rule",
    "ScheduleItem",
    "TransferRules",
    "add_months",
    "add_years",
    "schedule_in_force",
]
