"""``egovkit edxml check | build | extract``: edXML (QCVN 102:2016) from the command line.

``check`` exits 0 when the message is readable without error-severity findings, 1 when it has
some, 2 when it is unreadable or unsafe. ``build`` turns a document (egovkit JSON) and files into
an envelope; ``extract`` writes a message's attachments into a directory, never outside it.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    print_json,
)
from egovkit.errors import ConflictError, ParseError, UnsafeInputError, ValidationError

if TYPE_CHECKING:
    from egovkit.edxml import Attachment, Envelope, Message, ReadResult
    from egovkit.findings import Finding

#: Place in ``egovkit --help``.
ORDER = 40

_MAX_DOCUMENT_JSON = 16 * 1024 * 1024


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``edxml`` with its ``check``, ``build`` and ``extract`` sub-commands."""
    group = add_command(
        subparsers,
        "edxml",
        help="read, check and write edXML (QCVN 102:2016)",
        description="Read, check and write edXML messages (QCVN 102:2016), the format of the "
        "national document exchange axis.",
    )
    commands = group.add_subparsers(dest="edxml_command", metavar="ACTION", required=True)

    p = add_command(
        commands,
        "check",
        help="check an edXML envelope or status message",
        description="Read an edXML envelope or status message and report its findings. "
        "Exit 0 valid, 1 with error findings, 2 unreadable or unsafe.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also check the message against the QCVN 102 schema, and refuse values the "
        "lenient reading accepts with a finding",
    )
    add_json_option(p, help="print JSON")
    p.set_defaults(run=_check)

    p = add_command(
        commands,
        "build",
        help="build an envelope from a document (egovkit JSON)",
        description="Build an edXML envelope from a document in egovkit's JSON form and the "
        "files to attach.",
    )
    p.add_argument("document", type=Path, metavar="DOC.json")
    p.add_argument(
        "--attach", type=Path, nargs="+", default=[], metavar="FILE", help="files to attach"
    )
    p.add_argument("--zip", action="store_true", help="wrap each file in a ZIP, as the axis does")
    add_output_option(p, required=True, metavar="OUT.edxml", help="the envelope to write")
    add_json_option(p, help="print JSON")
    p.set_defaults(run=_build)

    p = add_command(
        commands,
        "extract",
        help="write a message's attachments into a directory",
        description="Write a message's attachments into a directory, never outside it, "
        "unwrapping ZIP attachments unless --keep-zip.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    add_output_option(p, required=True, metavar="DIR", help="directory for the attachments")
    p.add_argument("--keep-zip", action="store_true", help="do not unwrap ZIP attachments")
    add_json_option(p, help="print JSON")
    p.set_defaults(run=_extract)


def _code_text(code: object, text: str) -> str | None:
    return str(code) if code is not None else (text or None)


def summary(message: Message, findings: tuple[Finding, ...] | list[Finding]) -> dict[str, Any]:
    """The JSON object ``check --json`` prints."""
    from egovkit.edxml import Envelope
    from egovkit.findings import errors_in

    data: dict[str, Any] = {"kind": message.kind}
    if isinstance(message, Envelope):
        header = message.header
        business = message.business
        data |= {
            "document_id": header.document_id or None,
            "from": _code_text(header.sender.code, header.sender.code_text),
            "to": [_code_text(r.code, r.code_text) for r in header.recipients],
            "code": str(header.code) or None,
            "subject": header.subject or None,
            "business_type": (
                business.business_type.label if business and business.business_type else None
            ),
            "status_code": None,
            "status_meaning": None,
            "attachments": [
                {
                    "content_id": a.content_id,
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.content.size if a.content else None,
                    "sha256": a.content.sha256 if a.content else None,
                }
                for a in message.attachments
            ],
        }
    else:
        response = message.response_for
        known = message.status_code
        data |= {
            "document_id": response.document_id or None,
            "from": _code_text(message.sender.code, message.sender.code_text),
            "to": [c for c in [_code_text(response.code, response.code_text)] if c],
            "code": response.document_code or None,
            "subject": None,
            "business_type": None,
            "status_code": message.status or None,
            "status_meaning": known.meaning if known else None,
            "attachments": [],
        }
    data["valid"] = not errors_in(findings)
    data["findings"] = [f.to_dict() for f in findings]
    return data


def _read_for_check(path: Path, strict: bool) -> tuple[ReadResult, tuple[Finding, ...]]:
    from egovkit.edxml import read
    from egovkit.findings import Severity

    if not strict:
        result = read(path)
        return result, result.findings
    try:
        result = read(path, strict=True)
        return result, result.findings
    except ValidationError as exc:
        lenient = read(path)
        others = tuple(f for f in lenient.findings if f.severity is not Severity.ERROR)
        return lenient, (*exc.findings, *others)


def _check(args: argparse.Namespace) -> int:
    from egovkit.findings import errors_in

    path: Path = args.file
    try:
        result, findings = _read_for_check(path, args.strict)
    except (ParseError, UnsafeInputError) as exc:
        if not args.json:
            raise
        print_json({"file": str(path), "readable": False, "error": exc.to_dict()})
        return EXIT_USAGE
    data = {"file": str(path), "readable": True, **summary(result.message, findings)}
    if args.json:
        print_json(data)
    else:
        for finding in findings:
            print(finding)
        state = "valid" if data["valid"] else "invalid"
        print(
            f"{path}: {state} {data['kind']} {data['document_id'] or ''} "
            f"({len(errors_in(findings))} error(s), {len(findings)} finding(s))"
        )
    return EXIT_OK if data["valid"] else EXIT_CHECK_FAILED


def _load_document_json(path: Path) -> object:
    try:
        if path.stat().st_size > _MAX_DOCUMENT_JSON:
            raise ParseError(f"{path} is larger than {_MAX_DOCUMENT_JSON} bytes", code="io.size")
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror}", code="io.read") from exc
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"{path} is not JSON: {exc}", code="document_json.syntax") from exc


