"""Score the provincial DTI 2022 from main-index values, rank, explain, and merge two provinces.

Run: python examples/assessment_dti.py
"""

from __future__ import annotations

from datetime import date

from egovkit.assessment import RuleSetCatalogue, evaluate, merge_units, units_from_records
from egovkit.assessment.reports import scorecard_text

COLUMNS = [
    "awareness",
    "institutions",
    "infrastructure",
    "human_resources",
    "cybersecurity",
    "government_operations",
    "economy_operations",
    "society_operations",
]
PUBLISHED_2022 = {
    "Đà Nẵng": "1.0000 0.9000 0.8253 0.8487 0.7578 0.8575 0.7836 0.5197",
    "TP. Hồ Chí Minh": "0.8917 0.9000 0.8258 0.6267 0.5580 0.8406 0.7611 0.3590",
}


def main() -> None:
    dti = RuleSetCatalogue.builtin().get("dti", at=date(2023, 6, 30))
    units = units_from_records(
        {"unit": name, **dict(zip(COLUMNS, values.split(), strict=True))}
        for name, values in PUBLISHED_2022.items()
    )
    result = evaluate(dti, units, at=date(2023, 6, 30))
    print(f"{dti.name}: {dti.source}")
    for card in result:
        print(f"  {card.rank}. {card.unit}: DTI {card.score}")
    print()
    print(scorecard_text(result.get("Đà Nẵng"), decimals=dti.decimals))
    print()
    merged = merge_units(units, {"Đơn vị sau sáp nhập": list(PUBLISHED_2022)})
    card = evaluate(dti, merged).get("Đơn vị sau sáp nhập")
    print(f"merged unit (mean of {', '.join(card.merged_from)}): DTI {card.score}")


if __name__ == "__main__":
    main()
