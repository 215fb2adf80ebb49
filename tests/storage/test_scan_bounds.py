"""A scan with both ``prefix`` and ``after`` returns exactly the keys a plain filter gives, on
every embedded backend (SQLite seeks from one lower bound; see ``_SqliteSession.scan``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.ports import Record
from egovkit.storage import open_store

KEYS = [f"{a}{b}{c}" for a in "abc" for b in "ab|" for c in "xy"]


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(["", "a", "b", "ba", "b|", "c|y", "z"]),
    after=st.sampled_from(["", "a", "ab", "b", "b|x", "bb", "c", "zz"]),
    limit=st.integers(min_value=1, max_value=20),
)
def test_prefix_and_after_together(prefix: str, after: str, limit: int) -> None:
    expected = sorted(k for k in KEYS if k.startswith(prefix) and k > after)[:limit]
    with tempfile.TemporaryDirectory() as place:
        for url in ("memory://", f"sqlite:///{Path(place) / 'scan.db'}"):
            with open_store(url) as store:
                store.records.add_many(Record(collection="c", key=k) for k in KEYS)
                found = store.records.scan("c", prefix=prefix, after=after, limit=limit)
                assert [r.key for r in found] == expected, url
