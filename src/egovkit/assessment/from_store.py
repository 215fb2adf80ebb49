"""``qd766`` inputs from a dossier store (kho hồ sơ một cửa), a procedure catalogue and the
values only other systems know.

:func:`qd766_inputs` counts per competent agency what
:func:`~egovkit.assessment.qd766_dossiers.count_qd766` counts — in SQL with a store's
:meth:`~egovkit.ports.DossierRepository.qd766_counts` (``store.dossiers``), or over any
iterable of dossiers —, adds what a
:class:`~egovkit.services.catalogue.ProcedureCatalogue` gives (3.1, 3.4, 3.5) and takes the rest
— sync counts of the national reporting system, feedback (PAKN), publication of procedures —
from supplied values. Every computed value is a fraction, so the scorecard's explanation shows
its numerator and denominator; every value neither computed nor supplied is listed with the
reason, and :meth:`StoreInputs.require_complete` turns the list into one typed error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

import attrs

from egovkit.assessment.inputs import Measure, UnitInput, read_units
from egovkit.assessment.model import IndicatorSource, RuleSet
from egovkit.assessment.periods import ReportingPeriod
from egovkit.assessment.qd766 import online_payment_rate, ratio, service_satisfaction
from egovkit.assessment.qd766_dossiers import (
    Qd766Counts,
    count_qd766,
    counts_to_dict,
    fee_predicate,
)
from egovkit.calendar import WorkCalendar
from egovkit.dossiers.model import Dossier
from egovkit.errors import ValidationError
from egovkit.findings import Finding
from egovkit.ports import DossierRepository
from egovkit.services.capabilities import Capability
from egovkit.services.catalogue import Procedure, ProcedureCatalogue
from egovkit.services.levels import DECREE_42_2022, classify

#: A supplied count that is not an indicator: dossiers with a complaint or a dislike (5.4).
COMPLAINTS: Final = "service_complaints"
#: ``MucDo`` of a procedure offered online in part (một phần); 4 is toàn trình.
_PARTLY: Final = 3
#: Indicators a catalogue gives.
CATALOGUE_INDICATORS: Final = ("online_procedures", "payment_integrated", "payment_transactions")
#: Indicators only other systems know: supply them (CSV or JSON, one row per agency).
SUPPLIED_ONLY: Final = {
    "published_on_time": "1.1 needs the decision dates of the procedures and their legal basis",
    "disclosed_on_time": "1.2 needs the disclosure dates of the procedures",
    "disclosed_fully": "1.3 needs the disclosure record of the procedures",
    "sync_rate": "1.4 needs the counts of the national reporting system and of DVCQG",
    "e_certified_copies": "4.2 (chứng thực bản sao điện tử) needs the certification register",
    "data_reuse": "4.3 needs which papers were reused (DuocTaiSuDung): no dossier of the unit "
    "received in the period records Decree 45 paper data",
    "personal_data_store": "4.4 needs the papers taken from the data store and the results kept "
    "there (DuocLayTuKhoDMQG): no dossier of the unit received in the period records Decree 45 "
    "paper data",
    "population_data_procedures": "4.5a needs the population-database connections",
    "population_data_dossiers": "4.5b needs which dossiers used population data",
    "feedback_classified": "5.1 needs the feedback (PAKN) system",
    "feedback_on_time": "5.2 needs the feedback (PAKN) system",
    "feedback_satisfaction": "5.3 needs the feedback (PAKN) system",
}


@attrs.frozen(kw_only=True)
class ValueSource:
    """Where one input of one unit came from, and how it was computed (``rule``)."""

    indicator: str
    source: IndicatorSource
    measure: Measure
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: source, value as text (``45/50``), numerator, denominator, rule."""
        return {
            "source": self.source.value,
            "value": str(self.measure),
            "numerator": str(self.measure.value),
            "denominator": (
                None if self.measure.denominator is None else str(self.measure.denominator)
            ),
            "rule": self.rule,
        }


