"""Batch sync: push many dossiers, report progress, survive a crash, keep the refusals.

A :class:`Checkpoint` remembers, per dossier code, the digest of what the portal last accepted,
so a run that stops half-way resumes where it was and an unchanged dossier is never sent twice;
it is saved every ``save_every`` dossiers to a file (:class:`FileCheckpoint`) or to an egovkit
store (:class:`StoreCheckpoint`). Refusals go to the dead-letter list with the portal's message
and do not stop the batch; a portal that stays down does (the checkpoint keeps what was done).
"""

from __future__ import annotations

import abc
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from egovkit.dossiers import Dossier
from egovkit.errors import ConflictError, ParseError
from egovkit.ports import Record, Store
from egovkit.services import PortalGateway, PortalRejectedError, PushAction

#: The collection a :class:`StoreCheckpoint` keeps its record in.
CHECKPOINT_COLLECTION: Final = "dvcqg.checkpoint"

Progress = Callable[[int, int], None]


@attrs.frozen(kw_only=True)
class DeadLetter:
    """A dossier the portal refused, with what it said."""

    dossier: str
    portal_code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready view."""
        return {"dossier": self.dossier, "portal_code": self.portal_code, "message": self.message}


@attrs.define(kw_only=True)
class CheckpointState:
    """What a checkpoint holds: accepted digests by dossier code, and the dead letters."""

    synced: dict[str, str] = attrs.field(factory=dict)
    dead: dict[str, DeadLetter] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form saved."""
        return {
            "format": "egovkit.dvcqg.checkpoint/1",
            "synced": dict(sorted(self.synced.items())),
            "dead": [d.to_dict() for _, d in sorted(self.dead.items())],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckpointState:
        """Read :meth:`to_dict`'s form."""
        synced, dead = data.get("synced"), data.get("dead")
        if (
            data.get("format") != "egovkit.dvcqg.checkpoint/1"
            or not isinstance(synced, dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in synced.items())
            or not isinstance(dead, list)
            or not all(
                isinstance(d, dict)
                and all(isinstance(d.get(k), str) for k in ("dossier", "portal_code", "message"))
                for d in dead
            )
        ):
            raise ParseError(
                "not a DVCQG sync checkpoint", code="dvcqg.checkpoint.format", where="checkpoint"
            )
        return cls(
            synced=dict(synced),
            dead={
                d["dossier"]: DeadLetter(
                    dossier=d["dossier"], portal_code=d["portal_code"], message=d["message"]
                )
                for d in dead
            },
        )


class Checkpoint(abc.ABC):
    """Where a sync keeps its progress."""

    @abc.abstractmethod
    def load(self) -> CheckpointState:
        """The saved state (empty the first time)."""

    @abc.abstractmethod
    def save(self, state: CheckpointState) -> None:
        """Save ``state`` atomically."""


class FileCheckpoint(Checkpoint):
    """A JSON file, replaced atomically (write, fsync, rename)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def load(self) -> CheckpointState:
        if not self.path.exists():
            return CheckpointState()
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ParseError(
                f"cannot read the checkpoint {self.path}: {exc}",
                code="dvcqg.checkpoint.read",
                where=str(self.path),
            ) from exc
        if not isinstance(data, dict):
            raise ParseError(
                "not a DVCQG sync checkpoint", code="dvcqg.checkpoint.format", where=str(self.path)
            )
        return CheckpointState.from_dict(data)

    def save(self, state: CheckpointState) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(state.to_dict(), out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(self.path)


class StoreCheckpoint(Checkpoint):
    """One record (collection :data:`CHECKPOINT_COLLECTION`) of an egovkit store, written
    with optimistic concurrency: two syncs sharing a checkpoint cannot overwrite each other
    unnoticed (:class:`~egovkit.errors.ConflictError`)."""

    def __init__(self, store: Store, key: str = "default") -> None:
        self.store = store
        self.key = key
        self._version = 0

    def load(self) -> CheckpointState:
        record = self.store.records.find(CHECKPOINT_COLLECTION, self.key)
        if record is None:
            self._version = 0
            return CheckpointState()
        self._version = record.version
        return CheckpointState.from_dict(record.data)

    def save(self, state: CheckpointState) -> None:
        record = Record(
            collection=CHECKPOINT_COLLECTION,
            key=self.key,
            data=state.to_dict(),
            version=self._version,
        )
        if self._version == 0:
            try:
                saved = self.store.records.add(record)
            except ConflictError as exc:
                raise ConflictError(
                    "another sync wrote this checkpoint first",
                    code="dvcqg.checkpoint.conflict",
                    where=self.key,
                ) from exc
        else:
            saved = self.store.records.update(record)
        self._version = saved.version


class MemoryCheckpoint(Checkpoint):
    """A checkpoint in memory (tests, dry runs)."""

    def __init__(self) -> None:
        self.state = CheckpointState()
        self.saves = 0

    def load(self) -> CheckpointState:
        return CheckpointState.from_dict(self.state.to_dict())

    def save(self, state: CheckpointState) -> None:
        self.state = CheckpointState.from_dict(state.to_dict())
        self.saves += 1


@attrs.frozen(kw_only=True)
class SyncReport:
    """What a batch did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    progress_steps: int = 0
    dead_letters: tuple[DeadLetter, ...] = ()

    @property
    def rejected(self) -> int:
        """Dossiers refused in this run."""
        return len(self.dead_letters)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "progress_steps": self.progress_steps,
            "dead_letters": [d.to_dict() for d in self.dead_letters],
        }


