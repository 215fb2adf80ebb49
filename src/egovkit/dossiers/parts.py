"""The parts of a dossier's history: steps, supplement requests, pauses, extensions, fees,
payments and results. Each is a frozen value; the dossier keeps them in tuples."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import to_vietnam
from egovkit.documents.model import Attachment
from egovkit.dossiers.status import DossierStatus
from egovkit.errors import ValidationError
from egovkit.text import clean


def _instant(value: datetime) -> datetime:
    return to_vietnam(value, where="instant")


def _optional_instant(value: datetime | None) -> datetime | None:
    return None if value is None else to_vietnam(value, where="instant")


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(clean(v) for v in value if clean(v))


def _amount(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{attribute.name} is a whole number of đồng >= 0, not {value!r}",
            code="dossier.amount",
            where=attribute.name,
        )


@attrs.frozen(kw_only=True)
class ProcessingStep:
    """One step of processing (bước xử lý): who handles it, which agency, and its own deadline
    inside the dossier's total (``due_at``, for inter-agency liên thông steps)."""

    name: str = attrs.field(converter=clean)
    agency: AgencyCode | None = None
    due_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    started_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    finished_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    handler: str = attrs.field(default="", converter=clean)
    note: str = attrs.field(default="", converter=clean)

    @property
    def is_late(self) -> bool:
        """Whether the step finished after its own deadline."""
        return (
            self.due_at is not None
            and self.finished_at is not None
            and self.finished_at > self.due_at
        )


class PauseKind(enum.Enum):
    """Why the clock stood still."""

    SUPPLEMENT = "supplement"  # yêu cầu bổ sung, hoàn thiện hồ sơ
    PAYMENT = "payment"  # thực hiện nghĩa vụ tài chính
    SUSPENSION = "suspension"  # tạm dừng (e.g. awaiting another authority)


@attrs.frozen(kw_only=True)
class ClockPause:
    """A stretch during which the processing time did not run; ``ended_at`` is ``None`` while
    it lasts. ``resume_to`` is the state the dossier goes back to."""

    kind: PauseKind
    started_at: datetime = attrs.field(converter=_instant)
    resume_to: DossierStatus
    ended_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    reason: str = attrs.field(default="", converter=clean)

    def covers(self, instant: datetime) -> bool:
        """Whether the clock stood still just before ``instant``: begun before it and not yet
        ended before it."""
        return self.started_at < instant and (self.ended_at is None or self.ended_at >= instant)


@attrs.frozen(kw_only=True)
class SupplementRequest:
    """A request to complete the dossier (yêu cầu bổ sung, hoàn thiện hồ sơ): what is missing,
    when it was asked and supplied, and the due instant before and after (hẹn trả trước / mới)."""

    requested_at: datetime = attrs.field(converter=_instant)
    requested_by: str = attrs.field(converter=clean)
    items: tuple[str, ...] = attrs.field(converter=_texts)
    reason: str = attrs.field(default="", converter=clean)
    supplemented_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    received_by: str = attrs.field(default="", converter=clean)
    previous_due: datetime | None = attrs.field(default=None, converter=_optional_instant)
    new_due: datetime | None = attrs.field(default=None, converter=_optional_instant)


@attrs.frozen(kw_only=True)
class Extension:
    """An extension of the due instant (gia hạn) and the apology/extension letter that must go
    with it (form 04: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" under Decree 61/2018,
    "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" under Decree 118/2025)."""

    at: datetime = attrs.field(converter=_instant)
    actor: str = attrs.field(converter=clean)
    previous_due: datetime = attrs.field(converter=_instant)
    new_due: datetime = attrs.field(converter=_instant)
    reason: str = attrs.field(converter=clean)
    letter_reference: str = attrs.field(converter=clean)
    letter_form: str = attrs.field(default="", converter=clean)


class FeeCollection(enum.Enum):
    """When a fee is collected (hình thức thu)."""

    BEFORE = "before"  # thu trước
    AFTER = "after"  # thu sau
    EXEMPT = "exempt"  # đối tượng miễn phí


@attrs.frozen(kw_only=True)
class Fee:
    """A fee or charge (phí, lệ phí) of the dossier, in đồng."""

    name: str = attrs.field(converter=clean)
    amount: int = attrs.field(validator=_amount)
    code: str = attrs.field(default="", converter=clean)
    collection: FeeCollection = FeeCollection.BEFORE


class PaymentMethod(enum.Enum):
    """How a payment was made (hình thức thanh toán)."""

    ONLINE = "online"  # trực tuyến
    CASH = "cash"  # tiền mặt
    TRANSFER = "transfer"  # chuyển khoản


@attrs.frozen(kw_only=True)
class Payment:
    """A payment received for the dossier's fees."""

    amount: int = attrs.field(validator=_amount)
    paid_at: datetime = attrs.field(converter=_instant)
    method: PaymentMethod
    reference: str = attrs.field(default="", converter=clean)


@attrs.frozen(kw_only=True)
class Result:
    """A result of the dossier (giấy tờ kết quả): a licence, a certificate, a decision.

    ``reference`` is the document's own number; ``code`` the national code of the result in the
    procedure (MAKETQUA of the national procedure database, the portal's ``MaGiayToKetQua``);
    ``attachment`` its file. Decree 45/2020: ``electronic`` when it was issued as an electronic
    result (kết quả giải quyết TTHC điện tử), and ``data_store_reference`` where it is kept in the
    holder's data store on the national portal (kho quản lý dữ liệu điện tử của tổ chức, cá
    nhân) — only an electronic result can be kept there.
    """

    name: str = attrs.field(converter=clean)
    issued_at: datetime = attrs.field(converter=_instant)
    reference: str = attrs.field(default="", converter=clean)
    attachment: Attachment | None = None
    code: str = attrs.field(default="", converter=clean)
    electronic: bool = False
    data_store_reference: str = attrs.field(default="", converter=clean)

    def __attrs_post_init__(self) -> None:
        if self.data_store_reference and not self.electronic:
            raise ValidationError(
                "only an electronic result (kết quả điện tử) is kept in the data store",
                code="dossier.result.data_store",
                where="data_store_reference",
            )

    @property
    def records_papers(self) -> bool:
        """Whether the result carries Decree 45 data (a code, electronic issue, storage)."""
        return bool(self.code or self.electronic or self.data_store_reference)


__all__ = [
    "ClockPause",
    "Extension",
    "Fee",
    "FeeCollection",
    "PauseKind",
    "Payment",
    "PaymentMethod",
    "ProcessingStep",
    "Result",
    "SupplementRequest",
]
