"""``egovkit records list|close|transfer-list|export|verify-export|dispose``: case files in a
store (hồ sơ công việc), closing them, the transfer list and notices (mục lục hồ sơ nộp lưu), the
transfer package (nộp lưu) and its verification, and disposal under a recorded decision.

Every command prints JSON with ``--json``; under ``--json`` an error is printed as
``{"error": {...}}`` (the error's ``to_dict()``) on standard output. Exit codes: 0 ok, 1 a check
failed (an incomplete file, a tampered package), 2 usage or unreadable input (a hostile ZIP),
3 the operation failed (the store).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from egovkit.cli.support import EXIT_OK, exit_code_for, print_json
from egovkit.errors import EgovkitError

#: Place in ``egovkit --help``.
ORDER = 55

Run = Callable[[argparse.Namespace], int]


def _json_errors(run: Run) -> Run:
    """Under ``--json``, print an error as ``{"error": …}`` on standard output."""

    @functools.wraps(run)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except EgovkitError as exc:
            if not getattr(args, "json", False):
                raise
            print_json({"error": exc.to_dict()})
            return exit_code_for(exc)

    return wrapped


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


def _query_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("--agency", metavar="CODE", help="the agency's code, e.g. 000.00.00.H41")
    p.add_argument("--year", type=int, metavar="YYYY", help="the year of the files (FileCatalog)")
    p.add_argument("--unit", metavar="UNIT", help="the unit in charge")
    p.add_argument("--creator", metavar="NAME", help="the person who forms the files")
    p.add_argument("--retention", metavar="R", help="permanent, vĩnh viễn or a number of years")
    p.add_argument("--json", action="store_true", help="print JSON")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``records …``."""
    group = subparsers.add_parser(
        "records",
        help="case files, transfer to the agency archive and its package (hồ sơ, nộp lưu)",
        description="Case files (Decree 30/2020 Chapter IV) in a store.",
    )
    commands = group.add_subparsers(dest="records_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "list",
        help="the case files of a year, unit, retention or state, with their due dates",
        description="Lists case files (queried in SQL on SQLite and PostgreSQL) with the day "
        "each is due at the agency archive (Art. 30(2)) and the end of its retention.",
    )
    _query_options(p)
    p.add_argument("--state", choices=["open", "closed", "transferred"], help="only this state")
    p.set_defaults(run=_json_errors(_list))

    p = commands.add_parser(
        "close",
        help="close a case file (kết thúc hồ sơ): check it is complete and seal it",
        description="Exit 1 with every problem listed when the file is incomplete.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("code", metavar="FILE_CODE", help="e.g. 000.00.00.H41.2026.01.VP")
    p.add_argument("--end-date", required=True, type=_day, metavar="DATE", help="EndDate")
    p.add_argument("--retention", metavar="R", help="settle the retention now (Art. 29(4)(b))")
    p.add_argument("--title", help="correct the title now (Art. 29(4)(b))")
    p.add_argument("--actor", default="cli", help="who closes it (audit log)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_json_errors(_close))

    p = commands.add_parser(
        "transfer-list",
        help="the transfer list (mục lục hồ sơ, tài liệu nộp lưu) or the notices due",
        description="The closed files matching the query as the list of Appendix V §III; with "
        "--as-of, only those whose 30-day notice (Appendix VI §III.5(b)) has begun.",
    )
    _query_options(p)
    p.add_argument("--as-of", type=_day, metavar="DATE", help="list the notices due on DATE")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the JSON here")
    p.set_defaults(run=_json_errors(_transfer_list))

    p = commands.add_parser(
        "export",
        help="write the transfer package of closed files and record the transfer",
        description="Writes a ZIP of the files' electronic documents, byte for byte, with their "
        "Appendix VI / Circular 02/2019 metadata and SHA-256, verifies it before and after, "
        "then marks the files transferred (read-only) with an audit entry each. Exit 1: a file "
        "is not closed or does not match its seal; exit 3: the store failed.",
    )
    _query_options(p)
    p.add_argument("codes", nargs="*", metavar="FILE_CODE", help="files (default: the query's)")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="PACKAGE.zip",
        help="the package to write",
    )
    p.add_argument("--actor", required=True, help="the officer transferring (audit log)")
    p.add_argument("--on", type=_day, metavar="DATE", help="day of transfer (default: today)")
    p.add_argument(
        "--include-secret",
        action="store_true",
        help="allow files with secret documents (offline media only)",
    )
    p.set_defaults(run=_json_errors(_export))

    p = commands.add_parser(
        "dispose",
        help="dispose of files past retention under a recorded decision (tiêu hủy)",
        description="Stores the decision (number, who decided, when, the files), replaces each "
        "file by a tombstone with its digests and logs a records.dispose audit entry; all or "
        "nothing. Exit 1: a file is permanent, still in retention, not in the decision, or "
        "holds secret documents without --secret-approval.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("codes", nargs="+", metavar="FILE_CODE", help="the files the decision lists")
    p.add_argument("--decision", required=True, metavar="NUMBER", help="e.g. 15/QĐ-UBND")
    p.add_argument("--decided-by", required=True, metavar="NAME", help="who decided")
    p.add_argument(
        "--decided-on", required=True, type=_day, metavar="DATE", help="the decision's date"
    )
    p.add_argument("--reason", default="", help="why (hết giá trị)")
    p.add_argument("--secret-approval", default="", help="the approval secret documents require")
    p.add_argument("--on", type=_day, metavar="DATE", help="day of disposal (default: today)")
    p.add_argument("--actor", required=True, help="the officer disposing (audit log)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_json_errors(_dispose))

    p = commands.add_parser(
        "verify-export",
        help="check a transfer package completely; names a changed or missing document",
        description="Exit 1: the package does not match its manifest (the message names the "
        "file and document); exit 2: not a readable or a hostile ZIP.",
    )
    p.add_argument("package", type=Path, metavar="PACKAGE.zip", help="the transfer package")
    p.add_argument("--expect", metavar="SHA256", help="the digest printed at export")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_json_errors(_verify))


def _query(args: argparse.Namespace, state: str | None = None) -> Any:
    from egovkit.records import CaseFileQuery, FileState, Retention

    return CaseFileQuery(
        agency=args.agency,
        year=args.year,
        unit=args.unit,
        creator=args.creator,
        retention=None if args.retention is None else Retention.parse(_retention(args.retention)),
        state=None if state is None else FileState(state),
    )


def _found(args: argparse.Namespace, state: str | None) -> list[Any]:
    """The case files of the store ``--store`` that the query options and ``state`` ask for."""
    from egovkit.storage import open_store
    from egovkit.storage.case_files import case_files

    with open_store(args.store) as store:
        return [s.case_file for s in case_files(store).query(_query(args, state))]


@contextmanager
def _files_in_transaction(args: argparse.Namespace) -> Iterator[Any]:
    """The case files of ``--store`` in one transaction made by ``--actor``."""
    from egovkit.storage import open_store
    from egovkit.storage.case_files import case_files

    with open_store(args.store) as store, store.transaction(actor=args.actor) as uow:
        yield case_files(uow)


def _retention(text: str) -> str | int:
    return int(text) if text.isdigit() else text


def _row(case: Any) -> dict[str, Any]:
    due = case.transfer_due()
    end = case.retention_end()
    return {
        "code": str(case.code),
        "title": case.title,
        "unit": case.unit,
        "creator": case.creator,
        "state": case.state.value,
        "retention": case.retention.label(),
        "start_date": case.start_date.isoformat(),
        "end_date": None if case.end_date is None else case.end_date.isoformat(),
        "documents": case.doc_total,
        "pages": case.page_total,
        "transfer_due": None if due is None else due.isoformat(),
        "retention_end": None if end is None else end.isoformat(),
        "seal": case.seal,
    }


def _list(args: argparse.Namespace) -> int:
    rows = [_row(case) for case in _found(args, args.state)]
    if args.json:
        print_json({"files": rows})
        return EXIT_OK
    for row in rows:
        due = row["transfer_due"] or "—"
        print(
            f"{row['code']:<36} {row['state']:<11} {row['retention']:<10} due {due:<10} "
            f"{row['title']}"
        )
    print(f"{len(rows)} file(s)")
    return EXIT_OK


def _close(args: argparse.Namespace) -> int:
    from egovkit.records import Retention

    retention = None if args.retention is None else Retention.parse(_retention(args.retention))
    with _files_in_transaction(args) as repo:
        stored = repo.get(args.code)
        closed = stored.case_file.close(
            end_date=args.end_date, retention=retention, title=args.title
        )
        repo.update(stored, closed)
    row = _row(closed)
    if args.json:
        print_json(row)
    else:
        print(f"closed {row['code']}: {row['documents']} document(s), {row['pages']} page(s)")
        print(f"seal {row['seal']}; due at the agency archive by {row['transfer_due'] or '—'}")
    return EXIT_OK


def _transfer_list(args: argparse.Namespace) -> int:
    from egovkit.records import notices_due, transfer_list

    found = _found(args, "closed")
    if args.as_of is not None:
        data: dict[str, Any] = {
            "as_of": args.as_of.isoformat(),
            "notices": [n.to_dict() for n in notices_due(found, as_of=args.as_of)],
        }
    else:
        data = {"files": [r.to_dict() for r in transfer_list(found)]}
    if args.output is not None:
        args.output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if args.json:
        print_json(data)
    elif "notices" in data:
        for n in data["notices"]:
            flag = "OVERDUE" if n["overdue"] else f"{n['days_left']} day(s)"
            print(f"{n['code']:<36} due {n['due']} ({flag}) {n['title']}")
        print(f"{len(data['notices'])} notice(s) on {data['as_of']}")
    else:
        for r in data["files"]:
            print(
                f"{r['ordinal']:>4} {r['notation']:<12} {r['title']:<50} {r['period']} "
                f"{r['retention']:<10} {r['pages']:>5} trang"
            )
        print(f"Mục lục này gồm {len(data['files'])} hồ sơ")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from egovkit.storage import open_store
    from egovkit.storage.case_files import case_files, export_transfer

    with open_store(args.store) as store:
        codes = list(args.codes) or [s.key for s in case_files(store).query(_query(args, "closed"))]
        if not codes:
            from egovkit.errors import ValidationError

            raise ValidationError("no closed file to transfer", code="records.nothing_to_export")
        package, moved = export_transfer(
            store,
            codes,
            args.output,
            actor=args.actor,
            on=args.on or dt.date.today(),
            agency=args.agency or "",
            include_secret=args.include_secret,
        )
    summary = {
        **package.summary(),
        "package": str(args.output),
        "transferred": [s.key for s in moved],
    }
    if args.json:
        print_json(summary)
    else:
        print(
            f"wrote {args.output}: {len(moved)} file(s), {summary['documents']} document(s), "
            f"{summary['electronic_files']} electronic file(s)"
        )
        print(f"package digest {package.digest} (keep it: verify-export --expect)")
    return EXIT_OK


def _dispose(args: argparse.Namespace) -> int:
    from egovkit.records import DisposalDecision

    decision = DisposalDecision(
        number=args.decision,
        decided_by=args.decided_by,
        decided_on=args.decided_on,
        files=args.codes,
        reason=args.reason,
        secret_approval=args.secret_approval,
    )
    on = args.on or dt.date.today()
    with _files_in_transaction(args) as repo:
        tombstones = [
            repo.dispose(repo.get(code), decision, on=on, actor=args.actor)
            for code in decision.files
        ]
    data = {"decision": decision.to_dict(), "tombstones": [t.to_dict() for t in tombstones]}
    if args.json:
        print_json(data)
    else:
        for t in tombstones:
            print(f"disposed of {t.code} under {t.decision}; seal {t.seal}")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from egovkit.errors import ParseError
    from egovkit.records import read_package

    if not args.package.is_file():
        raise ParseError(f"no package at {args.package}", code="io.read", where=str(args.package))
    package = read_package(args.package, expect_digest=args.expect)
    summary = package.summary()
    if args.json:
        print_json(summary)
    else:
        print(
            f"package intact: {len(summary['files'])} file(s), {summary['documents']} "
            f"document(s), {summary['electronic_files']} electronic file(s)"
        )
        print(f"digest {package.digest}")
    sys.stdout.flush()
    return EXIT_OK


__all__ = ["ORDER", "register"]
