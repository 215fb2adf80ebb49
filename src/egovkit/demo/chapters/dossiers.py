"""Chapter 3 — a year of one-stop dossiers (hồ sơ một cửa) at the communes, kept in the store.

Each dossier is received at the desk with a code from the store's counters and moved through
its steps, every transition in the audit log (``egovkit.dossiers.persistence.DossierDesk``).
The year's figures per commune are counted by the store and recomputed from the dossiers with
:func:`~egovkit.dossiers.statistics.compute_statistics`; the page shows both, and they must agree. A
construction permit received on the Friday before Tết gets a receipt slip (form 01).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, WorkCalendar
from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.html import Html, join, table, tag
from egovkit.demo.procedures import CATALOGUE
from egovkit.demo.province import PLACE, PROVINCE, YEAR, communes
from egovkit.demo.year import YEAR_END, Plan, Step, plan_year, steps_for, submitted_files
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatistics,
    Fee,
    apology_slip,
    compute_statistics,
    receipt_slip,
    render_html,
)
from egovkit.dossiers.persistence import DossierDesk

#: Dossiers per commune in the full story and in the quick one.
PER_COMMUNE = 400
PER_COMMUNE_QUICK = 20
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
SLIP = "receipt-slip.html"
APOLOGY = "apology-slip.html"


@attrs.frozen(kw_only=True)
class DossierYear:
    """The chapter's page and the year's dossiers, as stored at the end of the year."""

    chapter: Chapter
    dossiers: tuple[Dossier, ...]
    statistics: tuple[DossierStatistics, ...]


def _featured(commune: AgencyCode) -> Plan:
    """A construction permit received on Friday 13 February 2026, just before Tết."""
    permit = next(p for p in CATALOGUE if p.stem == "1.009794")
    return Plan(
        procedure=permit,
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Phan Văn Lộc"),
        channel=Channel.DIRECT,
        agency=commune,
        received_at=dt.datetime(YEAR, 2, 13, 15, 10, tzinfo=VIETNAM_TZ),
        outcome="supplement",
        index=-1,
    )


def _apply(dossier: Dossier, step: Step) -> Dossier:
    return step.action(dossier)


def _play(steps: Sequence[Step], dossier: Dossier) -> Dossier:
    """Every step, one after the other (saved in one transaction by the desk)."""
    return functools.reduce(_apply, steps, dossier)


def run(ctx: Context) -> DossierYear:
    """Receive and process the year's dossiers, then count them two ways."""
    calendar = WorkCalendar()
    desk = DossierDesk(ctx.store, calendar=calendar)
    codes = [a.code for a in communes(ctx.agencies)]
    per_commune = PER_COMMUNE_QUICK if ctx.quick else PER_COMMUNE
    plans = sorted(
        [*plan_year(codes, per_commune=per_commune, calendar=calendar), _featured(codes[0])],
        key=lambda p: (p.received_at, str(p.agency)),
    )
    ctx.progress(f"dossiers: {len(plans)} planned over {YEAR} at {len(codes)} communes")
    featured = ""
    for count, plan in enumerate(plans, start=1):
        fees = [Fee(name="Lệ phí", amount=plan.procedure.fee)] if plan.procedure.fee else []
        stored = desk.receive(
            procedure=plan.procedure.for_dossiers(),
            applicant=plan.applicant,
            channel=plan.channel,
            receiving_agency=plan.agency,
            received_at=plan.received_at,
            actor="cb.tiepnhan",
            summary=plan.procedure.name,
            fees=fees,
            attachments=submitted_files(plan),
        )
        if plan.index == -1:
            featured = stored.key
        steps = [s for s in steps_for(plan, stored.dossier, calendar) if s.at < YEAR_END]
        if steps:
            desk.act(stored.key, functools.partial(_play, steps), actor="cv.motcua")
        if count % 400 == 0:
            ctx.progress(f"dossiers: {count}/{len(plans)} received and processed")
    dossiers = tuple(s.dossier for s in ctx.store.dossiers.all())
    counted = tuple(
        ctx.store.dossiers.statistics(agency=code, start=START, end=END) for code in codes
    )
    recomputed = tuple(
        compute_statistics(dossiers, agency=code, start=START, end=END) for code in codes
    )
    province_total = ctx.store.dossiers.statistics(
        agency=PROVINCE, start=START, end=END, include_subunits=True
    )
    agree = counted == recomputed and province_total == compute_statistics(
        dossiers, agency=PROVINCE, start=START, end=END, include_subunits=True
    )
    ctx.progress(
        f"dossiers: {len(dossiers)} stored; the store's statistics "
        f"{'equal' if agree else 'DIFFER FROM'} a recomputation"
    )
    issuer = ctx.agencies.get(codes[0]).name
    slips = {SLIP: render_html(receipt_slip(desk.get(featured), issuer=issuer, place=PLACE))}
    extended = next((d for d in dossiers if d.extensions), None)
    if extended is not None:
        slips[APOLOGY] = render_html(
            apology_slip(
                extended, issuer=ctx.agencies.get(extended.receiving_agency).name, place=PLACE
            )
        )
    return DossierYear(
        chapter=_chapter(
            ctx,
            dossiers,
            plans,
            (*counted, province_total),
            agree,
            desk.get(featured),
            calendar,
            slips,
        ),
        dossiers=dossiers,
        statistics=counted,
    )


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _chapter(
    ctx: Context,
    dossiers: Sequence[Dossier],
    plans: Sequence[Plan],
    stats: Sequence[DossierStatistics],
    agree: bool,
    featured: Dossier,
    calendar: WorkCalendar,
    slips: dict[str, str],
) -> Chapter:
    names = {str(a.code): a.name for a in communes(ctx.agencies)}
    names[str(PROVINCE)] = "The province (all communes)"
    outcomes = Counter(p.outcome for p in plans)
    months = Counter(d.received_at.month for d in dossiers if d.received_at is not None)
    days_off = [s for s in calendar.exceptions(YEAR) if not s.working]
    headers = [
        "Commune",
        "Received",
        "Early",
        "On time",
        "Late",
        "In progress (on time)",
        "In progress (overdue)",
        "Paused",
        "Withdrawn",
        "Online share",
        "On-time rate",
    ]
    rows = [
        (
            names.get(s.agency, s.agency),
            s.received,
            s.finished_early,
            s.finished_on_time,
            s.finished_late,
            s.in_progress_on_time,
            s.in_progress_overdue,
            s.paused,
            s.withdrawn,
            _rate(s.digital_take_up),
            _rate(s.on_time_rate),
        )
        for s in stats
    ]
    extensions = sum(1 for d in dossiers if d.extensions)
    supplements = sum(1 for d in dossiers if d.supplements)
    body = join(
        [
            tag(
                "p",
                f"{len(dossiers)} dossiers received in {YEAR} at {len(stats) - 1} communes; "
                f"{supplements} waited for a supplement, {extensions} were extended. Codes come "
                "from the store's counters and every transition is in the audit log.",
            ),
            tag("h2", f"Statistics {START:%d/%m/%Y} – {END:%d/%m/%Y}"),
            table(headers, rows),
            tag(
                "p",
                "Counted by the store, and recomputed from the stored dossiers: "
                + ("the two agree." if agree else "THE TWO DIFFER."),
                cls="ok" if agree else "bad",
            ),
            tag("h2", "Dossiers received per month"),
            table(
                ["Month", "Received"], [(f"{m:02d}/{YEAR}", months.get(m, 0)) for m in range(1, 13)]
            ),
            tag("h2", "How the year was played"),
            table(["Planned outcome", "Dossiers"], sorted(outcomes.items())),
            tag("h2", f"Days off in {YEAR} (the calendar the deadlines use)"),
            table(
                ["Date", "Kind", "Name"],
                [(f"{s.day:%d/%m/%Y}", s.kind.value, s.name) for s in days_off],
            ),
            tag("h2", "A dossier received just before Tết"),
            _featured_text(featured),
            tag("p", tag("a", "The receipt and appointment slip (form 01)", href=SLIP)),
            tag(
                "p",
                tag("a", "An apology and new appointment for an extended dossier", href=APOLOGY),
            )
            if APOLOGY in slips
            else "",
        ]
    )
    data = {
        "year": YEAR,
        "dossiers": len(dossiers),
        "planned_outcomes": dict(sorted(outcomes.items())),
        "received_per_month": {f"{m:02d}": months.get(m, 0) for m in range(1, 13)},
        "supplemented": supplements,
        "extended": extensions,
        "statistics": [s.to_dict() for s in stats[:-1]],
        "province": stats[-1].to_dict(),
        "store_equals_recomputation": agree,
        "featured": {
            "code": str(featured.code),
            "received_at": featured.received_at.isoformat() if featured.received_at else None,
            "due_at": featured.due_at.isoformat() if featured.due_at else None,
            "status": featured.status.value,
        },
        "days_off": [s.to_dict() for s in days_off],
    }
    total = stats[-1]
    return Chapter(
        slug="dossiers",
        title=f"A year of one-stop dossiers ({YEAR})",
        summary=(
            f"{total.received} dossiers at {len(stats) - 1} communes; "
            f"{total.finished_late} finished late; statistics "
            + ("equal to a recomputation" if agree else "DIFFER from a recomputation")
        ),
        body=body,
        data=data,
        extra=slips,
    )


def _featured_text(dossier: Dossier) -> Html:
    due = f"{dossier.due_at:%d/%m/%Y %H:%M}" if dossier.due_at else "—"
    return tag(
        "p",
        f"Dossier {dossier.code} ({dossier.procedure.name}) was received on "
        f"{dossier.received_at:%A %d/%m/%Y at %H:%M}; its 15 working days skip Tết "
        f"(16–20 February), a supplement request restarted the clock, and it is due on {due} "
        f"(status: {dossier.status.value}).",
    )
