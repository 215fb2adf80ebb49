"""Old → new agency codes, as the national axis' agency list publishes them (``oldCode`` in
``AgencyServiceImp.getAgenciesList`` of the VPCP Java SDK, github.com/williamdunbar/SDK)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode, CodeRename, CodeRenames
from egovkit.errors import ValidationError

OLD, MID, NEW = (AgencyCode.parse(c) for c in ("000.00.15.H40", "000.00.15.H42", "000.00.16.H42"))


def test_chains_are_followed_to_the_current_code() -> None:
    renames = CodeRenames.from_pairs([(str(OLD), str(MID)), (str(MID), str(NEW))])
    assert renames.current(OLD) == NEW
    assert renames.current(MID) == NEW
    assert renames.current(NEW) == NEW
    assert renames.former(NEW) == (OLD, MID)
    assert OLD in renames
    assert len(renames) == 2


def test_a_legacy_old_code_is_accepted() -> None:
    renames = CodeRenames.from_pairs([("28.22.H17", str(NEW))])
    assert renames.current(AgencyCode.parse("28.22.H17", strict=False)) == NEW


def test_a_code_renamed_two_ways_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CodeRenames.from_pairs([(str(OLD), str(MID)), (str(OLD), str(NEW))])
    assert caught.value.findings[0].code == "agency_renames.conflict"


def test_a_cycle_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CodeRenames([CodeRename(old=OLD, new=MID), CodeRename(old=MID, new=OLD)])
    assert {f.code for f in caught.value.findings} == {"agency_renames.cycle"}


def test_a_code_renamed_to_itself_is_no_rename() -> None:
    assert len(CodeRenames([CodeRename(old=OLD, new=OLD)])) == 0


codes = st.builds(
    lambda a, b: AgencyCode.parse(f"000.00.{a:02d}.H{b:02d}"),
    st.integers(0, 99),
    st.integers(10, 99),
)


@given(st.lists(codes, min_size=1, max_size=8, unique=True))
def test_a_chain_resolves_every_link_to_its_end(chain: list[AgencyCode]) -> None:
    renames = CodeRenames(CodeRename(old=a, new=b) for a, b in itertools.pairwise(chain))
    assert {renames.current(code) for code in chain} == {chain[-1]}
    assert set(renames.former(chain[-1])) == set(chain[:-1])
