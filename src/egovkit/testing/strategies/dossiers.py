"""Strategies for one-stop dossiers: codes, procedures, applicants, instants and whole
dossiers driven through a random but legal life."""

from __future__ import annotations

import string
from datetime import date, datetime, time, timedelta

import attrs
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, DurationUnit, WorkCalendar
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierAttachment,
    DossierCode,
    DossierStatus,
    Procedure,
    Result,
    ResultDelivery,
    Reuse,
    StepPlan,
)
from egovkit.testing.strategies.agencies import agency_codes
from egovkit.testing.strategies.documents import attachments, vietnamese_text


def dossier_codes(*, wide: bool = True) -> st.SearchStrategy[DossierCode]:
    """Valid codes; with ``wide`` some numbers go past 9,999 (five digits or more)."""
    numbers = st.integers(1, 9_999)
    if wide:
        numbers = st.one_of(numbers, st.integers(10_000, 10_000_000))
    return st.builds(
        lambda agency, day, number: DossierCode(agency=agency, day=day, number=number),
        agency_codes(),
        st.dates(date(2000, 1, 1), date(2099, 12, 31)),
        numbers,
    )


def dossier_code_texts() -> st.SearchStrategy[str]:
    """Canonical text of valid codes."""
    return dossier_codes().map(str)


def invalid_dossier_code_texts() -> st.SearchStrategy[str]:
    """Text that :meth:`~egovkit.dossiers.codes.DossierCode.parse` must refuse: broken shapes,
    impossible dates, zero, padded numbers and random text."""
    valid = dossier_codes(wide=False).map(str)
    return st.one_of(
        valid.map(lambda t: t[:-5] + "-0000"),  # number 0
        valid.map(lambda t: t[:-5] + "-00001"),  # five digits with a leading zero
        valid.map(lambda t: t[:-5] + "-123"),  # three digits
        valid.map(lambda t: t[:13] + "-261301-" + t[-4:]),  # month 13
        valid.map(lambda t: t[:13] + "-250230-" + t[-4:]),  # 30 February
        valid.map(lambda t: t.replace("-", "/", 1)),
        valid.map(lambda t: t.lower()),
        valid.map(lambda t: " " + t),
        st.text(string.printable, max_size=40).filter(lambda t: t.count("-") != 2),
    )


def durations(*, max_amount: int = 30) -> st.SearchStrategy[Duration]:
    """Processing times in every unit (working days, working hours, calendar days), >= 1."""
    return st.builds(
        lambda amount, unit: Duration(amount=amount, unit=unit),
        st.integers(1, max_amount),
        st.sampled_from(list(DurationUnit)),
    )


