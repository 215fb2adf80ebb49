"""``egovkit exchange send|fetch|ack``: talk to a document exchange from the command line.

Their output is JSON with or without ``--json`` (scripts rely on it); ``--json`` makes errors
JSON as well. ``--endpoint`` is an exchange URL (``vdxp+https://host/path`` with egovkit-vdxp
installed, ``ioffice+https://…`` with egovkit-ioffice, ``memory://name`` in process). Secrets
never go on the command line: ``--secret-env VAR`` names the environment variable that holds one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from egovkit.cli.support import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    print_json,
)
from egovkit.errors import ConfigurationError, ParseError

#: Place in ``egovkit --help``.
ORDER = 45


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``exchange`` with ``send``, ``fetch`` and ``ack``."""
    parser = add_command(
        subparsers,
        "exchange",
        help="send, fetch and acknowledge edXML messages (liên thông văn bản)",
        description="Send, fetch and acknowledge edXML messages through a document exchange "
        "(liên thông văn bản): the national axis with egovkit-vdxp, iOffice with "
        "egovkit-ioffice, memory:// in process.",
    )
    commands = parser.add_subparsers(dest="exchange_command", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--endpoint", required=True, metavar="URL", help="the exchange URL")
        p.add_argument("--agency", required=True, metavar="CODE", help="our agency code")
        p.add_argument("--system-id", metavar="ID", help="system id (national axis)")
        p.add_argument("--secret-env", metavar="VAR", help="environment variable with the secret")
        p.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
        add_json_option(
            p,
            help="JSON output (these commands always print JSON; with --json errors are JSON too)",
        )

    p = add_command(
        commands,
        "send",
        help="send an edXML file (envelope or status message)",
        description="Send an edXML envelope or status message; the recipients are those "
        "of the envelope unless --to is given.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    common(p)
    p.add_argument("--to", action="append", default=[], metavar="CODE", help="recipient (repeat)")
    p.set_defaults(run=_send)

    p = add_command(
        commands,
        "fetch",
        help="fetch waiting messages into a folder",
        description="Fetch the messages waiting for our agency into a folder, one file per "
        "message, and confirm each once written if --confirm is given.",
    )
    common(p)
    add_output_option(p, required=True, metavar="DIR", help="folder for the messages")
    p.add_argument("--kind", choices=["edoc", "status"], help="only this kind")
    p.add_argument("--confirm", action="store_true", help="confirm each message once it is written")
    p.set_defaults(run=_fetch)

    p = add_command(
        commands,
        "ack",
        help="answer a received document with a status message",
        description="Answer a received envelope with a status message (đã nhận, đang xử lý, "
        "hoàn thành…) sent to its sender.",
    )
    common(p)
    p.add_argument("file", type=Path, metavar="FILE", help="the received envelope")
    p.add_argument("--status", required=True, metavar="CODE", help="01, 02, 03, 04, 05, 06 …")
    p.add_argument(
        "--description",
        default="",
        metavar="TEXT",
        help="the status text (default: the code's meaning)",
    )
    p.set_defaults(run=_ack)


def _open(args: argparse.Namespace) -> Any:
    from egovkit.agencies.codes import AgencyCode
    from egovkit.exchange.registry import open_exchange

    memory = args.endpoint.startswith("memory://")
    options: dict[str, Any] = {} if memory else {"timeout": args.timeout}
    if args.system_id:
        options["system_id"] = args.system_id
    if args.secret_env:
        secret = os.environ.get(args.secret_env)
        if not secret:
            raise ConfigurationError(
                f"the environment variable {args.secret_env} holds no secret",
                code="cli.exchange.secret",
                where="--secret-env",
            )
        options["secret"] = secret
    return open_exchange(args.endpoint, agency=AgencyCode.parse(args.agency), **options)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(
            f"cannot read {path}: {exc.strerror}", code="io.read", where=str(path)
        ) from exc


def _send(args: argparse.Namespace) -> int:
    from egovkit.agencies.codes import AgencyCode
    from egovkit.edxml.model import Envelope
    from egovkit.edxml.reader import read
    from egovkit.exchange.ports import MessageKind

    data = _read(args.file)
    message = read(data).message
    if isinstance(message, Envelope):
        kind, document_id = MessageKind.EDOC, message.header.document_id
        found = [r.code for r in message.header.recipients if r.code is not None]
    else:
        kind, document_id = MessageKind.STATUS, message.response_for.document_id
        found = [message.response_for.code] if message.response_for.code else []
    to = [AgencyCode.parse(t) for t in args.to] or found
    if not to:
        raise ConfigurationError("no recipient: pass --to", code="cli.exchange.to", where="--to")
    with _open(args) as exchange:
        receipt = exchange.send(data, kind=kind, to=to, document_id=document_id)
    print_json(
        {
            "message_id": receipt.message_id,
            "document_id": receipt.document_id,
            "kind": receipt.kind.value,
            "duplicate": receipt.duplicate,
            "to": [str(t) for t in to],
        }
    )
    return EXIT_OK


def _fetch(args: argparse.Namespace) -> int:
    from egovkit.exchange.ports import MessageKind

    args.output.mkdir(parents=True, exist_ok=True)
    written = []
    with _open(args) as exchange:
        kind = MessageKind(args.kind) if args.kind else None
        for delivery in exchange.received(kind=kind):
            data = exchange.fetch(delivery.message_id)
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in delivery.message_id)
            target = args.output / f"{safe}.{delivery.kind.value}.edxml"
            target.write_bytes(data)
            if args.confirm:
                exchange.confirm(delivery.message_id)
            written.append(
                {
                    "message_id": delivery.message_id,
                    "kind": delivery.kind.value,
                    "sender": str(delivery.sender) if delivery.sender else None,
                    "file": str(target),
                    "confirmed": args.confirm,
                }
            )
    print_json(written)
    return EXIT_OK


def _ack(args: argparse.Namespace) -> int:
    from egovkit.agencies.codes import AgencyCode
    from egovkit.edxml.model import (
        VIETNAM_TIME,
        Envelope,
        Organization,
        ResponseFor,
        StatusCode,
        StatusMessage,
    )
    from egovkit.edxml.reader import read

    message = read(_read(args.file)).message
    if not isinstance(message, Envelope) or message.header.sender.code is None:
        raise ParseError(
            "ack answers an envelope with a readable sender",
            code="cli.exchange.ack",
            where=str(args.file),
        )
    code = StatusCode.from_wire(args.status)
    if code is None:
        raise ConfigurationError(
            f"unknown status code {args.status!r}", code="cli.exchange.status", where="--status"
        )
    header = message.header
    status = StatusMessage(
        sender=Organization(code=AgencyCode.parse(args.agency)),
        response_for=ResponseFor(
            code=header.sender.code,
            document_code=str(header.code),
            promulgation_date=header.promulgation.date,
            document_id=header.document_id,
        ),
        status=code.wire,
        description=args.description or code.meaning,
        timestamp=dt.datetime.now(VIETNAM_TIME),
    )
    with _open(args) as exchange:
        receipt = exchange.acknowledge(status, to=header.sender.code)
    print_json(
        {
            "message_id": receipt.message_id,
            "document_id": receipt.document_id,
            "status": code.wire,
            "to": str(header.sender.code),
        }
    )
    return EXIT_OK
