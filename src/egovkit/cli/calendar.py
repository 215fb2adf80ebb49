"""``egovkit calendar``: deadlines and working days from the command line.

A ``--start`` without a UTC offset is read as Vietnam time (the library itself refuses naive
datetimes; at the command line the desk's clock is the only sensible reading).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    Subparsers,
    add_command,
    add_json_option,
    print_json,
)
from egovkit.errors import ParseError, ValidationError

if TYPE_CHECKING:
    from egovkit.calendar import WorkCalendar

#: Place in ``egovkit --help``.
ORDER = 40


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``calendar due``, ``calendar is-working-day`` and ``calendar days-off``."""
    group = add_command(
        subparsers,
        "calendar",
        help="working days and deadlines (ngày làm việc, hạn trả kết quả)",
        description="Working days, holidays and deadlines of the Vietnamese civil service: "
        "Tết and national holidays, swapped days, office hours and local decisions.",
    )
    commands = group.add_subparsers(dest="calendar_command", metavar="COMMAND", required=True)

    p = add_command(
        commands,
        "due",
        help="the due instant of a processing time",
        description="The instant a processing time (working days, working hours or calendar "
        "days) ends, counted from receipt; a --start without offset is Vietnam time.",
    )
    p.add_argument("--start", required=True, metavar="ISO", help="when it was received")
    amount = p.add_mutually_exclusive_group(required=True)
    amount.add_argument("--working-days", type=_whole, metavar="N", help="N working days")
    amount.add_argument("--working-hours", type=_hours, metavar="N", help="N working hours")
    amount.add_argument("--days", type=_whole, metavar="N", help="N calendar days, rolled forward")
    p.add_argument(
        "--cutoff", type=_clock, metavar="HH:MM", help="receipt at or after it starts next morning"
    )
    _calendar_options(p)
    p.set_defaults(run=_due)

    p = add_command(
        commands,
        "is-working-day",
        help="exit 0 and 'yes' for a working day, else 1",
        description="Whether a day is a working day: prints yes (exit 0) or no (exit 1).",
    )
    p.add_argument("day", metavar="DATE", help="YYYY-MM-DD")
    _calendar_options(p)
    p.set_defaults(run=_is_working_day)

    p = add_command(
        commands,
        "days-off",
        help="a year's holidays, swapped days and worked weekends",
        description="Every day of a year that differs from the Monday-to-Friday week: "
        "holidays, days off swapped by decision and weekends worked in exchange.",
    )
    p.add_argument("year", type=int, metavar="YEAR")
    _calendar_options(p)
    p.set_defaults(run=_days_off)


def _calendar_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hours",
        metavar="SPEC",
        help="office hours for every weekday (default 07:00-11:30,13:30-17:00)",
    )
    parser.add_argument(
        "--local-days-off",
        type=Path,
        metavar="FILE.csv",
        help="days off / worked days by decision (CSV: date,status,decision,note)",
    )
    add_json_option(parser)


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    from egovkit.calendar import WorkCalendar, WorkingHours, read_day_changes

    hours = WorkingHours.parse(args.hours) if args.hours else None
    changes = read_day_changes(args.local_days_off) if args.local_days_off else ()
    return WorkCalendar(hours=hours, changes=changes)


@contextmanager
def _within_range() -> Iterator[None]:
    """A date outside the calendar's years is unusable input (exit 2), never a plain "no"."""
    try:
        yield
    except ValidationError as exc:
        if exc.code != "calendar.out_of_range":
            raise
        raise ParseError(exc.message, code=exc.code, where=exc.where) from exc


def _due(args: argparse.Namespace) -> int:
    with _within_range():
        return _print_due(args)


def _print_due(args: argparse.Namespace) -> int:
    from egovkit.calendar import Duration, DurationUnit

    calendar = _calendar(args)
    start = _instant(args.start)
    begins = calendar.receipt_start(start, cutoff=args.cutoff)
    amount: float
    if args.working_hours is not None:  # may be fractional, so not a Duration
        due = calendar.add_working_hours(begins, args.working_hours)
        amount, unit = args.working_hours, DurationUnit.WORKING_HOURS
    else:
        if args.working_days is not None:
            duration = Duration.working_days(args.working_days)
        else:
            duration = Duration.calendar_days(args.days)
        due = calendar.due(start, duration, cutoff=args.cutoff)
        amount, unit = duration.amount, duration.unit
    if args.json:
        print_json(
            {
                "start": start.isoformat(),
                "clock_starts": begins.isoformat(),
                "amount": amount,
                "unit": unit.value,
                "due": due.isoformat(),
                "due_date": due.date().isoformat(),
                "working_time": calendar.working_time_between(begins, due).total_seconds() / 3600,
                "calendar": calendar.data_version,
            }
        )
    else:
        print(due.isoformat())
    return EXIT_OK


def _is_working_day(args: argparse.Namespace) -> int:
    with _within_range():
        status = _calendar(args).day_status(_date(args.day))
    if args.json:
        print_json(status.to_dict())
    else:
        print("yes" if status.working else "no")
    return EXIT_OK if status.working else EXIT_CHECK_FAILED


def _days_off(args: argparse.Namespace) -> int:
    calendar = _calendar(args)
    if not 1900 < args.year < 10000:
        raise ParseError(f"{args.year} is not a year", code="cli.calendar.year", where="YEAR")
    with _within_range():
        statuses = calendar.exceptions(args.year)
    if args.json:
        print_json([s.to_dict() for s in statuses])
    else:
        for s in statuses:
            state = "worked" if s.working else "off"
            extra = f" ({s.decision})" if s.decision else ""
            print(f"{s.day.isoformat()} {s.day:%a} {state:<6} {s.kind.value:<16} {s.name}{extra}")
    return EXIT_OK


def _instant(text: str) -> datetime:
    from egovkit.calendar import VIETNAM_TZ, to_vietnam

    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ParseError(
            f"{text!r} is not an ISO 8601 date-time like 2026-02-13T09:00+07:00",
            code="cli.calendar.start",
            where="--start",
        ) from exc
    if value.tzinfo is None:
        return value.replace(tzinfo=VIETNAM_TZ)
    return to_vietnam(value, where="--start")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ParseError(
            f"{text!r} is not a date like 2026-02-16", code="cli.calendar.date", where="DATE"
        ) from exc


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value < 1e7:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours >= 0")
    return value


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 15:00") from None


__all__ = ["register"]