def vietnam_instants(
    *, first: date = date(2024, 1, 1), last: date = date(2027, 12, 31)
) -> st.SearchStrategy[datetime]:
    """Aware instants in Asia/Ho_Chi_Minh on whole minutes, any time of day."""
    return st.builds(
        lambda day, minute: datetime.combine(day, time(minute // 60, minute % 60), VIETNAM_TZ),
        st.dates(first, last),
        st.integers(0, 24 * 60 - 1),
    )


def procedures(*, with_steps: bool | None = None) -> st.SearchStrategy[Procedure]:
    """Procedures, some with a receipt cut-off, some inter-agency with steps inside the total."""

    @st.composite
    def build(draw: st.DrawFn) -> Procedure:
        total = draw(durations())
        steps: list[StepPlan] = []
        stepped = draw(st.booleans()) if with_steps is None else with_steps
        if stepped and total.amount >= 1:
            left = total.amount
            for index in range(draw(st.integers(1, 3))):
                if left == 0:
                    break
                amount = draw(st.integers(0, left))
                left -= amount
                agency = draw(st.one_of(st.none(), agency_codes()))
                steps.append(
                    StepPlan(
                        name=f"Bước {index + 1}",
                        duration=Duration(amount=amount, unit=total.unit),
                        agency=agency,
                    )
                )
        cutoff = draw(st.one_of(st.none(), st.sampled_from([time(11), time(15), time(16, 30)])))
        return Procedure(
            code=draw(st.from_regex(r"[12]\.[0-9]{6}\.000\.00\.00\.H[0-9]{2}", fullmatch=True)),
            name=draw(vietnamese_text(max_size=40)),
            processing_time=total,
            cutoff=cutoff,
            steps=steps,
        )

    return build()


def applicants() -> st.SearchStrategy[Applicant]:
    """Applicants of every kind."""
    return st.builds(
        lambda kind, name: Applicant(kind=kind, name=name),
        st.sampled_from(list(ApplicantKind)),
        vietnamese_text(max_size=40),
    )


_CODES = st.from_regex(r"(KQ|GT)[0-9]{3,6}", fullmatch=True)


def papers() -> st.SearchStrategy[Attachment]:
    """A dossier's papers: plain files and papers with Decree 45/2020 flags (digitised or not,
    reused from an earlier dossier or a national database, replaced by an earlier result)."""

    @st.composite
    def flagged(draw: st.DrawFn) -> Attachment:
        file = draw(attachments())
        reuse = draw(st.sampled_from(list(Reuse)))
        return DossierAttachment(
            name=file.name,
            media_type=file.media_type,
            size=file.size,
            sha256=file.sha256,
            component_code=draw(st.one_of(st.just(""), _CODES)),
            digitised=draw(st.booleans()),
            reuse=reuse,
            replaces_result="" if reuse is Reuse.NONE else draw(st.one_of(st.just(""), _CODES)),
        )

    return st.one_of(attachments(), flagged())


def results(issued_at: datetime) -> st.SearchStrategy[Result]:
    """Results issued at ``issued_at``: with or without a file, a national code, issued
    electronically and kept in the holder's data store (Decree 45/2020)."""

    @st.composite
    def build(draw: st.DrawFn) -> Result:
        electronic = draw(st.booleans())
        return Result(
            name=draw(vietnamese_text(max_size=30)),
            issued_at=issued_at,
            reference=draw(st.one_of(st.just(""), st.just("12/GP"))),
            attachment=draw(st.one_of(st.none(), attachments())),
            code=draw(st.one_of(st.just(""), _CODES)),
            electronic=electronic,
            data_store_reference=(
                draw(st.one_of(st.just(""), st.just("kho/123"))) if electronic else ""
            ),
        )

    return build()


# Weighted by repetition: endings are rarer than work, so most lives run for a while.
_ACTIONS = (
    "start",
    "start",
    "transfer",
    "supplement",
    "supplement",
    "payment",
    "pause",
    "pause",
    "extend",
    "extend",
    "resolve",
    "resolve",
    "withdraw",
    "stop",
)


def dossiers(
    calendar: WorkCalendar,
    *,
    agencies: st.SearchStrategy[AgencyCode] | None = None,
    first: date = date(2025, 1, 1),
    last: date = date(2026, 12, 31),
    max_actions: int = 6,
) -> st.SearchStrategy[Dossier]:
    """Dossiers received in ``[first, last]`` and then driven through up to ``max_actions``
    legal actions, each some hours after the one before (so every state and every pause,
    extension and step can appear). ``agencies`` draws both agencies (default: any code)."""
    units = agencies if agencies is not None else agency_codes()

    @st.composite
    def build(draw: st.DrawFn) -> Dossier:
        received = draw(vietnam_instants(first=first, last=last))
        unit = draw(units)
        dossier = Dossier.receive(
            code=DossierCode(agency=unit, day=received.date(), number=draw(st.integers(1, 9999))),
            procedure=draw(procedures()),
            applicant=draw(applicants()),
            channel=draw(st.sampled_from(list(Channel))),
            receiving_agency=unit,
            competent_agency=draw(st.one_of(st.just(unit), units)),
            received_at=received,
            actor="tiếp nhận",
            calendar=calendar,
            attachments=draw(st.lists(papers(), max_size=3)),
        )
        dossier = attrs.evolve(
            dossier, result_delivery=draw(st.none() | st.sampled_from(list(ResultDelivery)))
        )
        now = received
        for _ in range(draw(st.integers(0, max_actions) | st.just(max_actions))):
            now += timedelta(minutes=draw(st.integers(1, 10 * 24 * 60)))
            dossier = _step(draw, dossier, now, calendar)
            if dossier.status.is_terminal or dossier.status is DossierStatus.RESOLVED:
                if draw(st.booleans()) and dossier.status is DossierStatus.RESOLVED:
                    now += timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
                    dossier = dossier.return_result(at=now, actor="trả kết quả")
                break
        return dossier

    return build()


def _step(draw: st.DrawFn, dossier: Dossier, now: datetime, calendar: WorkCalendar) -> Dossier:
    status = dossier.status
    if status.stops_clock:
        choice = draw(st.sampled_from(["resume", "resume", "resume", "resume", "withdraw", "stop"]))
        if choice == "resume":
            if status is DossierStatus.SUPPLEMENT_REQUESTED:
                return dossier.supplement(at=now, actor="công dân", calendar=calendar)
            return dossier.resume(at=now, actor="cán bộ", calendar=calendar)
        if choice == "withdraw":
            return dossier.withdraw(at=now, actor="công dân", reason="rút")
        return dossier.stop(at=now, actor="lãnh đạo", reason="dừng")
    action = draw(st.sampled_from(_ACTIONS))
    if action == "start" and status is DossierStatus.RECEIVED:
        return dossier.start_processing(at=now, actor="chuyên viên")
    if action == "transfer" and status is not DossierStatus.TRANSFERRED:
        step = f"Liên thông {len(dossier.steps) + 1}"
        return dossier.transfer(step=step, at=now, actor="chuyên viên")
    if action == "supplement":
        return dossier.request_supplement(items=["Giấy tờ"], at=now, actor="chuyên viên")
    if action == "payment":
        return dossier.request_payment(at=now, actor="chuyên viên")
    if action == "pause":
        return dossier.pause(at=now, actor="chuyên viên", reason="chờ ý kiến")
    if action == "extend" and dossier.due_at is not None:
        return dossier.extend(
            at=now,
            actor="lãnh đạo",
            reason="phức tạp",
            letter_reference="01/XL",
            calendar=calendar,
            by=Duration.working_days(draw(st.integers(1, 5))),
        )
    if action == "withdraw":
        return dossier.withdraw(at=now, actor="công dân")
    if action == "stop":
        return dossier.stop(at=now, actor="lãnh đạo", reason="dừng")
    return dossier.resolve(
        at=now, actor="lãnh đạo", results=draw(st.lists(results(now), max_size=2))
    )


__all__ = [
    "applicants",
    "dossier_code_texts",
    "dossier_codes",
    "dossiers",
    "durations",
    "invalid_dossier_code_texts",
    "papers",
    "procedures",
    "results",
    "vietnam_instants",
]
