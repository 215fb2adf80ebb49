"""Chapter 4 — online service levels (mức độ dịch vụ công trực tuyến) of the communes' small
procedure catalogue: each procedure classified under Decree 42/2022 (toàn trình / một phần /
information) and the older Decree 43/2011 (levels 1–4) with the reason, the catalogue's shares
per level, and the dated targets for communes checked against them."""

from __future__ import annotations

import datetime as dt

from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.html import join, table, tag
from egovkit.demo.procedures import CATALOGUE
from egovkit.demo.province import YEAR, communes
from egovkit.services import (
    CompetentLevel,
    GroupBy,
    Procedure,
    TargetKind,
    all_targets,
    check_procedures,
    classify,
    portfolio_shares,
    scheme,
)

#: The day the levels are read on.
DAY = dt.date(YEAR, 6, 30)


def catalogue(ctx: Context) -> list[Procedure]:
    """The catalogue as the service rules see it, shared by the communes."""
    codes = [a.code for a in communes(ctx.agencies)]
    return [p.for_catalogue(codes) for p in CATALOGUE]


def fully_online(procedures: list[Procedure]) -> int:
    """How many procedures are offered fully online (toàn trình) on :data:`DAY`."""
    return sum(1 for p in procedures if classify(p, on=DAY).muc_do == 4)


def run(ctx: Context) -> Chapter:
    """Classify the catalogue and check the targets."""
    procedures = catalogue(ctx)
    rows = []
    data_rows = []
    for procedure in procedures:
        now = classify(procedure, on=DAY)
        old = classify(procedure, scheme_id="nd43-2011")
        rows.append(
            (
                str(procedure.code),
                procedure.name,
                now.level.label,
                now.muc_do if now.muc_do is not None else "—",
                old.level.id,
                now.reason,
            )
        )
        data_rows.append(
            {
                "code": str(procedure.code),
                "name": procedure.name,
                "nd42": now.to_dict(),
                "nd43": old.to_dict(),
            }
        )
    shares = portfolio_shares(procedures, scheme("nd42-2022"), by=GroupBy.ALL, on=DAY)
    checks = [
        check_procedures(goal, procedures, on=DAY)
        for goal in all_targets()
        if CompetentLevel.COMMUNE in goal.competent_levels
        and goal.kind is TargetKind.PROCEDURE_SHARE
    ]
    online = fully_online(procedures)
    ctx.progress(f"service levels: {len(procedures)} procedures classified, {online} fully online")
    body = join(
        [
            tag("p", f"Levels on {DAY:%d/%m/%Y}, under Decree 42/2022 and Decree 43/2011."),
            table(
                ["Code (mã TTHC)", "Procedure", "Decree 42/2022", "MucDo", "Decree 43/2011", "Why"],
                rows,
            ),
            tag("h2", "The catalogue's shares"),
            table(
                ["Group", "Procedures", *[level for level, _ in shares[0].counts]],
                [(s.group, s.total, *[n for _, n in s.counts]) for s in shares],
            ),
            tag("h2", "Targets for communes"),
            table(
                ["Target", "Measured", "Met", "Why"],
                [
                    (
                        c.target.id,
                        f"{c.numerator}/{c.denominator}",
                        "yes" if c.met else "no",
                        c.reason,
                    )
                    for c in checks
                ],
            ),
        ]
    )
    return Chapter(
        slug="levels",
        title="Online service levels",
        summary=f"{len(procedures)} procedures classified; {online} fully online (toàn trình)",
        body=body,
        data={
            "on": DAY.isoformat(),
            "procedures": data_rows,
            "fully_online": online,
            "shares": [s.to_dict() for s in shares],
            "targets": [c.to_dict() for c in checks],
        },
    )
