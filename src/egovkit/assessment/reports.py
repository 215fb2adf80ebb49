"""Assessment results as JSON, CSV, text and a Vietnamese HTML report.

The HTML report is one self-contained page (no scripts, no external files): the ranking table
(bảng xếp hạng), inline SVG bar charts and each unit's explanation (giải trình), with numbers in
the Vietnamese style (decimal comma). JSON and CSV keep the decimal point for machines.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from egovkit.assessment._gc import paused_gc
from egovkit.assessment._numbers import json_number, number_text, quantize
from egovkit.assessment.explanation import Explanation, Status
from egovkit.assessment.model import Scale
from egovkit.assessment.results import Assessment, Scorecard
from egovkit.templating import TemplateDirs, render

_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def scorecard_to_dict(card: Scorecard, *, decimals: int, explain: bool = True) -> dict[str, Any]:
    """One unit as JSON: ``unit``, ``score``, ``rank``, ``grade``, points and ``explanation``."""
    out: dict[str, Any] = {
        "unit": card.unit,
        "score": None if card.score is None else json_number(card.score, decimals),
        "rank": card.rank,
        "grade": card.grade,
        "points": None if card.points is None else json_number(card.points),
        "max_points": json_number(card.max_points),
        "status": card.status.value,
        "ruleset": card.ruleset_id,
        "version": card.ruleset_version,
    }
    if card.reason:
        out["reason"] = card.reason
    if card.merged_from:
        out["merged_from"] = list(card.merged_from)
    if explain:
        out["explanation"] = card.explanation.to_dict()
    return out


def assessment_to_dict(assessment: Assessment, *, explain: bool = True) -> dict[str, Any]:
    """The whole run as JSON: the rule set (id, version, source, dates), the date, the units."""
    r = assessment.ruleset
    with paused_gc():
        units = [
            scorecard_to_dict(c, decimals=r.decimals, explain=explain)
            for c in assessment.scorecards
        ]
    return {
        "ruleset": {
            "id": r.id,
            "version": r.version,
            "name": r.name,
            "title_vi": r.title_vi,
            "title_en": r.title_en,
            "source": r.source,
            "effective_from": r.effective_from.isoformat(),
            "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            "scale": r.scale.value,
            "decimals": r.decimals,
        },
        "at": assessment.at.isoformat() if assessment.at else None,
        "units": units,
    }


def _flatten(node: Explanation) -> Iterator[Explanation]:
    yield node
    for child in node.children:
        yield from _flatten(child)


def assessment_to_csv(assessment: Assessment) -> str:
    """One row per unit: rank, unit, score, grade, status, then the points of every node.

    Cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) are quoted with
    a leading apostrophe, since unit names come from outside.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    cards = assessment.scorecards
    node_ids = [n.id for n in _flatten(cards[0].explanation)][1:] if cards else []
    writer.writerow(
        ["rank", "unit", "score", "grade", "points", "max_points", "status", "reason", *node_ids]
    )
    decimals = assessment.ruleset.decimals
    with paused_gc():
        for card in cards:
            _csv_row(writer, card, decimals)
    return buffer.getvalue()


def _csv_row(writer: Any, card: Scorecard, decimals: int) -> None:
    nodes = list(_flatten(card.explanation))[1:]
    writer.writerow(
        [
            "" if card.rank is None else card.rank,
            _safe(card.unit),
            "" if card.score is None else number_text(card.score, decimals),
            card.grade or "",
            "" if card.points is None else number_text(card.points, 6),
            number_text(card.max_points, 6),
            card.status.value,
            _safe(card.reason),
            *("" if n.points is None else number_text(n.points, 6) for n in nodes),
        ]
    )


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_CSV_RISKY) else text


def scorecard_text(card: Scorecard, *, decimals: int = 4) -> str:
    """A scorecard for a terminal: the header line, then the indented explanation tree."""
    score = "N/A" if card.score is None else number_text(card.score, decimals)
    head = (
        f"{card.unit}: score {score}, rank {card.rank or '—'}"
        + (f", grade {card.grade}" if card.grade else "")
        + f" ({card.ruleset_id} version {card.ruleset_version}"
        + (f", on {card.at}" if card.at else "")
        + ")"
    )
    if card.merged_from:
        head += f"\nmerged from: {', '.join(card.merged_from)} (mean of their values)"
    if card.status is not Status.OK:
        head += f"\nN/A: {card.reason}"
    return head + "\n" + card.explanation.to_text()


# ---------------------------------------------------------------- HTML

#: Average advance of a 12 px sans-serif glyph, Vietnamese letters included (Noto Sans, Arial
#: and Roboto measure 6.3-6.9 px; rounded up so a label never runs past its column).
_CHAR_PX = 7.2
_LABEL_CHARS = 30  # wrap chart labels longer than this onto further lines
_LINE_PX = 14


@attrs.frozen(kw_only=True)
class Bar:
    """One bar of a chart: its label ``lines`` (wrapped, never cut) and ``length`` in px."""

    name: str
    lines: tuple[str, ...]
    y: int
    length: float | None
    text: str


@attrs.frozen(kw_only=True)
class BarChart:
    """A horizontal bar chart laid out for ``assessment/chart.html`` (sizes in px): the label
    column is as wide as the longest wrapped label line, each row as tall as its lines."""

    label: str
    bars: tuple[Bar, ...]
    left: int
    width: int
    height: int
    bar_height: int = 14
    line_height: int = _LINE_PX


