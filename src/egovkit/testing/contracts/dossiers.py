"""Contracts for dossiers in a store: saved with their history in the audit log, codes unique
per unit and day across processes, and statistics equal to
:func:`~egovkit.dossiers.statistics.compute_statistics` over the same dossiers.

A backend that keeps dossier facts (SQL) proves here that its counts match the Python
definition exactly, on random populations and on the boundary cases of
:doc:`/explanation/dossiers-statistics`.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.assessment.qd766_dossiers import ProcedureFees, count_qd766, fee_predicate
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    AgencyRole,
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierAttachment,
    DossierCode,
    IllegalTransitionError,
    Procedure,
    Result,
    Reuse,
    compute_statistics,
    paper_of,
)
from egovkit.dossiers.persistence import DossierDesk, HistoryRewrittenError, transition_digest
from egovkit.dossiers.persistence.repository import ACTION_PREFIX, DOSSIERS
from egovkit.errors import ConflictError, NotFoundError
from egovkit.ports import Store
from egovkit.testing.contracts import _dossier_workers
from egovkit.testing.contracts.concurrency import ProcessHelpers
from egovkit.testing.contracts.fixtures import StoreFixtures
from egovkit.testing.strategies.dossiers import dossiers

CALENDAR = WorkCalendar()
PROVINCE = AgencyCode.province("H99")
UNIT = AgencyCode.parse("000.00.01.H99")
SUBUNIT = AgencyCode.parse("000.01.01.H99")
OTHER_UNIT = AgencyCode.parse("000.00.02.H99")
ELSEWHERE = AgencyCode.parse("000.00.01.H98")
AGENCIES = (PROVINCE, UNIT, SUBUNIT, OTHER_UNIT, ELSEWHERE)
CITIZEN = Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An")
BIRTH = Procedure(
    code="1.001612.000.00.00.H99",
    name="Đăng ký khai sinh",
    processing_time=Duration.working_days(3),
)
_NUMBERS = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Vietnam."""
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def received(
    when: datetime, *, unit: AgencyCode = UNIT, channel: Channel = Channel.DIRECT
) -> Dossier:
    """A dossier of ``unit`` received at ``when`` (3 working days), with a fresh code."""
    return Dossier.receive(
        code=DossierCode(agency=unit, day=when.date(), number=next(_NUMBERS)),
        procedure=BIRTH,
        applicant=CITIZEN,
        channel=channel,
        receiving_agency=unit,
        received_at=when,
        actor="tiếp nhận",
        calendar=CALENDAR,
    )


def edge_population() -> tuple[list[Dossier], list[datetime]]:
    """Dossiers on the boundaries of March 2026 and the "as of" instants that hit them."""
    s = at(2026, 3, 1)
    minute = timedelta(minutes=1)
    due_soon = received(at(2026, 3, 10, 9))  # due 13 March 09:00
    due_at = due_soon.due_at
    assert due_at is not None
    paused_twice = received(at(2026, 3, 2, 9))
    paused_twice = paused_twice.pause(at=at(2026, 3, 3, 9), actor="cv", reason="chờ")
    paused_twice = paused_twice.resume(at=at(2026, 3, 4, 9), actor="cv", calendar=CALENDAR)
    paused_twice = paused_twice.pause(at=at(2026, 3, 5, 9), actor="cv", reason="chờ lại")
    submitted = Dossier.submit(
        code=DossierCode(agency=UNIT, day=date(2026, 3, 3), number=next(_NUMBERS)),
        procedure=BIRTH,
        applicant=CITIZEN,
        receiving_agency=UNIT,
        submitted_at=at(2026, 3, 3, 8),
        actor="cổng",
    )
    found = [
        received(s),  # received exactly at S: new
        received(s - minute).resolve(at=s, actor="ld"),  # carried over, finished at S
        received(s - 2 * minute).withdraw(at=s - minute, actor="cd"),  # settled before: out
        received(at(2026, 2, 20, 9)),  # carried over, overdue
        received(at(2026, 3, 20, 9), channel=Channel.ONLINE),  # received at an as-of below
        due_soon,
        received(at(2026, 3, 10, 9)).resolve(at=due_at, actor="ld"),  # on time, at the instant
        received(at(2026, 3, 10, 9)).resolve(at=at(2026, 3, 12, 16), actor="ld"),  # early
        received(at(2026, 3, 10, 9)).resolve(at=due_at + minute, actor="ld"),  # late
        received(at(2026, 3, 11, 9), channel=Channel.POSTAL).withdraw(
            at=at(2026, 3, 12, 9), actor="cd"
        ),
        received(at(2026, 3, 11, 9)).stop(at=at(2026, 3, 12, 9), actor="ld", reason="dừng"),
        paused_twice,
        received(at(2026, 3, 16, 9), unit=SUBUNIT),
        received(at(2026, 3, 16, 9), unit=OTHER_UNIT).resolve(at=at(2026, 3, 17, 9), actor="ld"),
        received(at(2026, 3, 16, 9), unit=ELSEWHERE),
        submitted,
        Dossier.submit(
            code=DossierCode(agency=UNIT, day=date(2026, 3, 3), number=next(_NUMBERS)),
            procedure=BIRTH,
            applicant=CITIZEN,
            receiving_agency=UNIT,
            submitted_at=at(2026, 3, 3, 8),
            actor="cổng",
        ).refuse(at=at(2026, 3, 3, 10), actor="cb", reason="Sai thẩm quyền"),
        received(at(2026, 4, 1)),  # exactly at E: not in March
    ]
    instants = [
        s,
        s + minute,
        at(2026, 3, 3, 9),  # the first pause starts exactly now: not yet paused
        at(2026, 3, 4, 9),  # the first pause ends exactly now: still paused
        at(2026, 3, 5, 9),  # the second pause starts exactly now: not paused
        at(2026, 3, 5, 9, 1),
        due_at - timedelta(hours=24),  # due exactly 24 hours later: due soon
        due_at - timedelta(hours=24, minutes=1),  # one minute more: not yet
        due_at,  # due exactly now: in progress within the deadline
        due_at + minute,
        at(2026, 3, 20, 9),  # received exactly now: not yet counted
        at(2026, 3, 31, 23, 59),
    ]
    return found, instants


