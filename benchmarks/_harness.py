"""Shared benchmark harness: time our code and a named peer in the same run, report ratios.

Every ``benchmarks/bench_*.py`` defines ``run(quick: bool) -> list[Comparison]``. ``quick`` runs
a reduced size so the test command can prove a benchmark still works; figures for the notes come
from a full run (``python benchmarks/run.py``).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    """One line of the report: our time against the peer's for the same work.

    ``ratio`` is ours / peer: below 1 we are faster. ``target`` says what the issue aims for.
    """

    name: str
    ours: float
    peer_name: str
    peer: float
    unit: str = "s"
    target: str = ""
    notes: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.peer if self.peer else float("inf")


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
