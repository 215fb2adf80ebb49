"""Write the demo's reports into the output folder: one page and one JSON file per chapter,
their extra files, ``index.html`` linking them, ``summary.json``, ``summary.md`` and
``registers.csv``. Files a previous run wrote and this one did not are removed (the list is kept
in ``manifest.json``), so a second run into the same folder leaves no stale report behind."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from egovkit.demo.chapter import Chapter
from egovkit.demo.html import join, page, table, tag
from egovkit.demo.province import PROVINCE, YEAR
from egovkit.documents import Direction, RegisterEntry

TITLE = "egovkit demo — Tỉnh Sông Lam (fictional)"
MANIFEST = "manifest.json"


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n"


def write_reports(
    out: Path,
    chapters: Sequence[Chapter],
    *,
    outgoing: Sequence[RegisterEntry],
    incoming: Sequence[RegisterEntry],
    extra_files: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write every file; returns them with ``summary.md`` last."""
    files: dict[str, str] = {}
    for chapter in chapters:
        body = chapter.body
        if chapter.skipped:
            body = join([tag("p", f"Skipped: {chapter.skipped}", cls="bad"), body])
        body = join([body, tag("p", tag("a", f"{chapter.slug}.json", href=f"{chapter.slug}.json"))])
        files[f"{chapter.slug}.html"] = page(chapter.title, body)
        files[f"{chapter.slug}.json"] = _dump(
            {"title": chapter.title, "summary": chapter.summary, "skipped": chapter.skipped}
            | dict(chapter.data)
        )
        files.update(chapter.extra)
    files.update(extra_files or {})
    files["index.html"] = _index(chapters)
    files["summary.json"] = _dump(_summary(chapters))
    files["registers.csv"] = _registers_csv(outgoing, incoming)
    files["summary.md"] = _markdown(chapters, outgoing, incoming)
    _remove_stale(out, set(files))
    written = []
    for name, content in files.items():
        path = out / name
        path.write_text(content, encoding="utf-8", newline="")
        written.append(path)
    (out / MANIFEST).write_text(_dump(sorted(files)), encoding="utf-8")
    return written


def _remove_stale(out: Path, keep: set[str]) -> None:
    manifest = out / MANIFEST
    if not manifest.is_file():
        return
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return
    for name in previous if isinstance(previous, list) else []:
        if isinstance(name, str) and name not in keep and "/" not in name and name != MANIFEST:
            (out / name).unlink(missing_ok=True)


def _index(chapters: Sequence[Chapter]) -> str:
    rows = [
        (
            tag("a", chapter.title, href=f"{chapter.slug}.html"),
            "skipped" if chapter.skipped else "done",
            chapter.skipped or chapter.summary,
        )
        for chapter in chapters
    ]
    body = join(
        [
            tag(
                "p",
                f"The whole story of egovkit on a fictional province ({PROVINCE}) in {YEAR}. "
                "Every name and number is invented; the keys are public test keys.",
                cls="note",
            ),
            table(["Chapter", "State", "What happened"], rows),
            tag(
                "p",
                tag("a", "summary.json", href="summary.json"),
                " · ",
                tag("a", "summary.md", href="summary.md"),
                " · ",
                tag("a", "registers.csv", href="registers.csv"),
            ),
        ]
    )
    return page(TITLE, body, back=False)


def _summary(chapters: Sequence[Chapter]) -> dict[str, Any]:
    registers = next((c.data for c in chapters if c.slug == "registers"), {})
    return {
        "province": str(PROVINCE),
        "year": YEAR,
        "outgoing": registers.get("outgoing", []),
        "incoming": registers.get("incoming", []),
        "refused_findings": registers.get("refused_findings", []),
        "chapters": [
            {
                "slug": c.slug,
                "title": c.title,
                "summary": c.summary,
                "skipped": c.skipped,
                "page": f"{c.slug}.html",
                "data": f"{c.slug}.json",
            }
            for c in chapters
        ],
    }


def _registers_csv(outgoing: Sequence[RegisterEntry], incoming: Sequence[RegisterEntry]) -> str:
    lines: list[list[object]] = [
        [
            "register",
            "sequence",
            "number",
            "number_and_notation",
            "date",
            "type",
            "subject",
            "from_or_signer",
            "to",
        ]
    ]
    for entry in (*outgoing, *incoming):
        doc = entry.document
        lines.append(
            [
                entry.register.direction.value,
                "secret" if entry.secret else "ordinary",
                entry.number,
                str(doc.number),
                entry.registered_on.isoformat(),
                doc.type.name,
                doc.subject,
                doc.signer.full_name
                if doc.signer and entry.register.direction is Direction.OUTGOING
                else (doc.issuer.name if doc.issuer else ""),
                "; ".join(r.name for r in doc.recipients),
            ]
        )

    class _Lines(list[str]):
        def write(self, text: str) -> None:
            self.append(text)

    buffer = _Lines()
    csv.writer(buffer).writerows(lines)
    return "".join(buffer)


def _markdown(
    chapters: Sequence[Chapter],
    outgoing: Sequence[RegisterEntry],
    incoming: Sequence[RegisterEntry],
) -> str:
    lines = [
        f"# {TITLE}",
        "",
        "Open `index.html` for the full reports.",
        "",
        "## Chapters",
        "",
    ]
    lines += [f"- **{c.title}**: {c.skipped or c.summary}" for c in chapters]
    lines += [
        "",
        f"## Outgoing register (sổ văn bản đi) {YEAR}",
        "",
        "| No. | Number and notation | Date | Type | Summary (trích yếu) | Marks |",
        "|---:|---|---|---|---|---|",
    ]
    for e in outgoing:
        d = e.document
        marks = ", ".join(m.label for m in (d.urgency, d.secrecy) if m is not None)
        lines.append(
            f"| {e.number} | {d.number} | {e.registered_on:%d/%m/%Y} | {d.type.name} | "
            f"{d.subject} | {marks or '—'} |"
        )
    lines += [
        "",
        f"## Incoming register (sổ văn bản đến) {YEAR}",
        "",
        "| Arrival no. | Received | From | Number and notation | Summary |",
        "|---:|---|---|---|---|",
    ]
    for e in incoming:
        d = e.document
        lines.append(
            f"| {e.number} | {e.registered_on:%d/%m/%Y} | "
            f"{d.issuer.name if d.issuer else '—'} | {d.number} | {d.subject} |"
        )
    return "\n".join(lines) + "\n"
