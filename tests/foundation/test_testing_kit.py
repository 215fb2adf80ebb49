"""The pytest plugin's fixtures work as documented (this suite enables the plugin itself)."""

from __future__ import annotations

import datetime as dt

from egovkit.calendar import VIETNAM_TZ, WorkCalendar
from egovkit.ports import Record, Store


def test_store_fixtures_are_fresh_and_usable(egov_store: Store, egov_memory_store: Store) -> None:
    for store in (egov_store, egov_memory_store):
        with store.transaction(actor="test") as uow:
            uow.records.add(Record(collection="notes", key="a", data={"n": 1}))
        assert store.records.get("notes", "a").data == {"n": 1}
        store.audit.verify()
    assert egov_store.scheme == "sqlite"
    assert egov_memory_store.scheme == "memory"


def test_calendar_fixture_knows_tet(egov_calendar: WorkCalendar) -> None:
    assert not egov_calendar.is_working_day(dt.date(2026, 2, 17))
    friday = dt.datetime(2026, 2, 13, 9, tzinfo=VIETNAM_TZ)
    assert egov_calendar.add_working_days(friday, 1) == dt.datetime(
        2026, 2, 23, 9, tzinfo=VIETNAM_TZ
    )
