"""Classify a commune's procedures under both decrees and check them against the targets."""

from __future__ import annotations

from datetime import date

from egovkit.agencies import AgencyCode
from egovkit.services import (
    Capability,
    CompetentLevel,
    FeeItem,
    GroupBy,
    Procedure,
    ProcedureCode,
    all_targets,
    check_procedures,
    classify,
    portfolio_shares,
    scheme,
)

COMMUNE = AgencyCode.parse("000.00.01.H53")
DAY = date(2025, 6, 1)
C = Capability


def procedure(stem: str, name: str, caps: set[Capability], fee: int = 0) -> Procedure:
    return Procedure(
        code=ProcedureCode.parse(f"{stem}.000.00.00.H53"),
        name=name,
        competent_level=CompetentLevel.COMMUNE,
        fees=[FeeItem(name="Lệ phí", amount=fee)] if fee else [],
        capabilities=caps,
        agencies=[COMMUNE],
        valid_from=date(2023, 1, 1),
    )


CATALOGUE = [
    procedure(
        "1.001612",
        "Đăng ký khai sinh",
        {
            C.INFORMATION,
            C.DOWNLOADABLE_FORMS,
            C.ONLINE_SUBMISSION,
            C.ONLINE_PROCESSING,
            C.ONLINE_RESULT,
        },
    ),
    procedure("1.001193", "Đăng ký kết hôn", {C.INFORMATION, C.ONLINE_SUBMISSION}),
    procedure("2.000908", "Chứng thực bản sao", {C.INFORMATION}, fee=2_000),
]


def main() -> None:
    for item in CATALOGUE:
        found = classify(item, on=DAY)
        old = classify(item, scheme_id="nd43-2011")
        print(
            f"{item.name}: {found.level.label} (MucDo {found.muc_do}), "
            f"Decree 43/2011 level {old.level.id}"
        )
        print(f"    {found.reason}")
    for row in portfolio_shares(CATALOGUE, scheme("nd42-2022"), by=GroupBy.AGENCY, on=DAY):
        print(f"{row.group}: {row.to_dict()['counts']}")
    for goal in all_targets():
        if CompetentLevel.COMMUNE in goal.competent_levels and goal.kind.value == "procedure_share":
            print(check_procedures(goal, CATALOGUE, on=DAY).reason)


if __name__ == "__main__":
    main()
