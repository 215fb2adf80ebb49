"""``egovkit services``: online service levels of a procedure catalogue."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from egovkit.cli.support import EXIT_OK, Subparsers, add_command, add_json_option, print_json
from egovkit.errors import ParseError

#: Place in ``egovkit --help``.
ORDER = 60


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``services levels``."""
    services = add_command(
        subparsers,
        "services",
        help="procedures and online service levels (dịch vụ công trực tuyến)",
        description="Administrative procedures and their online service levels (dịch vụ "
        "công trực tuyến): Decree 43/2011 levels 1-4 and Decree 42/2022 partial/full online.",
    )
    commands = services.add_subparsers(dest="services_command", metavar="COMMAND", required=True)
    p = add_command(
        commands,
        "levels",
        help="classify the procedures of a catalogue CSV (Decree 43/2011 or 42/2022)",
        description="Classify each procedure of a catalogue CSV under the scheme in force "
        "and summarise the shares by level.",
    )
    p.add_argument("catalogue", type=Path, metavar="CATALOGUE.csv")
    p.add_argument(
        "--scheme",
        default="",
        help="nd43-2011 or nd42-2022 (default: the scheme in force on --on)",
    )
    p.add_argument("--on", default="", metavar="YYYY-MM-DD", help="day (default: today)")
    p.add_argument(
        "--by",
        choices=["all", "agency", "competent_level"],
        default="competent_level",
        help="how the summary is broken down",
    )
    add_json_option(p)
    p.set_defaults(run=_levels)


def _day(text: str) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"--on {text!r} is not a date", code="cli.date", where="--on") from exc


def _levels(args: argparse.Namespace) -> int:
    from egovkit.services import GroupBy, portfolio_shares, read_catalogue_csv, scheme, scheme_on

    day = _day(args.on)
    chosen = scheme(args.scheme) if args.scheme else scheme_on(day)
    catalogue = read_catalogue_csv(args.catalogue)
    current = catalogue.on(day)
    rows = []
    for procedure in current:
        found = chosen.classify(procedure.capabilities, has_fees=procedure.has_fees)
        rows.append({"code": str(procedure.code), "name": procedure.name, **found.to_dict()})
    summary = portfolio_shares(current, chosen, by=GroupBy(args.by))
    if args.json:
        print_json(
            {
                "scheme": chosen.id,
                "on": day.isoformat(),
                "procedures": rows,
                "summary": [s.to_dict() for s in summary],
            }
        )
        return EXIT_OK
    print(f"{chosen.title} — {len(rows)} procedure(s) in force on {day.isoformat()}")
    for row in rows:
        muc_do = f" (MucDo {row['muc_do']})" if row["muc_do"] is not None else ""
        print(f"{row['code']}  {row['label']}{muc_do}  {row['name']}")
        print(f"    {row['reason']}")
    for share in summary:
        parts = ", ".join(f"{level} {count}" for level, count in share.counts)
        print(f"{share.group}: {share.total} procedure(s): {parts}")
    return EXIT_OK
