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
from typing import Final

from egovkit.cli._common import EXIT_CHECK_FAILED, EXIT_OK, print_json, report_error
from egovkit.dossiers import Dossier, dossier_from_dict
from egovkit.errors import ConfigurationError, EgovkitError, ParseError
from egovkit.ports import Store
from egovkit_dvcqg.dialects import Dialect, dialect_from_config
from egovkit_dvcqg.status import StatusRules

#: Place in ``egovkit --help``.
ORDER: Final = 70
#: The store collection dossiers are read from (records in egovkit's dossier JSON form).
DOSSIERS_COLLECTION: Final = "dossiers"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``portal export`` and ``portal sync``."""
    portal = subparsers.add_parser(
        "portal", help="the National Public Service Portal (DVCQG): export and sync dossiers"
    )
    commands = portal.add_subparsers(dest="portal_command", metavar="COMMAND", required=True)

    p = commands.add_parser("export", help="write dossiers as a JSON list of DongBoHoSoMC")
    p.add_argument("--store", required=True, metavar="URL")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.json")
    p.add_argument("--rules", type=Path, metavar="RULES.json", help="status rules (JSON)")
    p.set_defaults(run=_export)

    p = commands.add_parser("sync", help="push dossiers and their steps to the portal")
    p.add_argument("--store", required=True, metavar="URL")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--endpoint", metavar="URL", help="the envelope dialect at this URL")
    where.add_argument(
        "--config",
        type=Path,
        metavar="PORTAL.json",
        help="the dialect and its settings: envelope, opencps or gateway (see the how-to)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would be sent, send nothing")
    p.add_argument("--from", dest="start", default="", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", default="", metavar="YYYY-MM-DD")
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
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    p.add_argument("--attempts", type=int, default=4, help="tries per call")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=_sync)


def _day(text: str, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"{option} {text!r} is not a date", code="cli.date", where=option) from exc


def _rules(path: Path | None) -> StatusRules:
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
    return dialect_from_config(data)


def _dossiers(store: Store, start: date | None, end: date | None) -> Iterator[Dossier]:
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
    print(f"{len(items)} dossier(s) written to {args.output}", file=sys.stderr)
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
            bar = None if args.quiet or args.json else text_progress_bar(sys.stderr.write)
            result = sync_dossiers(
                gateway, dossiers, checkpoint=checkpoint, payload=payload, progress=bar
            )
        if args.json:
            print_json(result.to_dict())
        elif not args.json:
            print(
                f"created {result.created}, updated {result.updated}, unchanged "
                f"{result.unchanged}, rejected {result.rejected}"
            )
            for letter in result.dead_letters:
                print(f"  rejected {letter.dossier}: {letter.message}")
    return EXIT_CHECK_FAILED if result.rejected else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The parser of the stand-alone ``egovkit-portal`` command."""
    parser = argparse.ArgumentParser(prog="egovkit-portal", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``egovkit-portal portal export|sync …`` (the same as ``egovkit portal …``)."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except EgovkitError as exc:
        return report_error(exc)
    return code


__all__ = ["DOSSIERS_COLLECTION", "ORDER", "build_parser", "main", "register"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
