"""Assessment results as JSON, CSV, text and a Vietnamese HTML report.

The HTML report is one self-contained page (no scripts, no external files): the ranking table
(bảng xếp hạng), inline SVG bar charts and each unit's explanation (giải trình), with numbers in
the Vietnamese style (decimal comma). JSON and CSV keep the decimal point for machines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from egovkit.assessment._gc import paused_gc
from egovkit.assessment._numbers import json_number, number_text, quantize
from egovkit.assessment.explanation import Explanation, Status
from egovkit.assessment.model import Scale
from egovkit.assessment.results import Assessment, Scorecard

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

_STYLE = """
body{font-family:"Noto Sans","Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:60rem;
color:#1b1b1b;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}
p.meta{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d0d0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.na td{color:#9a3412}.formula{font-family:monospace;font-size:.85em;color:#333}
svg text{font-family:inherit;font-size:12px}details{margin:.5rem 0}summary{cursor:pointer}
@media print{details{page-break-inside:avoid}}
"""


def _vn(value: Decimal | None, decimals: int = 4) -> str:
    """A number the Vietnamese way (decimal comma), or ``—`` for N/A."""
    return "—" if value is None else number_text(value, decimals).replace(".", ",")


def _score(value: Decimal | None, decimals: int) -> str:
    """A published score the Vietnamese way, with all its places (``92,00``)."""
    return "—" if value is None else format(quantize(value, decimals), "f").replace(".", ",")


def _bars(items: Sequence[tuple[str, Decimal | None, str]], *, label: str) -> str:
    """A horizontal SVG bar chart; each item is (label, share 0..1 or None, value text)."""
    row, left, width = 22, 190, 360
    height = row * len(items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(label)}" width="{left + width + 90}" height="{height}" '
        f'viewBox="0 0 {left + width + 90} {height}">'
    ]
    for i, (name, share, text) in enumerate(items):
        y = 4 + i * row
        shown = name if len(name) <= 28 else name[:27] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(shown)}</text>')
        if share is None:
            parts.append(f'<text x="{left + 4}" y="{y + 14}" fill="#9a3412">N/A</text>')
            continue
        bar = max(Decimal(0), min(Decimal(1), share)) * width
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{number_text(bar, 1)}" height="{row - 8}" '
            f'fill="#1d4ed8"><title>{escape(name)}: {escape(text)}</title></rect>'
        )
        parts.append(f'<text x="{left + float(bar) + 4:.1f}" y="{y + 14}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _share(card: Scorecard, scale: Scale) -> Decimal | None:
    if card.score is None:
        return None
    if scale is Scale.FRACTION:
        return card.score
    return card.score / card.max_points if card.max_points else None


def _explanation_rows(node: Explanation, depth: int, out: list[str]) -> None:
    name = node.name_vi or node.name_en or node.id
    note = node.formula if node.kind == "leaf" else f"({node.kind})"
    if node.status is not Status.OK or node.reason:
        note = f"{note} — {node.reason}" if note else node.reason
    css = ' class="na"' if node.points is None else ""
    out.append(
        f'<tr{css}><td style="padding-left:{0.5 + depth * 1.2:.1f}rem">{escape(name)}'
        f' <small>({escape(node.id)})</small></td><td class="num">{_vn(node.points)}</td>'
        f'<td class="num">{_vn(node.max_points)}</td>'
        f'<td class="formula">{escape(note)}</td></tr>'
    )
    for child in node.children:
        _explanation_rows(child, depth + 1, out)


def assessment_to_html(assessment: Assessment) -> str:
    """The Vietnamese HTML report: ranking table, SVG bar charts and each unit's explanation."""
    with paused_gc():
        return _html(assessment)


def _html(assessment: Assessment) -> str:
    r = assessment.ruleset
    decimals = r.decimals
    cards = assessment.scorecards
    at = assessment.at.strftime("%d/%m/%Y") if assessment.at else "—"
    has_grades = bool(r.grades)
    head = (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Kết quả đánh giá — {escape(r.title_vi)}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Kết quả đánh giá: {escape(r.title_vi)}</h1>\n"
        f'<p class="meta">Bộ chỉ số <b>{escape(r.name)}</b> (phiên bản {escape(r.version)},'
        f" hiệu lực từ {r.effective_from.strftime('%d/%m/%Y')}) · Căn cứ: {escape(r.source)}"
        f" · Ngày đánh giá: {at} · Số đơn vị: {len(cards)}</p>\n"
    )
    rows = []
    for i, card in enumerate(cards):
        grade = f"<td>{escape(card.grade or '—')}</td>" if has_grades else ""
        rows.append(
            f'<tr><td class="num">{card.rank or "—"}</td>'
            f'<td><a href="#don-vi-{i}">{escape(card.unit)}</a></td>'
            f'<td class="num">{_score(card.score, decimals)}</td>{grade}</tr>'
        )
    grade_head = "<th>Xếp loại</th>" if has_grades else ""
    table = (
        '<h2>Bảng xếp hạng</h2>\n<table class="ranking">\n<thead><tr><th>Hạng</th>'
        f"<th>Đơn vị</th><th>Điểm</th>{grade_head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )
    chart = (
        "<h2>Biểu đồ điểm</h2>\n"
        + _bars(
            [(c.unit, _share(c, r.scale), _score(c.score, decimals)) for c in cards],
            label="Biểu đồ điểm các đơn vị",
        )
        + "\n"
    )
    sections = ["<h2>Giải trình kết quả từng đơn vị</h2>"]
    for i, card in enumerate(cards):
        explanation = card.explanation
        groups = [
            (
                c.name_vi or c.id,
                None if c.points is None or not c.max_points else c.points / c.max_points,
                f"{_vn(c.points)}/{_vn(c.max_points)}",
            )
            for c in explanation.children
        ]
        body: list[str] = []
        _explanation_rows(explanation, 0, body)
        merged = (
            f"<p>Sáp nhập từ: {escape(', '.join(card.merged_from))} (trung bình cộng các "
            "chỉ số của đơn vị cũ)</p>"
            if card.merged_from
            else ""
        )
        grade = f", xếp loại {escape(card.grade)}" if card.grade else ""
        sections.append(
            f'<section id="don-vi-{i}" class="unit">\n<h3>{escape(card.unit)} — điểm '
            f"{_score(card.score, decimals)}, hạng {card.rank or '—'}{grade}</h3>\n{merged}"
            + _bars(groups, label=f"Điểm theo nhóm của {card.unit}")
            + "\n<details open><summary>Chi tiết cách tính</summary>\n<table>"
            "<thead><tr><th>Chỉ số</th><th>Điểm</th><th>Tối đa</th><th>Cách tính</th></tr>"
            "</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table>\n</details>\n</section>"
        )
    foot = (
        '\n<p class="meta">Tạo bởi egovkit. Điểm làm tròn '
        f"{decimals} chữ số thập phân (làm tròn nửa lên); N/A: không tính được, lý do ghi "
        "trong phần giải trình.</p>\n</body>\n</html>\n"
    )
    return head + table + chart + "\n".join(sections) + foot


__all__ = [
    "assessment_to_csv",
    "assessment_to_dict",
    "assessment_to_html",
    "scorecard_text",
    "scorecard_to_dict",
]
