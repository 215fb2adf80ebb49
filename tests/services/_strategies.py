"""Hypothesis strategies for the procedure catalogue (tests only)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from egovkit.calendar import Duration, DurationUnit
from egovkit.services import (
    Capability,
    CompetentLevel,
    Component,
    FeeItem,
    Procedure,
    ProcedureCode,
)
from egovkit.testing.strategies.agencies import agency_codes

_words = (
    st.text(alphabet="abcdeghiklmnopqrstuvxyàáảãạăâđêôơưộệửĐ", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
names = st.lists(_words, min_size=1, max_size=4).map(" ".join)


def procedure_codes() -> st.SearchStrategy[ProcedureCode]:
    return st.one_of(
        st.from_regex(r"[0-9]\.[0-9]{6}", fullmatch=True),
        st.from_regex(r"[0-9]\.[0-9]{6}\.[A-Z][0-9]{2}", fullmatch=True),
        st.from_regex(
            r"[0-9]\.[0-9]{6}\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}", fullmatch=True
        ),
    ).map(ProcedureCode.parse)


def procedures() -> st.SearchStrategy[Procedure]:
    @st.composite
    def build(draw: st.DrawFn) -> Procedure:
        start = draw(st.dates(date(2010, 1, 1), date(2030, 12, 31)))
        until = draw(st.one_of(st.none(), st.integers(1, 3000).map(lambda d: start + timedelta(d))))
        time = draw(
            st.one_of(
                st.none(),
                st.builds(
                    lambda a, u: Duration(amount=a, unit=u),
                    st.integers(0, 60),
                    st.sampled_from(list(DurationUnit)),
                ),
            )
        )
        return Procedure(
            code=draw(procedure_codes()),
            name=draw(names),
            field=draw(st.one_of(st.just(""), names)),
            competent_level=draw(st.sampled_from(list(CompetentLevel))),
            processing_time=time,
            fees=draw(
                st.lists(
                    st.builds(lambda n, a: FeeItem(name=n, amount=a), names, st.integers(0, 10**7)),
                    max_size=3,
                )
            ),
            components=draw(st.lists(names.map(lambda n: Component(name=n)), max_size=3)),
            capabilities=draw(st.frozensets(st.sampled_from(list(Capability)))),
            agencies=draw(st.lists(agency_codes(), max_size=3)),
            valid_from=start,
            valid_to=until,
        )

    return build()
