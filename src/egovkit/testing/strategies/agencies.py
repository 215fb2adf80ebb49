"""Strategies for agency codes (mã định danh)."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from egovkit.agencies import AgencyCode


def _digits(width: int) -> st.SearchStrategy[str]:
    return st.text(string.digits, min_size=width, max_size=width)


def _level1() -> st.SearchStrategy[str]:
    return st.builds(
        lambda letter, digits: letter + digits, st.sampled_from(string.ascii_uppercase), _digits(2)
    )


def agency_codes() -> st.SearchStrategy[AgencyCode]:
    """Valid 13-character codes, biased towards real-looking ones (zeros at deep levels)."""

    def group(width: int) -> st.SearchStrategy[str]:
        return st.one_of(st.just("0" * width), _digits(width))

    return st.builds(
        lambda l1, l2, l3, l4: AgencyCode(level1=l1, level2=l2, level3=l3, level4=l4),
        _level1(),
        group(2),
        group(2),
        group(3),
    )


def agency_code_texts() -> st.SearchStrategy[str]:
    """Canonical text of valid codes."""
    return agency_codes().map(str)


def legacy_agency_code_texts() -> st.SearchStrategy[str]:
    """Three-group legacy shapes (``28.22.H17``) that only a lenient parse accepts."""
    return st.builds(lambda a, b, c: f"{a}.{b}.{c}", _digits(2), _digits(2), _level1())


def invalid_agency_code_texts() -> st.SearchStrategy[str]:
    """Text that is neither canonical nor legacy: every parse must raise."""
    canonical = agency_code_texts()
    return st.one_of(
        canonical.map(lambda t: t[:-1]),  # too short
        canonical.map(lambda t: t + "0"),  # too long
        canonical.map(lambda t: t.replace(".", "-", 1)),  # wrong separator
        canonical.map(lambda t: t[:-3] + "0" + t[-2:]),  # level 1 without its letter
        st.text(max_size=20).filter(lambda t: len(t.strip()) not in (9, 13)),
    )