@attrs.frozen(kw_only=True)
class StoreInputs:
    """The ``qd766`` units of one period: values, where each came from, what is missing."""

    period: ReportingPeriod
    units: tuple[UnitInput, ...]
    counts: Mapping[str, Qd766Counts] = attrs.field(hash=False)
    sources: Mapping[str, Mapping[str, ValueSource]] = attrs.field(hash=False)
    missing: Mapping[str, Mapping[str, str]] = attrs.field(hash=False)

    def require_complete(self) -> None:
        """Raise one :class:`~egovkit.errors.ValidationError` (``assessment.store.missing``)
        naming every indicator of every unit that is neither computed nor supplied."""
        findings = [
            Finding(
                code="assessment.store.missing",
                where=f"{unit}.{indicator}",
                message=f"{indicator} of {unit} is neither computed nor supplied: {reason}",
            )
            for unit, gaps in self.missing.items()
            for indicator, reason in gaps.items()
        ]
        if findings:
            names = sorted({name for gaps in self.missing.values() for name in gaps})
            raise ValidationError(
                f"{len(findings)} qd766 input(s) of {len(self.missing)} unit(s) missing "
                f"({', '.join(names)}); supply them "
                "(--supplied FILE) or score them N/A (--missing na)",
                code="assessment.store.missing",
                where=findings[0].where,
                findings=findings,
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the period, each unit's inputs with their source and the missing ones."""
        counts = counts_to_dict(self.counts)
        return {
            "period": {
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "units": {
                unit.unit: {
                    "inputs": {k: v.to_dict() for k, v in sorted(self.sources[unit.unit].items())},
                    "missing": dict(sorted(self.missing.get(unit.unit, {}).items())),
                    "counts": counts.get(unit.unit, {}),
                }
                for unit in self.units
            },
        }


def read_supplied(path: str | os.PathLike[str], ruleset: RuleSet) -> list[UnitInput]:
    """Supplied values (CSV or JSON, one unit per agency code), with the rule set's indicator
    columns and :data:`COMPLAINTS`."""
    return read_units(
        path,
        attributes=ruleset.attributes,
        indicators=[*(i.id for i in ruleset.indicators), COMPLAINTS],
    )


class _Fees:
    """Fee-bearing by the catalogue version in force on the day of receipt; a procedure not in
    the catalogue falls back to the dossier's own fee list."""

    def __init__(self, catalogue: ProcedureCatalogue) -> None:
        self.catalogue = catalogue
        self.cache: dict[tuple[str, date], bool | None] = {}

    def __call__(self, code: str, day: date, listed: bool) -> bool:
        key = (code, day)
        if key not in self.cache:
            found = self.catalogue.find(code, on=day)
            self.cache[key] = None if found is None else found.has_fees
        known = self.cache[key]
        return listed if known is None else known


def qd766_inputs(
    dossiers: DossierRepository | Iterable[Dossier],
    period: ReportingPeriod,
    *,
    ruleset: RuleSet,
    agencies: Sequence[str] | None = None,
    catalogue: ProcedureCatalogue | None = None,
    supplied: Sequence[UnitInput] = (),
    as_of: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> StoreInputs:
    """The ``qd766`` units of ``period`` for every competent agency with dossiers in it (or for
    ``agencies``, by code text), computed from ``dossiers`` (a store's repository or any
    iterable), the ``catalogue`` and the ``supplied`` units (named by agency code).

    A supplied value for an indicator that was computed is refused (one source per value); a
    supplied unit that is not among the agencies assessed is refused too.
    """
    fees = None if catalogue is None else _Fees(catalogue)
    if isinstance(dossiers, DossierRepository):
        counts = dossiers.qd766_counts(
            start=period.start,
            end=period.end,
            as_of=as_of,
            agencies=agencies,
            fees=fees,
            calendar=calendar,
        )
    else:
        counts = count_qd766(
            dossiers,
            start=period.start,
            end=period.end,
            as_of=as_of,
            agencies=agencies,
            fee_bearing=fee_predicate(fees),
            calendar=calendar,
        )
    by_unit = {u.unit: u for u in supplied}
    unknown = sorted(set(by_unit) - set(counts))
    if unknown:
        raise ValidationError(
            f"supplied values for unit(s) {', '.join(unknown)}, which have no dossiers in "
            f"{period} (or were not asked for)",
            code="assessment.store.unknown_unit",
            where=unknown[0],
            findings=[
                Finding(
                    code="assessment.store.unknown_unit",
                    where=name,
                    message=f"{name} is not an agency assessed from the store",
                )
                for name in unknown
            ],
        )
    wanted = [i.id for i in ruleset.indicators]
    units: list[UnitInput] = []
    sources: dict[str, dict[str, ValueSource]] = {}
    missing: dict[str, dict[str, str]] = {}
    for name, count in counts.items():
        given = by_unit.get(name)
        computed = _computed(count, period, catalogue, given)
        values, where, gaps = _merge(name, wanted, computed, given)
        units.append(
            UnitInput(
                unit=name,
                values=values,
                attributes=dict(given.attributes) if given is not None else {},
            )
        )
        sources[name] = where
        if gaps:
            missing[name] = gaps
    return StoreInputs(
        period=period, units=tuple(units), counts=counts, sources=sources, missing=missing
    )


def _merge(
    unit: str,
    wanted: Sequence[str],
    computed: Mapping[str, tuple[Measure, str] | str],
    given: UnitInput | None,
) -> tuple[dict[str, Measure], dict[str, ValueSource], dict[str, str]]:
    values: dict[str, Measure] = {}
    where: dict[str, ValueSource] = {}
    gaps: dict[str, str] = {}
    supplied = dict(given.values) if given is not None else {}
    supplied.pop(COMPLAINTS, None)
    for indicator in wanted:
        got = computed.get(indicator)
        own = supplied.get(indicator)
        if isinstance(got, tuple):
            if own is not None:
                raise ValidationError(
                    f"{indicator} of {unit} is computed from the store and also supplied",
                    code="assessment.store.supplied_twice",
                    where=f"{unit}.{indicator}",
                    findings=[
                        Finding(
                            code="assessment.store.supplied_twice",
                            where=f"{unit}.{indicator}",
                            message="remove the supplied value: the store computes it",
                        )
                    ],
                )
            measure, rule = got
            values[indicator] = measure
            where[indicator] = ValueSource(
                indicator=indicator, source=IndicatorSource.COMPUTED, measure=measure, rule=rule
            )
        elif own is not None:
            values[indicator] = own
            where[indicator] = ValueSource(
                indicator=indicator, source=IndicatorSource.SUPPLIED, measure=own, rule="supplied"
            )
        else:
            gaps[indicator] = got or SUPPLIED_ONLY.get(indicator, "not computed from the store")
    return values, where, gaps


def _computed(
    c: Qd766Counts,
    period: ReportingPeriod,
    catalogue: ProcedureCatalogue | None,
    given: UnitInput | None,
) -> dict[str, tuple[Measure, str] | str]:
    """Each computable indicator as (measure, rule), or the reason it could not be computed."""
    p = period.label
    out: dict[str, tuple[Measure, str] | str] = {
        "on_time": (
            ratio(c.on_time, c.considered),
            f"2.1: {c.on_time} of {c.considered} dossiers received or processed in {p} finished "
            "on time or still within the appointed date (supplement rule of Decision 766)",
        ),
        "online_dossiers": (
            ratio(c.received_online, c.received),
            f"3.3: {c.received_online} of {c.received} dossiers received in {p} were filed "
            "online (KenhThucHien = 2); the rule set multiplies by sync_rate",
        ),
        "payment_dossiers": (
            online_payment_rate(
                paid_online=c.paid_online,
                fee_dossiers=c.fee_dossiers,
                zero_fee_dossiers=c.zero_fee_dossiers,
            ),
            f"3.6: {c.paid_online} paid online of {c.fee_dossiers} dossiers of fee-bearing "
            f"procedures received in {p} less {c.zero_fee_dossiers} whose fees are all 0",
        ),
        "electronic_results": (
            ratio(c.electronic_results, c.result_dossiers),
            f"4.1: {c.electronic_results} of {c.result_dossiers} dossiers finished in {p} "
            "with a result document have a result file",
        ),
        "digitised": (
            ratio(c.digitised, c.finished),
            f"4.2: {c.digitised} of {c.finished} dossiers finished in {p} have attached "
            "components and an electronic result",
        ),
    }
    if c.paper_data:
        out["data_reuse"] = (
            ratio(c.reused, c.received),
            f"4.3: {c.reused} of {c.received} dossiers received in {p} have a paper reused from "
            f"digitised data (Decree 45/2020; {c.paper_data} record paper data)",
        )
        out["personal_data_store"] = (
            ratio(c.data_store, c.received),
            f"4.4: {c.data_store} of {c.received} dossiers received in {p} have a paper taken "
            "from a national database or the data store, or a result kept in the data store",
        )
    complaints = given.values.get(COMPLAINTS) if given is not None else None
    if complaints is not None:
        if complaints.is_fraction or complaints.value != complaints.value.to_integral_value():
            raise ValidationError(
                f"{COMPLAINTS} of {c.agency} must be a whole count, not {complaints}",
                code="assessment.store.complaints",
                where=f"{c.agency}.{COMPLAINTS}",
            )
        complained = int(complaints.value)
        out["service_satisfaction"] = (
            service_satisfaction(overdue=c.overdue, complained=complained, total=c.considered),
            f"5.4: 100% − ({c.overdue} overdue + {complained} with a complaint or dislike "
            f"(supplied)) of {c.considered} dossiers received or processed in {p}",
        )
    elif given is None or "service_satisfaction" not in given.values:
        out["service_satisfaction"] = (
            f"5.4 needs the count of dossiers with a complaint or dislike (column {COMPLAINTS}) "
            "from the feedback system, or the rate itself"
        )
    if catalogue is None:
        for key in CATALOGUE_INDICATORS:
            out[key] = "needs the procedure catalogue (--catalogue FILE)"
    else:
        out.update(_from_catalogue(c, period, catalogue))
    return out


def _from_catalogue(
    c: Qd766Counts, period: ReportingPeriod, catalogue: ProcedureCatalogue
) -> dict[str, tuple[Measure, str] | str]:
    own: list[Procedure] = [
        p for p in catalogue.on(period.end) if any(str(a) == c.agency for a in p.agencies)
    ]
    online = [p for p in own if (classify(p, scheme_id=DECREE_42_2022).muc_do or 0) >= _PARTLY]
    fee = [p for p in own if p.has_fees]
    integrated = [p for p in fee if Capability.ONLINE_PAYMENT in p.capabilities]
    transacted = [p for p in fee if str(p.code) in c.paid_procedures]
    day = period.end.isoformat()
    return {
        "online_procedures": (
            ratio(len(online), len(own)),
            f"3.1: {len(online)} of the agency's {len(own)} procedures in force on {day} are "
            "offered online, một phần or toàn trình (Decree 42/2022)",
        ),
        "payment_integrated": (
            ratio(len(integrated), len(fee)),
            f"3.5: {len(integrated)} of {len(fee)} fee-bearing procedures offer online payment",
        ),
        "payment_transactions": (
            ratio(len(transacted), len(fee)),
            f"3.5b: {len(transacted)} of the {len(fee)} fee-bearing procedures had a dossier "
            f"paid online in {period.label}",
        ),
    }


__all__ = [
    "CATALOGUE_INDICATORS",
    "COMPLAINTS",
    "SUPPLIED_ONLY",
    "StoreInputs",
    "ValueSource",
    "qd766_inputs",
    "read_supplied",
]
