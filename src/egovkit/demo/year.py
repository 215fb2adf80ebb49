"""A simulated year of one-stop dossiers (hồ sơ một cửa) at the communes, as plans.

A plan says who applies for what, when and through which channel, and what then happens —
each step an action on the dossier at an instant. Most dossiers are finished early or on time;
some wait for a supplement (bổ sung), some get an extension (gia hạn), a few are late, a few
withdrawn. Instants come from the working-day calendar, so Tết (16–20 Feb 2026), 30/4–1/5, 2/9
and 24/11 push deadlines out. A seeded random generator makes the year the same on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Sequence

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.demo.procedures import CATALOGUE, DemoProcedure
from egovkit.demo.province import YEAR
from egovkit.documents import Attachment
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    Payment,
    PaymentMethod,
    Result,
)
from egovkit.services import Capability

#: The end of the simulated year: actions planned later have not happened yet.
YEAR_END = dt.datetime(YEAR + 1, 1, 1, tzinfo=VIETNAM_TZ)
#: The seed of the year's random generator.
SEED = 2026

Action = Callable[[Dossier], Dossier]

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc")
_GIVEN = ("An", "Bình", "Cúc", "Dũng", "Hà", "Hương", "Khoa", "Lan", "Nam", "Phúc", "Tâm", "Yến")


@attrs.frozen(kw_only=True)
class Step:
    """One thing that happens to a dossier after it was received."""

    at: dt.datetime
    event: str
    action: Action = attrs.field(eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Plan:
    """One dossier's story: its receipt and what follows (``steps``, in time order)."""

    procedure: DemoProcedure
    applicant: Applicant
    channel: Channel
    agency: AgencyCode
    received_at: dt.datetime
    outcome: str  # early_or_on_time, supplement, extension, late, withdrawn
    index: int  # its place in the year, which seeds what happens to it

    def random(self) -> random.Random:
        """The generator for this dossier's steps (the same whatever order dossiers run in)."""
        return random.Random(f"{SEED}-{self.index}")  # noqa: S311 - a simulation, not secrets


def _payment_method(plan: Plan) -> PaymentMethod:
    """Online when the dossier came online and the procedure takes payments online."""
    if plan.channel is Channel.ONLINE and Capability.ONLINE_PAYMENT in plan.procedure.capabilities:
        return PaymentMethod.ONLINE
    return PaymentMethod.CASH


def _electronic_result(plan: Plan) -> bool:
    """Whether the result is issued as a file (bản điện tử) as well as on paper."""
    return Capability.ONLINE_RESULT in plan.procedure.capabilities


def _file(name: str) -> Attachment:
    """A small PDF's description; the demo keeps no content, only what identifies it."""
    content = f"%PDF-1.7 {name}".encode()
    return Attachment(
        name=f"{name}.pdf",
        media_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def submitted_files(plan: Plan) -> list[Attachment]:
    """What an online applicant uploads with the dossier (thành phần hồ sơ điện tử)."""
    if plan.channel is not Channel.ONLINE:
        return []
    return [_file(f"to-khai-{plan.index}")]


def _applicant(rng: random.Random) -> Applicant:
    name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    return Applicant(kind=ApplicantKind.CITIZEN, name=name)


def _received_at(rng: random.Random, days: Sequence[dt.date]) -> dt.datetime:
    day = rng.choice(days)
    minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 30)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), VIETNAM_TZ)


def _between(start: dt.datetime, end: dt.datetime, share: float) -> dt.datetime:
    moment = start + (end - start) * share
    return moment.replace(second=0, microsecond=0)


