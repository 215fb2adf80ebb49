"""``egovkit backup``, ``egovkit restore`` (one archive per store, verified before use) and
``egovkit audit-verify`` (check a store's audit chain)."""

from __future__ import annotations

import argparse
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

#: Place in ``egovkit --help``.
ORDER = 60


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``backup``, ``restore`` and ``audit-verify``."""
    p = add_command(
        subparsers,
        "backup",
        help="write a store to one verified archive (sao lưu)",
        description="Write every record, counter, audit entry and blob of a store to one "
        "archive with a manifest of digests; prints the audit head to keep for restore.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument("--blobs", metavar="URL", help="blob store, e.g. file:///srv/egov/blobs")
    add_output_option(p, required=True, metavar="FILE", help="archive to write", aliases=("--out",))
    add_json_option(p, help="print the manifest summary as JSON")
    p.set_defaults(run=_backup)

    p = add_command(
        subparsers,
        "restore",
        help="check an archive completely, then load it into an empty store",
        description="Nothing is written unless every digest, the audit chain and the manifest "
        "agree. Exit 1: the archive was tampered with or the store is not empty; exit 2: the "
        "archive is unreadable or hostile.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="an empty store")
    p.add_argument("--blobs", metavar="URL", help="blob store, e.g. file:///srv/egov/blobs")
    p.add_argument("archive", type=Path, metavar="FILE")
    p.add_argument(
        "--expect-head",
        metavar="SHA256",
        help="the audit head printed when the backup was made; refuse any other archive",
    )
    add_json_option(p, help="print the manifest summary as JSON")
    p.set_defaults(run=_restore)

    p = add_command(
        subparsers,
        "audit-verify",
        help="check every link of a store's audit chain (nhật ký); exit 1 if tampered",
        description="Check every link of a store's audit chain (nhật ký), optionally against "
        "a head recorded earlier. Exit 1 if an entry was changed, removed or re-ordered.",
    )
    p.add_argument("--store", required=True, metavar="URL", help="e.g. sqlite:///egov.db")
    p.add_argument(
        "--anchor",
        metavar="SEQUENCE:SHA256",
        help="a head recorded earlier (e.g. by egovkit backup) that the chain must still contain",
    )
    add_json_option(p, help="print the head as JSON")
    p.set_defaults(run=_audit_verify)


def _summary(manifest: Any, archive: Path) -> dict[str, Any]:
    return {
        "archive": str(archive),
        "created_at": manifest.created_at,
        "source": manifest.source,
        "audit_head": {"sequence": manifest.head.sequence, "hash": manifest.head.hash},
        "records": manifest.records,
        "sequences": manifest.sequences,
        "audit_entries": manifest.audit,
        "blobs": manifest.blobs,
    }


def _print(as_json: bool, verb: str, summary: dict[str, Any]) -> None:
    if as_json:
        print_json(summary)
        return
    print(
        f"{verb} {summary['archive']}: {summary['records']} record(s), "
        f"{summary['sequences']} counter(s), {summary['blobs']} blob(s), "
        f"{summary['audit_entries']} audit entr(ies)"
    )
    print(f"audit head: {summary['audit_head']['sequence']} {summary['audit_head']['hash']}")


def _backup(args: argparse.Namespace) -> int:
    from egovkit.storage import backup, open_store

    with open_store(args.store, blobs=args.blobs) as store:
        manifest = backup(store, args.output)
    _print(args.json, "wrote", _summary(manifest, args.output))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from egovkit.errors import ParseError
    from egovkit.storage import open_store, restore

    if not args.archive.is_file():
        raise ParseError(f"no archive at {args.archive}", code="io.read", where=str(args.archive))
    with open_store(args.store, blobs=args.blobs) as store:
        manifest = restore(store, args.archive, expect_head=args.expect_head)
    _print(args.json, "restored", _summary(manifest, args.archive))
    return EXIT_OK


def _audit_verify(args: argparse.Namespace) -> int:
    from egovkit.errors import ParseError
    from egovkit.ports import AuditHead, check_digest
    from egovkit.storage import open_store

    anchor = None
    if args.anchor:
        sequence, _, digest = args.anchor.partition(":")
        if not sequence.isdigit():
            raise ParseError(
                "--anchor is SEQUENCE:SHA256, e.g. 1042:9b1e…", code="cli.anchor", where="anchor"
            )
        anchor = AuditHead(sequence=int(sequence), hash=check_digest(digest, where="anchor"))
    with open_store(args.store) as store:
        head = store.audit.verify(anchor=anchor)
    if args.json:
        print_json({"valid": True, "audit_head": {"sequence": head.sequence, "hash": head.hash}})
    else:
        print(f"audit chain intact: {head.sequence} entries, head {head.hash}")
    return EXIT_OK


__all__ = ["ORDER", "register"]
