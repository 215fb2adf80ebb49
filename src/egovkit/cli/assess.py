"""``egovkit assess``: score and rank units with a versioned rule set; ``assess-rulesets`` lists
the built-in ones and ``assess-check`` checks a rule-set file.

Exit codes: 0 scored; 1 the input or rule set failed a check (missing indicator, value out of
range, weights that do not add up…); 2 usage error or unreadable input; 3 a store failed.

``--store URL --period PERIOD`` computes the ``qd766`` inputs from the store's dossiers
(``egovkit.assessment.from_store.qd766_inputs``); the JSON output then also gives each unit's
``inputs``: every value with its source (computed or supplied), numerator, denominator and rule,
and the missing ones with the reason.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    print_json,
    write_output,
)
from egovkit.errors import ConfigurationError, ParseError

if TYPE_CHECKING:
    from egovkit.assessment import RuleSet
    from egovkit.assessment.from_store import StoreInputs

#: Place in ``egovkit --help``.
ORDER = 80


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``assess``, ``assess-rulesets`` and ``assess-check``."""
    p = add_command(
        subparsers,
        "assess",
        help="score and rank units with a rule set (đánh giá, xếp hạng)",
        description="Score units with a versioned rule set and rank them. JSON output lists "
        "each unit with unit, score, rank, grade and explanation.",
    )
    p.add_argument(
        "--ruleset",
        required=True,
        metavar="NAME",
        help="built-in name (dti-2022), index id picked by --at (dti), or a rule-set .json file",
    )
    p.add_argument(
        "--at",
        type=_date,
        metavar="DATE",
        help="assessment date YYYY-MM-DD: picks the version in force (default: today)",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--input", type=Path, metavar="FILE", help="indicator values, .csv or .json"
    )
    source.add_argument(
        "--store",
        metavar="URL",
        help="compute qd766 inputs from the dossiers of a store (sqlite:///egov.db, memory://)",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help="reporting period with --store: 2026-03, 2026-Q1, 2026 or 2026-03-01..2026-03-15",
    )
    p.add_argument(
        "--agency",
        action="append",
        default=[],
        metavar="CODE",
        help="with --store: assess this competent agency (repeatable; default: every agency "
        "with dossiers in the period)",
    )
    p.add_argument(
        "--catalogue",
        type=Path,
        metavar="FILE.csv",
        help="with --store: the procedure catalogue (3.1, 3.4, 3.5; default: "
        "<db>.catalogue.csv next to a SQLite store, if there)",
    )
    p.add_argument(
        "--supplied",
        type=Path,
        metavar="FILE",
        help="with --store: values the store cannot compute, .csv or .json, one row per agency "
        "(default: <db>.qd766.csv or .json next to a SQLite store, if there)",
    )
    p.add_argument(
        "--format",
        choices=("json", "csv", "html"),
        default="json",
        help="json (default; the same as --json), csv (one row per unit) or html (a printable "
        "report with a chart)",
    )
    add_json_option(p, help="print JSON (the same as --format json)")
    add_output_option(p, metavar="OUT", help="write the result here instead of standard output")
    p.add_argument("--explain", metavar="UNIT", help="only this unit, with its explanation")
    p.add_argument(
        "--merge",
        action="append",
        default=[],
        metavar="NEW=OLD1,OLD2",
        help="score NEW as the mean of its predecessors' values (repeatable)",
    )
    p.add_argument(
        "--missing",
        choices=("error", "na"),
        default="error",
        help="bad or missing input: fail (default) or score that leaf N/A with the reason",
    )
    p.set_defaults(run=_assess)

    p = add_command(
        subparsers,
        "assess-rulesets",
        help="list the built-in assessment rule sets",
        description="List the built-in assessment rule sets with the period each is in force.",
    )
    add_json_option(p)
    p.set_defaults(run=_list)

    p = add_command(
        subparsers,
        "assess-check",
        help="check an assessment rule-set file",
        description="Check a rule-set file: weights that add up, indicators with a scale, "
        "grades in order. Exit 1 if it has errors.",
    )
    p.add_argument("file", type=Path, metavar="FILE.json")
    add_json_option(p, help="print findings as JSON")
    p.set_defaults(run=_check)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _ruleset(name: str, at: date | None) -> tuple[RuleSet, date | None]:
    from egovkit.assessment import RuleSetCatalogue, read_ruleset

    catalogue = RuleSetCatalogue.builtin()
    if name.endswith(".json") or Path(name).is_file():
        return read_ruleset(name), at
    ruleset = catalogue.get(name, at=at)
    if at is None and name not in catalogue.names():
        at = date.today()  # the version was chosen by today's date: record it
    return ruleset, at


