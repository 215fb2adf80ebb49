"""``egovkit portal``: export dossiers as ``DongBoHoSoMC`` JSON and sync them to the portal.

The module follows egovkit's command protocol (``ORDER`` and ``register(subparsers)``) and is
declared in the ``egovkit.cli`` entry points, so ``egovkit portal …`` works once this adapter is
installed; ``egovkit-portal`` runs the same commands on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    CommandParser,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    add_quiet_option,
    emit,
    print_json,
    progress_writer,
    run_parser,
)
from egovkit.errors import ConfigurationError, ParseError

if TYPE_CHECKING:
    from egovkit.dossiers import Dossier
    from egovkit.ports import Store
    from egovkit_dvcqg.dialects import Dialect
    from egovkit_dvcqg.status import StatusRules

#: Place in ``egovkit --help``.
ORDER: Final = 70
#: The store collection dossiers are read from (records in egovkit's dossier JSON form).
DOSSIERS_COLLECTION: Final = "dossiers"


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``portal export`` and ``portal sync``."""
    portal = add_command(
        subparsers,
        "portal",
        help="the National Public Service Portal (DVCQG): export and sync dossiers",
        description="The National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG): "
        "export dossiers as DongBoHoSoMC JSON and sync them and their steps.",
    )
    commands = portal.add_subparsers(dest="portal_command", metavar="COMMAND", required=True)

    p = add_command(
        commands,
        "export",
        help="write dossiers as a JSON list of DongBoHoSoMC",
        description="Write the dossiers received in a period as a JSON list of the portal's "
        "DongBoHoSoMC objects, for a manual upload or a check.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="last day")
    add_output_option(p, required=True, metavar="FILE.json", help="the JSON list to write")
    p.add_argument("--rules", type=Path, metavar="RULES.json", help="status rules (JSON)")
    add_json_option(p, help="print the count and output as JSON")
    p.set_defaults(run=_export)

    p = add_command(
        commands,
        "sync",
        help="push dossiers and their steps to the portal",
        description="Push new and changed dossiers and their steps to the portal; a "
        "checkpoint remembers what was sent. Exit 1 if the portal rejected some.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--endpoint", metavar="URL", help="the envelope dialect at this URL")
    where.add_argument(
        "--config",
        type=Path,
        metavar="PORTAL.json",
        help="the dialect and its settings: envelope, opencps or gateway (see the how-to)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would be sent, send nothing")
    p.add_argument("--from", dest="start", default="", metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="end", default="", metavar="YYYY-MM-DD", help="last day")
    p.add_argument("--rules", type=Path, metavar="RULES.json", help="status rules (JSON)")
    p.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE.json",
        help="checkpoint file (default: a record in the store)",
    )
    p.add_argument(
        "--token-env", default="", metavar="NAME", help="environment variable holding a token"
    )
    p.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="seconds per request"
    )
    p.add_argument("--attempts", type=int, default=4, help="tries per call")
    add_quiet_option(p)
    add_json_option(p, help="print the report as JSON")
    p.set_defaults(run=_sync)


def _day(text: str, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"{option} {text!r} is not a date", code="cli.date", where=option) from exc


def _rules(path: Path | None) -> StatusRules:
    from egovkit_dvcqg.status import StatusRules

    if path is None:
        return StatusRules.default()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ParseError(
            f"cannot read status rules {path}: {exc}", code="dvcqg.status.json", where=str(path)
        ) from exc
    if not isinstance(data, dict):
        raise ParseError("status rules must be an object", code="dvcqg.status.json", where="")
    return StatusRules.from_dict(data)


