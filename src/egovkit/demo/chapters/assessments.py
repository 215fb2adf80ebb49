"""Chapter 6 — assessments: the communes scored with ``qd766`` (Decision 766/QĐ-TTg, the
service index for citizens and businesses) from the simulated year's aggregate counts, and with
``it-application`` (the IT-adoption checklist) from values the communes report. Each scorecard
comes with its explanation: every criterion's inputs, formula and points."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from egovkit.assessment import (
    Assessment,
    Measure,
    RuleSetCatalogue,
    UnitInput,
    evaluate,
    units_from_records,
)
from egovkit.assessment.from_store import COMPLAINTS, StoreInputs, qd766_inputs
from egovkit.assessment.periods import ReportingPeriod
from egovkit.assessment.qd766 import feedback_satisfaction, ratio, sync_rate
from egovkit.assessment.reports import assessment_to_dict, assessment_to_html, scorecard_text
from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.chapters import levels
from egovkit.demo.html import Html, join, table, tag
from egovkit.demo.province import YEAR, communes
from egovkit.dossiers import DossierStatistics
from egovkit.services import ProcedureCatalogue

#: What the communes report themselves (procedure disclosure, data use, feedback), per commune
#: in catalogue order: numerator/denominator counts. Invented, like everything in the demo.
REPORTED: tuple[Mapping[str, tuple[int, int]], ...] = (
    {
        "published_on_time": (5, 5),
        "disclosed_on_time": (5, 5),
        "disclosed_fully": (5, 5),
        "e_certified_copies": (160, 200),
        "data_reuse": (45, 60),
        "personal_data_store": (30, 40),
        "population_data_procedures": (4, 5),
        "population_data_dossiers": (300, 400),
        "feedback_classified": (12, 12),
        "feedback_on_time": (11, 12),
    },
    {
        "published_on_time": (5, 5),
        "disclosed_on_time": (4, 5),
        "disclosed_fully": (5, 5),
        "e_certified_copies": (90, 150),
        "data_reuse": (20, 50),
        "personal_data_store": (10, 40),
        "population_data_procedures": (3, 5),
        "population_data_dossiers": (150, 400),
        "feedback_classified": (8, 10),
        "feedback_on_time": (7, 10),
    },
    {
        "published_on_time": (4, 5),
        "disclosed_on_time": (4, 5),
        "disclosed_fully": (4, 5),
        "e_certified_copies": (40, 120),
        "data_reuse": (5, 30),
        "personal_data_store": (0, 40),
        "population_data_procedures": (2, 5),
        "population_data_dossiers": (60, 400),
        "feedback_classified": (5, 9),
        "feedback_on_time": (4, 9),
    },
)
#: Feedback (phản ánh, kiến nghị) per commune: total, disliked, overdue, repeated; and the
#: dossiers with a complaint.
FEEDBACK: tuple[tuple[int, int, int, int, int], ...] = (
    (12, 1, 0, 0, 2),
    (10, 2, 1, 1, 4),
    (9, 3, 2, 1, 6),
)
#: The IT-adoption checklist as each commune reports it.
IT_REPORTS: tuple[Mapping[str, object], ...] = (
    {
        "electronic_documents": "92%",
        "digital_signatures": "100%",
        "computers_per_official": 1,
        "official_email": "100%",
        "one_stop_units": "1/1",
        "online_level3": "80%",
        "online_level4": "40%",
        "online_meetings": "có",
        "it_officer": "có",
        "it_regulation": "có",
        "antivirus": "có",
        "backup_interval_months": 1,
        "it_budget": "có",
        "head_accountable": "có",
    },
    {
        "electronic_documents": "75%",
        "digital_signatures": "90%",
        "computers_per_official": 1,
        "official_email": "95%",
        "one_stop_units": "1/1",
        "online_level3": "60%",
        "online_level4": "20%",
        "online_meetings": "có",
        "it_officer": "có",
        "it_regulation": "có",
        "antivirus": "có",
        "backup_interval_months": 3,
        "it_budget": "có",
        "head_accountable": "có",
    },
    {
        "electronic_documents": "60%",
        "digital_signatures": "70%",
        "computers_per_official": 0.8,
        "official_email": "80%",
        "one_stop_units": "0/1",
        "online_level3": "40%",
        "online_level4": "20%",
        "online_meetings": "không",
        "it_officer": "không",
        "it_regulation": "có",
        "antivirus": "có",
        "backup_interval_months": 6,
        "it_budget": "không",
        "head_accountable": "có",
    },
)


def qd766_inputs_of(
    ctx: Context,
    *,
    statistics: Sequence[DossierStatistics],
    exported: Mapping[str, int],
) -> StoreInputs:
    """The ``qd766`` inputs of the communes for the year: counted from the dossiers in the store
    and the procedure catalogue (:func:`~egovkit.assessment.from_store.qd766_inputs`), with
    what only other systems know supplied — the portal sync (from the export chapter), the
    communes' own reports and their feedback."""
    received = {s.agency: s.received for s in statistics}
    supplied = []
    for index, agency in enumerate(communes(ctx.agencies)):
        code = str(agency.code)
        total, disliked, overdue, repeated, complained = FEEDBACK[index % len(FEEDBACK)]
        values: dict[str, Measure] = {
            key: ratio(*value) for key, value in REPORTED[index % len(REPORTED)].items()
        }
        values["sync_rate"] = sync_rate(
            synced=exported.get(code, 0), reported=received.get(code, 0), on_portal=None
        )
        values["feedback_satisfaction"] = feedback_satisfaction(
            total=total, disliked=disliked, overdue=overdue, repeated=repeated
        )
        values[COMPLAINTS] = Measure(value=Decimal(complained))
        supplied.append(UnitInput(unit=code, values=values))
    inputs = qd766_inputs(
        ctx.store.dossiers,
        ReportingPeriod.parse(str(YEAR)),
        ruleset=RuleSetCatalogue.builtin().get("qd766"),
        catalogue=ProcedureCatalogue(levels.catalogue(ctx)),
        supplied=supplied,
    )
    inputs.require_complete()
    return inputs


