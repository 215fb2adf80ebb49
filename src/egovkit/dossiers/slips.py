"""The slips (phiếu) a one-stop desk hands out, as data: receipt and appointment, supplement
request, refusal, apology/extension, stop notice and the process-control slip.

Each slip is named and numbered by the regime in force on the day the dossier was received
(:attr:`~egovkit.dossiers.model.Dossier.regime`): the same apology is "Mẫu số 04: Phiếu xin lỗi
và hẹn lại ngày trả kết quả" for a dossier of June 2025 and "Mẫu số 04: Văn bản xin lỗi và đề
nghị gia hạn thời gian giải quyết" for one of July 2025.
:func:`~egovkit.dossiers.rendering.render_html` prints a slip on an A4 page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from egovkit.calendar import Duration, DurationUnit, to_vietnam
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.parties import Channel
from egovkit.dossiers.regimes import FormKind
from egovkit.dossiers.statistics import Timeliness, timeliness
from egovkit.dossiers.status import DossierStatus
from egovkit.errors import ConflictError
from egovkit.text import clean

_CHANNEL_VI = {
    Channel.DIRECT: "Trực tiếp",
    Channel.ONLINE: "Trực tuyến",
    Channel.POSTAL: "Qua dịch vụ bưu chính công ích",
}
_UNIT_VI = {
    DurationUnit.WORKING_DAYS: "ngày làm việc",
    DurationUnit.WORKING_HOURS: "giờ làm việc",
    DurationUnit.CALENDAR_DAYS: "ngày",
}
_TIMELINESS_VI = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}


def vietnamese_instant(instant: datetime) -> str:
    """``"17 giờ 00 phút, ngày 06 tháng 3 năm 2026"``, as slips write an instant."""
    at = to_vietnam(instant)
    return f"{at:%H} giờ {at:%M} phút, {vietnamese_date(at)}"


def vietnamese_date(instant: datetime) -> str:
    """``"ngày 06 tháng 3 năm 2026"`` (months 1 and 2 with a leading zero, as Decree 30/2020
    writes dates: ``tháng 01``, ``tháng 02``)."""
    month = f"{instant.month:02d}" if instant.month < 3 else str(instant.month)
    return f"ngày {instant.day:02d} tháng {month} năm {instant.year}"


def vietnamese_duration(duration: Duration) -> str:
    """``"10 ngày làm việc"``."""
    return f"{duration.amount} {_UNIT_VI[duration.unit]}"


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(clean(v) for v in value)


def _rows(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(clean(cell) for cell in row) for row in value)


@attrs.frozen(kw_only=True)
class SlipLine:
    """One labelled line of a slip (``Mã hồ sơ: …``)."""

    label: str = attrs.field(converter=clean)
    value: str = attrs.field(converter=clean)


def _lines(value: Iterable[SlipLine]) -> tuple[SlipLine, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Slip:
    """A slip as data: everything printed on it, already in Vietnamese, nothing escaped yet.

    ``form_label`` is ``"Mẫu số 01"`` (empty when the regime prescribes no form); ``legal_basis``
    names the regulation that prescribes it; ``items`` lists documents (received, missing);
    ``table`` (with ``table_header``) holds the process-control lines.
    """

    kind: FormKind
    form_label: str
    title: str
    legal_basis: str
    issuer: str = attrs.field(converter=clean)
    place: str = attrs.field(default="", converter=clean)
    issued_at: datetime
    dossier_code: str
    addressee: str = attrs.field(converter=clean)
    lines: tuple[SlipLine, ...] = attrs.field(default=(), converter=_lines)
    items_title: str = ""
    items: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    table_header: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    table: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_rows)
    closing: str = attrs.field(default="", converter=clean)
    signer_title: str = attrs.field(default="", converter=clean)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view of the slip."""
        return {
            "kind": self.kind.value,
            "form": self.form_label,
            "title": self.title,
            "legal_basis": self.legal_basis,
            "issuer": self.issuer,
            "place": self.place,
            "issued_at": self.issued_at.isoformat(),
            "dossier_code": self.dossier_code,
            "addressee": self.addressee,
            "lines": [{"label": line.label, "value": line.value} for line in self.lines],
            "items_title": self.items_title,
            "items": list(self.items),
            "table_header": list(self.table_header),
            "table": [list(row) for row in self.table],
            "closing": self.closing,
            "signer_title": self.signer_title,
        }