def plan_year(
    communes: Sequence[AgencyCode], *, per_commune: int, calendar: WorkCalendar
) -> list[Plan]:
    """``per_commune`` dossiers at each commune over the year, in order of receipt."""
    rng = random.Random(SEED)  # noqa: S311 - a simulation, not secrets
    days = calendar.working_days(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    weights = [p.weight for p in CATALOGUE]
    plans: list[Plan] = []
    for commune in communes:
        for _ in range(per_commune):
            procedure = rng.choices(CATALOGUE, weights)[0]
            online = Capability.ONLINE_SUBMISSION in procedure.capabilities
            channel = Channel.ONLINE if online and rng.random() < 0.55 else Channel.DIRECT
            plans.append(
                Plan(
                    procedure=procedure,
                    applicant=_applicant(rng),
                    channel=channel,
                    agency=commune,
                    received_at=_received_at(rng, days),
                    outcome=_outcome(rng),
                    index=len(plans),
                )
            )
    plans.sort(key=lambda p: (p.received_at, str(p.agency)))
    return plans


def _outcome(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.03:
        return "withdrawn"
    if draw < 0.13:
        return "supplement"
    if draw < 0.18:
        return "extension"
    if draw < 0.24:
        return "late"
    return "early_or_on_time"


def steps_for(plan: Plan, dossier: Dossier, calendar: WorkCalendar) -> list[Step]:
    """What happens to ``dossier`` (just received under ``plan``), step by step."""
    received, due = plan.received_at, dossier.due_at
    if due is None:  # a procedure without a time limit: nothing to simulate against
        return []
    rng = plan.random()
    officer = "cv.motcua"
    steps: list[Step] = []
    if plan.outcome == "withdrawn":
        at = calendar.add_working_hours(received, 2)
        return [Step(at=at, event="withdraw", action=lambda d: d.withdraw(at=at, actor="công dân"))]
    if plan.procedure.fee:
        paid_at = received + dt.timedelta(minutes=5)
        payment = Payment(
            amount=plan.procedure.fee,
            paid_at=paid_at,
            method=_payment_method(plan),
            reference=f"BL-{dossier.code}",
        )
        steps.append(
            Step(
                at=paid_at,
                event="record_payment",
                action=lambda d: d.record_payment(payment, actor="cb.tiepnhan"),
            )
        )
    start = calendar.add_working_hours(received, 0.5)
    steps.append(
        Step(
            at=start,
            event="start_processing",
            action=lambda d: d.start_processing(at=start, actor=officer),
        )
    )
    if plan.outcome == "supplement":
        asked = _between(start, due, 0.4)
        back = calendar.add_working_days(asked, rng.randint(2, 5))
        steps.append(
            Step(
                at=asked,
                event="request_supplement",
                action=lambda d: d.request_supplement(
                    items=["Bản sao giấy tờ tùy thân"], at=asked, actor=officer
                ),
            )
        )
        steps.append(
            Step(
                at=back,
                event="supplement",
                action=lambda d: d.supplement(at=back, actor="cb.tiepnhan", calendar=calendar),
            )
        )
        finish = calendar.add_working_hours(back, rng.uniform(0.5, 3))
    elif plan.outcome == "extension":
        when = _between(start, due, 0.6)
        steps.append(
            Step(
                at=when,
                event="extend",
                action=lambda d: d.extend(
                    at=when,
                    actor=officer,
                    reason="Cần xác minh thêm thông tin",
                    letter_reference="15/UBND-VP",
                    calendar=calendar,
                    by=Duration.working_days(3),
                ),
            )
        )
        finish = calendar.add_working_hours(due, 4)
    elif plan.outcome == "late":
        finish = calendar.add_working_days(due, rng.randint(1, 3))
    else:
        finish = _between(start, due, rng.uniform(0.3, 0.98))
    result = Result(
        name=f"Kết quả: {plan.procedure.name}",
        issued_at=finish,
        reference=f"KQ-{dossier.code}",
        attachment=_file(f"KQ-{dossier.code}") if _electronic_result(plan) else None,
    )
    steps.append(
        Step(
            at=finish,
            event="resolve",
            action=lambda d: d.resolve(at=finish, actor="lãnh đạo", results=[result]),
        )
    )
    handed = calendar.add_working_hours(finish, 1)
    steps.append(
        Step(
            at=handed,
            event="return_result",
            action=lambda d: d.return_result(at=handed, actor="cb.tiepnhan"),
        )
    )
    return steps
