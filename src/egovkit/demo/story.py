"""The demo's story, as library code: open the store, play the chapters in order, write the
reports (the CLI only prints progress)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import attrs

from egovkit.demo import province
from egovkit.demo.chapter import Chapter, Context, Progress
from egovkit.demo.chapters import (
    assessments,
    dossiers,
    exchange,
    handling,
    levels,
    portal,
    records,
    registers,
)
from egovkit.demo.files import fresh
from egovkit.demo.reports import write_reports
from egovkit.documents import RegisterEntry
from egovkit.errors import ConfigurationError
from egovkit.findings import Finding
from egovkit.ports import Store
from egovkit.storage import open_store


@attrs.frozen(kw_only=True)
class DemoResult:
    """What the demo produced: the chapters, register entries, the refused document's findings
    and the files (``summary.md`` last; ``index.html`` is the one to open)."""

    chapters: tuple[Chapter, ...]
    outgoing: tuple[RegisterEntry, ...]
    incoming: tuple[RegisterEntry, ...]
    refused: tuple[Finding, ...]
    files: tuple[Path, ...]

    @property
    def index(self) -> Path:
        """The report to open first."""
        return next(f for f in self.files if f.name == "index.html")


def default_store(out: Path) -> str:
    """A fresh SQLite store inside ``out`` (a previous demo's file is replaced)."""
    database = (out / "egov.db").resolve()
    fresh(database)
    return f"sqlite:///{database}"


def _require_empty(db: Store, url: str) -> None:
    """The story's figures are exact only on an empty store: refuse one that holds a story."""
    held = next(iter(db.dossiers.all()), None) is not None or any(
        True for _ in db.register_entries.entries(registers.OUTGOING, province.YEAR, secret=False)
    )
    if held:
        raise ConfigurationError(
            f"the demo needs an empty store, and {url} already holds registers or dossiers "
            "(leave out --store for a fresh SQLite file in the output folder)",
            code="demo.store.not_empty",
            where="store",
        )


def _timed(progress: Progress) -> Callable[[str], None]:
    started = time.monotonic()

    def report(message: str) -> None:
        progress(f"[{time.monotonic() - started:5.1f}s] {message}")

    return report


def run_demo(
    out: Path,
    *,
    store: str | None = None,
    progress: Progress = lambda _: None,
    quick: bool = False,
) -> DemoResult:
    """Play the story and write its reports into ``out``.

    Registers, dossiers, the exchange's outbox and inbox and the audit log go to the store at URL
    ``store`` (default: a fresh SQLite file ``egov.db`` inside ``out``). ``quick`` plays a
    shorter year (fewer dossiers), for tests.
    """
    out.mkdir(parents=True, exist_ok=True)
    say = _timed(progress)
    url = store or default_store(out)
    with open_store(url, actor="demo") as db:
        _require_empty(db, url)
        ctx = Context(store=db, agencies=province.catalogue(), out=out, progress=say, quick=quick)
        books = registers.run(ctx)
        archive = records.run(ctx, [*books.outgoing, *books.incoming])
        exchanged = exchange.run(ctx, main_url=url)
        year = dossiers.run(ctx)
        service_levels = levels.run(ctx)
        export = portal.run(ctx, year.dossiers)
        scores = assessments.run(
            ctx,
            statistics=year.statistics,
            exported=export.data.get("exported_by_agency", {}),
        )
        handled = handling.run(ctx)
        chapters = [
            books.chapter,
            archive,
            exchanged,
            year.chapter,
            service_levels,
            export,
            scores,
            handled,
        ]
        head = db.audit.verify()
        say(f"store {db.scheme}: audit chain verified, {head.sequence} entries")
    files = write_reports(out, chapters, outgoing=books.outgoing, incoming=books.incoming)
    say(f"wrote {len(files)} files to {out}; open {out / 'index.html'}")
    return DemoResult(
        chapters=tuple(chapters),
        outgoing=books.outgoing,
        incoming=books.incoming,
        refused=books.refused,
        files=tuple(files),
    )
