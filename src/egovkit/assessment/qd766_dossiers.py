"""Decision 766/QĐ-TTg counts from one-stop dossiers (hồ sơ một cửa), dossier by dossier.

One pass over any iterable of :class:`~egovkit.dossiers.model.Dossier` counts, per competent
agency, what the ``qd766`` rates need: the on-time rule of 2.1 with its supplement rules, the
channel (3.3), fees and online payments (3.4, 3.6), result files and attachments (4.1, 4.2).
With the period ``[S, E)`` (midnight of the first day to midnight after the last, Vietnam time)
and the reporting instant ``T = min(as_of, E)``, only what happened strictly before ``T`` counts,
as in :func:`~egovkit.dossiers.statistics.compute_statistics`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from egovkit.calendar import VIETNAM_TZ, WorkCalendar, to_vietnam
from egovkit.dossiers import deadlines
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.papers import DossierAttachment
from egovkit.dossiers.parties import Channel
from egovkit.dossiers.parts import PaymentMethod
from egovkit.dossiers.status import DossierStatus
from egovkit.errors import ValidationError

#: Whether the procedure with this code carries a fee (nghĩa vụ tài chính), and on which day.
FeePredicate = Callable[[Dossier], bool]
#: The same from what a store keeps: procedure code, day of receipt (Vietnam), whether the
#: dossier lists a fee.
ProcedureFees = Callable[[str, date, bool], bool]
_DEFAULT_CALENDAR: Final = WorkCalendar()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), VIETNAM_TZ)


def on_time_766(dossier: Dossier, *, cut: datetime, calendar: WorkCalendar | None = None) -> bool:
    """Whether ``dossier`` counts as finished on time or still within its deadline at the
    reporting instant ``cut`` under Decision 766 (chỉ số 2.1).

    The end is the first of finished (Đã xử lý xong), withdrawn, stopped or refused before
    ``cut``; with none, ``cut`` itself (the end of the reporting period). It is compared with the
    appointed instant of the receipt slip (NgayHenTra; extensions and other pauses are not
    forgiven). More than one supplement request (yêu cầu bổ sung) before the end makes the
    dossier late; one request still unanswered at the end counts as the end of processing; one
    answered request has its time (bổ sung xong − yêu cầu) subtracted. Without an appointed
    instant the statutory processing time from the clock start is the limit.
    """
    closing = dossier.closing
    end = closing.at if closing is not None and closing.at < cut else cut
    requests = [s for s in dossier.supplements if s.requested_at < end]
    if len(requests) > 1:
        return False
    due = dossier.appointed_at
    if due is None:
        start = dossier.clock_started_at or dossier.received_at
        if start is None:
            return True  # never received: not part of any population
        due = deadlines.due_from(
            calendar or _DEFAULT_CALENDAR, start, dossier.procedure.processing_time
        )
    if requests:
        request = requests[0]
        answered = request.supplemented_at
        if answered is None or answered >= end:
            end = request.requested_at  # the request ends processing
        else:
            end = end - (answered - request.requested_at)
    return end <= due


@attrs.frozen(kw_only=True)
class Qd766Counts:
    """What one agency's dossiers give the ``qd766`` rates for one period.

    ``considered`` are the dossiers received or processed in the period (received before ``T``
    and not closed before ``S``); ``received`` those received in it; ``finished`` those
    finished (Đã xử lý xong) in it. Of those received, ``paper_data`` record Decree 45/2020
    paper data at all (papers with flags, results with a code, electronic or kept in the data
    store), ``reused`` have a paper reused from digitised data (4.3) and ``data_store`` a paper
    taken from a national database or the data store, or a result kept in the data store
    before ``T`` (4.4). ``paid_procedures`` are the codes of the procedures with at least one
    dossier paid online in the period.
    """

    agency: str
    considered: int = 0
    on_time: int = 0
    received: int = 0
    received_online: int = 0
    fee_dossiers: int = 0
    zero_fee_dossiers: int = 0
    paid_online: int = 0
    finished: int = 0
    result_dossiers: int = 0
    electronic_results: int = 0
    digitised: int = 0
    paper_data: int = 0
    reused: int = 0
    data_store: int = 0
    paid_procedures: frozenset[str] = frozenset()

    @property
    def overdue(self) -> int:
        """Considered dossiers that are not on time (quá hạn) under the 2.1 rule."""
        return self.considered - self.on_time


_FIELDS: Final = tuple(f.name for f in attrs.fields(Qd766Counts))[1:-1]


def has_fee_listed(dossier: Dossier) -> bool:
    """Without a procedure catalogue: the dossier lists a fee (its procedure carries one)."""
    return bool(dossier.fees)


def qd766_window(start: date, end: date, as_of: datetime | None) -> tuple[datetime, datetime]:
    """``S`` and ``T`` of the days ``start`` … ``end`` as of ``as_of`` (checked)."""
    if end < start:
        raise ValidationError(
            f"the period ends ({end}) before it starts ({start})",
            code="assessment.qd766.period",
            where="end",
        )
    period_start, period_end = _midnight(start), _midnight(end + timedelta(days=1))
    cut = period_end if as_of is None else min(to_vietnam(as_of, where="as_of"), period_end)
    return period_start, cut


def fee_predicate(fees: ProcedureFees | None) -> FeePredicate:
    """The :data:`FeePredicate` of ``fees`` (``None``: the dossier lists a fee)."""
    if fees is None:
        return has_fee_listed

    def bearing(dossier: Dossier) -> bool:
        received = dossier.received_at
        day = received.date() if received is not None else date.min
        return fees(dossier.procedure.code, day, bool(dossier.fees))

    return bearing


def merge_counted(
    groups: Iterable[tuple[str, str, int, bool, frozenset[str], int]],
    rest: Mapping[str, Qd766Counts],
    *,
    agencies: Iterable[str] | None = None,
    fees: ProcedureFees | None = None,
) -> dict[str, Qd766Counts]:
    """:func:`count_qd766`'s result from a store's groups of dossiers (see
    :func:`egovkit.storage.engine.fetch_qd766_rows`: agency code text, procedure, day of receipt
    as an ordinal or -1 before the period, whether the dossier lists a fee, the names of the
    flags SQL decided, how many dossiers) and ``rest``, the counts of the dossiers SQL left to
    Python (computed with the same arguments)."""
    wanted = None if agencies is None else frozenset(agencies)
    tallies: dict[str, dict[str, int]] = {}
    paid: dict[str, set[str]] = {}
    for name, counts in rest.items():
        tallies[name] = {f: getattr(counts, f) for f in _FIELDS}
        paid[name] = set(counts.paid_procedures)
    bearing_of: dict[tuple[str, int, bool], bool] = {}
    for agency, procedure, day, listed, flags, n in groups:
        if wanted is not None and agency not in wanted:
            continue
        tally = tallies.get(agency)
        if tally is None:
            tally = tallies[agency] = dict.fromkeys(_FIELDS, 0)
            paid[agency] = set()
        tally["considered"] += n
        if "on_time" in flags:
            tally["on_time"] += n
        if "finished" in flags:
            tally["finished"] += n
            if "result" in flags:
                tally["result_dossiers"] += n
            if "result_file" in flags:
                tally["electronic_results"] += n
                if "attachments" in flags:
                    tally["digitised"] += n
        if day < 0:
            continue  # received before the period
        tally["received"] += n
        for flag, field in _NEW_FLAGS:
            if flag in flags:
                tally[field] += n
        key = (procedure, day, listed)
        bearing = bearing_of.get(key)
        if bearing is None:
            bearing = bearing_of[key] = (
                listed if fees is None else fees(procedure, date.fromordinal(day), listed)
            )
        if not bearing:
            continue
        tally["fee_dossiers"] += n
        if "zero_fee" in flags:
            tally["zero_fee_dossiers"] += n
        elif "paid_online" in flags:
            tally["paid_online"] += n
            paid[agency].add(procedure)
    return {
        name: Qd766Counts(agency=name, paid_procedures=frozenset(paid[name]), **tally)
        for name, tally in sorted(tallies.items())
    }


#: Flags of a dossier received in the period and the count each adds to.
_NEW_FLAGS: Final = (
    ("online", "received_online"),
    ("papers", "paper_data"),
    ("reused", "reused"),
    ("data_store", "data_store"),
)


def count_qd766(
    dossiers: Iterable[Dossier],
    *,
    start: date,
    end: date,
    as_of: datetime | None = None,
    agencies: Iterable[str] | None = None,
    fee_bearing: FeePredicate = has_fee_listed,
    calendar: WorkCalendar | None = None,
) -> dict[str, Qd766Counts]:
    """The counts of every competent agency (by code text) for the days ``start`` … ``end``
    (both included), as of ``as_of`` (default: the end of the period).

    With ``agencies`` only those are counted, and each gets counts even without dossiers.
    ``fee_bearing`` tells whether a dossier's procedure carries a fee (default: the dossier lists
    a fee; pass a procedure catalogue's answer when you have one).
    """
    period_start, cut = qd766_window(start, end, as_of)
    wanted = None if agencies is None else frozenset(agencies)
    tallies: dict[str, dict[str, int]] = {}
    paid: dict[str, set[str]] = {}
    if wanted is not None:
        for name in wanted:
            tallies[name] = dict.fromkeys(_FIELDS, 0)
            paid[name] = set()
    for dossier in dossiers:
        received = dossier.received_at
        if received is None or received >= cut:
            continue
        agency = str(dossier.competent_agency)
        if wanted is not None and agency not in wanted:
            continue
        closing = dossier.closing
        if closing is not None and closing.at < period_start:
            continue  # settled before the period
        tally = tallies.get(agency)
        if tally is None:
            tally = tallies[agency] = dict.fromkeys(_FIELDS, 0)
            paid[agency] = set()
        tally["considered"] += 1
        if on_time_766(dossier, cut=cut, calendar=calendar):
            tally["on_time"] += 1
        if received >= period_start:
            _count_new(dossier, tally, paid[agency], cut, fee_bearing)
        if (
            closing is not None
            and closing.target is DossierStatus.RESOLVED
            and closing.at < cut
            and closing.at >= period_start
        ):
            _count_finished(dossier, tally, cut)
    return {
        name: Qd766Counts(agency=name, paid_procedures=frozenset(paid[name]), **tally)
        for name, tally in sorted(tallies.items())
    }


def _count_new(
    dossier: Dossier,
    tally: dict[str, int],
    paid_codes: set[str],
    cut: datetime,
    fee_bearing: FeePredicate,
) -> None:
    tally["received"] += 1
    if dossier.channel is Channel.ONLINE:
        tally["received_online"] += 1
    _count_papers(dossier, tally, cut)
    if not fee_bearing(dossier):
        return
    tally["fee_dossiers"] += 1
    if dossier.fees_due == 0:
        tally["zero_fee_dossiers"] += 1
        return
    if any(p.method is PaymentMethod.ONLINE and p.paid_at < cut for p in dossier.payments):
        tally["paid_online"] += 1
        paid_codes.add(dossier.procedure.code)


def _count_papers(dossier: Dossier, tally: dict[str, int], cut: datetime) -> None:
    papers = [a for a in dossier.attachments if isinstance(a, DossierAttachment)]
    if papers or any(r.records_papers for r in dossier.results):
        tally["paper_data"] += 1
    if any(p.reused for p in papers):
        tally["reused"] += 1
    if any(p.from_national_database for p in papers) or any(
        r.data_store_reference and r.issued_at < cut for r in dossier.results
    ):
        tally["data_store"] += 1


def _count_finished(dossier: Dossier, tally: dict[str, int], cut: datetime) -> None:
    tally["finished"] += 1
    results = [r for r in dossier.results if r.issued_at < cut]
    if not results:
        return
    tally["result_dossiers"] += 1
    electronic = any(r.attachment is not None for r in results)
    if electronic:
        tally["electronic_results"] += 1
        if dossier.attachments:
            tally["digitised"] += 1


def counts_to_dict(counts: Mapping[str, Qd766Counts]) -> dict[str, dict[str, object]]:
    """A JSON-ready view of the counts, agency by agency."""
    return {
        name: {
            **{f: getattr(c, f) for f in _FIELDS},
            "overdue": c.overdue,
            "paid_procedures": sorted(c.paid_procedures),
        }
        for name, c in counts.items()
    }


__all__ = [
    "FeePredicate",
    "ProcedureFees",
    "Qd766Counts",
    "count_qd766",
    "counts_to_dict",
    "fee_predicate",
    "has_fee_listed",
    "merge_counted",
    "on_time_766",
    "qd766_window",
]
