"""Hypothesis strategies for handling cases: random steps (legal or not) and random populations
of cases built from legal steps only."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from egovkit.calendar import VIETNAM_TZ
from egovkit.handling.model import (
    Action,
    Assignment,
    Case,
    Event,
    Flow,
    Level,
    Recipient,
    Role,
)
from egovkit.handling.transitions import INITIAL, TRANSITIONS, apply

UNITS = ("Văn phòng", "Phòng Tư pháp", "Phòng Nội vụ", "UBND xã Đông Hòa")
SUBJECTS = (
    "Về việc tổ chức Tết Nguyên đán",
    "Báo cáo công tác quý I",
    "Kế hoạch phòng chống lụt bão",
    "Giấy mời họp giao ban",
    "Về việc sửa đường giao thông nông thôn",
    "Hướng dẫn thực hiện Nghị định 30",
    "Về việc khen thưởng bà Lê Thị Hương",
    "Về việc điều động bà Nguyễn Thị Hường",
)
ISSUERS = ("UBND tỉnh Tây Ninh", "Sở Nội vụ", "UBND huyện Hòa Thành", "Văn phòng Chính phủ", "")
NOTATIONS = ("UBND-VP", "QĐ-UBND", "QyĐ-UBND", "KH-SNV", "SNV-TCCB")
PEOPLE = ("", "Nguyễn Văn An", "Trần Thị Bình", "Lê Hường")
#: Populations open from here on, for a quarter.
EPOCH = datetime(2026, 1, 5, 8, 0, tzinfo=VIETNAM_TZ)


def _due(draw: st.DrawFn, start: datetime) -> datetime | None:
    # whole hours: deadlines, steps and query instants often coincide (the boundaries)
    hours = draw(st.none() | st.integers(-24 * 5, 24 * 40))
    return None if hours is None else start + timedelta(hours=hours)


@st.composite
def events(draw: st.DrawFn, action: Action, at: datetime) -> Event:
    """An event of ``action`` at ``at`` carrying what that action needs."""
    text = draw(st.sampled_from(("Đề nghị xử lý", "Đã xử lý một phần", "Xem xét, báo cáo")))
    if action is Action.DISTRIBUTE:
        recipients = draw(
            st.lists(
                st.builds(Recipient, unit=st.sampled_from(UNITS), person=st.sampled_from(PEOPLE)),
                min_size=1,
                max_size=3,
            )
        )
        return Event(action=action, at=at, actor="Văn thư", recipients=recipients)
    if action is Action.DIRECT:
        return Event(action=action, at=at, actor="Chủ tịch", text=text, due=_due(draw, at))
    if action is Action.ASSIGN:
        lead = Assignment(
            unit=draw(st.sampled_from(UNITS)),
            person=draw(st.sampled_from(PEOPLE)),
            role=Role.IN_CHARGE,
            due=_due(draw, at) if draw(st.booleans()) else None,
        )
        others = draw(
            st.lists(
                st.builds(
                    Assignment,
                    unit=st.sampled_from(UNITS),
                    person=st.sampled_from(PEOPLE),
                    role=st.sampled_from(list(Role)),
                    due=st.none(),
                ),
                max_size=2,
            )
        )
        return Event(
            action=action,
            at=at,
            actor="Phó Chủ tịch",
            assignments=(*others, lead),
            due=_due(draw, at),
        )
    document = ""
    if action in (Action.COMPLETE, Action.REPLACE):
        document = draw(st.sampled_from(("12/UBND-VP", "05/QĐ-UBND", "case-reply")))
    if action is Action.NUMBER:
        document = f"{draw(st.integers(1, 12)):02d}/{draw(st.sampled_from(NOTATIONS))}"
    return Event(action=action, at=at, actor="Nguyễn Văn An", text=text, document=document)


@st.composite
def openings(draw: st.DrawFn, flow: Flow | None = None, key: str | None = None) -> Case:
    """A new case (no steps yet)."""
    chosen = flow or draw(st.sampled_from(list(Flow)))
    opened = EPOCH + timedelta(hours=draw(st.integers(0, 24 * 80)))
    return Case(
        key=key or f"{chosen.value[:2]}-{draw(st.integers(1, 10**6)):07d}",
        flow=chosen,
        office="000.00.01.H99",
        level=draw(st.sampled_from(list(Level))),
        opened_at=opened,
        opened_by="Văn thư",
        subject=draw(st.sampled_from(SUBJECTS)),
        document_type=draw(st.sampled_from(("", "QĐ", "KH", "BC"))),
        number=(
            f"{draw(st.integers(1, 12)):0{draw(st.integers(1, 3))}d}/"
            f"{draw(st.sampled_from(NOTATIONS))}"
            if chosen is Flow.INCOMING
            else ""
        ),
        issuer=draw(st.sampled_from(ISSUERS)),
        document_date=draw(st.none() | st.just(opened - timedelta(days=draw(st.integers(0, 9))))),
        electronic=draw(st.booleans()),
        state=INITIAL[chosen],
    )


@st.composite
def steps(draw: st.DrawFn, start: datetime, count: int = 12) -> list[Event]:
    """Up to ``count`` events of any action (legal or not) at growing instants after ``start``."""
    found: list[Event] = []
    at = start
    for _ in range(draw(st.integers(0, count))):
        at = at + timedelta(hours=draw(st.integers(0, 24 * 6)))
        found.append(draw(events(draw(st.sampled_from(list(Action))), at)))
    return found


@st.composite
def cases(draw: st.DrawFn, key: str | None = None, max_steps: int = 10) -> Case:
    """A case after random legal steps (illegal draws are skipped, so every state is reached)."""
    case = draw(openings(key=key))
    at = case.opened_at
    for _ in range(draw(st.integers(0, max_steps))):
        legal = sorted((a for (s, a) in TRANSITIONS if s is case.state), key=lambda a: a.value)
        if not legal:
            break
        at = at + timedelta(hours=draw(st.integers(0, 24 * 6)))
        case = apply(case, draw(events(draw(st.sampled_from(legal)), at)))
    return case


def populations(max_size: int = 12) -> st.SearchStrategy[list[Case]]:
    """Lists of cases with distinct keys."""
    return st.lists(
        st.integers(0, 10**6).flatmap(lambda n: cases(key=f"case-{n:07d}")),
        max_size=max_size,
        unique_by=lambda c: c.key,
    )


__all__ = [
    "EPOCH",
    "ISSUERS",
    "NOTATIONS",
    "PEOPLE",
    "SUBJECTS",
    "UNITS",
    "cases",
    "events",
    "openings",
    "populations",
    "steps",
]