def _build(args: argparse.Namespace) -> int:
    from egovkit.documents import document_from_dict
    from egovkit.edxml import Attachment, AttachmentContent, write
    from egovkit.edxml.mapping import envelope_from_document
    from egovkit.edxml.zipwrap import ZIP_MEDIA_TYPE, safe_name, wrap

    document = document_from_dict(_load_document_json(args.document))
    attachments: list[Attachment] = []
    for index, path in enumerate(args.attach, start=1):
        if not path.is_file():
            raise ParseError(f"cannot read attachment {path}", code="io.read", where=str(path))
        name = safe_name(path.name)
        if args.zip:
            content = wrap(path, name=name)
            media_type = ZIP_MEDIA_TYPE
        else:
            content = AttachmentContent.from_path(path)
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachments.append(
            Attachment(
                content_id=f"cid:{index}",
                name=name,
                description=name,
                content_type=media_type,
                content=content,
            )
        )
    envelope = envelope_from_document(document, attachments=attachments)
    write(envelope, args.output)
    data = {
        "output": str(args.output),
        "document_id": envelope.header.document_id,
        "attachments": [
            {"content_id": a.content_id, "name": a.name, "size": a.content.size if a.content else 0}
            for a in envelope.attachments
        ],
    }
    if args.json:
        print_json(data)
    else:
        print(f"{args.output}: envelope {data['document_id']} with {len(attachments)} file(s)")
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    from egovkit.edxml import Envelope, read
    from egovkit.edxml.zipwrap import ZIP_MEDIA_TYPE, unwrap

    target: Path = args.output
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".egovkit-extract-", dir=target))
    try:
        result = read(args.file, attachments_to=staging)
        message = result.message
        files: list[str] = []
        if isinstance(message, Envelope):
            plans = _plan(message, target)
            for attachment, name in plans:
                assert attachment.content is not None
                if attachment.content_type == ZIP_MEDIA_TYPE and not args.keep_zip:
                    inner = target / Path(name).stem
                    written = unwrap(attachment.content, inner)
                    files.extend(str(p) for p in written)
                else:
                    destination = target / name
                    shutil.move(attachment.content.location, destination)
                    files.append(str(destination))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if args.json:
        print_json({**summary(message, result.findings), "files": files})
    else:
        for finding in result.findings:
            print(finding)
        for name in files:
            print(name)
    return EXIT_OK if result.ok else EXIT_CHECK_FAILED


def _plan(envelope: Envelope, target: Path) -> list[tuple[Attachment, str]]:
    """A safe, unique file name in ``target`` for each readable attachment; checked first."""
    from egovkit.edxml.zipwrap import safe_name

    plans: list[tuple[Attachment, str]] = []
    used: set[str] = set()
    for attachment in envelope.attachments:
        if attachment.content is None:
            continue
        raw = attachment.name or attachment.content_id.removeprefix("cid:")
        name = safe_name(raw)
        if "/" in name or name in (".", ""):
            raise UnsafeInputError(
                f"attachment name {raw!r} is not a plain file name",
                code="edxml.extract.path",
                where=attachment.content_id,
            )
        if name.casefold() in used or (target / name).exists():
            raise ConflictError(
                f"{target / name} would be written twice or exists already",
                code="edxml.extract.exists",
                where=attachment.content_id,
            )
        used.add(name.casefold())
        plans.append((attachment, name))
    return plans


__all__ = ["register", "summary"]