def _slip(
    dossier: Dossier,
    kind: FormKind,
    *,
    issuer: str,
    issued_at: datetime,
    place: str,
    signer_title: str,
    lines: Iterable[SlipLine],
    items_title: str = "",
    items: Iterable[str] = (),
    table_header: Iterable[str] = (),
    table: Iterable[Iterable[str]] = (),
    closing: str = "",
) -> Slip:
    regime = dossier.regime
    form = regime.form(kind)
    basis = f"{regime.guidance} ({regime.title})" if form.number else f"Theo {regime.title}"
    return Slip(
        kind=kind,
        form_label=form.label,
        title=form.title,
        legal_basis=basis,
        issuer=issuer,
        place=place,
        issued_at=to_vietnam(issued_at, where="issued_at"),
        dossier_code=str(dossier.code),
        addressee=dossier.applicant.name,
        lines=lines,
        items_title=items_title,
        items=items,
        table_header=table_header,
        table=table,
        closing=closing,
        signer_title=signer_title,
    )


def _applicant_lines(dossier: Dossier) -> list[SlipLine]:
    applicant = dossier.applicant
    lines = [SlipLine(label="Mã hồ sơ", value=str(dossier.code))]
    lines.append(SlipLine(label="Tên tổ chức, cá nhân", value=applicant.name))
    if applicant.address:
        lines.append(SlipLine(label="Địa chỉ", value=applicant.address))
    if applicant.phone:
        lines.append(SlipLine(label="Số điện thoại", value=applicant.phone))
    if applicant.email:
        lines.append(SlipLine(label="Thư điện tử", value=applicant.email))
    lines.append(SlipLine(label="Thủ tục hành chính", value=dossier.procedure.name))
    return lines


def _required_instant(value: datetime | None, what: str) -> datetime:
    if value is None:
        raise ConflictError(
            f"the dossier has no {what} yet", code=f"dossier.slip.{what}", where=what
        )
    return value


def receipt_slip(
    dossier: Dossier,
    *,
    issuer: str,
    place: str = "",
    documents: Iterable[str] | None = None,
    signer_title: str = "NGƯỜI TIẾP NHẬN",
) -> Slip:
    """The receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, form 01), dated
    when the dossier was received, with the appointment made then (later moves of the due
    instant have slips of their own). ``documents`` lists the papers received (default: the
    dossier's attachments)."""
    received = _required_instant(dossier.received_at, "received_at")
    due = dossier.appointed_at
    lines = _applicant_lines(dossier)
    lines += [
        SlipLine(label="Hình thức nộp", value=_CHANNEL_VI[dossier.channel]),
        SlipLine(label="Thời gian tiếp nhận", value=vietnamese_instant(received)),
        SlipLine(
            label="Thời hạn giải quyết",
            value=vietnamese_duration(dossier.procedure.processing_time),
        ),
        SlipLine(
            label="Thời gian trả kết quả",
            value="" if due is None else f"vào hồi {vietnamese_instant(due)}",
        ),
    ]
    if dossier.fees_due:
        lines.append(
            SlipLine(label="Phí, lệ phí", value=f"{dossier.fees_due:,} đồng".replace(",", "."))
        )
    names = [a.name for a in dossier.attachments] if documents is None else list(documents)
    return _slip(
        dossier,
        FormKind.RECEIPT,
        issuer=issuer,
        issued_at=received,
        place=place,
        signer_title=signer_title,
        lines=lines,
        items_title="Thành phần hồ sơ đã nhận",
        items=names,
        closing="Vào Sổ theo dõi hồ sơ. Khi đến nhận kết quả, mang theo Giấy tiếp nhận này.",
    )


def supplement_request_slip(
    dossier: Dossier, *, issuer: str, place: str = "", signer_title: str = "NGƯỜI TIẾP NHẬN"
) -> Slip:
    """The request to complete the dossier (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, form 02)
    for the dossier's last supplement request."""
    if not dossier.supplements:
        raise ConflictError(
            f"{dossier.code} has no supplement request",
            code="dossier.slip.no_supplement",
            where="supplements",
        )
    request = dossier.supplements[-1]
    lines = _applicant_lines(dossier)
    if request.reason:
        lines.append(SlipLine(label="Lý do", value=request.reason))
    return _slip(
        dossier,
        FormKind.SUPPLEMENT_REQUEST,
        issuer=issuer,
        issued_at=request.requested_at,
        place=place,
        signer_title=signer_title,
        lines=lines,
        items_title="Nội dung yêu cầu bổ sung, hoàn thiện",
        items=request.items,
        closing=(
            "Thời gian giải quyết tạm dừng từ khi ban hành phiếu này đến khi nhận đủ hồ sơ "
            "bổ sung. Xin lỗi về sự bất tiện (nếu có)."
        ),
    )


def _event_reason(dossier: Dossier, status: DossierStatus) -> tuple[datetime, str]:
    for record in reversed(dossier.history):
        if record.target is status and record.source is not status:
            return record.at, record.reason
    raise ConflictError(
        f"{dossier.code} was never {status.value}",
        code=f"dossier.slip.not_{status.value}",
        where="status",
    )