def _dialect(path: Path | None) -> Dialect | None:
    """The dialect of a ``--config`` file (``None``: the envelope at ``--endpoint``)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ParseError(
            f"cannot read the portal configuration {path}: {exc}",
            code="dvcqg.dialect.config",
            where=str(path),
        ) from exc
    if not isinstance(data, dict):
        raise ParseError(
            "the portal configuration must be an object", code="dvcqg.dialect.config", where=""
        )
    from egovkit_dvcqg.dialects import dialect_from_config

    return dialect_from_config(data)


def _dossiers(store: Store, start: date | None, end: date | None) -> Iterator[Dossier]:
    from egovkit.dossiers import dossier_from_dict

    for record in store.records.scan(DOSSIERS_COLLECTION):
        dossier = dossier_from_dict(record.data)
        instant = dossier.received_at or dossier.submitted_at
        day = instant.date() if instant is not None else None
        if start is not None and (day is None or day < start):
            continue
        if end is not None and (day is None or day > end):
            continue
        yield dossier


def _export(args: argparse.Namespace) -> int:
    import egovkit
    from egovkit_dvcqg.mapping import dossier_to_portal

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    rules = _rules(args.rules)
    with egovkit.open(args.store) as store:
        items = [dossier_to_portal(d, rules=rules) for d in _dossiers(store, start, end)]
    text = json.dumps(items, ensure_ascii=False, indent=1)
    try:
        args.output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write {args.output}: {exc}", code="cli.output", where=str(args.output)
        ) from exc
    emit(
        args,
        {"dossiers": len(items), "output": str(args.output)},
        lambda d: f"{d['dossiers']} dossier(s) written to {d['output']}",
    )
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    import egovkit
    from egovkit_dvcqg.client import PortalClient, RetryPolicy, bearer
    from egovkit_dvcqg.gateway import DvcqgGateway
    from egovkit_dvcqg.mapping import dossier_to_portal
    from egovkit_dvcqg.sync import (
        Checkpoint,
        FileCheckpoint,
        StoreCheckpoint,
        fingerprint,
        sync_dossiers,
        text_progress_bar,
    )

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    rules = _rules(args.rules)
    auth = None
    if args.token_env:
        token = os.environ.get(args.token_env, "")
        if not token:
            raise ConfigurationError(
                f"the environment variable {args.token_env} is empty",
                code="dvcqg.token",
                where="--token-env",
            )
        auth = bearer(lambda: token)

    def payload(dossier: Dossier) -> object:
        return dossier_to_portal(dossier, rules=rules)

    with egovkit.open(args.store) as store:
        dossiers = list(_dossiers(store, start, end))
        checkpoint: Checkpoint = (
            FileCheckpoint(args.checkpoint)
            if args.checkpoint is not None
            else StoreCheckpoint(store, "cli")
        )
        if args.dry_run:
            state = checkpoint.load()
            pending = [
                str(d.code)
                for d in dossiers
                if state.synced.get(str(d.code)) != fingerprint(d, payload)
            ]
            report = {"dry_run": True, "total": len(dossiers), "would_push": pending}
            if args.json:
                print_json(report)
            else:
                print(f"{len(pending)} of {len(dossiers)} dossier(s) would be pushed")
            return EXIT_OK
        client = PortalClient(
            args.endpoint or "",
            dialect=_dialect(args.config),
            auth=auth,
            timeout=args.timeout,
            retry=RetryPolicy(attempts=max(1, args.attempts)),
        )
        with client:
            gateway = DvcqgGateway(client, rules=rules)
            write = progress_writer(args)
            bar = None if write is None else text_progress_bar(write)
            result = sync_dossiers(
                gateway, dossiers, checkpoint=checkpoint, payload=payload, progress=bar
            )
        if args.json:
            print_json(result.to_dict())
        else:
            print(
                f"created {result.created}, updated {result.updated}, unchanged "
                f"{result.unchanged}, rejected {result.rejected}"
            )
            for letter in result.dead_letters:
                print(f"  rejected {letter.dossier}: {letter.message}")
    return EXIT_CHECK_FAILED if result.rejected else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The parser of the stand-alone ``egovkit-portal`` command."""
    parser: argparse.ArgumentParser = CommandParser(prog="egovkit-portal", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``egovkit-portal portal export|sync …`` (the same as ``egovkit portal …``)."""
    return run_parser(build_parser(), argv)


__all__ = ["DOSSIERS_COLLECTION", "ORDER", "build_parser", "main", "register"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
