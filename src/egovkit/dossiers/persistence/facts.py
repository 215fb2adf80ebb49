"""The facts a store keeps per dossier so that SQL can count what
:func:`~egovkit.dossiers.statistics.compute_statistics` counts, without reading JSON.

Instants are whole microseconds since 1970-01-01 UTC (exact, and compared as integers by every
database); days are proleptic ordinals of the date in Vietnam (early against on time compares
dates). A missing instant becomes a sentinel that makes the comparisons come out as the Python
rules say: no closing → closed in the far future; no due instant → due in the far future, and
a due day before every day (never early, never late: on time).

The qd766 columns (schema step 4 on SQLite, 3 on PostgreSQL; the Decree 45 paper columns of
:data:`PAPER_COLUMNS` step 5 and 4) let SQL count what
:func:`~egovkit.assessment.qd766_dossiers.count_qd766` counts: ``qd766_ready`` is 1 when the row
has them and the dossier has an appointed instant (NgayHenTra); other dossiers (written before
the step, or whose limit needs a work calendar) are counted in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.papers import DossierAttachment, Reuse
from egovkit.dossiers.parties import Channel
from egovkit.dossiers.parts import FeeCollection, PaymentMethod
from egovkit.dossiers.status import DossierStatus

#: An instant after every real one (microseconds).
FAR_FUTURE: Final = 2**62
#: A due day before every real day (no due instant: never early).
NO_DAY: Final = -1
#: ``channel`` column values.
CHANNELS: Final = {Channel.DIRECT: 0, Channel.ONLINE: 1, Channel.POSTAL: 2}
#: ``closed_kind`` column values (0: not closed).
CLOSINGS: Final = {
    DossierStatus.RESOLVED: 1,
    DossierStatus.WITHDRAWN: 2,
    DossierStatus.STOPPED: 3,
    DossierStatus.REFUSED: 4,
}
_CLOSING_TEXT: Final = {status.value: kind for status, kind in CLOSINGS.items()}
_CHANNEL_TEXT: Final = {channel.value: number for channel, number in CHANNELS.items()}
_ONLINE: Final = PaymentMethod.ONLINE.value
_NO_REUSE: Final = Reuse.NONE.value
_NATIONAL: Final = Reuse.NATIONAL_DATABASE.value
_EXEMPT: Final = FeeCollection.EXEMPT.value
_PREFIX: Final = {1: 3, 2: 6, 3: 9}  # characters of agency_key kept per level
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)

FactRow = tuple[
    str, str, str, int, str, int, int, int, int, int, int, int, int,
    int, int, int, int, int, int, int, int, str, int, int, int, int,
    int, int, int, int,
]  # fmt: skip
#: The qd766 part of a fact row (see :data:`QD766_COLUMNS` and :data:`PAPER_COLUMNS`).
Qd766Part = tuple[
    int, int, int, int, int, int, int, int, str, int, int, int, int, int, int, int, int
]
#: Names of the qd766 columns, in row order after the statistics ones.
QD766_COLUMNS: Final = (
    "qd766_ready",
    "appointed_at",
    "supplement_at",
    "supplement_done",
    "second_supplement_at",
    "fee_listed",
    "zero_fee",
    "paid_online_at",
    "procedure",
    "received_day",
    "result_at",
    "file_result_at",
    "attachments",
)
#: Names of the Decree 45/2020 paper columns (qd766 group 4), in row order after the qd766 ones:
#: whether the dossier records paper data at all, has a reused paper, a paper from a national
#: database or the data store, and the first instant a result of it was kept in the data store.
PAPER_COLUMNS: Final = ("papers", "reused_paper", "national_paper", "stored_result_at")
PauseRow = tuple[str, int, int]


def micros(instant: datetime) -> int:
    """``instant`` (aware) as whole microseconds since the epoch."""
    return (instant - _EPOCH) // _MICROSECOND


def _day(instant: datetime) -> int:
    return instant.astimezone(VIETNAM_TZ).date().toordinal()


def agency_key(code: AgencyCode) -> str:
    """The agency code written level 1 first (``H53.01.00.000`` for ``000.00.01.H53``), so that
    a unit and all its sub-units share a prefix and one index range finds them."""
    return ".".join(code.levels)


def agency_range(code: AgencyCode, *, include_subunits: bool) -> tuple[str, str]:
    """The ``[low, high)`` range of :func:`agency_key` values of ``code`` (and, with
    ``include_subunits``, of every unit within it)."""
    key = agency_key(code)
    if not include_subunits or code.level == 4:
        return key, key + " "
    prefix = key[: _PREFIX[code.level]]
    return prefix + ".", prefix + "/"


def _row(
    key: str,
    competent: str,
    receiving: str,
    channel: int,
    status: str,
    received: datetime | None,
    closing: tuple[int, datetime] | None,
    due: datetime | None,
    pauses: list[tuple[datetime, datetime | None]],
    qd766: Qd766Part,
) -> tuple[FactRow, list[PauseRow]]:
    closed_kind, closed_at, closed_day = 0, FAR_FUTURE, NO_DAY
    if closing is not None:
        closed_kind, closed_at, closed_day = closing[0], micros(closing[1]), _day(closing[1])
    spans = [(key, micros(s), FAR_FUTURE if e is None else micros(e)) for s, e in pauses]
    pause_from = min((s for _, s, _ in spans), default=FAR_FUTURE)
    pause_until = max((e for _, _, e in spans), default=0)
    row: FactRow = (
        key,
        competent,
        receiving,
        channel,
        status,
        FAR_FUTURE if received is None else micros(received),
        closed_at,
        closed_kind,
        closed_day,
        FAR_FUTURE if due is None else micros(due),
        NO_DAY if due is None else _day(due),
        pause_from,
        pause_until,
        *qd766,
    )
    return row, spans


def _qd766(
    received: datetime | None,
    appointed: datetime | None,
    supplements: list[tuple[datetime, datetime | None]],
    fee_listed: bool,
    zero_fee: bool,
    paid_online: list[datetime],
    procedure: str,
    results: list[tuple[datetime, bool]],
    attachments: bool,
    papers: tuple[bool, bool, bool, list[datetime]],
) -> Qd766Part:
    """The qd766 columns: two earliest supplement requests (the first with its answer), the
    first online payment, the first result and the first result with a file; then the paper
    columns (``papers``: recorded, reused, from a national database, results kept in the data
    store)."""
    recorded, reused, national, stored = papers
    ordered = sorted(supplements, key=lambda s: s[0])
    first, done, second = FAR_FUTURE, FAR_FUTURE, FAR_FUTURE
    if ordered:
        first = micros(ordered[0][0])
        answered = ordered[0][1]
        done = FAR_FUTURE if answered is None else micros(answered)
    if len(ordered) > 1:
        second = micros(ordered[1][0])
    return (
        0 if appointed is None else 1,
        0 if appointed is None else micros(appointed),
        first,
        done,
        second,
        int(fee_listed),
        int(zero_fee),
        min((micros(p) for p in paid_online), default=FAR_FUTURE),
        procedure,
        NO_DAY if received is None else _day(received),
        min((micros(at) for at, _ in results), default=FAR_FUTURE),
        min((micros(at) for at, has_file in results if has_file), default=FAR_FUTURE),
        int(attachments),
        int(recorded),
        int(reused),
        int(national),
        min((micros(at) for at in stored), default=FAR_FUTURE),
    )


def facts_of(key: str, dossier: Dossier) -> tuple[FactRow, list[PauseRow]]:
    """The fact row and pause rows of ``dossier`` stored under ``key``."""
    closing = dossier.closing
    return _row(
        key,
        agency_key(dossier.competent_agency),
        agency_key(dossier.receiving_agency),
        CHANNELS[dossier.channel],
        dossier.status.value,
        dossier.received_at,
        None if closing is None else (CLOSINGS[closing.target], closing.at),
        dossier.due_at,
        [(p.started_at, p.ended_at) for p in dossier.pauses],
        _qd766(
            dossier.received_at,
            dossier.appointed_at,
            [(r.requested_at, r.supplemented_at) for r in dossier.supplements],
            bool(dossier.fees),
            dossier.fees_due == 0,
            [p.paid_at for p in dossier.payments if p.method is PaymentMethod.ONLINE],
            dossier.procedure.code,
            [(r.issued_at, r.attachment is not None) for r in dossier.results],
            bool(dossier.attachments),
            _papers(dossier),
        ),
    )


def _papers(dossier: Dossier) -> tuple[bool, bool, bool, list[datetime]]:
    papers = [a for a in dossier.attachments if isinstance(a, DossierAttachment)]
    return (
        bool(papers) or any(r.records_papers for r in dossier.results),
        any(p.reused for p in papers),
        any(p.from_national_database for p in papers),
        [r.issued_at for r in dossier.results if r.data_store_reference],
    )


def _papers_of_data(data: Mapping[str, Any]) -> tuple[bool, bool, bool, list[datetime]]:
    reuses = [a["reuse"] for a in data["attachments"] if "reuse" in a]
    recorded = bool(reuses)
    stored: list[datetime] = []
    for result in data["results"]:
        if result.get("code") or result.get("electronic") or result.get("data_store_reference"):
            recorded = True
        if result.get("data_store_reference"):
            issued = _instant(result["issued_at"])
            assert issued is not None
            stored.append(issued)
    return (
        recorded,
        any(r != _NO_REUSE for r in reuses),
        any(r == _NATIONAL for r in reuses),
        stored,
    )


def reversed_key(code: str) -> str:
    """:func:`agency_key` of a stored (canonical) agency code text, and the code text of an
    :func:`agency_key`."""
    return ".".join(reversed(code.split(".")))


def _instant(text: Any) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def facts_of_data(key: str, data: Mapping[str, Any]) -> tuple[FactRow, list[PauseRow]]:
    """:func:`facts_of` read straight from the stored JSON form
    (:func:`~egovkit.dossiers.serialization.dossier_to_dict`), without building the dossier:
    what a store runs on every write of a dossier record, the repository's and any other."""
    closing = None
    for record in data["history"]:
        kind = _CLOSING_TEXT.get(record["to"])
        if kind is not None and record["from"] != record["to"]:
            at = _instant(record["at"])
            assert at is not None
            closing = (kind, at)
            break
    pauses: list[tuple[datetime, datetime | None]] = []
    for pause in data["pauses"]:
        started = _instant(pause["started_at"])
        assert started is not None
        pauses.append((started, _instant(pause["ended_at"])))
    supplements: list[tuple[datetime, datetime | None]] = []
    for request in data["supplements"]:
        asked = _instant(request["requested_at"])
        assert asked is not None
        supplements.append((asked, _instant(request["supplemented_at"])))
    paid_online: list[datetime] = []
    for payment in data["payments"]:
        paid = _instant(payment["paid_at"])
        if payment["method"] == _ONLINE and paid is not None:
            paid_online.append(paid)
    results: list[tuple[datetime, bool]] = []
    for result in data["results"]:
        issued = _instant(result["issued_at"])
        assert issued is not None
        results.append((issued, result["attachment"] is not None))
    fees = data["fees"]
    due = sum(f["amount"] for f in fees if f["collection"] != _EXEMPT)
    received = _instant(data["received_at"])
    return _row(
        key,
        reversed_key(data["competent_agency"]),
        reversed_key(data["receiving_agency"]),
        _CHANNEL_TEXT[data["channel"]],
        data["status"],
        received,
        closing,
        _instant(data["due_at"]),
        pauses,
        _qd766(
            received,
            _instant(data["appointed_at"]),
            supplements,
            bool(fees),
            due == 0,
            paid_online,
            data["procedure"]["code"],
            results,
            bool(data["attachments"]),
            _papers_of_data(data),
        ),
    )


__all__ = [
    "CHANNELS",
    "CLOSINGS",
    "FAR_FUTURE",
    "NO_DAY",
    "PAPER_COLUMNS",
    "QD766_COLUMNS",
    "FactRow",
    "PauseRow",
    "Qd766Part",
    "agency_key",
    "agency_range",
    "facts_of",
    "facts_of_data",
    "micros",
    "reversed_key",
]
