"""``qd766`` from a dossier store: a fixed population with hand-computed counts, the same
scorecard from the memory and SQLite stores, the 2.1 on-time rule, and the CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.assessment import RuleSetCatalogue, UnitInput, evaluate, units_from_records
from egovkit.assessment.from_store import StoreInputs, qd766_inputs
from egovkit.assessment.periods import ReportingPeriod
from egovkit.assessment.qd766 import ratio
from egovkit.assessment.qd766_dossiers import count_qd766, on_time_766
from egovkit.assessment.reports import scorecard_to_dict
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.cli import main
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
    Fee,
    FeeCollection,
    Payment,
    PaymentMethod,
    Procedure,
    Result,
)
from egovkit.errors import ParseError, ValidationError
from egovkit.services import Capability, CompetentLevel, FeeItem, ProcedureCatalogue, ProcedureCode
from egovkit.services import Procedure as CatalogueProcedure
from egovkit.services.files import write_catalogue_csv
from egovkit.services.levels import DECREE_42_2022, classify
from egovkit.storage import open_store

CALENDAR = WorkCalendar()
A = AgencyCode.parse("000.00.01.H53")
B = AgencyCode.parse("000.00.02.H53")
CITIZEN = Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An")
SIMPLE = Procedure(
    code="1.001612.000.00.00.H53",
    name="Đăng ký khai sinh",
    processing_time=Duration.working_days(3),
)
PAID = Procedure(
    code="2.000488.000.00.00.H53",
    name="Cấp giấy phép",
    processing_time=Duration.working_days(5),
)
FILE = Attachment(name="don.pdf", media_type="application/pdf", size=10, sha256="0" * 64)
MARCH = ReportingPeriod.parse("2026-03")
QD766 = RuleSetCatalogue.builtin().get("qd766")
SUPPLIED = {
    "published_on_time": "1",
    "disclosed_on_time": "1",
    "disclosed_fully": "1",
    "sync_rate": "90/100",
    "e_certified_copies": "0.5",
    "data_reuse": "0.8",
    "personal_data_store": "1",
    "population_data_procedures": "1",
    "population_data_dossiers": "1",
    "feedback_classified": "1",
    "feedback_on_time": "1",
    "feedback_satisfaction": "180/200",
}


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VIETNAM_TZ)


def _received(
    n: int,
    when: datetime,
    *,
    agency: AgencyCode = A,
    procedure: Procedure = SIMPLE,
    channel: Channel = Channel.DIRECT,
    fees: tuple[Fee, ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> Dossier:
    return Dossier.receive(
        code=DossierCode(agency=agency, day=when.date(), number=n),
        procedure=procedure,
        applicant=CITIZEN,
        channel=channel,
        receiving_agency=agency,
        received_at=when,
        actor="cb",
        calendar=CALENDAR,
        fees=fees,
        attachments=attachments,
    )


def _resolve(d: Dossier, when: datetime, *, result_file: Attachment | None = None) -> Dossier:
    results: tuple[Result, ...] = ()
    if result_file is not None or d.procedure is PAID or d.code.number in (2,):
        results = (Result(name="Giấy phép", issued_at=when, attachment=result_file),)
    return d.start_processing(at=d.history[-1].at, actor="cv").resolve(
        at=when, actor="ld", results=results
    )


def population() -> list[Dossier]:
    """Agency A in March 2026: 11 dossiers considered, 7 on time (see each line)."""
    fee = (Fee(name="Lệ phí", amount=50_000),)
    exempt = (Fee(name="Lệ phí", amount=50_000, collection=FeeCollection.EXEMPT),)
    d3 = _received(3, at(3, 2), channel=Channel.ONLINE).request_supplement(
        items=["Bản sao"], at=at(3, 3, 10), actor="cv"
    )
    d4 = (
        _received(4, at(3, 2))
        .request_supplement(items=["Bản sao"], at=at(3, 3, 10), actor="cv")
        .supplement(at=at(3, 4), actor="cd", calendar=CALENDAR)
        .request_supplement(items=["Bản chính"], at=at(3, 4, 15), actor="cv")
    )
    d5 = (
        _received(5, at(3, 2))
        .request_supplement(items=["Bản sao"], at=at(3, 3, 10), actor="cv")
        .supplement(at=at(3, 10, 10), actor="cd", calendar=CALENDAR)
    )
    d5 = d5.start_processing(at=at(3, 10, 11), actor="cv").resolve(at=at(3, 11, 10), actor="ld")
    d10 = _received(10, at(3, 5), procedure=PAID, channel=Channel.ONLINE, fees=fee)
    d10 = d10.record_payment(
        Payment(amount=50_000, paid_at=at(3, 5, 10), method=PaymentMethod.ONLINE), actor="cd"
    )
    d11 = _received(11, at(3, 5), procedure=PAID, fees=fee).record_payment(
        Payment(amount=50_000, paid_at=at(3, 5, 10), method=PaymentMethod.CASH), actor="cd"
    )
    d12 = _received(12, at(3, 5), procedure=PAID, channel=Channel.ONLINE, fees=exempt)
    submitted = Dossier.submit(
        code=DossierCode(agency=A, day=date(2026, 3, 20), number=13),
        procedure=SIMPLE,
        applicant=CITIZEN,
        receiving_agency=A,
        submitted_at=at(3, 20),
        actor="cd",
    )
    return [
        # on time, finished, electronic result, attachments: digitised
        _resolve(_received(1, at(3, 2), attachments=(FILE,)), at(3, 3, 10), result_file=FILE),
        # online, finished late with a paper result
        _resolve(_received(2, at(3, 2), channel=Channel.ONLINE), at(3, 20)),
        d3,  # one supplement request still unanswered: the request ends processing, on time
        d4,  # two supplement requests: late
        d5,  # one answered request, its 7 days subtracted: on time; finished without result
        _received(6, at(3, 30, 10)),  # open, due 2 April: within the deadline at the end
        _received(7, at(3, 10)),  # open, due 13 March: late
        _resolve(_received(8, at(2, 26)), at(3, 2, 10)),  # carried over, finished on time
        _resolve(_received(9, at(2, 10)), at(2, 12)),  # settled before March: left out
        _resolve(d10, at(3, 6), result_file=FILE),  # paid online, electronic result
        d11,  # paid in cash, open past 12 March: late
        d12.withdraw(at=at(3, 6), actor="cd"),  # exempt fee, withdrawn: on time
        submitted,  # never accepted: left out
        _received(14, at(4, 2)),  # after the period: left out
        _resolve(
            _received(1, at(3, 16), agency=B, channel=Channel.ONLINE, attachments=(FILE,)),
            at(3, 17),
            result_file=FILE,
        ),
    ]


def supplied(**extra: str) -> list[UnitInput]:
    return units_from_records([{"unit": str(a), **SUPPLIED, **extra} for a in (A, B)])


def test_counts_by_hand() -> None:
    counts = count_qd766(population(), start=MARCH.start, end=MARCH.end)
    a = counts[str(A)]
    assert (a.considered, a.on_time, a.overdue) == (11, 7, 4)
    assert (a.received, a.received_online) == (10, 4)
    assert (a.fee_dossiers, a.zero_fee_dossiers, a.paid_online) == (3, 1, 1)
    assert (a.finished, a.result_dossiers, a.electronic_results, a.digitised) == (5, 3, 2, 1)
    assert a.paid_procedures == {PAID.code}
    b = counts[str(B)]
    assert (b.considered, b.on_time, b.received_online, b.digitised) == (1, 1, 1, 1)


def test_on_time_rule_cases() -> None:
    cut = datetime(2026, 4, 1, tzinfo=VIETNAM_TZ)
    by_number = {d.code.number: d for d in population() if d.competent_agency == A}
    verdicts = {n: on_time_766(d, cut=cut) for n, d in by_number.items() if n not in (9, 13, 14)}
    assert verdicts == {
        1: True,
        2: False,
        3: True,
        4: False,
        5: True,
        6: True,
        7: False,
        8: True,
        10: True,
        11: False,
        12: True,
    }
    # the unanswered request counts as the end: late if made after the appointed instant
    late_request = _received(20, at(3, 2)).request_supplement(
        items=["Bản sao"], at=at(3, 9), actor="cv"
    )
    assert not on_time_766(late_request, cut=cut)
    # two requests answered at once, finished early: still late; one such request: on time
    once = (
        _received(22, at(3, 2))
        .request_supplement(items=["Bản sao"], at=at(3, 2, 10), actor="cv")
        .supplement(at=at(3, 2, 11), actor="cd", calendar=CALENDAR)
    )
    twice = once.request_supplement(items=["Bản chính"], at=at(3, 2, 14), actor="cv").supplement(
        at=at(3, 2, 15), actor="cd", calendar=CALENDAR
    )
    assert on_time_766(_resolve(once, at(3, 3)), cut=cut)
    assert not on_time_766(_resolve(twice, at(3, 3)), cut=cut)
    # the end of the period is the end of an open dossier: within the deadline before it
    assert on_time_766(_received(21, at(3, 10)), cut=at(3, 12))


def test_computed_values_and_the_explanation_shows_numerator_and_denominator() -> None:
    inputs = qd766_inputs(population(), MARCH, ruleset=QD766, supplied=supplied())
    values = {u.unit: u for u in inputs.units}[str(A)].values
    assert str(values["on_time"]) == "7/11"
    assert str(values["online_dossiers"]) == "4/10"
    assert str(values["payment_dossiers"]) == "1/2"
    assert str(values["electronic_results"]) == "2/3"
    assert str(values["digitised"]) == "1/5"
    assert str(values["sync_rate"]) == "90/100"  # supplied
    sources = inputs.sources[str(A)]
    assert sources["on_time"].source.value == "computed"
    assert sources["sync_rate"].source.value == "supplied"
    assert "7 of 11" in sources["on_time"].rule
    assert set(inputs.missing[str(A)]) == {
        "online_procedures",
        "payment_integrated",
        "payment_transactions",
        "service_satisfaction",
    }
    card = evaluate(QD766, list(inputs.units), on_bad_input="na").get(str(A))
    leaf = card.explanation.get("c2_1")
    assert (leaf.numerator, leaf.denominator) == (Decimal(7), Decimal(11))
    assert leaf.points == Decimal("12.728")  # round(7/11, 4) = 0.6364 × 20
    online = card.explanation.get("c3_3")
    assert online.inputs == {"online_dossiers": "4/10", "sync_rate": "90/100"}
    assert online.value == Decimal("0.36")  # 0.4 × 0.9, under T 50%: 0.72 × 6 points
    assert online.points == Decimal("4.32")


def test_missing_inputs_are_one_typed_error_naming_each() -> None:
    inputs = qd766_inputs(population(), MARCH, ruleset=QD766, supplied=[])
    with pytest.raises(ValidationError) as info:
        inputs.require_complete()
    assert info.value.code == "assessment.store.missing"
    named = {f.where for f in info.value.findings}
    assert f"{A}.sync_rate" in named
    assert f"{B}.feedback_on_time" in named
    assert f"{A}.on_time" not in named
    assert "(data_reuse, disclosed_fully," in str(info.value)


def _catalogue() -> ProcedureCatalogue:
    full = {
        Capability.INFORMATION,
        Capability.ONLINE_SUBMISSION,
        Capability.ONLINE_PROCESSING,
        Capability.ONLINE_PAYMENT,
        Capability.ONLINE_RESULT,
    }
    common = {"competent_level": CompetentLevel.COMMUNE, "valid_from": date(2025, 1, 1)}
    return ProcedureCatalogue(
        [
            CatalogueProcedure(
                code=ProcedureCode.parse(SIMPLE.code),
                name=SIMPLE.name,
                capabilities=full - {Capability.ONLINE_PAYMENT},
                agencies=[A],
                **common,  # type: ignore[arg-type]
            ),
            CatalogueProcedure(
                code=ProcedureCode.parse(PAID.code),
                name=PAID.name,
                fees=[FeeItem(name="Lệ phí", amount=50_000)],
                capabilities=full,
                agencies=[A],
                **common,  # type: ignore[arg-type]
            ),
            CatalogueProcedure(
                code=ProcedureCode.parse("2.000477.000.00.00.H53"),
                name="Thông tin",
                fees=[FeeItem(name="Lệ phí", amount=10_000)],
                capabilities={Capability.INFORMATION},
                agencies=[A, B],
                **common,  # type: ignore[arg-type]
            ),
        ]
    )


def test_catalogue_indicators_and_complaint_count() -> None:
    inputs = qd766_inputs(
        population(),
        MARCH,
        ruleset=QD766,
        catalogue=_catalogue(),
        supplied=supplied(service_complaints="1"),
    )
    values = {u.unit: u for u in inputs.units}[str(A)].values
    assert str(values["online_procedures"]) == "2/3"  # both but the information-only one
    assert str(values["payment_integrated"]) == "1/2"
    # 3.5b: of all fee-bearing procedures (PAID and the information-only one), not only those
    # integrated with online payment (formula card 3.5b: "Tổng TTHC có yêu cầu nghĩa vụ tài
    # chính (không trùng lặp)")
    assert str(values["payment_transactions"]) == "1/2"
    assert str(values["service_satisfaction"]) == "6/11"  # 11 − (4 overdue + 1 complaint)
    assert str(values["payment_dossiers"]) == "1/2"  # fee-bearing by the catalogue
    assert inputs.missing == {}
    inputs.require_complete()
    b = {u.unit: u for u in inputs.units}[str(B)].values
    assert str(b["payment_transactions"]) == "0/1"  # one fee-bearing procedure, never paid
    assert str(b["payment_integrated"]) == "0/1"
    assert str(b["online_procedures"]) == "0/1"
    card = evaluate(QD766, list(inputs.units)).get(str(B))
    assert card.explanation.get("c3_5b").points == 0


def test_refuses_supplied_twice_and_unknown_units() -> None:
    with pytest.raises(ValidationError) as info:
        qd766_inputs(population(), MARCH, ruleset=QD766, supplied=supplied(on_time="1"))
    assert info.value.code == "assessment.store.supplied_twice"
    stranger = units_from_records([{"unit": "000.00.09.H53", "sync_rate": "1"}])
    with pytest.raises(ValidationError) as info:
        qd766_inputs(population(), MARCH, ruleset=QD766, supplied=stranger)
    assert info.value.code == "assessment.store.unknown_unit"


def test_named_agencies_without_dossiers_score_na_not_zero() -> None:
    nobody = "000.00.07.H53"
    inputs = qd766_inputs(population(), MARCH, ruleset=QD766, agencies=[nobody])
    (unit,) = inputs.units
    assert str(unit.values["on_time"]) == "0/0"
    card = evaluate(QD766, [unit], on_bad_input="na").get(nobody)
    assert card.explanation.get("c2_1").status.value == "na"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-03-01..2026-03-15", date(2026, 3, 1), date(2026, 3, 15)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    period = ReportingPeriod.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "March", "2026-Q5", "2026-02-30..2026-03-01"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(ParseError):
        ReportingPeriod.parse(text)


# -- stores ----------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'egov.db'}"
    with open_store(url) as store:
        store.dossiers.add_many(population())
    return url


def _cards(inputs: StoreInputs) -> list[dict[str, object]]:
    result = evaluate(QD766, list(inputs.units), on_bad_input="na")
    return [scorecard_to_dict(c, decimals=2) for c in result.scorecards]


def test_memory_and_sqlite_stores_give_the_same_scorecards(sqlite_url: str) -> None:
    with open_store("memory://") as memory:
        memory.dossiers.add_many(population())
        from_memory = qd766_inputs(memory.dossiers, MARCH, ruleset=QD766, supplied=supplied())
    with open_store(sqlite_url) as sqlite:
        from_sqlite = qd766_inputs(sqlite.dossiers, MARCH, ruleset=QD766, supplied=supplied())
    plain = qd766_inputs(population(), MARCH, ruleset=QD766, supplied=supplied())
    assert from_memory.to_dict() == from_sqlite.to_dict() == plain.to_dict()
    assert _cards(from_memory) == _cards(from_sqlite) == _cards(plain)


def _write_supplied(url: str, **extra: str) -> Path:
    path = Path(url.removeprefix("sqlite:///")).with_suffix(".qd766.csv")
    rows = [{"unit": str(a), **SUPPLIED, **extra} for a in (A, B)]
    header = list(rows[0])
    lines = [",".join(header), *(",".join(r[h] for h in header) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_json_from_store(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _write_supplied(sqlite_url, service_complaints="1")
    catalogue = Path(sqlite_url.removeprefix("sqlite:///")).with_suffix(".catalogue.csv")
    catalogue.write_text(write_catalogue_csv(_catalogue()), encoding="utf-8")
    args = ["assess", "--ruleset", "qd766", "--store", sqlite_url, "--period", "2026-03"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["at"] == "2026-03-31"
    assert data["period"] == {"label": "2026-03", "start": "2026-03-01", "end": "2026-03-31"}
    units = {u["unit"]: u for u in data["units"]}
    a = units[str(A)]
    assert {"unit", "score", "rank", "grade", "explanation", "inputs"} <= set(a)
    assert a["inputs"]["inputs"]["on_time"]["value"] == "7/11"
    assert a["inputs"]["inputs"]["on_time"]["source"] == "computed"
    assert a["inputs"]["inputs"]["sync_rate"]["source"] == "supplied"
    assert a["inputs"]["counts"]["considered"] == 11
    assert a["inputs"]["missing"] == {}
    assert sorted(u["rank"] for u in data["units"]) == [1, 2]


def test_cli_explain_one_agency(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _write_supplied(sqlite_url, service_complaints="0")
    args = ["assess", "--ruleset", "qd766", "--store", sqlite_url, "--period", "2026-03"]
    assert main([*args, "--explain", str(A), "--missing", "na"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == str(A)
    assert "online_procedures" in data["inputs"]["missing"]


def test_cli_missing_inputs_exit_1_and_na_exit_0(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["assess", "--ruleset", "qd766", "--store", sqlite_url, "--period", "2026-03"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "assessment.store.missing" in err
    assert "sync_rate" in err
    assert main([*args, "--missing", "na"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert all(u["inputs"]["missing"]["sync_rate"] for u in units)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ([], 2),  # no --period
        (["--period", "2026-13"], 2),
        (["--period", "2026-03", "--ruleset", "dti-2022"], 2),
        (["--period", "2026-03", "--supplied", "nowhere.csv"], 2),
    ],
)
def test_cli_usage_errors_exit_2(
    sqlite_url: str, extra: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["assess", "--ruleset", "qd766", "--store", sqlite_url]
    if "--ruleset" in extra:
        args = ["assess", "--store", sqlite_url]
    assert main([*args, *extra]) == code
    assert "egovkit: error" in capsys.readouterr().err


def test_cli_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["assess", "--ruleset", "qd766", "--store", url, "--period", "2026"]) == 2
    assert not (tmp_path / "none.db").exists()


@given(
    st.integers(min_value=1900, max_value=2999),
    st.sampled_from(["month", "quarter", "year", "days"]),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=400),
)
def test_period_text_reads_back(year: int, kind: str, month: int, span: int) -> None:
    if kind == "month":
        text = f"{year}-{month:02d}"
    elif kind == "quarter":
        text = f"{year}-Q{(month + 2) // 3}"
    elif kind == "year":
        text = str(year)
    else:
        first = date(year, month, 1)
        text = f"{first.isoformat()}..{date.fromordinal(first.toordinal() + span).isoformat()}"
    period = ReportingPeriod.parse(text)
    assert ReportingPeriod.parse(str(period)) == period
    assert period.start <= period.end
    assert period.kind == kind


def test_online_procedures_count_partly_online_ones() -> None:
    """3.1 counts procedures with an online service "một phần hoặc toàn trình" (formula card
    3.1, "Mô tả công thức tính chỉ số 766": "Số TTHC có DVCTT một phần, DVCTT toàn trình /
    Tổng số TTHC thuộc thẩm quyền"); an information-only procedure does not count."""
    base = _catalogue()
    partly = CatalogueProcedure(
        code=ProcedureCode.parse("2.000478.000.00.00.H53"),
        name="Một phần",
        capabilities={Capability.INFORMATION, Capability.ONLINE_SUBMISSION},
        agencies=[A],
        competent_level=CompetentLevel.COMMUNE,
        valid_from=date(2025, 1, 1),
    )
    catalogue = ProcedureCatalogue([*base.on(date(2025, 3, 31)), partly])
    assert classify(partly, scheme_id=DECREE_42_2022).muc_do == 3
    inputs = qd766_inputs(population(), MARCH, ruleset=QD766, catalogue=catalogue)
    values = {u.unit: u for u in inputs.units}[str(A)].values
    assert str(values["online_procedures"]) == "3/4"


def test_group_4_reuse_and_data_store_come_from_paper_data(tmp_path: Path) -> None:
    """4.3 and 4.4 computed from the Decree 45 paper data of the dossiers (formula cards 4.3
    and 4.4 of "Mô tả công thức tính chỉ số 766": dossiers received in the period with at
    least one reused paper / with a paper from the data store or a result kept there, over the
    dossiers received in the period), in SQL and in Python alike; a supplied value for them is
    then refused, and a unit without paper data still needs them supplied."""
    from egovkit.testing.contracts.dossiers import paper_population

    papers = paper_population()
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}") as store:
        store.dossiers.add_many(papers)
        in_sql = qd766_inputs(store.dossiers, MARCH, ruleset=QD766)
    in_python = qd766_inputs(papers, MARCH, ruleset=QD766)
    (unit,) = in_sql.units
    assert unit.values == in_python.units[0].values
    assert str(unit.values["data_reuse"]) == "2/5"
    assert str(unit.values["personal_data_store"]) == "2/5"
    assert "data_reuse" not in in_sql.missing.get(unit.unit, {})
    ones = {i.id: ratio(1, 1) for i in QD766.indicators}
    full = UnitInput(unit=unit.unit, values={**ones, **unit.values})
    card = evaluate(QD766, [full], at=date(2026, 3, 31)).get(unit.unit)
    # 4.3: 0.4 ÷ 0.8 × 2 = 1; 4.4: 0.4 × 4 = 1.6
    assert card.explanation.get("c4_3").points == Decimal("1")
    assert card.explanation.get("c4_4").points == Decimal("1.6")
    twice = units_from_records([{"unit": unit.unit, "data_reuse": "1"}])
    with pytest.raises(ValidationError) as info:
        qd766_inputs(papers, MARCH, ruleset=QD766, supplied=twice)
    assert info.value.code == "assessment.store.supplied_twice"
    plain = qd766_inputs(population(), MARCH, ruleset=QD766)
    gaps = plain.missing[plain.units[0].unit]
    assert "Decree 45" in gaps["data_reuse"]
    assert "Decree 45" in gaps["personal_data_store"]