def refusal_slip(
    dossier: Dossier, *, issuer: str, place: str = "", signer_title: str = "NGƯỜI TIẾP NHẬN"
) -> Slip:
    """The refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ, form 03) with its reason."""
    at, reason = _event_reason(dossier, DossierStatus.REFUSED)
    lines = [*_applicant_lines(dossier), SlipLine(label="Lý do từ chối", value=reason)]
    return _slip(
        dossier,
        FormKind.REFUSAL,
        issuer=issuer,
        issued_at=at,
        place=place,
        signer_title=signer_title,
        lines=lines,
        closing="Hồ sơ không đủ điều kiện tiếp nhận vì lý do nêu trên.",
    )


def apology_slip(
    dossier: Dossier, *, issuer: str, place: str = "", signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
) -> Slip:
    """The apology and new appointment / extension request (form 04) for the dossier's last
    extension."""
    if not dossier.extensions:
        raise ConflictError(
            f"{dossier.code} has no extension", code="dossier.slip.no_extension", where="extensions"
        )
    extension = dossier.extensions[-1]
    lines = [
        *_applicant_lines(dossier),
        SlipLine(label="Số, ký hiệu văn bản", value=extension.letter_reference),
        SlipLine(
            label="Hẹn trả kết quả trước đây", value=vietnamese_instant(extension.previous_due)
        ),
        SlipLine(label="Lý do chậm trễ", value=extension.reason),
        SlipLine(
            label="Hẹn trả kết quả mới", value=f"vào hồi {vietnamese_instant(extension.new_due)}"
        ),
    ]
    return _slip(
        dossier,
        FormKind.APOLOGY,
        issuer=issuer,
        issued_at=extension.at,
        place=place,
        signer_title=signer_title,
        lines=lines,
        closing=(
            "Cơ quan xin lỗi ông/bà/tổ chức vì sự chậm trễ này và hẹn trả kết quả vào thời gian "
            "nêu trên."
        ),
    )


def stop_notice(
    dossier: Dossier, *, issuer: str, place: str = "", signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
) -> Slip:
    """The notice that processing stopped (Thông báo dừng giải quyết hồ sơ) with its reason."""
    at, reason = _event_reason(dossier, DossierStatus.STOPPED)
    lines = [*_applicant_lines(dossier), SlipLine(label="Lý do dừng giải quyết", value=reason)]
    return _slip(
        dossier,
        FormKind.STOP_NOTICE,
        issuer=issuer,
        issued_at=at,
        place=place,
        signer_title=signer_title,
        lines=lines,
        closing="Cơ quan thông báo dừng giải quyết hồ sơ vì lý do nêu trên.",
    )


def process_control_slip(
    dossier: Dossier,
    *,
    issuer: str,
    issued_at: datetime,
    place: str = "",
    signer_title: str = "",
) -> Slip:
    """The process-control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ): every hand-over
    of the dossier, and each step with its own deadline and whether it kept it."""
    header = ("Thời điểm", "Nội dung", "Người thực hiện", "Trạng thái", "Ghi chú")
    rows = [
        (
            vietnamese_instant(record.at),
            record.event.replace("_", " "),
            record.actor,
            record.target.vietnamese,
            record.reason,
        )
        for record in dossier.history
    ]
    for step in dossier.steps:
        if step.finished_at is not None:
            verdict = _TIMELINESS_VI[timeliness(step.finished_at, step.due_at)]
        else:
            verdict = "Đang thực hiện" if step.started_at else "Chưa thực hiện"
        due = "" if step.due_at is None else f"hạn {vietnamese_instant(step.due_at)}"
        agency = "" if step.agency is None else str(step.agency)
        rows.append(
            (
                "" if step.finished_at is None else vietnamese_instant(step.finished_at),
                f"Bước: {step.name} {agency}".strip(),
                step.handler,
                verdict,
                due,
            )
        )
    lines = _applicant_lines(dossier)
    if dossier.due_at is not None:
        lines.append(SlipLine(label="Hẹn trả kết quả", value=vietnamese_instant(dossier.due_at)))
    return _slip(
        dossier,
        FormKind.PROCESS_CONTROL,
        issuer=issuer,
        issued_at=issued_at,
        place=place,
        signer_title=signer_title,
        lines=lines,
        table_header=header,
        table=rows,
    )


__all__ = [
    "Slip",
    "SlipLine",
    "apology_slip",
    "process_control_slip",
    "receipt_slip",
    "refusal_slip",
    "stop_notice",
    "supplement_request_slip",
    "vietnamese_date",
    "vietnamese_duration",
    "vietnamese_instant",
]
