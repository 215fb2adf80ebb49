"""A day at a one-stop desk: receive three dossiers around Tết 2026, process them, print the
appointment slip as HTML and the month's statistics.

Run: python examples/dossiers_desk.py [slip.html]
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from pathlib import Path

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    Procedure,
    StepPlan,
    TransitionRecord,
    allocate_dossier_code,
    compute_statistics,
    receipt_slip,
    render_html,
)
from egovkit.storage.memory import MemorySequenceAllocator


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of 2026 at the desk."""
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def main(argv: list[str]) -> int:
    calendar = WorkCalendar()
    desk = AgencyCode.parse("000.00.01.H53")
    department = AgencyCode.parse("000.00.00.H53")
    sequences = MemorySequenceAllocator()
    audit: list[TransitionRecord] = []
    birth = Procedure(
        code="1.001193.000.00.00.H53",
        name="Đăng ký khai sinh",
        processing_time=Duration.working_hours(8),
    )
    permit = Procedure(
        code="1.009794.000.00.00.H53",
        name="Cấp giấy phép xây dựng",
        processing_time=Duration.working_days(15),
        cutoff=time(15),
        steps=[
            StepPlan(name="Thẩm định hồ sơ", duration=Duration.working_days(10)),
            StepPlan(
                name="Ý kiến Sở Xây dựng", duration=Duration.working_days(4), agency=department
            ),
        ],
    )
    cases = [
        ("Lê Văn Bình", birth, Channel.ONLINE, at(2, 13, 16, 30)),
        ("Công ty TNHH Hương Giang", permit, Channel.DIRECT, at(2, 13, 15, 10)),
        ("Phạm Thị Cúc", birth, Channel.DIRECT, at(3, 2, 9)),
    ]
    dossiers = []
    for name, procedure, channel, received in cases:
        kind = ApplicantKind.BUSINESS if name.startswith("Công ty") else ApplicantKind.CITIZEN
        dossier = Dossier.receive(
            code=allocate_dossier_code(sequences, desk, received),
            procedure=procedure,
            applicant=Applicant(kind=kind, name=name),
            channel=channel,
            receiving_agency=desk,
            received_at=received,
            actor="cb.tiepnhan",
            calendar=calendar,
            recorder=audit.append,
        )
        assert dossier.due_at is not None
        print(f"{dossier.code}  {procedure.name:<24} hẹn trả {dossier.due_at:%d/%m/%Y %H:%M}")
        dossiers.append(dossier)

    first, second, third = dossiers
    first = first.resolve(at=at(2, 23, 10), actor="cv.hotich", recorder=audit.append)
    second = second.start_processing(
        at=at(2, 23, 8), actor="cv.xaydung", step="Thẩm định hồ sơ", recorder=audit.append
    )
    second = second.request_supplement(
        items=["Bản vẽ hiện trạng"], at=at(2, 25, 9), actor="cv.xaydung", recorder=audit.append
    )
    second = second.supplement(
        at=at(3, 3, 9), actor="cb.tiepnhan", calendar=calendar, recorder=audit.append
    )
    assert second.due_at is not None
    print(f"{second.code}  after the supplement, due {second.due_at:%d/%m/%Y %H:%M}")
    third = third.withdraw(at=at(3, 2, 10), actor="công dân", recorder=audit.append)

    stats = compute_statistics(
        [first, second, third], agency=desk, start=date(2026, 2, 1), end=date(2026, 2, 28)
    )
    print(
        f"February: received {stats.received}, finished {stats.finished}, "
        f"in progress {stats.in_progress}, paused {stats.paused}, "
        f"online share {stats.digital_take_up:.0%}"
    )
    print(f"{len(audit)} transition records for the audit log")
    page = render_html(receipt_slip(second, issuer="UBND phường Thuận Hóa", place="Huế"))
    if len(argv) > 1:
        Path(argv[1]).write_text(page, encoding="utf-8")
        print(f"slip written to {argv[1]}")
    else:
        print(f"receipt slip: {len(page)} characters of HTML")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