def _settings() -> settings:
    return settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
            HealthCheck.too_slow,
        ],
    )


_POPULATIONS = st.lists(
    dossiers(
        CALENDAR,
        agencies=st.sampled_from(AGENCIES),
        first=date(2026, 1, 15),
        last=date(2026, 4, 15),
        max_actions=5,
    ),
    max_size=14,
    unique_by=lambda d: str(d.code),
)


def _clear(store: Store) -> None:
    for stored in list(store.dossiers.all()):
        store.dossiers.delete(stored)


class DossierContract(StoreFixtures):
    """Dossiers round-trip with their versions; every transition is in the audit log; the
    store's statistics equal the Python ones."""

    # -- saving ---------------------------------------------------------------------------

    def test_round_trip_versions_and_conflicts(self, store: Store) -> None:
        first = received(at(2026, 3, 2, 9))
        stored = store.dossiers.add(first)
        assert stored.version == 1
        assert store.dossiers.get(stored.key) == stored
        with pytest.raises(ConflictError):
            store.dossiers.add(first)
        done = first.resolve(at=at(2026, 3, 3, 9), actor="ld")
        updated = store.dossiers.update(stored, done)
        assert updated.version == 2
        assert store.dossiers.get(stored.key).dossier == done
        with pytest.raises(ConflictError):
            store.dossiers.update(stored, done)  # stale version
        with pytest.raises(HistoryRewrittenError):
            store.dossiers.update(updated, first.withdraw(at=at(2026, 3, 3, 9), actor="cd"))
        other = store.dossiers.add(received(at(2026, 3, 2, 10)))
        assert [s.key for s in store.dossiers.all()] == sorted([stored.key, other.key])
        store.dossiers.delete(updated)
        assert store.dossiers.find(stored.key) is None
        with pytest.raises(NotFoundError):
            store.dossiers.get(stored.key)

    def test_codes_count_per_unit_and_day(self, store: Store) -> None:
        desk = DossierDesk(store, calendar=CALENDAR)

        def code(unit: AgencyCode, when: datetime) -> str:
            return desk.receive(
                procedure=BIRTH,
                applicant=CITIZEN,
                channel=Channel.DIRECT,
                receiving_agency=unit,
                received_at=when,
                actor="tiếp nhận",
            ).key

        codes = [
            code(UNIT, at(2026, 3, 2, 9)),
            code(UNIT, at(2026, 3, 2, 16)),
            code(OTHER_UNIT, at(2026, 3, 2, 9)),
            code(UNIT, at(2026, 3, 3, 0, 5)),
            code(UNIT, at(2026, 3, 2, 23, 59)),
        ]
        assert codes == [
            "000.00.01.H99-260302-0001",
            "000.00.01.H99-260302-0002",
            "000.00.02.H99-260302-0001",
            "000.00.01.H99-260303-0001",
            "000.00.01.H99-260302-0003",
        ]

    # -- the audit log --------------------------------------------------------------------

    def test_every_transition_is_in_the_audit_log(self, store: Store) -> None:
        desk = DossierDesk(store, calendar=CALENDAR)
        code = desk.receive(
            procedure=BIRTH,
            applicant=CITIZEN,
            channel=Channel.ONLINE,
            receiving_agency=UNIT,
            received_at=at(2026, 3, 2, 9),
            actor="tiếp nhận",
        ).key
        steps = [
            (
                "chuyên viên",
                lambda d: d.start_processing(at=at(2026, 3, 2, 10), actor="chuyên viên"),
            ),
            (
                "chuyên viên",
                lambda d: d.request_supplement(
                    items=["Bản sao CCCD"], at=at(2026, 3, 2, 11), actor="chuyên viên"
                ),
            ),
            (
                "công dân",
                lambda d: d.supplement(at=at(2026, 3, 4, 8), actor="công dân", calendar=CALENDAR),
            ),
            ("lãnh đạo", lambda d: d.resolve(at=at(2026, 3, 5, 9), actor="lãnh đạo")),
            ("trả kết quả", lambda d: d.return_result(at=at(2026, 3, 5, 14), actor="trả kết quả")),
        ]
        for actor, step in steps:
            desk.act(code, step, actor=actor)
        stored = store.dossiers.get(code)
        logged = [
            e for e in store.audit.entries() if e.key == code and e.action.startswith(ACTION_PREFIX)
        ]
        history = stored.dossier.history
        assert [(e.action, e.actor, e.after) for e in logged] == [
            (ACTION_PREFIX + r.event, r.actor, transition_digest(r)) for r in history
        ]
        assert [e.version for e in logged] == list(range(1, len(history) + 1))
        assert all(e.collection == DOSSIERS for e in logged)
        assert store.audit.verify() == store.audit.head()

    def test_a_refused_transition_writes_nothing(self, store: Store) -> None:
        desk = DossierDesk(store, calendar=CALENDAR)
        stored = desk.receive(
            procedure=BIRTH,
            applicant=CITIZEN,
            channel=Channel.DIRECT,
            receiving_agency=UNIT,
            received_at=at(2026, 3, 2, 9),
            actor="tiếp nhận",
        )
        done = desk.act(
            stored.key, lambda d: d.resolve(at=at(2026, 3, 3, 9), actor="ld"), actor="ld"
        )
        head = store.audit.head()
        with pytest.raises(IllegalTransitionError):
            desk.act(
                stored.key, lambda d: d.withdraw(at=at(2026, 3, 3, 10), actor="cd"), actor="cd"
            )
        assert store.audit.head() == head
        assert store.dossiers.get(stored.key) == done
        assert store.audit.verify() == head

    def test_any_write_of_a_dossier_record_keeps_the_counts(self, store: Store) -> None:
        march = {"agency": UNIT, "start": date(2026, 3, 1), "end": date(2026, 3, 31)}
        one = store.dossiers.add(received(at(2026, 3, 2, 9)))
        assert store.dossiers.statistics(**march).in_progress_overdue == 1  # type: ignore[arg-type]
        record = store.records.get(DOSSIERS, one.key)
        from egovkit.dossiers import dossier_to_dict

        done = one.dossier.resolve(at=at(2026, 3, 3, 9), actor="ld")
        store.records.update(attrs.evolve(record, data=dossier_to_dict(done)))
        stats = store.dossiers.statistics(**march)  # type: ignore[arg-type]
        assert (stats.finished_early, stats.in_progress_overdue) == (1, 0)
        store.records.delete(store.records.get(DOSSIERS, one.key))
        assert store.dossiers.statistics(**march).received == 0  # type: ignore[arg-type]

    def test_a_restored_store_counts_the_same(
        self, store: Store, other_store: Store, tmp_path: Path
    ) -> None:
        from egovkit.storage import backup, restore

        population, _ = edge_population()
        store.dossiers.add_many(population)
        backup(store, tmp_path / "dossiers.tar.gz")
        restore(other_store, tmp_path / "dossiers.tar.gz")
        for agency in AGENCIES:
            kwargs = {"agency": agency, "start": date(2026, 3, 1), "end": date(2026, 3, 31)}
            assert other_store.dossiers.statistics(**kwargs) == store.dossiers.statistics(  # type: ignore[arg-type]
                **kwargs  # type: ignore[arg-type]
            )

    # -- statistics -----------------------------------------------------------------------

    def test_statistics_on_the_boundaries(self, store: Store) -> None:
        population, instants = edge_population()
        assert store.dossiers.add_many(population) == len(population)
        seen = []
        for as_of, agency, role, wide in itertools.product(
            [None, *instants],
            (UNIT, PROVINCE),
            (AgencyRole.COMPETENT, AgencyRole.RECEIVING),
            (False, True),
        ):
            kwargs = {
                "agency": agency,
                "start": date(2026, 3, 1),
                "end": date(2026, 3, 31),
                "as_of": as_of,
                "role": role,
                "include_subunits": wide,
            }
            ours = store.dossiers.statistics(**kwargs)  # type: ignore[arg-type]
            assert ours == compute_statistics(population, **kwargs)  # type: ignore[arg-type]
            seen.append(ours)
        unit = seen[:: 2 * 2 * 2]  # UNIT, competent, exact: one per as-of instant
        march = unit[0]
        assert (march.carried_over, march.new) == (2, 9)
        assert (march.finished_early, march.finished_on_time, march.finished_late) == (2, 1, 1)
        assert (march.withdrawn, march.stopped, march.paused) == (1, 1, 1)
        assert march.in_progress_overdue == 4
        pause_starts, pause_ends, second_starts = unit[3], unit[4], unit[5]
        assert (pause_starts.paused, pause_ends.paused, second_starts.paused) == (0, 1, 0)
        day_before, a_minute_more, due_now = unit[7], unit[8], unit[9]
        assert (day_before.due_within_24h, a_minute_more.due_within_24h) == (4, 0)
        assert due_now.due_within_24h == due_now.in_progress_on_time == 3  # due exactly at T
        assert (unit[11].new, unit[12].new) == (8, 9)  # received exactly at T: not yet

    @_settings()
    @given(
        population=_POPULATIONS,
        agency=st.sampled_from(AGENCIES),
        role=st.sampled_from(list(AgencyRole)),
        wide=st.booleans(),
        start=st.dates(date(2026, 2, 1), date(2026, 3, 31)),
        days=st.integers(0, 45),
        as_of_minutes=st.none() | st.integers(0, 60 * 24 * 50),
    )
    def test_statistics_equal_the_python_ones(
        self,
        store: Store,
        population: list[Dossier],
        agency: AgencyCode,
        role: AgencyRole,
        wide: bool,
        start: date,
        days: int,
        as_of_minutes: int | None,
    ) -> None:
        _clear(store)
        store.dossiers.add_many(population)
        by_code = sorted(population, key=lambda d: str(d.code))
        assert [s.dossier for s in store.dossiers.all()] == by_code  # read(write(x)) == x
        as_of = (
            None
            if as_of_minutes is None
            else at(start.year, start.month, start.day) + timedelta(minutes=as_of_minutes)
        )
        kwargs = {
            "agency": agency,
            "start": start,
            "end": start + timedelta(days=days),
            "as_of": as_of,
            "role": role,
            "include_subunits": wide,
        }
        expected = compute_statistics(population, **kwargs)  # type: ignore[arg-type]
        assert store.dossiers.statistics(**kwargs) == expected  # type: ignore[arg-type]

    @_settings()
    @given(
        population=_POPULATIONS,
        start=st.dates(date(2026, 2, 1), date(2026, 3, 31)),
        days=st.integers(0, 45),
        as_of_minutes=st.none() | st.integers(0, 60 * 24 * 50),
        named=st.none() | st.lists(st.sampled_from([str(a) for a in AGENCIES]), max_size=3),
        catalogue=st.booleans(),
    )
    def test_qd766_counts_equal_the_python_ones(
        self,
        store: Store,
        population: list[Dossier],
        start: date,
        days: int,
        as_of_minutes: int | None,
        named: list[str] | None,
        catalogue: bool,
    ) -> None:
        _clear(store)
        store.dossiers.add_many(population)
        as_of = (
            None
            if as_of_minutes is None
            else at(start.year, start.month, start.day) + timedelta(minutes=as_of_minutes)
        )
        # a catalogue's answer: fee-bearing on even days unless the dossier lists a fee
        fees: ProcedureFees | None = (
            (lambda code, day, listed: (day.day % 2 == 0) != listed) if catalogue else None
        )
        end = start + timedelta(days=days)
        expected = count_qd766(
            population,
            start=start,
            end=end,
            as_of=as_of,
            agencies=named,
            fee_bearing=fee_predicate(fees),
            calendar=CALENDAR,
        )
        got = store.dossiers.qd766_counts(
            start=start, end=end, as_of=as_of, agencies=named, fees=fees, calendar=CALENDAR
        )
        assert got == expected

    def test_qd766_group_4_from_papers(self, store: Store) -> None:
        """Decree 45 paper data gives qd766 4.3 and 4.4 from the store, equal to Python: of
        the five dossiers received in March 2026, one reuses an earlier dossier's paper (4.3),
        one takes a paper from a national database (4.3 and 4.4), one has a result kept in
        the data store (4.4), one records a component code only, and one is a plain file."""
        _clear(store)
        population = paper_population()
        store.dossiers.add_many(population)
        kwargs = {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "calendar": CALENDAR}
        got = store.dossiers.qd766_counts(**kwargs)  # type: ignore[arg-type]
        assert got == count_qd766(population, **kwargs)  # type: ignore[arg-type]
        unit = got[str(UNIT)]
        assert (unit.received, unit.paper_data, unit.reused, unit.data_store) == (5, 4, 2, 2)
        early = store.dossiers.qd766_counts(
            start=date(2026, 3, 1),
            end=date(2026, 3, 31),
            as_of=at(2026, 3, 10, 9),  # before the stored result was issued
            calendar=CALENDAR,
        )
        assert early[str(UNIT)].data_store == 1


