"""Dossier states (trạng thái hồ sơ): the ten national ones and the local ones real desks need.

The national status codes 1–10 (``TrangThaiHoSo`` of the National Public Service Portal) are kept
as data (``data/statuses.json``) next to each state, so the domain speaks English names and only
the portal adapter speaks the wire. Local states (inter-agency transfer, pause, correction) have
no national code.
"""

from __future__ import annotations

import enum
import json
from functools import cache
from importlib import resources
from typing import Any

from egovkit.errors import NotFoundError
from egovkit.text import nfc


class DossierStatus(enum.Enum):
    """Where a dossier is in its life. The national code is :attr:`national_code`."""

    SUBMITTED = "submitted"  # 1 Mới đăng ký: filed online, not yet accepted by the desk
    RECEIVED = "received"  # 2 Được tiếp nhận
    REFUSED = "refused"  # 3 Không được tiếp nhận
    PROCESSING = "processing"  # 4 Đang xử lý
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 5 Yêu cầu bổ sung giấy tờ
    AWAITING_PAYMENT = "awaiting_payment"  # 6 Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = "withdrawn"  # 7 Công dân yêu cầu rút hồ sơ
    STOPPED = "stopped"  # 8 Dừng xử lý
    RESOLVED = "resolved"  # 9 Đã xử lý xong (đã có kết quả)
    RETURNED = "returned"  # 10 Đã trả kết quả
    TRANSFERRED = "transferred"  # local: liên thông, at another agency for one step
    PAUSED = "paused"  # local: tạm dừng (e.g. awaiting another authority's opinion)
    CORRECTING = "correcting"  # local: đính chính, a result being corrected

    @property
    def national_code(self) -> int | None:
        """The portal's status code 1–10, or ``None`` for a local state."""
        code: int | None = _table()[self.value]["national_code"]
        return code

    @property
    def vietnamese(self) -> str:
        """The Vietnamese name of the state."""
        return nfc(str(_table()[self.value]["vi"]))

    @property
    def is_terminal(self) -> bool:
        """True when nothing more can happen (refused, withdrawn, stopped)."""
        return self in TERMINAL

    @property
    def stops_clock(self) -> bool:
        """True when the processing time does not run in this state (the citizen or another
        authority holds the dossier): supplement, payment, pause."""
        return self in CLOCK_STOPPED

    @classmethod
    def from_national_code(cls, code: int) -> DossierStatus:
        """The state that national ``code`` (1–10) stands for."""
        for status in cls:
            if status.national_code == code:
                return status
        raise NotFoundError(
            f"{code!r} is not a national dossier status code (1–10)",
            code="dossier.status.national_code",
            where="status",
        )


#: States after which nothing happens any more.
TERMINAL = frozenset({DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED})
#: States in which the processing time stands still.
CLOCK_STOPPED = frozenset(
    {DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.AWAITING_PAYMENT, DossierStatus.PAUSED}
)


@cache
def _table() -> dict[str, dict[str, Any]]:
    text = resources.files("egovkit.dossiers").joinpath("data/statuses.json").read_text("utf-8")
    statuses: dict[str, dict[str, Any]] = json.loads(text)["statuses"]
    return statuses


__all__ = ["CLOCK_STOPPED", "TERMINAL", "DossierStatus"]
