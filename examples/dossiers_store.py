"""A one-stop desk on a store: receive dossiers across Tết, stop the clock for a supplement,
extend one, finish them, print the month's figures counted by the store, and a receipt slip.

Run: python examples/dossiers_store.py
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Procedure,
    receipt_slip,
    render_html,
)
from egovkit.dossiers.persistence import DossierDesk
from egovkit.storage import open_store

UNIT = AgencyCode.parse("000.00.41.H99")  # a commune of the fictional province
PERMIT = Procedure(
    code="1.000001.000.00.00.H99",
    name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
    processing_time=Duration.working_days(5),
)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def main() -> None:
    calendar = WorkCalendar()
    folder = Path(tempfile.mkdtemp())
    with open_store(f"sqlite:///{folder / 'egov.db'}") as store:
        desk = DossierDesk(store, calendar=calendar)
        received = []
        for number, (moment, channel) in enumerate(
            [
                (at(2, 12, 16, 30), Channel.DIRECT),  # Thursday before Tết, after 16:00
                (at(2, 13, 17, 45), Channel.ONLINE),  # Friday evening: starts after Tết
                (at(2, 24, 8, 0), Channel.POSTAL),
            ],
            start=1,
        ):
            stored = desk.receive(
                procedure=PERMIT,
                applicant=Applicant(kind=ApplicantKind.CITIZEN, name=f"Công dân số {number}"),
                channel=channel,
                receiving_agency=UNIT,
                received_at=moment,
                actor="cb.tiepnhan",
            )
            received.append(stored.key)
            due = stored.dossier.due_at
            assert due is not None
            print(f"{stored.key}  received {moment:%d/%m %H:%M}  due {due:%d/%m/%Y %H:%M}")

        first, second, third = received
        desk.act(first, lambda d: d.start_processing(at=at(2, 23, 8), actor="cv.an"), actor="cv.an")
        desk.act(first, lambda d: d.resolve(at=at(2, 25, 10), actor="ld.binh"), actor="ld.binh")

        desk.act(
            second, lambda d: d.start_processing(at=at(2, 23, 9), actor="cv.an"), actor="cv.an"
        )
        desk.act(
            second,
            lambda d: d.request_supplement(
                items=["Bản vẽ thiết kế"], at=at(2, 23, 10), actor="cv.an"
            ),
            actor="cv.an",
        )
        desk.act(
            second,
            lambda d: d.supplement(at=at(2, 26, 10), actor="cb.tiepnhan", calendar=calendar),
            actor="cb.tiepnhan",
        )
        after_supplement = desk.get(second).due_at
        assert after_supplement is not None
        print(f"{second}  supplement stopped the clock: now due {after_supplement:%d/%m %H:%M}")

        desk.act(third, lambda d: d.start_processing(at=at(2, 24, 9), actor="cv.an"), actor="cv.an")
        desk.act(
            third,
            lambda d: d.extend(
                at=at(3, 2, 15),
                actor="ld.binh",
                reason="Cần xác minh thực địa",
                letter_reference="12/TB-UBND",
                calendar=calendar,
                by=Duration.working_days(3),
            ),
            actor="ld.binh",
        )
        extended = desk.get(third).due_at
        assert extended is not None
        print(f"{third}  extended (letter 12/TB-UBND): now due {extended:%d/%m %H:%M}")

        stats = store.dossiers.statistics(
            agency=UNIT, start=date(2026, 2, 1), end=date(2026, 3, 31), as_of=at(3, 3, 12)
        )
        print(
            f"counted by the store: received {stats.received}, finished early "
            f"{stats.finished_early}, in progress on time {stats.in_progress_on_time}, "
            f"overdue {stats.in_progress_overdue}, digital take-up {stats.digital_take_up:.0%}"
        )
        assert store.audit.verify() == store.audit.head()

        slip = receipt_slip(desk.get(first), issuer="Ủy ban nhân dân xã Bến Thủy")
        page = folder / "receipt.html"
        page.write_text(render_html(slip), encoding="utf-8")
        print(f"receipt slip: {slip.form_label} {slip.title} → {page.name}")


if __name__ == "__main__":
    main()
