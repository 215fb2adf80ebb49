"""Contracts for handling cases in a store: cases round-trip, every step is in the audit log,
an illegal step writes nothing, and the store's queries (SQL where it has SQL) equal
:class:`~egovkit.handling.queries.CaseQueries` over the same cases — on random populations
built from random legal steps, at random instants.

Adopt it like the other suites: ``class TestMine(HandlingContract, MyFixtures): pass``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.calendar import VIETNAM_TZ
from egovkit.handling import (
    Action,
    Assignment,
    Case,
    CaseQueries,
    Event,
    Flow,
    HandlingStore,
    IllegalMoveError,
    Level,
    Role,
    State,
)
from egovkit.handling.search import CaseIndex, SearchQuery
from egovkit.handling.store import ACTION_PREFIX, COLLECTION, event_digest
from egovkit.ports import Store
from egovkit.testing.contracts.fixtures import StoreFixtures
from egovkit.testing.strategies.handling import EPOCH, populations

_AT = st.integers(0, 24 * 120).map(lambda h: EPOCH + timedelta(hours=h))
_UNIT = st.sampled_from(("", "Văn phòng", "Phòng Tư pháp", "UBND xã Đông Hòa"))
_PERSON = st.sampled_from(("", "Nguyễn Văn An", "Lê Hường"))
_DAY = st.dates(date(2025, 12, 20), date(2026, 4, 30))
_WORDS = st.sampled_from(
    ("về", "ve", "việc", "viec", "hường", "huong", "hương", "đường", "duong", "dương", "tết",
     "tet", "quý", "30", "bà", "ba", "nguyễn", "nguyen", "i", "giao", "HƯỜNG", "Tết")
)  # fmt: skip


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


def _clear(store: Store) -> None:
    for record in list(store.records.scan(COLLECTION)):
        store.records.delete(record)


def incoming(key: str = "den-0001", at: datetime | None = None) -> Case:
    """A received incoming công văn of a province office."""
    return Case(
        key=key,
        flow=Flow.INCOMING,
        office="000.00.01.H99",
        level=Level.PROVINCE,
        opened_at=at or datetime(2026, 3, 2, 8, 30, tzinfo=VIETNAM_TZ),
        opened_by="Văn thư",
        subject="Về việc chuẩn bị Tết Nguyên đán",
        number="120/UBND-VX",
        issuer="UBND tỉnh",
    )


class HandlingContract(StoreFixtures):
    """Cases in a store: saved, audited, refused when illegal, and queried exactly."""

    def test_steps_are_saved_and_audited(self, store: Store) -> None:
        book = HandlingStore(store)
        case = book.open(incoming())
        t = case.opened_at
        lead = Assignment(unit="Phòng Tư pháp", person="Nguyễn Văn An", role=Role.IN_CHARGE)
        hour = timedelta(hours=1)
        steps = (
            Event(action=Action.DIRECT, at=t + hour, actor="Chủ tịch", text="Giao"),
            Event(action=Action.ASSIGN, at=t + 2 * hour, actor="Chủ tịch", assignments=(lead,)),
            Event(action=Action.NOTE, at=t + 3 * hour, actor="Nguyễn Văn An", text="Đang làm"),
        )
        after = book.step(case.key, *steps)
        assert after.state is State.IN_PROGRESS
        assert book.get(case.key) == after
        logged = [e for e in store.audit.entries() if e.action.startswith(ACTION_PREFIX)]
        assert [(e.action, e.actor, e.after) for e in logged] == [
            (ACTION_PREFIX + s.action.value, s.actor, event_digest(s)) for s in steps
        ]
        store.audit.verify()

    def test_an_illegal_step_writes_nothing(self, store: Store) -> None:
        book = HandlingStore(store)
        case = book.open(incoming())
        head = store.audit.head()
        note = Event(action=Action.NOTE, at=case.opened_at, actor="A", text="x")
        sign = Event(action=Action.SIGN, at=case.opened_at, actor="A")
        with pytest.raises(IllegalMoveError):
            book.step(case.key, note, sign)  # note is illegal before assignment
        assert book.get(case.key) == case
        assert store.audit.head() == head

    @_settings()
    @given(population=populations())
    def test_cases_round_trip(self, store: Store, population: list[Case]) -> None:
        _clear(store)
        book = HandlingStore(store)
        book.import_cases(population)
        assert list(book.all()) == sorted(population, key=lambda c: c.key)

    @_settings()
    @given(
        population=populations(),
        at=_AT,
        days=st.integers(0, 40),
        unit=_UNIT,
        person=_PERSON,
    )
    def test_queries_equal_the_python_ones(
        self,
        store: Store,
        population: list[Case],
        at: datetime,
        days: int,
        unit: str,
        person: str,
    ) -> None:
        _clear(store)
        book = HandlingStore(store)
        book.import_cases(population)
        # some cases change after they were first stored: their facts must follow
        for case in population[:3]:
            if case.state is State.COMPLETED:
                reopen = Event(
                    action=Action.REOPEN, at=case.events[-1].at, actor="Chủ tịch", text="Chưa đạt"
                )
                book.step(case.key, reopen)
        expected = CaseQueries(book.all())
        found = book.queries
        until = at + timedelta(days=days)
        assert found.work_queue(unit=unit, person=person) == expected.work_queue(
            unit=unit, person=person
        )
        assert found.overdue(at, unit=unit, person=person) == expected.overdue(
            at, unit=unit, person=person
        )
        assert found.due_soon(at, until, unit=unit) == expected.due_soon(at, until, unit=unit)
        assert found.on_time_rates(at, until) == expected.on_time_rates(at, until)
        assert found.electronic_share(at, until) == expected.electronic_share(at, until)
        whole = (EPOCH, EPOCH + timedelta(days=400))
        assert found.on_time_rates(*whole) == expected.on_time_rates(*whole)
        assert found.electronic_share(*whole) == expected.electronic_share(*whole)

    def test_queries_on_the_boundaries(self, store: Store) -> None:
        """Due exactly now: not overdue, due soon; completed exactly at the deadline: on time;
        received exactly at the end of a period: not in it."""
        book = HandlingStore(store)
        t = datetime(2026, 3, 2, 8, 0, tzinfo=VIETNAM_TZ)
        now, until = t + timedelta(days=2), t + timedelta(days=5)
        for key, due, done in (
            ("b-due-now", now, None),
            ("b-due-until", until, None),
            ("b-due-after", until + timedelta(microseconds=1), None),
            ("b-overdue", now - timedelta(microseconds=1), None),
            ("b-done-at-due", now, now),
            ("b-done-late", now, now + timedelta(microseconds=1)),
        ):
            book.open(incoming(key, t))
            lead = Assignment(unit="Văn phòng", person="An", role=Role.IN_CHARGE, due=due)
            info = Assignment(unit="Phòng Nội vụ", role=Role.INFORMATION, due=due)
            events = [
                Event(action=Action.DIRECT, at=t, actor="Chủ tịch", text="Giao"),
                Event(action=Action.ASSIGN, at=t, actor="Chủ tịch", assignments=(lead, info)),
            ]
            if done is not None:
                events.append(Event(action=Action.COMPLETE, at=done, actor="An"))
            book.step(key, *events)
        book.open(incoming("b-received-at-end", until))
        expected = CaseQueries(book.all())
        for queries in (book.queries, expected):
            assert [x.case for x in queries.overdue(now)] == ["b-overdue"]
            assert [x.case for x in queries.due_soon(now, until)] == ["b-due-now", "b-due-until"]
            assert [(r.unit, r.completed, r.on_time) for r in queries.on_time_rates(t, until)] == [
                ("Văn phòng", 2, 1)
            ]
            (share,) = queries.electronic_share(t, until)
            assert (share.level, share.received, share.received_electronic) == (
                Level.PROVINCE,
                6,
                6,
            )
            assert [x.unit for x in queries.work_queue(person="An")] == ["Văn phòng"] * 4
            assert len(queries.work_queue(unit="Phòng Nội vụ")) == 4

    @_settings()
    @given(
        population=populations(),
        text=st.lists(_WORDS, max_size=3).map(" ".join),
        issuer=st.sampled_from(("", "ubnd", "tây", "tay", "Sở Nội vụ", "chinh phu")),
        number=st.sampled_from(("", "5", "05", "12", "3")),
        notation=st.sampled_from(("", "QĐ-UBND", "QyĐ-UBND", "UBND-VP", "qđ-ubnd")),
        document_type=st.sampled_from((None, "", "QĐ", "KH")),
        dates=st.tuples(st.none() | _DAY, st.none() | _DAY),
        state=st.none() | st.sampled_from(list(State)),
        flow=st.none() | st.sampled_from(list(Flow)),
        person=_PERSON,
    )
    def test_search_equals_the_python_one(
        self,
        store: Store,
        population: list[Case],
        text: str,
        issuer: str,
        number: str,
        notation: str,
        document_type: str | None,
        dates: tuple[date | None, date | None],
        state: State | None,
        flow: Flow | None,
        person: str,
    ) -> None:
        _clear(store)
        book = HandlingStore(store)
        book.import_cases(population)
        query = SearchQuery(
            text=text,
            issuer=issuer,
            number=number,
            notation=notation,
            document_type=document_type,
            date_from=dates[0],
            date_to=dates[1],
            state=state,
            flow=flow,
            person=person,
        )
        assert book.search.search(query) == CaseIndex(population).search(query)
        # one field at a time finds something often enough to mean something
        assert book.search.search(SearchQuery(text=text)) == CaseIndex(population).search(
            SearchQuery(text=text)
        )

    def test_search_with_and_without_diacritics(self, store: Store) -> None:
        book = HandlingStore(store)
        t = datetime(2026, 3, 2, 8, 0, tzinfo=VIETNAM_TZ)
        for key, subject, number in (
            ("s-1", "Về việc điều động bà Nguyễn Thị Hường", "05/QĐ-UBND"),
            ("s-2", "Về việc khen thưởng bà Lê Thị Hương", "5/QyĐ-UBND"),
            ("s-3", "Về việc sửa đường giao thông", "12/UBND-VP"),
        ):
            book.open(attrs.evolve(incoming(key, t), subject=subject, number=number))
        for queries in (book.search, CaseIndex(book.all())):

            def found(
                text: str = "", number: str = "", notation: str = "", issuer: str = ""
            ) -> list[str]:
                query = SearchQuery(text=text, number=number, notation=notation, issuer=issuer)
                return queries.search(query)  # noqa: B023 - used at once

            assert found(text="huong") == ["s-1", "s-2"]
            assert found(text="Hường") == ["s-1"]
            assert found(text="HƯƠNG") == ["s-2"]
            assert found(text="duong") == ["s-3"]  # đ is d with a stroke
            assert found(text="đường giao") == ["s-3"]
            assert found(text="dương") == []
            assert found(text="ve viec", number="5") == ["s-1", "s-2"]
            assert found(notation="QĐ-UBND") == ["s-1"]  # QĐ is not QyĐ
            assert found(issuer="uy ban") == []
            assert found(issuer="ubnd tinh") == ["s-1", "s-2", "s-3"]

    def test_a_restored_store_answers_the_same(
        self, store: Store, other_store: Store, tmp_path: Path
    ) -> None:
        from egovkit.storage import backup, restore

        book = HandlingStore(store)
        t = datetime(2026, 3, 2, 8, 0, tzinfo=VIETNAM_TZ)
        case = book.open(attrs.evolve(incoming("r-1", t), subject="Về việc Hường"))
        lead = Assignment(unit="Văn phòng", person="An", role=Role.IN_CHARGE, due=t)
        book.step(
            case.key,
            Event(action=Action.DIRECT, at=t, actor="Chủ tịch", text="Giao"),
            Event(action=Action.ASSIGN, at=t, actor="Chủ tịch", assignments=(lead,)),
        )
        backup(store, tmp_path / "handling.tar.gz")
        restore(other_store, tmp_path / "handling.tar.gz")
        restored = HandlingStore(other_store)
        later = t + timedelta(days=1)
        assert restored.queries.overdue(later) == book.queries.overdue(later) != []
        query = SearchQuery(text="huong")
        assert restored.search.search(query) == book.search.search(query) == ["r-1"]

    def test_deleted_cases_leave_the_queries(self, store: Store) -> None:
        book = HandlingStore(store)
        case = book.open(incoming())
        lead = Assignment(unit="Văn phòng", role=Role.IN_CHARGE, due=case.opened_at)
        book.step(
            case.key,
            Event(action=Action.DIRECT, at=case.opened_at, actor="Chủ tịch", text="Giao"),
            Event(action=Action.ASSIGN, at=case.opened_at, actor="Chủ tịch", assignments=(lead,)),
        )  # fmt: skip
        assert len(book.queries.overdue(case.opened_at + timedelta(days=1))) == 1
        store.records.delete(store.records.get(COLLECTION, case.key))
        assert book.queries.overdue(case.opened_at + timedelta(days=1)) == []


__all__ = ["HandlingContract", "incoming"]
