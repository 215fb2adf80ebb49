from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import Applicant, ApplicantKind, Channel, Dossier, DossierCode
from egovkit.dossiers import Procedure as DeskProcedure
from egovkit.errors import ValidationError
from egovkit.services import (
    DECREE_42_2022,
    DECREE_43_2011,
    Capability,
    CompetentLevel,
    GroupBy,
    Procedure,
    ProcedureCatalogue,
    ProcedureCode,
    Target,
    TargetKind,
    all_targets,
    check_online_dossiers,
    check_procedures,
    portfolio_shares,
    scheme,
    target,
)

from ._strategies import procedures

C = Capability
A = AgencyCode.parse("000.00.01.H53")
B = AgencyCode.parse("000.00.02.H53")
FULL = {C.INFORMATION, C.ONLINE_SUBMISSION, C.ONLINE_PROCESSING, C.ONLINE_PAYMENT, C.ONLINE_RESULT}


def proc(
    stem: str,
    caps: set[Capability],
    level: CompetentLevel = CompetentLevel.COMMUNE,
    agencies: tuple[AgencyCode, ...] = (A,),
) -> Procedure:
    return Procedure(
        code=ProcedureCode.parse(stem),
        name="Thủ tục",
        competent_level=level,
        capabilities=caps,
        agencies=agencies,
        valid_from=date(2023, 1, 1),
    )


CATALOGUE = [
    proc("1.000001", {C.INFORMATION}),
    proc("1.000002", {C.INFORMATION, C.ONLINE_SUBMISSION}, agencies=(A, B)),
    proc("1.000003", FULL, CompetentLevel.PROVINCE, agencies=(B,)),
    proc("1.000004", FULL),
]


def test_shares_by_agency() -> None:
    rows = {
        r.group: r for r in portfolio_shares(CATALOGUE, scheme(DECREE_42_2022), by=GroupBy.AGENCY)
    }
    assert rows[str(A)].total == 3
    assert rows[str(A)].count("partial") == 1
    assert rows[str(A)].at_least("partial") == 2
    assert rows[str(B)].share_at_least("full") == 0.5
    assert rows[str(B)].at_least("nonsense") == 0


def test_shares_by_level_of_government_and_overall() -> None:
    rows = portfolio_shares(CATALOGUE, scheme(DECREE_42_2022), by=GroupBy.COMPETENT_LEVEL)
    assert [(r.group, r.total) for r in rows] == [("commune", 3), ("province", 1)]
    (everything,) = portfolio_shares(CATALOGUE, scheme(DECREE_42_2022))
    data = everything.to_dict()
    assert data["counts"] == {"none": 0, "information": 1, "partial": 1, "full": 2}
    assert data["share_at_least"] == {"none": 1.0, "information": 1.0, "partial": 0.75, "full": 0.5}


def test_only_versions_in_force_count() -> None:
    assert portfolio_shares(CATALOGUE, scheme(DECREE_42_2022), on=date(2022, 12, 31)) == []


@settings(max_examples=50)
@given(st.lists(procedures(), max_size=8))
def test_counts_add_up(items: list[Procedure]) -> None:
    for by in GroupBy:
        for row in portfolio_shares(items, scheme(DECREE_43_2011), by=by):
            assert sum(n for _, n in row.counts) == row.total
            assert row.at_least("0") == row.total
    overall = portfolio_shares(items, scheme(DECREE_43_2011))
    assert sum(r.total for r in overall) == len(items)


def test_shipped_targets_are_dated_data() -> None:
    ids = {t.id for t in all_targets()}
    assert {"district-plan-2021-level3", "qd766-province-online"} <= ids
    plan = target("district-plan-2021-level4")
    assert (plan.minimum, plan.due) == (Fraction(1, 2), date(2025, 12, 31))


def test_procedure_target() -> None:
    check = check_procedures(target("qd766-commune-full"), CATALOGUE, on=date(2025, 1, 1))
    assert (check.numerator, check.denominator) == (1, 3)
    assert not check.met
    assert "misses the minimum 70%" in check.reason
    loose = Target(
        id="mine",
        kind=TargetKind.PROCEDURE_SHARE,
        minimum="1/3",
        competent_levels=[CompetentLevel.COMMUNE],
        scheme=DECREE_42_2022,
        level="full",
    )
    assert check_procedures(loose, CATALOGUE, on=date(2025, 1, 1)).met


def test_nothing_to_measure_is_not_met() -> None:
    check = check_procedures(target("qd766-district-full"), CATALOGUE, on=date(2025, 1, 1))
    assert (check.denominator, check.met, check.share) == (0, False, None)


def test_bad_targets_are_refused() -> None:
    with pytest.raises(ValidationError):
        Target(id="x", kind=TargetKind.ONLINE_DOSSIER_SHARE, minimum="1.5", competent_levels=[])
    with pytest.raises(ValidationError):
        check_procedures(target("qd766-province-online"), CATALOGUE, on=date(2025, 1, 1))


def _dossier(number: int, code: str, channel: Channel) -> Dossier:
    at = datetime(2025, 3, 3, 9, tzinfo=VIETNAM_TZ) + timedelta(minutes=number)
    return Dossier.receive(
        code=DossierCode(agency=A, day=at.date(), number=number),
        procedure=DeskProcedure(code=code, name="x", processing_time=Duration.working_days(1)),
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="An"),
        channel=channel,
        receiving_agency=A,
        received_at=at,
        actor="desk",
        calendar=WorkCalendar(),
    )


def test_online_dossier_target() -> None:
    catalogue = ProcedureCatalogue(CATALOGUE)
    dossiers = [
        _dossier(1, "1.000002", Channel.ONLINE),
        _dossier(2, "1.000002", Channel.DIRECT),
        _dossier(3, "1.000004", Channel.ONLINE),
        _dossier(4, "1.000004", Channel.POSTAL),  # postal: left out
        _dossier(5, "1.000001", Channel.DIRECT),  # information only: left out
        _dossier(6, "9.999999", Channel.DIRECT),  # unknown procedure: left out
    ]
    check = check_online_dossiers(
        target("qd766-commune-online"), dossiers, catalogue, on=date(2025, 3, 3)
    )
    assert (check.numerator, check.denominator, check.met) == (2, 3, False)
    assert check.to_dict()["share"] == pytest.approx(2 / 3)