def bar_chart(
    items: Sequence[tuple[str, Decimal | None, str]], *, label: str, bar_width: int = 360
) -> BarChart:
    """Lay out ``items`` (label, share 0..1 or None, value text) so no label is cut."""
    wrapped = [tuple(textwrap.wrap(name, _LABEL_CHARS)) or ("",) for name, _, _ in items]
    longest = max((len(line) for lines in wrapped for line in lines), default=0)
    left = int(longest * _CHAR_PX) + 16
    bars, y = [], 4
    for (name, share, text), lines in zip(items, wrapped, strict=True):
        length = None
        if share is not None:
            length = float(round(max(Decimal(0), min(Decimal(1), share)) * bar_width, 1))
        bars.append(Bar(name=name, lines=lines, y=y, length=length, text=text))
        y += max(22, _LINE_PX * len(lines) + 8)
    return BarChart(
        label=label, bars=tuple(bars), left=left, width=left + bar_width + 90, height=y + 4
    )


def _vn(value: Decimal | None, decimals: int) -> str:
    """A number the Vietnamese way (decimal comma) at ``decimals`` places, or ``—`` for N/A."""
    return "—" if value is None else number_text(value, decimals).replace(".", ",")


def _score(value: Decimal | None, decimals: int) -> str:
    """A published score the Vietnamese way, with all its places (``92,00``)."""
    return "—" if value is None else format(quantize(value, decimals), "f").replace(".", ",")


def _share(card: Scorecard, scale: Scale) -> Decimal | None:
    if card.score is None:
        return None
    if scale is Scale.FRACTION:
        return card.score
    return card.score / card.max_points if card.max_points else None


#: The engine's formula words (English, as the text and JSON outputs give them) in Vietnamese.
_FORMULA_VI = (
    (re.compile(r"\(rounded to (\d+) places\)"), r"(làm tròn \1 chữ số thập phân)"),
    (re.compile(r"\bT is the target for\b"), "T là chỉ tiêu theo"),
    (re.compile(r"\bvalue = "), "giá trị = "),
    (re.compile(r"\bpoints = yes\b"), "điểm = có"),
    (re.compile(r"\bpoints = no\b"), "điểm = không"),
    (re.compile(r"\bpoints = "), "điểm = "),
    (re.compile(r"/ target "), "/ chỉ tiêu "),
    (re.compile(r"\binputs "), "số liệu "),
    (re.compile(r"\bband \["), "khoảng ["),
    (re.compile(r"\bmean "), "trung bình "),
    (re.compile(r"\bsd "), "độ lệch chuẩn "),
    (re.compile(r" of (?=\d)"), " trên "),
    (re.compile(r"(?<=\d)\.(?=\d)"), ","),  # decimal comma
)


def formula_vi(text: str) -> str:
    """The engine's formula text in Vietnamese with decimal commas, for the HTML report."""
    for pattern, replacement in _FORMULA_VI:
        text = pattern.sub(replacement, text)
    return text


def _explanation_rows(
    node: Explanation, depth: int, decimals: int, out: list[dict[str, Any]]
) -> None:
    note = node.formula if node.kind == "leaf" else f"({_KIND_VI.get(node.kind, node.kind)})"
    if node.status is not Status.OK or node.reason:
        note = f"{note} — {node.reason}" if note else node.reason
    out.append(
        {
            "name": node.name_vi or node.name_en or node.id,
            "id": node.id,
            "points": _vn(node.points, decimals),
            "max_points": _vn(node.max_points, decimals),
            "note": formula_vi(note),
            "na": node.points is None,
            "indent": f"{0.5 + depth * 1.2:.1f}",
        }
    )
    for child in node.children:
        _explanation_rows(child, depth + 1, decimals, out)


_KIND_VI = {"sum": "tổng", "max": "lớn nhất", "mean": "trung bình"}


def assessment_to_html(assessment: Assessment, *, templates: TemplateDirs = None) -> str:
    """The Vietnamese HTML report: ranking table, SVG bar charts and each unit's explanation,
    from the template ``assessment/report.html`` (an agency's ``templates`` folder is searched
    first: :mod:`egovkit.templating`)."""
    with paused_gc():
        return render("assessment/report.html", _report(assessment), templates=templates)


def _report(assessment: Assessment) -> dict[str, Any]:
    r = assessment.ruleset
    decimals = r.decimals
    cards = assessment.scorecards
    units = []
    for card in cards:
        groups = [
            (
                c.name_vi or c.id,
                None if c.points is None or not c.max_points else c.points / c.max_points,
                f"{_vn(c.points, decimals)}/{_vn(c.max_points, decimals)}",
            )
            for c in card.explanation.children
        ]
        rows: list[dict[str, Any]] = []
        _explanation_rows(card.explanation, 0, decimals, rows)
        units.append(
            {
                "name": card.unit,
                "rank": card.rank or "—",
                "score": _score(card.score, decimals),
                "grade": card.grade or "—",
                "has_grade": bool(card.grade),
                "merged_from": card.merged_from,
                "chart": bar_chart(groups, label=f"Điểm theo nhóm của {card.unit}"),
                "rows": rows,
            }
        )
    ranking = bar_chart(
        [(c.unit, _share(c, r.scale), _score(c.score, decimals)) for c in cards],
        label="Biểu đồ điểm các đơn vị",
    )
    on = assessment.at
    return {
        "ruleset": r,
        "decimals": decimals,
        "has_grades": bool(r.grades),
        "units": units,
        "ranking_chart": ranking,
        # The assessment date when one was given, else the day the report was made.
        "date_label": "Ngày đánh giá" if on else "Ngày lập báo cáo",
        "date": (on or date.today()).strftime("%d/%m/%Y"),
    }


__all__ = [
    "Bar",
    "BarChart",
    "assessment_to_csv",
    "assessment_to_dict",
    "assessment_to_html",
    "bar_chart",
    "formula_vi",
    "scorecard_text",
    "scorecard_to_dict",
]
