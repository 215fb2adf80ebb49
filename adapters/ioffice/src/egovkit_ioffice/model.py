"""Processing status and leaders' directions, as document-management systems record them."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from egovkit.documents.model import AgencyRef
from egovkit.edxml.model import StatusCode
from egovkit.text import clean


class ProcessingStatus(enum.Enum):
    """Where the handling of a received document stands (tình trạng xử lý)."""

    ASSIGNED = "assigned"  # đã phân công xử lý
    PROCESSING = "processing"  # đang xử lý
    DONE = "done"  # hoàn thành

    @property
    def status_code(self) -> StatusCode:
        """The edXML status code that tells the sender (04, 05, 06)."""
        return {
            ProcessingStatus.ASSIGNED: StatusCode.ASSIGNED,
            ProcessingStatus.PROCESSING: StatusCode.IN_PROGRESS,
            ProcessingStatus.DONE: StatusCode.COMPLETED,
        }[self]


@attrs.frozen(kw_only=True)
class ProcessingUpdate:
    """One change of processing status: what, when, by whom, with a note."""

    status: ProcessingStatus
    at: dt.datetime | None = None
    by: str = attrs.field(default="", converter=clean)
    note: str = attrs.field(default="", converter=clean)


def _refs(values: Iterable[AgencyRef]) -> tuple[AgencyRef, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Instruction:
    """A leader's direction (ý kiến chỉ đạo): the unit in charge (đơn vị chủ trì), the units
    that cooperate (đơn vị phối hợp), the deadline (hạn xử lý) and the leader's words."""

    lead: AgencyRef
    cooperating: tuple[AgencyRef, ...] = attrs.field(default=(), converter=_refs)
    deadline: dt.date | None = None
    comment: str = attrs.field(default="", converter=clean)
    by: str = attrs.field(default="", converter=clean)


__all__ = ["Instruction", "ProcessingStatus", "ProcessingUpdate"]