def _merges(specs: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for spec in specs:
        new, sep, olds = spec.partition("=")
        names = [o.strip() for o in olds.split(",") if o.strip()]
        if not sep or not new.strip() or not names:
            raise ParseError(
                f"--merge expects NEW=OLD1,OLD2, got {spec!r}", code="assessment.cli.merge"
            )
        out[new.strip()] = names
    return out


def _assess(args: argparse.Namespace) -> int:
    from egovkit.assessment import UnitInput, evaluate, merge_units, read_units
    from egovkit.assessment.reports import (
        assessment_to_csv,
        assessment_to_dict,
        assessment_to_html,
        scorecard_text,
        scorecard_to_dict,
    )

    if args.json:
        args.format = "json"
    inputs: StoreInputs | None = None
    at: date | None
    if args.store is not None:
        ruleset, at, inputs = _from_store(args)
        units: list[UnitInput] = list(inputs.units)
    else:
        if args.period is not None:
            raise ConfigurationError(
                "--period goes with --store", code="assessment.cli.period", where="--period"
            )
        ruleset, at = _ruleset(args.ruleset, args.at)
        units = read_units(
            args.input,
            attributes=ruleset.attributes,
            indicators=[i.id for i in ruleset.indicators],
        )
    if args.merge:
        units = merge_units(units, _merges(args.merge))
    result = evaluate(ruleset, units, at=at, on_bad_input=args.missing)
    sourced = inputs.to_dict() if inputs is not None else None
    if args.explain is not None:
        card = result.get(args.explain)
        if args.format == "json":
            data = scorecard_to_dict(card, decimals=ruleset.decimals)
            if sourced is not None:
                data["period"] = sourced["period"]
                data["inputs"] = sourced["units"].get(args.explain, {})
            text = _json(data)
        else:
            text = scorecard_text(card, decimals=ruleset.decimals) + "\n"
    elif args.format == "json":
        data = assessment_to_dict(result)
        if sourced is not None:
            data["period"] = sourced["period"]
            for unit in data["units"]:
                unit["inputs"] = sourced["units"].get(unit["unit"], {})
        text = _json(data)
    elif args.format == "csv":
        text = assessment_to_csv(result)
    else:
        text = assessment_to_html(result)
    write_output(text, args.output)
    return EXIT_OK


def _from_store(args: argparse.Namespace) -> tuple[RuleSet, date, StoreInputs]:
    import egovkit
    from egovkit.agencies import AgencyCode
    from egovkit.assessment.from_store import qd766_inputs, read_supplied
    from egovkit.assessment.periods import ReportingPeriod
    from egovkit.services.files import read_catalogue_csv

    if args.period is None:
        raise ConfigurationError(
            "--store needs --period PERIOD (2026-03, 2026-Q1, 2026 or 2026-03-01..2026-03-15)",
            code="assessment.store.period",
            where="--period",
        )
    period = ReportingPeriod.parse(args.period)
    ruleset, at = _ruleset(args.ruleset, args.at or period.end)
    if ruleset.id != "qd766":
        raise ConfigurationError(
            f"only the qd766 rule set is computed from a store, not {ruleset.name}; "
            "supply values with --input",
            code="assessment.store.unsupported",
            where="--ruleset",
        )
    beside = _beside(args.store)
    if beside is not None and not _sqlite_file(args.store).is_file():
        raise ConfigurationError(
            f"no SQLite store at {_sqlite_file(args.store)}: an assessment reads an existing "
            "store and never creates one",
            code="assessment.store.not_found",
            where="--store",
        )
    catalogue_path = args.catalogue or _existing(beside, ".catalogue.csv")
    supplied_path = args.supplied or _existing(beside, f".{ruleset.id}.csv", f".{ruleset.id}.json")
    catalogue = read_catalogue_csv(catalogue_path) if catalogue_path is not None else None
    supplied = read_supplied(supplied_path, ruleset) if supplied_path is not None else []
    agencies = [str(AgencyCode.parse(a)) for a in args.agency] or None
    with egovkit.open(args.store) as store:
        inputs = qd766_inputs(
            store.dossiers,
            period,
            ruleset=ruleset,
            agencies=agencies,
            catalogue=catalogue,
            supplied=supplied,
        )
    if args.missing == "error":
        inputs.require_complete()
    return ruleset, at or period.end, inputs


_SQLITE = "sqlite:///"


def _sqlite_file(url: str) -> Path:
    return Path(url[len(_SQLITE) :].partition("?")[0])


def _beside(url: str) -> Path | None:
    """The SQLite file of ``url`` without its suffix (``/data/egov`` for ``egov.db``)."""
    return _sqlite_file(url).with_suffix("") if url.startswith(_SQLITE) else None


def _existing(base: Path | None, *suffixes: str) -> Path | None:
    if base is None:
        return None
    for suffix in suffixes:
        candidate = base.with_name(base.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _list(args: argparse.Namespace) -> int:
    from egovkit.assessment import RuleSetCatalogue

    rows = [
        {
            "name": r.name,
            "id": r.id,
            "version": r.version,
            "title_vi": r.title_vi,
            "source": r.source,
            "effective_from": r.effective_from.isoformat(),
            "effective_to": r.effective_to.isoformat() if r.effective_to else None,
        }
        for r in RuleSetCatalogue.builtin()
    ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            until = row["effective_to"] or "…"
            print(f"{row['name']:<18} {row['effective_from']} – {until:<10}  {row['title_vi']}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from egovkit.assessment import check_ruleset, read_ruleset
    from egovkit.findings import errors_in

    ruleset = read_ruleset(args.file, check=False)
    findings = check_ruleset(ruleset)
    bad = errors_in(findings)
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "ruleset": ruleset.name,
                "valid": not bad,
                "findings": [f.to_dict() for f in findings],
            }
        )
    else:
        for finding in findings:
            print(finding)
        state = "invalid" if bad else "valid"
        print(
            f"{args.file}: {ruleset.name} {state} ({len(bad)} error(s), {len(findings)} finding(s))"
        )
    return EXIT_CHECK_FAILED if bad else EXIT_OK


__all__ = ["ORDER", "register"]