def fingerprint(dossier: Dossier, payload: Callable[[Dossier], object]) -> str:
    """The SHA-256 of the JSON that would be pushed for ``dossier``."""
    text = json.dumps(payload(dossier), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync_dossiers(
    gateway: PortalGateway,
    dossiers: Iterable[Dossier],
    *,
    checkpoint: Checkpoint,
    payload: Callable[[Dossier], object],
    progress: Progress | None = None,
    total: int | None = None,
    with_progress: bool = True,
    save_every: int = 50,
) -> SyncReport:
    """Push every dossier whose ``payload`` changed since the checkpoint, then its steps.

    ``payload`` is what decides "changed" (the DVCQG object, so a changed status rule re-sends
    everything); ``progress(done, total)`` is called after each dossier. A refusal is recorded
    as a :class:`DeadLetter` (and cleared when the dossier later goes through); any other error
    saves the checkpoint and propagates.
    """
    state = checkpoint.load()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "steps": 0}
    dead: list[DeadLetter] = []
    items = list(dossiers) if total is None else dossiers
    size = len(items) if isinstance(items, list) else (total or 0)
    pending = 0
    try:
        for done, dossier in enumerate(items, start=1):
            code = str(dossier.code)
            digest = fingerprint(dossier, payload)
            if state.synced.get(code) == digest:
                counts["unchanged"] += 1
            else:
                try:
                    outcome = gateway.push_dossier(dossier)
                    if with_progress:
                        counts["steps"] += gateway.push_progress(dossier)
                except PortalRejectedError as exc:
                    letter = DeadLetter(
                        dossier=code, portal_code=exc.portal_code, message=exc.portal_message
                    )
                    state.dead[code] = letter
                    dead.append(letter)
                else:
                    key = "created" if outcome.action is PushAction.CREATED else "updated"
                    counts[key] += 1
                    state.synced[code] = digest
                    state.dead.pop(code, None)
                pending += 1
                if pending >= save_every:
                    checkpoint.save(state)
                    pending = 0
            if progress is not None:
                progress(done, size)
    finally:
        checkpoint.save(state)
    return SyncReport(
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        progress_steps=counts["steps"],
        dead_letters=tuple(dead),
    )


def text_progress_bar(
    write: Callable[[str], object], *, width: int = 30
) -> Callable[[int, int], None]:
    """A progress callback drawing ``[#####.....] 120/400`` with ``write`` (e.g.
    ``sys.stderr.write``), redrawn on one line."""

    def draw(done: int, total: int) -> None:
        filled = width * done // total if total else width
        end = "\n" if done >= total else ""
        write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")

    return draw


__all__ = [
    "CHECKPOINT_COLLECTION",
    "Checkpoint",
    "CheckpointState",
    "DeadLetter",
    "FileCheckpoint",
    "MemoryCheckpoint",
    "StoreCheckpoint",
    "SyncReport",
    "fingerprint",
    "sync_dossiers",
    "text_progress_bar",
]
