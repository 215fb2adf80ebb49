"""Reports: JSON keys, CSV, and a Vietnamese HTML page checked in headless Chromium."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from egovkit.assessment import Assessment, RuleSetCatalogue, evaluate, units_from_records
from egovkit.assessment.golden import builtin_golden_files, load_golden
from egovkit.assessment.reports import (
    assessment_to_csv,
    assessment_to_dict,
    assessment_to_html,
    scorecard_text,
)
from tests._chromium import render_probe

IT = RuleSetCatalogue.builtin().get("it-application")
ROWS = [
    {
        "unit": "Sở <b>A</b>",
        "level": "province",
        "electronic_documents": "97%",
        "digital_signatures": 1,
        "computers_per_official": 1.2,
        "official_email": 0.9,
        "one_stop_units": "5/20",
        "online_level3": "29,9%",
        "online_level4": "0,3%",
        "online_meetings": "có",
        "it_officer": "có",
        "it_regulation": "có",
        "antivirus": "có",
        "backup_interval_months": 3,
        "it_budget": "có",
        "head_accountable": "có",
    },
    {
        "unit": "=Xã B",
        "level": "commune",
        "electronic_documents": 0.7,
        "digital_signatures": 0.5,
        "computers_per_official": 0.5,
        "official_email": 0.6,
        "one_stop_units": "0/0",
        "online_level3": 0,
        "online_level4": 0,
        "online_meetings": "có",
        "it_officer": "không",
        "it_regulation": "không",
        "antivirus": "có",
        "backup_interval_months": 6,
        "it_budget": "không",
        "head_accountable": "có",
    },
]


@pytest.fixture(scope="module")
def result() -> Assessment:
    return evaluate(IT, units_from_records(ROWS, attributes=["level"]))


def test_json_lists_unit_score_rank_grade_explanation(result: Assessment) -> None:
    data = json.loads(json.dumps(assessment_to_dict(result), ensure_ascii=False))
    assert data["ruleset"]["name"] == "it-application-1"
    first = data["units"][0]
    assert {"unit", "score", "rank", "grade", "explanation"} <= set(first)
    assert (first["unit"], first["score"], first["rank"], first["grade"]) == (
        "Sở <b>A</b>",
        75.05,
        1,
        "Khá",
    )
    leaf = first["explanation"]["children"][0]["children"][0]
    assert {"inputs", "numerator", "denominator", "threshold", "formula", "points"} <= set(leaf)


def test_na_is_explicit_in_json(result: Assessment) -> None:
    second = assessment_to_dict(result)["units"][1]
    assert second["score"] is None
    assert second["status"] == "na"
    services = second["explanation"]["children"][2]
    one_stop = services["children"][0]
    assert one_stop["status"] == "na"
    assert "zero denominator" in one_stop["reason"]


def test_csv_has_node_columns_and_defuses_formulas(result: Assessment) -> None:
    rows = list(csv.DictReader(io.StringIO(assessment_to_csv(result))))
    assert rows[0]["unit"] == "Sở <b>A</b>"
    assert rows[0]["score"] == "75.05"
    assert rows[0]["electronic_documents"] == "15"
    assert rows[1]["unit"] == "'=Xã B"
    assert rows[1]["score"] == ""
    assert rows[1]["one_stop"] == ""


def test_text_explanation(result: Assessment) -> None:
    text = scorecard_text(result.scorecards[0], decimals=2)
    assert text.splitlines()[0].startswith("Sở <b>A</b>: score 75.05, rank 1, grade Khá")
    assert "min(1, 0.97 / T 0.95) × 15 = 15" in text


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_structure_and_escaping(result: Assessment) -> None:
    page = assessment_to_html(result)
    parser = _Collect()
    parser.feed(page)
    text = "".join(parser.text)
    assert '<html lang="vi">' in page
    assert "<b>A</b>" not in page.replace("&lt;b&gt;A&lt;/b&gt;", "")  # escaped
    assert "Bảng xếp hạng" in text
    assert "75,05" in text  # decimal comma
    assert parser.tags.count("section") == 2
    assert parser.tags.count("svg") == 3  # ranking chart + one per unit
    assert "<script" not in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

_PROBE = """<script>
window.addEventListener('load', () => {
  const rows = [...document.querySelectorAll('table.ranking tbody tr')].map(
    r => [...r.cells].map(c => c.innerText.trim()));
  const bars = [...document.querySelectorAll('svg.chart')[0].querySelectorAll('rect')].map(
    r => Math.round(r.getBoundingClientRect().width));
  const table = document.querySelector('table.ranking').getBoundingClientRect();
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({rows, bars, tableWidth: Math.round(table.width),
    sections: document.querySelectorAll('section.unit').length,
    h1: document.querySelector('h1').innerText});
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.needs_tool("chromium", "chromium-browser", install="Debian package chromium")
def test_html_renders_in_headless_chromium(result: Assessment, tmp_path: Path) -> None:
    page = assessment_to_html(result).replace("</body>", _PROBE + "</body>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=3000",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dom = done.stdout
    start = dom.index('<pre id="probe">') + len('<pre id="probe">')
    probe = json.loads(
        dom[start : dom.index("</pre>", start)]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", '"')
    )
    assert probe["h1"].startswith("Kết quả đánh giá: Kiểm tra, đánh giá, xếp loại ứng dụng CNTT")
    assert probe["rows"] == [["1", "Sở <b>A</b>", "75,05", "Khá"], ["—", "=Xã B", "—", "—"]]
    assert len(probe["bars"]) == 1  # the N/A unit has no bar
    assert 200 <= probe["bars"][0] <= 300  # 75% of a 360 px bar
    assert probe["tableWidth"] > 300
    assert probe["sections"] == 2


def test_scoring_and_reports_leave_the_garbage_collector_as_they_found_it(
    result: Assessment,
) -> None:
    assert gc.isenabled()
    evaluate(IT, units_from_records(ROWS, attributes=["level"]))
    assessment_to_dict(result)
    assessment_to_csv(result)
    assessment_to_html(result)
    assert gc.isenabled()
    gc.disable()
    try:
        assessment_to_dict(result)
        assert not gc.isenabled()
    finally:
        gc.enable()


LONG_NAME = "Ủy ban nhân dân phường Hồng Hải, thành phố Hạ Long, tỉnh Quảng Ninh"


@pytest.mark.needs_tool("chromium", "chromium-browser", install="Debian package chromium")
def test_long_names_are_wrapped_not_cut_in_chromium(tmp_path: Path) -> None:
    rows = [{**ROWS[0], "unit": LONG_NAME}, ROWS[1]]
    page = assessment_to_html(evaluate(IT, units_from_records(rows, attributes=["level"])))
    probe = render_probe(page, tmp_path)
    charts = probe["charts"]
    assert isinstance(charts, list)
    assert len(charts) == 3
    assert all(chart["inside"] for chart in charts)  # no text past the chart's edges
    labels = ["".join(label.split()) for label in charts[0]["labels"]]
    assert "".join(LONG_NAME.split()) in labels  # the whole name, on wrapped lines
    assert probe["overflow"] is False


def test_the_formula_column_speaks_vietnamese_with_decimal_commas(result: Assessment) -> None:
    from egovkit.assessment.reports import formula_vi

    page = assessment_to_html(result)
    assert "min(1, 0,97 / T 0,95) × 15 = 15" in page
    assert "điểm = " in page
    assert "points = " not in page
    assert formula_vi("value = a 412/500 = 0.824 (rounded to 2 places)") == (
        "giá trị = a 412/500 = 0,824 (làm tròn 2 chữ số thập phân)"
    )
    assert formula_vi("points = yes → 5 of 5") == "điểm = có → 5 trên 5"
    assert "Ngày lập báo cáo" in page or "Ngày đánh giá" in page
    assert "Ngày đánh giá: —" not in page


def test_points_are_shown_at_the_rule_sets_places(result: Assessment) -> None:
    decimals = result.ruleset.decimals
    page = assessment_to_html(result)
    assert f"làm tròn {decimals} chữ số thập phân" in page
    cells = page.split('<td class="num">')[1:]
    shown = [c.split("<", 1)[0] for c in cells]
    numbers = [s for s in shown if "," in s]
    assert numbers
    assert all(len(s.split(",")[1]) <= decimals for s in numbers)


def test_an_agency_overrides_the_report_template(result: Assessment, tmp_path: Path) -> None:
    (tmp_path / "assessment").mkdir()
    (tmp_path / "assessment" / "report.html").write_text(
        '{% extends "egovkit/assessment/report.html" %}'
        "{% block style %}{{ super() }} h1{color:#b91c1c}{% endblock %}",
        encoding="utf-8",
    )
    page = assessment_to_html(result, templates=tmp_path)
    assert "h1{color:#b91c1c}" in page
    assert "&lt;b&gt;A&lt;/b&gt;" in page  # still escaped in an override


def test_qd766_html_report_shows_the_portals_six_groups() -> None:
    """The six groups the national portal scores, with their maxima (wire-fidelity §6.1: the
    portal's evaluation API and the 766 formula cards), in the HTML report's explanation."""
    (case,) = [c for f in builtin_golden_files() for c in load_golden(f) if c.ruleset == "qd766"]
    qd = RuleSetCatalogue.builtin().get("qd766", at=case.at)
    page = assessment_to_html(evaluate(qd, list(case.units), at=case.at))
    rows = re.findall(
        r'<tr><td style="padding-left:1\.7rem">([^<]+) <small>\((g[^)]+)\)</small></td>'
        r'<td class="num">[^<]*</td><td class="num">([^<]+)</td>',
        page,
    )
    first_unit = rows[:6]
    assert [(name.strip(), points) for name, _, points in first_unit] == [
        ("Công khai, minh bạch", "18"),
        ("Tiến độ giải quyết", "20"),
        ("Dịch vụ công trực tuyến", "12"),
        ("Thanh toán trực tuyến", "10"),
        ("Số hóa hồ sơ", "22"),
        ("Mức độ hài lòng", "18"),
    ]
    assert len(rows) == 6 * len(case.units)
