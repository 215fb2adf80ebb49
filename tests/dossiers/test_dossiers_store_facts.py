"""The facts a store counts with: read from the stored JSON exactly as from the dossier, and
agency ranges that select exactly the units ``is_within`` selects."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.dossiers import Dossier, dossier_to_dict
from egovkit.dossiers.persistence import agency_key, agency_range, facts_of, facts_of_data
from egovkit.dossiers.persistence.facts import FAR_FUTURE, NO_DAY
from egovkit.testing.strategies import agency_codes
from egovkit.testing.strategies.dossiers import dossiers

from ._support import CALENDAR, SIMPLE, UNIT, at, received


@settings(max_examples=60, deadline=None)
@given(dossiers(CALENDAR, first=date(2025, 6, 1), last=date(2026, 6, 30)))
def test_facts_from_json_equal_facts_from_the_dossier(dossier: Dossier) -> None:
    key = str(dossier.code)
    assert facts_of_data(key, dossier_to_dict(dossier)) == facts_of(key, dossier)


def test_sentinels_of_an_open_dossier_without_a_due_instant() -> None:
    submitted = Dossier.submit(
        code=received(at(2026, 3, 2, 9)).code,
        procedure=SIMPLE,
        applicant=received(at(2026, 3, 2, 9)).applicant,
        receiving_agency=UNIT,
        submitted_at=at(2026, 3, 2, 9),
        actor="cổng",
    )
    row, pauses = facts_of("k", submitted)
    assert row[5] == FAR_FUTURE  # never received
    assert (row[6], row[7], row[8]) == (FAR_FUTURE, 0, NO_DAY)  # not closed
    assert (row[9], row[10]) == (FAR_FUTURE, NO_DAY)  # no due instant
    assert (row[11], row[12], pauses) == (FAR_FUTURE, 0, [])


def test_pauses_become_rows_with_an_open_end_in_the_far_future() -> None:
    dossier = received(at(2026, 3, 2, 9)).pause(at=at(2026, 3, 3, 9), actor="cv", reason="chờ")
    row, pauses = facts_of("k", dossier)
    assert len(pauses) == 1
    assert pauses[0][2] == FAR_FUTURE
    assert (row[11], row[12]) == (pauses[0][1], FAR_FUTURE)


def test_agency_key_puts_the_province_first() -> None:
    assert agency_key(AgencyCode.parse("123.45.06.H53")) == "H53.06.45.123"


@settings(max_examples=200)
@given(agency_codes(), agency_codes(), st.booleans())
def test_agency_ranges_select_what_is_within_selects(
    unit: AgencyCode, asked: AgencyCode, wide: bool
) -> None:
    low, high = agency_range(asked, include_subunits=wide)
    selected = low <= agency_key(unit) < high
    assert selected == (unit.is_within(asked) if wide else unit == asked)
    for ancestor in unit.ancestors:
        low, high = agency_range(ancestor, include_subunits=True)
        assert low <= agency_key(unit) < high
