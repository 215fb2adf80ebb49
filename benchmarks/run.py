"""Run every benchmark and print a Markdown table of ratios against each named peer.

python benchmarks/run.py            full run; also writes benchmarks/results/latest.md
python benchmarks/run.py --quick    small sizes, to prove the benchmarks still work
python benchmarks/run.py -k import  only benchmarks whose file name contains "import"
                                    (prints the table, leaves results/latest.md alone)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import Comparison, format_seconds  # noqa: E402


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table(rows: list[Comparison], *, quick: bool = False) -> str:
    """The results as a Markdown table, each row with its target and MET / MISSED."""
    lines = [
        "| benchmark | egovkit | peer | peer time | ratio (ours/peer) | target | result | notes |",
        "|---|---:|---|---:|---:|---|---|---|",
    ]
    for r in rows:
        ours = format_seconds(r.ours) if r.unit == "s" else f"{r.ours:.3g} {r.unit}"
        peer = format_seconds(r.peer) if r.unit == "s" else f"{r.peer:.3g} {r.unit}"
        lines.append(
            f"| {r.name} | {ours} | {r.peer_name} | {peer} | {r.ratio:.2f} | {r.target} | "
            f"{r.mark(quick=quick)} | {r.notes} |"
        )
    return "\n".join(lines)


def summary(rows: list[Comparison], *, quick: bool = False) -> str:
    """One line: how many targets were met and missed, and which rows were not judged."""
    met = sum(r.met is True for r in rows)
    missed = [r.name for r in rows if r.met is False]
    unjudged = [r.name for r in rows if r.met is None]
    line = f"{met} MET, {len(missed)} MISSED"
    if quick and missed:
        line += " (quick sizes: a sized target may be missed at quick sizes)"
    if unjudged:
        line += f"; not judged: {', '.join(unjudged)}"
    return line


def _context() -> str:
    loads = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()} on "
        f"{platform.machine()} ({os.cpu_count()} CPUs), load average {loads[0]:.1f} "
        f"(1 min) / {loads[1]:.1f} (5 min)"
    )


def _write_results(name: str, rows: list[Comparison]) -> None:
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    section = f"## {name}\n\n{_context()}\n\n{table(rows)}\n\n{summary(rows)}\n"
    (results / f"{name}.md").write_text(section, encoding="utf-8")
    sections = [path.read_text(encoding="utf-8") for path in sorted(results.glob("bench_*.md"))]
    header = (
        "# Benchmark results\n\nEach section comes from the last full run of that benchmark "
        "(`python benchmarks/run.py [-k NAME]`); ratios are egovkit / peer, below 1 means "
        "egovkit is faster.\n\n"
    )
    (results / "latest.md").write_text(header + "\n".join(sections), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, no results files")
    parser.add_argument("-k", dest="pattern", default="", help="only files containing this")
    args = parser.parse_args(argv)
    rows: list[Comparison] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if args.pattern in path.stem:
            print(f"running {path.name} …", file=sys.stderr)
            found = _load(path).run(args.quick)  # type: ignore[attr-defined]
            rows.extend(found)
            if not args.quick:
                _write_results(path.stem, found)
    print(table(rows, quick=args.quick))
    print()
    print(summary(rows, quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
