from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import NotFoundError, ValidationError
from egovkit.services import (
    DECREE_42_2022,
    DECREE_43_2011,
    Capability,
    CompetentLevel,
    FeeItem,
    Procedure,
    ProcedureCode,
    classify,
    scheme,
    scheme_on,
)

C = Capability
LEVEL3 = {C.INFORMATION, C.DOWNLOADABLE_FORMS, C.ONLINE_SUBMISSION, C.ONLINE_PROCESSING}


def proc(caps: set[Capability], *, fee: int = 10_000, day: date = date(2024, 1, 1)) -> Procedure:
    return Procedure(
        code=ProcedureCode.parse("2.000488.000.00.00.H56"),
        name="Cấp giấy phép",
        competent_level=CompetentLevel.PROVINCE,
        fees=[FeeItem(name="Lệ phí", amount=fee)],
        capabilities=caps,
        valid_from=day,
    )


@pytest.mark.parametrize(
    ("caps", "level"),
    [
        (set(), "0"),
        ({C.DOWNLOADABLE_FORMS}, "0"),
        ({C.INFORMATION}, "1"),
        ({C.INFORMATION, C.DOWNLOADABLE_FORMS}, "2"),
        ({C.INFORMATION, C.ONLINE_SUBMISSION, C.ONLINE_PROCESSING}, "1"),  # no forms: stuck at 1
        (LEVEL3, "3"),
        (LEVEL3 | {C.ONLINE_PAYMENT}, "4"),
        (LEVEL3 | {C.ONLINE_RESULT}, "3"),
    ],
)
def test_decree_43_levels(caps: set[Capability], level: str) -> None:
    assert classify(proc(caps), scheme_id=DECREE_43_2011).level.id == level


@pytest.mark.parametrize(
    ("caps", "level", "muc_do"),
    [
        (set(), "none", None),
        ({C.INFORMATION}, "information", 2),
        ({C.INFORMATION, C.DOWNLOADABLE_FORMS}, "information", 2),
        ({C.INFORMATION, C.ONLINE_SUBMISSION}, "partial", 3),
        (LEVEL3 | {C.ONLINE_PAYMENT}, "partial", 3),  # no online or postal result
        (LEVEL3 | {C.ONLINE_PAYMENT, C.POSTAL_RESULT}, "full", 4),
        (
            {
                C.INFORMATION,
                C.ONLINE_SUBMISSION,
                C.ONLINE_PROCESSING,
                C.ONLINE_PAYMENT,
                C.ONLINE_RESULT,
            },
            "full",
            4,
        ),
    ],
)
def test_decree_42_levels(caps: set[Capability], level: str, muc_do: int | None) -> None:
    found = classify(proc(caps), scheme_id=DECREE_42_2022)
    assert (found.level.id, found.muc_do) == (level, muc_do)


def test_no_fee_waives_online_payment_and_says_so() -> None:
    caps = LEVEL3 | {C.ONLINE_RESULT}
    charged = classify(proc(caps), scheme_id=DECREE_42_2022)
    free = classify(proc(caps, fee=0), scheme_id=DECREE_42_2022)
    assert charged.level.id == "partial"
    assert "online_payment" in charged.reason
    assert free.level.id == "full"
    assert "no fee is charged, so online_payment is not required" in free.reason


def test_reason_names_what_the_next_level_needs() -> None:
    found = classify(proc({C.INFORMATION}), scheme_id=DECREE_43_2011)
    assert found.missing == (frozenset({C.DOWNLOADABLE_FORMS}),)
    assert found.reason.endswith("Mức độ 2 would also need downloadable_forms")
    top = classify(proc(LEVEL3 | {C.ONLINE_PAYMENT}), scheme_id=DECREE_43_2011)
    assert top.missing == ()
    assert "would also need" not in top.reason


def test_the_scheme_follows_the_date() -> None:
    assert scheme_on(date(2015, 5, 1)).id == DECREE_43_2011
    assert scheme_on(date(2022, 7, 31)).id == DECREE_43_2011
    assert scheme_on(date(2022, 8, 1)).id == DECREE_42_2022
    assert classify(proc(LEVEL3, day=date(2020, 1, 1))).scheme == DECREE_43_2011
    assert classify(proc(LEVEL3), on=date(2026, 1, 1)).scheme == DECREE_42_2022
    with pytest.raises(ValidationError):
        scheme_on(date(2005, 1, 1))


def test_unknown_scheme_and_level() -> None:
    with pytest.raises(NotFoundError):
        scheme("nd99-2030")
    with pytest.raises(NotFoundError):
        scheme(DECREE_42_2022).level("5")


def test_to_dict() -> None:
    data = classify(proc({C.INFORMATION}), scheme_id=DECREE_42_2022).to_dict()
    assert data["muc_do"] == 2
    assert data["missing"] == [["online_submission"]]


@given(st.frozensets(st.sampled_from(list(Capability))), st.frozensets(st.sampled_from(list(C))))
def test_more_capabilities_never_lower_the_level(a: frozenset[C], b: frozenset[C]) -> None:
    for chosen in (scheme(DECREE_43_2011), scheme(DECREE_42_2022)):
        assert chosen.classify(a | b).level.rank >= chosen.classify(a).level.rank


@given(st.frozensets(st.sampled_from(list(Capability))))
def test_a_level_is_reached_only_with_all_its_groups(caps: frozenset[Capability]) -> None:
    for chosen in (scheme(DECREE_43_2011), scheme(DECREE_42_2022)):
        found = chosen.classify(caps)
        for group in found.level.requires:
            assert group & caps
        assert found.missing or found.level.rank == max(lv.rank for lv in chosen.levels)


@given(st.frozensets(st.sampled_from(list(Capability))))
def test_dropping_fees_never_lowers_the_level(caps: frozenset[Capability]) -> None:
    for chosen in (scheme(DECREE_43_2011), scheme(DECREE_42_2022)):
        paid = chosen.classify(caps, has_fees=True).level.rank
        assert chosen.classify(caps, has_fees=False).level.rank >= paid
