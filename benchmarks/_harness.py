"""Shared benchmark harness: time our code and a named peer in the same run, report ratios.

Every ``benchmarks/bench_*.py`` defines ``run(quick: bool) -> list[Comparison]``. ``quick`` runs
a reduced size so the test command can prove a benchmark still works; figures for the notes come
from a full run (``python benchmarks/run.py``).

Every row states its ``target`` and whether it was reached (``met``), so both modes print
MET or MISSED. A target on an absolute figure (seconds per million, MB/s) is ``sized``: a quick
run measures smaller sizes, and its mark says so.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Comparison:
    """One line of the report: our time against the peer's for the same work.

    ``ratio`` is ours / peer: below 1 we are faster. ``target`` says what the issue aims for and
    ``met`` whether this run reached it (None: not judged); ``sized`` marks a target on an
    absolute figure, which a quick run's smaller sizes may miss.
    """

    name: str
    ours: float
    peer_name: str
    peer: float
    unit: str = "s"
    target: str = ""
    notes: str = ""
    met: bool | None = None
    sized: bool = False

    @property
    def ratio(self) -> float:
        return self.ours / self.peer if self.peer else float("inf")

    def mark(self, *, quick: bool = False) -> str:
        """``MET`` or ``MISSED`` (``—`` when not judged); a quick run flags sized targets."""
        if self.met is None:
            return "—"
        mark = "MET" if self.met else "MISSED"
        return f"{mark} (quick size)" if quick and self.sized else mark


def ratio_at_most(limit: float) -> Callable[[Comparison], bool]:
    """A check for ``met``: ours / peer at most ``limit`` (``row.met = check(row)``)."""
    return lambda row: row.ratio <= limit


def judged(row: Comparison, check: Callable[[Comparison], bool]) -> Comparison:
    """``row`` with ``met`` set by ``check`` (for targets on the ratio the row computes)."""
    return replace(row, met=check(row))


def best_of(function: Callable[[], object], *, repeat: int = 5, number: int = 1) -> float:
    """The best wall-clock seconds per call over ``repeat`` rounds of ``number`` calls."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def format_seconds(seconds: float) -> str:
    """Seconds in a readable unit (ns, µs, ms or s)."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