def _file(name: str) -> Attachment:
    return Attachment(name=name, media_type="application/pdf", size=10, sha256="c" * 64)


def _paper(name: str, **flags: Any) -> DossierAttachment:
    return attrs.evolve(paper_of(_file(name)), **flags)


def paper_population() -> list[Dossier]:
    """Five dossiers of ``UNIT`` received in March 2026 with Decree 45 paper data (see
    :meth:`DossierContract.test_qd766_group_4_from_papers`)."""
    reused = _paper("kq-cu.pdf", reuse=Reuse.EARLIER_DOSSIER, replaces_result="KQ01")
    national = _paper("cccd.pdf", reuse=Reuse.NATIONAL_DATABASE, component_code="GT01")
    coded = _paper("don.pdf", component_code="GT02", digitised=False)
    plain = _file("anh.jpg")
    stored = Result(
        name="Giấy khai sinh",
        issued_at=at(2026, 3, 12, 9),
        code="KQ02",
        electronic=True,
        data_store_reference="kho/2026/1",
        attachment=_file("gks.pdf"),
    )
    return [
        attrs.evolve(received(at(2026, 3, 2, 9)), attachments=(reused, plain)),
        attrs.evolve(received(at(2026, 3, 3, 9)), attachments=(national,)),
        received(at(2026, 3, 4, 9))
        .start_processing(at=at(2026, 3, 4, 10), actor="cv")
        .resolve(at=at(2026, 3, 12, 9), actor="ld", results=[stored]),
        attrs.evolve(received(at(2026, 3, 5, 9)), attachments=(coded,)),
        attrs.evolve(received(at(2026, 3, 6, 9)), attachments=(plain,)),
    ]


class DossierConcurrencyContract(ProcessHelpers):
    """Processes receiving dossiers for one unit on one day never share a code (needs the
    ``multiprocess`` capability)."""

    #: Dossiers each process receives.
    dossiers_per_process: ClassVar[int] = 25

    def test_dossier_codes_are_unique_per_unit_and_day(self, tmp_path: Path) -> None:
        url = self._url(tmp_path)
        results = self._in_processes(_dossier_workers.receive, url, self.dossiers_per_process)
        codes = [code for result in results for code in result]
        total = self.processes * self.dossiers_per_process
        assert len(set(codes)) == total
        numbers = sorted(DossierCode.parse(code).number for code in codes)
        assert numbers == list(range(1, total + 1))
        assert {DossierCode.parse(code).day for code in codes} == {_dossier_workers.DAY.date()}
        from egovkit.storage import open_store

        with open_store(url) as store:
            assert store.audit.verify().sequence == 3 * total  # allocate, add, receive
            stats = store.dossiers.statistics(
                agency=_dossier_workers.UNIT, start=date(2026, 3, 1), end=date(2026, 3, 31)
            )
            assert stats.new == total


__all__ = [
    "DossierConcurrencyContract",
    "DossierContract",
    "edge_population",
]
