"""``egovkit handling …``: documents handled as an office does, in a store.

Open cases (``receive`` an incoming document, ``draft`` an outgoing one), apply steps
(``step``), and ask: ``show``, ``queue``, ``overdue``, ``due-soon``, ``rates`` (on time by unit),
``share`` (electronic share by level), ``search``. Instants without a UTC offset are Vietnam
time. Every data-printing command takes ``--json`` and ``-o/--output``; under ``--json`` errors
are printed as ``{"error": {...}}``. Exit codes: 0 done, 1 refused (an illegal step, an unknown
case), 2 unreadable arguments, 3 the store failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from egovkit.cli.support import EXIT_OK, exit_code_for
from egovkit.errors import EgovkitError, ParseError

#: Place in ``egovkit --help``.
ORDER = 48

Output = tuple[Any, list[str]]  # (JSON-ready data, text lines)


def _vietnam() -> tzinfo:
    """Vietnam time, loaded when a command runs (``--help`` stays free of the calendar)."""
    from egovkit.calendar import VIETNAM_TZ

    return VIETNAM_TZ


# -- argument readers -------------------------------------------------------------------------


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 instant") from exc
    return value if value.tzinfo else value.replace(tzinfo=_vietnam())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


def _party(text: str) -> tuple[str, str]:
    unit, _, person = text.partition(":")
    if not unit.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: give UNIT or UNIT:PERSON")
    return unit.strip(), person.strip()


def _assignment(text: str) -> tuple[str, str, str]:
    who, sep, role = text.rpartition("=")
    if not sep or role not in ("in_charge", "cooperating", "information"):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give UNIT[:PERSON]=ROLE, ROLE one of in_charge, cooperating, information"
        )
    unit, person = _party(who)
    return unit, person, role


# -- shared plumbing --------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser, *, data: bool = True) -> None:
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("--json", action="store_true", help="print JSON")
    if data:
        p.add_argument(
            "-o", "--output", type=Path, metavar="FILE", help="write the output here, not stdout"
        )


def _emit(args: argparse.Namespace, output: Output) -> None:
    data, lines = output
    text = (
        json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if args.json
        else "".join(f"{line}\n" for line in lines)
    )
    target: Path | None = getattr(args, "output", None)
    if target is None:
        sys.stdout.write(text)
        return
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"cannot write {target}: {exc.strerror}", code="io.write") from exc


def _command(
    work: Callable[[argparse.Namespace, Any], Output],
) -> Callable[[argparse.Namespace], int]:
    """Run ``work(args, book)`` on the store; print its output; errors as JSON under --json."""

    def run(args: argparse.Namespace) -> int:
        from egovkit.handling import HandlingStore
        from egovkit.storage import open_store

        try:
            with open_store(args.store) as store:
                output = work(args, HandlingStore(store))
            _emit(args, output)
        except EgovkitError as error:
            if not args.json:
                raise
            json.dump({"error": error.to_dict()}, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return exit_code_for(error)
        return EXIT_OK

    return run


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _case_data(case: Any) -> dict[str, Any]:
    from egovkit.handling import case_to_dict

    return case_to_dict(case)


def _case_lines(case: Any) -> list[str]:
    lines = [
        f"{case.key}: {case.flow.value}, {case.state.value}",
        f"  {case.number or '(no number)'} — {case.subject}",
    ]
    if case.due is not None:
        lines.append(f"  due {case.due.isoformat()}")
    lines += [
        f"  {a.role.value}: {a.unit}{' / ' + a.person if a.person else ''}"
        for a in case.assignments
    ]
    lines += [
        f"  {e.at.isoformat()} {e.action.value} by {e.actor} {e.text}".rstrip() for e in case.events
    ]
    return lines


def _tasks_output(tasks: Iterable[Any]) -> Output:
    found = list(tasks)
    data = [
        {
            "case": t.case,
            "unit": t.unit,
            "person": t.person,
            "role": t.role.value,
            "due": _time(t.due),
            "state": t.state.value,
        }
        for t in found
    ]
    lines = [
        f"{t.case}\t{t.role.value}\t{t.unit}{' / ' + t.person if t.person else ''}\t"
        f"{_time(t.due) or '-'}"
        for t in found
    ] or ["(nothing)"]
    return data, lines


# -- commands ---------------------------------------------------------------------------------


def _open(args: argparse.Namespace, book: Any) -> Output:
    from egovkit.handling import Case, Flow, Level, State

    flow = Flow.INCOMING if args.handling_command == "receive" else Flow.OUTGOING
    case = Case(
        key=args.key,
        flow=flow,
        office=args.office,
        level=Level(args.level),
        opened_at=args.at or datetime.now(_vietnam()),
        opened_by=args.actor,
        subject=args.subject,
        document_type=args.type,
        number=getattr(args, "number", "") or "",
        issuer=getattr(args, "issuer", "") or "",
        document_date=(
            datetime.combine(args.date, datetime.min.time(), _vietnam())
            if getattr(args, "date", None)
            else None
        ),
        electronic=not args.paper,
        state=State.RECEIVED if flow is Flow.INCOMING else State.DRAFT,
    )
    opened = book.open(case)
    return _case_data(opened), _case_lines(opened)


def _step(args: argparse.Namespace, book: Any) -> Output:
    from egovkit.calendar import WorkCalendar
    from egovkit.handling import Action, Assignment, Desk, Event, Recipient, Role

    case = book.get(args.key)
    at = args.at or datetime.now(_vietnam())
    action = Action(args.action)
    desk = Desk(WorkCalendar())
    if action is Action.DIRECT:
        event = desk.direct(
            case, actor=args.actor, at=at, text=args.text, due=args.due,
            working_days=args.working_days,
        )  # fmt: skip
    elif action is Action.ASSIGN:
        assignments = [Assignment(unit=u, person=p, role=Role(r)) for u, p, r in args.assign or ()]
        event = desk.assign(case, actor=args.actor, at=at, assignments=assignments)
    else:
        event = Event(
            action=action,
            at=at,
            actor=args.actor,
            text=args.text,
            due=args.due,
            recipients=[Recipient(unit=u, person=p) for u, p in args.to or ()],
            document=args.document,
        )
    after = book.step(args.key, event)
    return _case_data(after), _case_lines(after)


def _show(args: argparse.Namespace, book: Any) -> Output:
    case = book.get(args.key)
    return _case_data(case), _case_lines(case)


def _queue(args: argparse.Namespace, book: Any) -> Output:
    return _tasks_output(book.queries.work_queue(unit=args.unit, person=args.person))


def _overdue(args: argparse.Namespace, book: Any) -> Output:
    at = args.at or datetime.now(_vietnam())
    return _tasks_output(book.queries.overdue(at, unit=args.unit, person=args.person))


def _due_soon(args: argparse.Namespace, book: Any) -> Output:
    at = args.at or datetime.now(_vietnam())
    return _tasks_output(book.queries.due_soon(at, args.until, unit=args.unit, person=args.person))


def _period(args: argparse.Namespace) -> tuple[datetime, datetime]:
    from datetime import timedelta

    start = datetime.combine(args.start, datetime.min.time(), _vietnam())
    end = datetime.combine(args.end + timedelta(days=1), datetime.min.time(), _vietnam())
    return start, end


def _rates(args: argparse.Namespace, book: Any) -> Output:
    rows = book.queries.on_time_rates(*_period(args))
    data = [
        {"unit": r.unit, "completed": r.completed, "on_time": r.on_time, "rate": r.rate}
        for r in rows
    ]
    lines = [
        f"{r.unit}\t{r.on_time}/{r.completed}\t{'-' if r.rate is None else f'{r.rate:.1%}'}"
        for r in rows
    ] or ["(nothing completed)"]
    return data, lines


def _share(args: argparse.Namespace, book: Any) -> Output:
    rows = book.queries.electronic_share(*_period(args))
    data = [
        {
            "level": r.level.value,
            "received": r.received,
            "received_electronic": r.received_electronic,
            "received_share": r.received_share,
            "sent": r.sent,
            "sent_electronic": r.sent_electronic,
            "sent_share": r.sent_share,
        }
        for r in rows
    ]

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1%}"

    lines = [
        f"{r.level.value}\treceived {r.received_electronic}/{r.received} "
        f"({pct(r.received_share)})\tsent {r.sent_electronic}/{r.sent} ({pct(r.sent_share)})"
        for r in rows
    ] or ["(nothing received or sent)"]
    return data, lines


def _search(args: argparse.Namespace, book: Any) -> Output:
    from egovkit.handling import Flow, State
    from egovkit.handling.search import SearchQuery

    query = SearchQuery(
        text=args.text,
        issuer=args.issuer,
        number=args.number,
        notation=args.notation,
        document_type=args.type,
        date_from=args.start,
        date_to=args.end,
        state=State(args.state) if args.state else None,
        flow=Flow(args.flow) if args.flow else None,
        person=args.person,
    )
    keys = book.search.search(query)
    cases = [book.get(k) for k in keys]
    data = [
        {"key": c.key, "number": c.number, "subject": c.subject, "state": c.state.value}
        for c in cases
    ]
    lines = [f"{c.key}\t{c.number or '-'}\t{c.state.value}\t{c.subject}" for c in cases] or [
        "(nothing found)"
    ]
    return data, lines


# -- the parser -------------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``handling receive|draft|step|show|queue|overdue|due-soon|rates|share|search``."""
    group = subparsers.add_parser(
        "handling",
        help="documents handled as an office does (quản lý văn bản và điều hành)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="handling_command", metavar="COMMAND", required=True)

    for name, what in (
        ("receive", "open a received incoming document (văn bản đến)"),
        ("draft", "open an outgoing document being drafted (dự thảo văn bản đi)"),
    ):
        p = commands.add_parser(name, help=what, description=f"{what[0].upper()}{what[1:]}.")
        _common(p)
        p.add_argument("--key", required=True, help="the case's key in the store")
        p.add_argument("--office", required=True, metavar="CODE", help="the handling office")
        p.add_argument(
            "--level",
            choices=["central", "province", "district", "commune"],
            default="province",
            help="the office's level (cấp)",
        )
        p.add_argument("--subject", default="", help="trích yếu")
        p.add_argument("--type", default="", metavar="ABBR", help="type abbreviation (QĐ, KH…)")
        p.add_argument("--actor", default="Văn thư", help="who opens it")
        p.add_argument("--at", type=_instant, metavar="ISO", help="when (default: now)")
        p.add_argument("--paper", action="store_true", help="received or sent on paper")
        if name == "receive":
            p.add_argument("--number", default="", help="số, ký hiệu, e.g. 120/UBND-VX")
            p.add_argument("--issuer", default="", help="the issuing agency")
            p.add_argument("--date", type=_day, metavar="DATE", help="the document's date")
        p.set_defaults(run=_command(_open))

    p = commands.add_parser(
        "step",
        help="apply one step to a case (direct, assign, note, complete, sign, issue…)",
        description="Apply one step; a step the transition table does not allow exits 1 and "
        "writes nothing. A direction's --working-days counts on the working-day calendar; an "
        "assignment without a deadline gets the default for the document type.",
    )
    _common(p)
    p.add_argument("--key", required=True, help="the case's key in the store")
    p.add_argument(
        "action",
        choices=[
            "distribute", "direct", "assign", "note", "complete", "reopen", "submit_for_review",
            "return_to_draft", "submit_for_signing", "sign", "number", "issue", "recall",
            "replace",
        ],
    )  # fmt: skip
    p.add_argument("--actor", required=True, help="who makes the step")
    p.add_argument("--at", type=_instant, metavar="ISO", help="when (default: now)")
    p.add_argument("--text", default="", help="the direction, the note or the reason")
    p.add_argument("--due", type=_instant, metavar="ISO", help="a direction's deadline")
    p.add_argument("--working-days", type=int, metavar="N", help="a direction's deadline in days")
    p.add_argument(
        "--to", type=_party, action="append", metavar="UNIT[:PERSON]", help="distribute to"
    )
    p.add_argument(
        "--assign",
        type=_assignment,
        action="append",
        metavar="UNIT[:PERSON]=ROLE",
        help="assign (repeat); ROLE in_charge, cooperating or information",
    )
    p.add_argument(
        "--document",
        default="",
        help="the reply (complete), the số, ký hiệu (number), the replacement",
    )
    p.set_defaults(run=_command(_step))

    p = commands.add_parser("show", help="a case with its steps", description="Show one case.")
    _common(p)
    p.add_argument("--key", required=True, help="the case's key in the store")
    p.set_defaults(run=_command(_show))

    for name, what, work in (
        ("queue", "a unit's or a person's open tasks, by deadline", _queue),
        ("overdue", "tasks in charge or cooperating past their deadline", _overdue),
        ("due-soon", "tasks whose deadline falls between --at and --until", _due_soon),
    ):
        p = commands.add_parser(name, help=what, description=f"{what[0].upper()}{what[1:]}.")
        _common(p)
        p.add_argument("--unit", default="", help="only this unit")
        p.add_argument("--person", default="", help="only this person")
        if name != "queue":
            p.add_argument("--at", type=_instant, metavar="ISO", help="as of (default: now)")
        if name == "due-soon":
            p.add_argument(
                "--until", type=_instant, required=True, metavar="ISO", help="the window's end"
            )
        p.set_defaults(run=_command(work))

    for name, what, work in (
        ("rates", "on-time rates by unit in charge for a period", _rates),
        ("share", "documents received and sent electronically, by level", _share),
    ):
        p = commands.add_parser(
            name, help=what, description=f"{what[0].upper()}{what[1:]} (--from/--to inclusive)."
        )
        _common(p)
        p.add_argument(
            "--from", dest="start", type=_day, required=True, metavar="DATE", help="first day"
        )
        p.add_argument(
            "--to", dest="end", type=_day, required=True, metavar="DATE", help="last day"
        )
        p.set_defaults(run=_command(work))

    p = commands.add_parser(
        "search",
        help="find documents by words, number, notation, type, issuer, dates, state, person",
        description="Words without diacritics also find words with them; words with "
        "diacritics find that spelling only.",
    )
    _common(p)
    p.add_argument("--text", default="", help="subject words")
    p.add_argument("--issuer", default="", help="issuer words")
    p.add_argument("--number", default="", help="the number, e.g. 120")
    p.add_argument("--notation", default="", help="the notation (ký hiệu), e.g. UBND-VX")
    p.add_argument("--type", default=None, metavar="ABBR", help="type abbreviation (QĐ, KH…)")
    p.add_argument("--from", dest="start", type=_day, metavar="DATE", help="first day")
    p.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day")
    p.add_argument("--state", default="", help="only cases in this state")
    p.add_argument(
        "--flow", choices=["incoming", "outgoing"], default="", help="incoming or outgoing only"
    )
    p.add_argument("--person", default="", help="the person in charge")
    p.set_defaults(run=_command(_search))
