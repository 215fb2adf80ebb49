"""Print the appointment of a few dossiers received around Tết 2026 and the 2025 swapped days.

Run: python examples/calendar_deadline.py
"""

from __future__ import annotations

from datetime import date, datetime, time

from egovkit.calendar import VIETNAM_TZ, DayChange, Duration, WorkCalendar


def main() -> None:
    calendar = WorkCalendar(
        changes=[
            DayChange(
                day=date(2026, 3, 9),
                working=False,
                decision="Quyết định 12/QĐ-UBND (ví dụ)",
                note="Lễ hội địa phương",
            )
        ]
    )
    cases = [
        ("Cấp bản sao trích lục", datetime(2026, 2, 13, 16, 30), Duration.working_hours(8), None),
        ("Đăng ký kinh doanh", datetime(2025, 4, 25, 9, 0), Duration.working_days(3), None),
        ("Cấp phép xây dựng", datetime(2026, 3, 5, 15, 20), Duration.working_days(2), time(15)),
        ("Giải quyết khiếu nại", datetime(2026, 2, 10, 8, 0), Duration.calendar_days(10), None),
    ]
    for procedure, received, duration, cutoff in cases:
        at_desk = received.replace(tzinfo=VIETNAM_TZ)
        due = calendar.due(at_desk, duration, cutoff=cutoff)
        shown = "%a %d/%m/%Y %H:%M"
        print(f"{procedure}: received {at_desk:{shown}}, {duration} → due {due:{shown}}")
    for day in (date(2025, 4, 26), date(2026, 2, 17), date(2026, 3, 9)):
        status = calendar.day_status(day)
        answer = "working day" if status.working else "day off"
        why = status.name or status.kind.value
        print(f"{day}: {answer} ({why}{'; ' + status.decision if status.decision else ''})")


if __name__ == "__main__":
    main()
