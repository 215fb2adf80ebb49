"""Small checking commands: agency codes, document numbers, document files, document types."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Subparsers,
    add_command,
    add_json_option,
    emit,
)
from egovkit.errors import EgovkitError, ParseError

_MAX_DOCUMENT_JSON = 16 * 1024 * 1024

#: Place in ``egovkit --help``.
ORDER = 20


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``agency-code``, ``document-number``, ``validate`` and ``document-types``."""
    p = add_command(
        subparsers,
        "agency-code",
        help="check and explain agency codes (mã định danh)",
        description="Check agency codes (mã định danh điện tử, Decision 20/2020/QĐ-TTg) "
        "and explain their level and parent. Exit 1 if one is invalid.",
    )
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--lenient", action="store_true", help="also read legacy shapes, with findings")
    add_json_option(p)
    p.set_defaults(run=_agency_code)

    p = add_command(
        subparsers,
        "document-number",
        help="check numbers and notations (số, ký hiệu)",
        description="Check document numbers and notations (số, ký hiệu) per Decree 30/2020 "
        "and give the canonical form and the document type. Exit 1 if one is invalid.",
    )
    p.add_argument("numbers", nargs="+", metavar="TEXT")
    add_json_option(p)
    p.set_defaults(run=_document_number)

    p = add_command(
        subparsers,
        "validate",
        help="check a document (egovkit JSON) against Decree 30",
        description="Check a document in egovkit's JSON form against the rules of Decree "
        "30/2020. Exit 1 if it has errors, 2 if it cannot be read.",
    )
    p.add_argument("file", type=Path, metavar="FILE.json")
    add_json_option(p, help="print findings as JSON")
    p.set_defaults(run=_validate)

    p = add_command(
        subparsers,
        "document-types",
        help="list the document types of Decree 30/2020",
        description="List the document types of Decree 30/2020 with their abbreviations.",
    )
    add_json_option(p)
    p.set_defaults(run=_document_types)


def _agency_code(args: argparse.Namespace) -> int:
    from egovkit.agencies import AgencyCode
    from egovkit.findings import errors_in

    results: list[dict[str, Any]] = []
    for text in args.codes:
        try:
            code = AgencyCode.parse(text, strict=not args.lenient)
        except EgovkitError as exc:
            results.append({"input": text, "valid": False, "error": _in_cli_terms(exc)})
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
    emit(args, results, lambda rows: map(_agency_line, rows))
    return EXIT_OK if all(r["valid"] for r in results) else EXIT_CHECK_FAILED


def _in_cli_terms(error: EgovkitError) -> dict[str, object]:
    """The error as JSON, its advice in terms of this command's options, not Python's."""
    data = error.to_dict()
    if error.code == "agency_code.legacy_shape":
        data["message"] = (
            f"{error.message.partition(';')[0]}; --lenient reads it, reporting the shape as a "
            "finding"
        )
    return data


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
    from egovkit.documents import DocumentNumber, DocumentType

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
    emit(args, results, lambda rows: map(_number_line, rows))
    return EXIT_OK if all(r["valid"] for r in results) else EXIT_CHECK_FAILED


def _number_line(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{r['input']}: invalid: {r['error']['message']}"
    return (
        f"{r['input']}: valid → {r['canonical']} (number {r['number']}, notation "
        f"{r['notation']}, type {r['type'] or 'Công văn or unknown'})"
    )


def _validate(args: argparse.Namespace) -> int:
    from egovkit.documents import document_from_dict, validate
    from egovkit.findings import errors_in

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
    data = {
        "file": str(path),
        "valid": not errors_in(findings),
        "findings": [f.to_dict() for f in findings],
    }
    emit(
        args,
        data,
        lambda _: [
            *map(str, findings),
            f"{path}: {'invalid' if errors_in(findings) else 'valid'} "
            f"({len(errors_in(findings))} error(s), {len(findings)} finding(s))",
        ],
    )
    return EXIT_CHECK_FAILED if errors_in(findings) else EXIT_OK


def _document_types(args: argparse.Namespace) -> int:
    from egovkit.documents import DocumentType

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
    emit(
        args,
        rows,
        lambda rows: (f"{r['abbreviation'] or '—':<5} {r['name']} ({r['key']})" for r in rows),
    )
    return EXIT_OK


__all__ = ["EXIT_USAGE", "register"]
