"""The procedure catalogue (danh mục thủ tục hành chính), versioned by effective date.

A procedure changes when a decision amends it (a new fee, a shorter processing time, online
payment switched on); each change is a new :class:`~egovkit.services.catalogue.Procedure`
version with its own ``valid_from``, so a report for 2024 classifies the procedures as they
stood in 2024.
"""

from __future__ import annotations

import enum
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration
from egovkit.errors import NotFoundError, ValidationError
from egovkit.findings import Finding
from egovkit.services.capabilities import Capability
from egovkit.services.codes import ProcedureCode
from egovkit.text import clean


class CompetentLevel(enum.Enum):
    """The level of government that decides the procedure (cấp thực hiện)."""

    CENTRAL = "central"  # cấp trung ương (bộ, ngành)
    PROVINCE = "province"  # cấp tỉnh
    DISTRICT = "district"  # cấp huyện (until 30 June 2025)
    COMMUNE = "commune"  # cấp xã


def _required(value: str) -> str:
    text = clean(value)
    if not text:
        raise ValidationError("a name must not be empty", code="services.name", where="name")
    return text


def _amount(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{attribute.name} is a whole number >= 0, not {value!r}",
            code="services.amount",
            where=attribute.name,
        )


@attrs.frozen(kw_only=True)
class FeeItem:
    """A fee or charge of the procedure (phí, lệ phí) in đồng; 0 for a free procedure."""

    name: str = attrs.field(converter=_required)
    amount: int = attrs.field(validator=_amount)


@attrs.frozen(kw_only=True)
class Component:
    """A paper the applicant files (thành phần hồ sơ), with how many originals and copies."""

    name: str = attrs.field(converter=_required)
    originals: int = attrs.field(default=1, validator=_amount)
    copies: int = attrs.field(default=0, validator=_amount)


def _fees(value: Iterable[FeeItem]) -> tuple[FeeItem, ...]:
    return tuple(value)


def _components(value: Iterable[Component]) -> tuple[Component, ...]:
    return tuple(value)


def _capabilities(value: Iterable[Capability]) -> frozenset[Capability]:
    return frozenset(value)


def _agencies(value: Iterable[AgencyCode]) -> tuple[AgencyCode, ...]:
    return tuple(sorted(set(value), key=str))


@attrs.frozen(kw_only=True)
class Procedure:
    """One version of an administrative procedure (thủ tục hành chính) in the catalogue.

    ``agencies`` are the units that carry it out (for portfolio statistics per agency);
    ``valid_from`` is the first day of this version and ``valid_to`` the first day it no longer
    applies (``None``: still in force).

    >>> from datetime import date
    >>> from egovkit.services import Capability, CompetentLevel, Procedure, ProcedureCode
    >>> p = Procedure(code=ProcedureCode.parse("1.001612.000.00.00.H53"), name="Đăng ký khai sinh",
    ...               field="Hộ tịch", competent_level=CompetentLevel.COMMUNE,
    ...               capabilities={Capability.INFORMATION}, valid_from=date(2024, 1, 1))
    >>> p.has_fees, p.is_valid_on(date(2023, 12, 31))
    (False, False)
    """

    code: ProcedureCode
    name: str = attrs.field(converter=_required)
    field: str = attrs.field(default="", converter=clean)
    competent_level: CompetentLevel
    processing_time: Duration | None = None
    fees: tuple[FeeItem, ...] = attrs.field(default=(), converter=_fees)
    components: tuple[Component, ...] = attrs.field(default=(), converter=_components)
    capabilities: frozenset[Capability] = attrs.field(factory=frozenset, converter=_capabilities)
    agencies: tuple[AgencyCode, ...] = attrs.field(default=(), converter=_agencies)
    valid_from: date
    valid_to: date | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValidationError(
                f"valid_to {self.valid_to} is not after valid_from {self.valid_from}",
                code="services.procedure.validity",
                where="valid_to",
            )

    @property
    def has_fees(self) -> bool:
        """Whether any fee is above 0 (online payment only matters then: "nếu có")."""
        return any(f.amount > 0 for f in self.fees)

    def is_valid_on(self, day: date) -> bool:
        """Whether this version applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class ProcedureCatalogue:
    """Procedure versions by code and date; overlapping versions of one code are refused.

    Versions are keyed by the full code text, so a province's local variant
    (``2.002621.H56``) and the national one are separate entries.
    """

    def __init__(self, procedures: Iterable[Procedure] = ()) -> None:
        versions: dict[str, list[Procedure]] = defaultdict(list)
        for procedure in procedures:
            versions[str(procedure.code)].append(procedure)
        findings: list[Finding] = []
        for code, items in versions.items():
            items.sort(key=lambda p: p.valid_from)
            for before, after in itertools.pairwise(items):
                if before.valid_to is None or after.valid_from < before.valid_to:
                    findings.append(
                        Finding(
                            code="services.catalogue.overlap",
                            where=code,
                            message=f"versions of {code} from {before.valid_from} and "
                            f"{after.valid_from} overlap",
                        )
                    )
        if findings:
            raise ValidationError.from_findings("procedure catalogue", findings)
        self._versions = dict(versions)

    def on(self, day: date) -> list[Procedure]:
        """The versions in force on ``day``, in code order."""
        found = (self.find(code, on=day) for code in sorted(self._versions))
        return [p for p in found if p is not None]

    def find(self, code: ProcedureCode | str, *, on: date | None = None) -> Procedure | None:
        """The version of ``code`` in force on ``on`` (default: the latest), or ``None``."""
        versions = self._versions.get(str(code), [])
        if on is None:
            return versions[-1] if versions else None
        return next((p for p in versions if p.is_valid_on(on)), None)

    def get(self, code: ProcedureCode | str, *, on: date | None = None) -> Procedure:
        """Like :meth:`find`; a missing one raises :class:`~egovkit.errors.NotFoundError`."""
        found = self.find(code, on=on)
        if found is None:
            when = f" on {on}" if on is not None else ""
            raise NotFoundError(
                f"no procedure {code}{when} in the catalogue",
                code="services.procedure.not_found",
                where="code",
            )
        return found

    def by_stem(self, stem: str, *, on: date | None = None) -> list[Procedure]:
        """Every procedure whose code has ``stem`` (national and local variants)."""
        return [
            p
            for p in (self.find(code, on=on) for code in sorted(self._versions))
            if p is not None and p.code.stem == stem
        ]

    def __iter__(self) -> Iterator[Procedure]:
        for code in sorted(self._versions):
            yield from self._versions[code]

    def __len__(self) -> int:
        return sum(len(v) for v in self._versions.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProcedureCatalogue):
            return NotImplemented
        return self._versions == other._versions

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<ProcedureCatalogue of {len(self)} procedure versions>"


__all__ = [
    "CompetentLevel",
    "Component",
    "FeeItem",
    "Procedure",
    "ProcedureCatalogue",
]
