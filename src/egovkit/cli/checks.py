"""Small checking commands: agency codes, document numbers, document files, document types."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from egovkit.agencies import AgencyCode
from egovkit.cli._common import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, print_json
from egovkit.documents import DocumentNumber, DocumentType, document_from_dict, validate
from egovkit.errors import EgovkitError, ParseError
from egovkit.findings import errors_in

_MAX_DOCUMENT_JSON = 16 * 1024 * 1024

#: Place in ``egovkit --help``.
ORDER = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``agency-code``, ``document-number``, ``validate`` and ``document-types``."""
    p = subparsers.add_parser("agency-code", help="check and explain agency codes (mã định danh)")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--lenient", action="store_true", help="also read legacy shapes, with findings")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_agency_code)

    p = subparsers.add_parser("document-number", help="check numbers and notations (số, ký hiệu)")
    p.add_argument("numbers", nargs="+", metavar="TEXT")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_document_number)

    p = subparsers.add_parser("validate", help="check a document (egovkit JSON) against Decree 30")
    p.add_argument("file", type=Path, metavar="FILE.json")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.set_defaults(run=_validate)

    p = subparsers.add_parser("document-types", help="list the document types of Decree 30/2020")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_document_types)


def _agency_code(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    for text in args.codes:
        try:
            code = AgencyCode.parse(text, strict=not args.lenient)
        except EgovkitError as exc:
            results.append({"input": text, "valid": False, "error": exc.to_dict()})
            continue
        results.append(
            {
                "input": text,
                "valid": not errors_in(code.findings),
                "code": str(code),
                "level": code.level,
                "level1": code.level1,
                "parent": str(code.parent) if code.parent else None,
                "findings": [f.to_dict() for f in code.findings],
            }
        )
    _emit(args.json, results, _agency_line)
    return EXIT_OK if all(r["valid"] for r in results) else EXIT_CHECK_FAILED


def _agency_line(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{r['input']}: invalid: {r['error']['message']}"
    notes = "".join(f"\n  - {f['severity']}: {f['message']}" for f in r["findings"])
    state = "valid" if r["valid"] else "invalid"
    return (
        f"{r['input']}: {state} → {r['code']} (level {r['level']}, level-1 unit "
        f"{r['level1']}, parent {r['parent'] or '—'}){notes}"
    )


def _document_number(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    for text in args.numbers:
        try:
            number = DocumentNumber.parse(text)
        except EgovkitError as exc:
            results.append({"input": text, "valid": False, "error": exc.to_dict()})
            continue
        abbreviation = number.type_abbreviation
        results.append(
            {
                "input": text,
                "valid": True,
                "number": number.number,
                "year": number.year,
                "notation": number.notation,
                "canonical": str(number),
                "type": DocumentType.from_abbreviation(abbreviation).name if abbreviation else None,
            }
        )
    _emit(
        args.json,
        results,
        lambda r: (
            f"{r['input']}: invalid: {r['error']['message']}"
            if "error" in r
            else f"{r['input']}: valid → {r['canonical']} (number {r['number']}, notation "
            f"{r['notation']}, type {r['type'] or 'Công văn or unknown'})"
        ),
    )
    return EXIT_OK if all(r["valid"] for r in results) else EXIT_CHECK_FAILED


def _validate(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        if path.stat().st_size > _MAX_DOCUMENT_JSON:
            raise ParseError(
                f"{path} is larger than {_MAX_DOCUMENT_JSON} bytes", code="document_json.size"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror}", code="io.read") from exc
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"{path} is not JSON: {exc}", code="document_json.syntax") from exc
    document = document_from_dict(data)
    findings = validate(document)
    if args.json:
        print_json(
            {
                "file": str(path),
                "valid": not errors_in(findings),
                "findings": [f.to_dict() for f in findings],
            }
        )
    else:
        for finding in findings:
            print(finding)
        print(
            f"{path}: {'invalid' if errors_in(findings) else 'valid'} "
            f"({len(errors_in(findings))} error(s), {len(findings)} finding(s))"
        )
    return EXIT_CHECK_FAILED if errors_in(findings) else EXIT_OK


def _document_types(args: argparse.Namespace) -> int:
    rows = [
        {
            "key": t.key,
            "name": t.name,
            "abbreviation": t.abbreviation,
            "kind": t.kind.value,
            "regulation": t.regulation,
            "effective_from": t.effective_from.isoformat(),
        }
        for t in DocumentType.all()
    ]
    _emit(args.json, rows, lambda r: f"{r['abbreviation'] or '—':<5} {r['name']} ({r['key']})")
    return EXIT_OK


def _emit(as_json: bool, rows: list[dict[str, Any]], line: Any) -> None:
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            print(line(row))


__all__ = ["EXIT_USAGE", "register"]
