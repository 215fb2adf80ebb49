"""Score communes and districts with the IT-adoption checklist and write the HTML report.

Targets depend on the level of government (electronic documents above 95% for districts, above
65% for communes). Run: python examples/assessment_report.py [OUT.html]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from egovkit.assessment import RuleSetCatalogue, evaluate, units_from_records
from egovkit.assessment.reports import assessment_to_csv, assessment_to_html

BASE = {
    "digital_signatures": "100%",
    "computers_per_official": 1,
    "official_email": "100%",
    "online_level3": "80%",
    "online_level4": "20%",
    "online_meetings": "có",
    "it_officer": "có",
    "it_regulation": "có",
    "antivirus": "có",
    "backup_interval_months": 3,
    "it_budget": "có",
    "head_accountable": "có",
}
ROWS = [
    {
        "unit": "Xã Nghi Phong",
        "level": "commune",
        "electronic_documents": "70%",
        "one_stop_units": "1/1",
        **BASE,
    },
    {
        "unit": "Huyện Nghi Lộc",
        "level": "district",
        "electronic_documents": "70%",
        "one_stop_units": "10/13",
        **BASE,
    },
    {
        "unit": "Xã Nghi Thái",
        "level": "commune",
        "electronic_documents": "60%",
        "one_stop_units": "0/1",
        **BASE,
        "it_officer": "không",
        "backup_interval_months": 6,
    },
]


def main() -> None:
    ruleset = RuleSetCatalogue.builtin().get("it-application")
    result = evaluate(ruleset, units_from_records(ROWS, attributes=ruleset.attributes))
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "bao-cao.html"
    out.write_text(assessment_to_html(result), encoding="utf-8")
    print(assessment_to_csv(result).splitlines()[0].split(",")[:4])
    for card in result:
        print(f"{card.rank}. {card.unit}: {card.score} điểm, xếp loại {card.grade}")
    print(f"report: {out}")


if __name__ == "__main__":
    main()