def run(
    ctx: Context,
    *,
    statistics: Sequence[DossierStatistics],
    exported: Mapping[str, int],
) -> Chapter:
    """Score the communes with both rule sets."""
    rulesets = RuleSetCatalogue.builtin()
    names = {str(a.code): a.name for a in communes(ctx.agencies)}
    inputs = qd766_inputs_of(ctx, statistics=statistics, exported=exported)
    qd766 = evaluate(
        rulesets.get("qd766"),
        [attrs.evolve(unit, unit=names.get(unit.unit, unit.unit)) for unit in inputs.units],
    )
    it = rulesets.get("it-application")
    records = [
        {"unit": a.name, "level": "commune", **IT_REPORTS[i % len(IT_REPORTS)]}
        for i, a in enumerate(communes(ctx.agencies))
    ]
    it_result = evaluate(it, units_from_records(records, attributes=it.attributes))
    ctx.progress(
        "assessments: "
        + "; ".join(
            f"{a.ruleset.id} best {a.scorecards[0].unit} ({a.scorecards[0].score})"
            for a in (qd766, it_result)
        )
    )
    files = {
        "assessment-qd766.html": assessment_to_html(qd766),
        "assessment-it-application.html": assessment_to_html(it_result),
    }
    body = join(
        [
            tag(
                "p",
                "qd766 inputs are counted from the year's dossiers in the store and from the "
                "procedure catalogue (on time, online, paid online, result files, fully online "
                "procedures); the portal sync comes from the export chapter; disclosure, data "
                "use and feedback are what the communes report. it-application scores the "
                "communes' own checklist. Each unit's table says where every input came from.",
            ),
            _section(qd766, "assessment-qd766.html", _sources(inputs, names)),
            _section(it_result, "assessment-it-application.html", {}),
        ]
    )
    return Chapter(
        slug="assessments",
        title="Assessment scorecards",
        summary="; ".join(
            f"{a.ruleset.id}: {len(a.scorecards)} communes scored, best {a.scorecards[0].unit} "
            f"({a.scorecards[0].score})"
            for a in (qd766, it_result)
        ),
        body=body,
        data={
            "qd766": assessment_to_dict(qd766, explain=True),
            "qd766_inputs": inputs.to_dict(),
            "it-application": assessment_to_dict(it_result, explain=True),
        },
        extra=files,
    )


def _sources(inputs: StoreInputs, names: Mapping[str, str]) -> dict[str, Html]:
    """Per unit, where each ``qd766`` input came from: counted from the store, or supplied."""
    return {
        names.get(unit, unit): table(
            ["Indicator", "Value", "Source", "How"],
            [
                (key, str(source.measure), source.source.value, source.rule)
                for key, source in sorted(sources.items())
            ],
        )
        for unit, sources in inputs.sources.items()
    }


def _section(result: Assessment, report: str, sources: Mapping[str, Html]) -> Html:
    ruleset = result.ruleset
    return join(
        [
            tag("h2", f"{ruleset.id} — {ruleset.title_en}"),
            table(
                ["Rank", "Unit", "Score", "Grade"],
                [
                    (
                        c.rank or "—",
                        c.unit,
                        str(c.score) if c.score is not None else "N/A",
                        c.grade or "—",
                    )
                    for c in result
                ],
            ),
            tag("p", tag("a", "The full Vietnamese report with charts", href=report)),
            *[
                tag(
                    "details",
                    tag("summary", f"Why: {c.unit}"),
                    sources.get(c.unit, ""),
                    tag("pre", scorecard_text(c)),
                )
                for c in result
            ],
        ]
    )
