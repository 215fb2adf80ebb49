"""``egovkit dossier stats``: an agency's dossier figures for a period, counted by the store.

``--from`` and ``--to`` are days (both included, Vietnam time); ``--as-of`` (default: the end of
the period) is read as Vietnam time when it has no UTC offset. The JSON keys are those of
:meth:`~egovkit.dossiers.statistics.DossierStatistics.to_dict`.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from egovkit.cli.support import EXIT_OK, Subparsers, add_command, add_json_option, print_json

#: Place in ``egovkit --help``.
ORDER = 50

_LINES = (
    ("received", "Tổng số hồ sơ tiếp nhận (received)"),
    ("carried_over", "  Kỳ trước chuyển sang (carried over)"),
    ("new", "  Tiếp nhận mới (new)"),
    ("finished", "Đã giải quyết (finished)"),
    ("finished_early", "  Trước hạn (early)"),
    ("finished_on_time", "  Đúng hạn (on time)"),
    ("finished_late", "  Quá hạn (late)"),
    ("in_progress", "Đang giải quyết (in progress)"),
    ("in_progress_on_time", "  Trong hạn (on time)"),
    ("in_progress_overdue", "  Quá hạn (overdue)"),
    ("due_within_24h", "  Sắp đến hạn, 24 giờ (due within 24 h)"),
    ("paused", "Tạm dừng, chờ bổ sung (paused)"),
    ("withdrawn", "Rút hồ sơ (withdrawn)"),
    ("stopped", "Dừng giải quyết (stopped)"),
)
_RATES = (
    ("digital_take_up", "Tỷ lệ trực tuyến (digital take-up)"),
    ("completion_rate", "Tỷ lệ giải quyết (completion rate)"),
    ("on_time_rate", "Tỷ lệ đúng hạn (on-time rate)"),
)


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``dossier stats``."""
    group = add_command(
        subparsers,
        "dossier",
        help="one-stop dossiers in a store (hồ sơ một cửa)",
        description="One-stop dossiers (hồ sơ một cửa) kept in a store: their figures.",
    )
    commands = group.add_subparsers(dest="dossier_command", metavar="COMMAND", required=True)
    p = add_command(
        commands,
        "stats",
        help="an agency's figures for a period: received, finished early/on time/late, …",
        description="Counted inside the store (SQL on SQLite and PostgreSQL). Exit 1: the "
        "period is empty or the as-of instant falls before it; exit 2: unreadable arguments; "
        "exit 3: the store failed.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("--agency", required=True, metavar="CODE", help="e.g. 000.00.01.H53")
    p.add_argument(
        "--from", dest="start", required=True, type=_day, metavar="DATE", help="first day"
    )
    p.add_argument(
        "--to", dest="end", required=True, type=_day, metavar="DATE", help="last day (included)"
    )
    p.add_argument(
        "--as-of", type=_instant, metavar="ISO", help="report as of this instant (default: end)"
    )
    p.add_argument(
        "--role",
        choices=["competent", "receiving"],
        default="competent",
        help="count by the deciding agency (default) or the receiving desk",
    )
    p.add_argument(
        "--include-subunits", action="store_true", help="count the agency's sub-units too"
    )
    add_json_option(p)
    p.set_defaults(run=_stats)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 instant") from exc


def _stats(args: argparse.Namespace) -> int:
    from egovkit.agencies import AgencyCode
    from egovkit.calendar import VIETNAM_TZ
    from egovkit.dossiers import AgencyRole
    from egovkit.storage import open_store

    agency = AgencyCode.parse(args.agency)
    as_of = args.as_of
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=VIETNAM_TZ)
    with open_store(args.store) as store:
        stats = store.dossiers.statistics(
            agency=agency,
            start=args.start,
            end=args.end,
            as_of=as_of,
            role=AgencyRole(args.role),
            include_subunits=args.include_subunits,
        )
    data = stats.to_dict()
    if args.json:
        print_json(data)
        return EXIT_OK
    print(
        f"{data['agency']} ({data['role']}), {data['period_start']} – {data['period_end']}, "
        f"as of {data['as_of']}"
    )
    for key, label in _LINES:
        print(f"{label:<44} {data[key]:>9}")
    by_channel = data["by_channel"]
    assert isinstance(by_channel, dict)
    print("  " + ", ".join(f"{channel}: {count}" for channel, count in by_channel.items()))
    for key, label in _RATES:
        value = data[key]
        shown = "—" if value is None else f"{value:.1%}"
        print(f"{label:<44} {shown:>9}")
    return EXIT_OK


__all__ = ["ORDER", "register"]
