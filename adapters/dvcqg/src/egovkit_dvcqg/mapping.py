"""The wire: every DVCQG JSON key lives in this module and nowhere else.

* :func:`dossier_to_portal` / :func:`dossier_from_portal` — a dossier and the ``DongBoHoSoMC``
  object; :func:`steps_to_portal` / :func:`step_from_portal` — processing steps and
  ``CapNhatTienDoHoSoMC`` objects;
* :func:`request_body` / :func:`read_reply` — the envelope ``{"service", "isUpdating", "data"}``
  and the answer ``{"error_code", "message"}``;
* :func:`procedure_from_portal` — ``LayDanhSachTTHC`` / ``LayThuTuc`` entries as catalogue
  versions;
* :func:`payment_init_to_portal` / :func:`payment_init_from_portal` — the payment platform's
  INIT message.

What survives ``dossier → DongBoHoSoMC → dossier`` is listed in
:data:`ROUND_TRIP_FIELDS`; everything else the portal has no key for (see
:doc:`/explanation/dvcqg`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Final, TypeVar

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration, DurationUnit
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierAttachment,
    DossierCode,
    DossierStatus,
    Fee,
    Identifier,
    IdentifierKind,
    PaymentMethod,
    ProcessingStep,
    Result,
    ResultDelivery,
    SupplementRequest,
    paper_of,
)
from egovkit.dossiers import Procedure as DeskProcedure
from egovkit.dossiers.transitions import TransitionRecord
from egovkit.errors import EgovkitError, ParseError
from egovkit.services import (
    Capability,
    CompetentLevel,
    Component,
    FeeItem,
    Procedure,
    ProcedureCode,
)
from egovkit.text import fold
from egovkit_dvcqg.codes import CodeLists, default_codes
from egovkit_dvcqg.dates import format_instant, parse_instant
from egovkit_dvcqg.hostile import Obj
from egovkit_dvcqg.payment import PaymentInit, Receipt, ReceiptFee, ReceiptItem
from egovkit_dvcqg.status import StatusRules

# --------------------------------------------------------------------------- services
#: Push dossiers.
SYNC_DOSSIERS: Final = "DongBoHoSoMC"
#: Push progress steps.
SYNC_PROGRESS: Final = "CapNhatTienDoHoSoMC"
#: Look a dossier up.
LOOK_UP: Final = "TraCuuHoSo"
#: List the procedures.
LIST_PROCEDURES: Final = "LayDanhSachTTHC"
#: One procedure's details.
GET_PROCEDURE: Final = "LayThuTuc"

#: Limits the portal is observed to enforce.
SUMMARY_LIMIT: Final = 1000  # TrichYeuHoSo
HANDLER_LIMIT: Final = 50  # NguoiXuLy
FILE_NAME_LIMIT: Final = 4000  # TenTepDinhKem (HuanVu: 3995 + "...")

#: What ``dossier_from_portal(dossier_to_portal(d))`` gives back equal (``summary`` up to
#: :data:`SUMMARY_LIMIT` characters, instants to the second, the state as its national code).
ROUND_TRIP_FIELDS: Final = (
    "code",
    "procedure.code",
    "procedure.name",
    "channel",
    "applicant.kind",
    "applicant.name",
    "applicant.identifiers (personal ID and old ID card only)",
    "applicant.phone",
    "applicant.email",
    "receiving_agency (the unit of the dossier code)",
    "competent_agency (by its name in DonViXuLy, with MappingOptions.agency_of_name)",
    "result_delivery (postal or not: HinhThuc)",
    "status (as its national code)",
    "summary",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "refused_at",
    "fees",
    "supplements (but their reason)",
)

_CHANNEL: Final = {Channel.DIRECT: "1", Channel.ONLINE: "2", Channel.POSTAL: "3"}
_KIND: Final = {
    ApplicantKind.CITIZEN: "1",
    ApplicantKind.BUSINESS: "2",
    ApplicantKind.AGENCY: "3",
    ApplicantKind.ORGANISATION: "4",
}
_ID_KIND: Final = {IdentifierKind.PERSONAL_ID: "1", IdentifierKind.OLD_ID_CARD: "2"}


def _reverse(table: dict[Any, str]) -> dict[str, Any]:
    return {v: k for k, v in table.items()}


_CHANNEL_BACK: Final = _reverse(_CHANNEL)
_KIND_BACK: Final = _reverse(_KIND)
_ID_KIND_BACK: Final = _reverse(_ID_KIND)


@attrs.frozen(kw_only=True)
class MappingOptions:
    """What the portal needs and a dossier does not hold: ``file_url`` gives the download
    address of an attachment (``DuongDanTaiTepTin``; the portal takes addresses, not bytes);
    ``agency_name`` the name of a unit (``DonViXuLy`` carries the competent unit's **name** —
    OpenCPS ``getGovAgencyName()``, HuanVu ``GroupName``; default: its code text) and
    ``agency_of_name`` the reverse on reading (default: the receiving unit of the dossier
    code); ``codes`` the code lists (:mod:`egovkit_dvcqg.codes`)."""

    file_url: Callable[[Attachment], str] | None = None
    agency_name: Callable[[AgencyCode], str] | None = None
    agency_of_name: Callable[[str], AgencyCode | None] | None = None
    codes: CodeLists = attrs.field(factory=default_codes, repr=False)


_DEFAULT_OPTIONS: Final = MappingOptions()

# --------------------------------------------------------------------------- envelope


def request_body(service: str, data: Sequence[object], *, updating: bool) -> dict[str, Any]:
    """The body of one call: ``{"service", "isUpdating", "data"}``."""
    return {"service": service, "isUpdating": "True" if updating else "False", "data": list(data)}


@attrs.frozen(kw_only=True)
class Reply:
    """The portal's answer: ``error_code``, its ``message`` and any ``data`` or ``result`` it
    returned (the catalogue and look-up services answer in ``result``)."""

    error_code: str
    message: str
    data: object = None
    result: object = None

    @property
    def _number(self) -> int | None:
        text = self.error_code.strip()
        return int(text) if text.lstrip("-").isdigit() else None

    @property
    def ok(self) -> bool:
        """Success: an ``error_code`` whose integer value is 0 — ``"0"`` (HuanVu201), ``"00"``
        and ``0`` (OpenCPS versions compare ``"00"`` or ``getInteger(...) == 0``) — unless the
        message says the object already exists."""
        return self._number == 0 and not self.already_exists

    @property
    def already_exists(self) -> bool:
        """``error_code`` 3 or -3 (or 0) with "đã tồn tại" in the message: the object exists,
        update it instead (HuanVu201 ``SyncLocalDataToDVCQGService.cs``)."""
        return self._number in (0, 3, -3) and "da ton tai" in fold(self.message)

    def results(self) -> list[object]:
        """The ``result`` list (``[]`` when absent); a non-list is a ParseError."""
        if self.result is None:
            return []
        if not isinstance(self.result, list):
            raise ParseError("result must be a list", code="dvcqg.json.type", where="result")
        return list(self.result)


def read_reply(value: object) -> Reply:
    """Read an answer; a wrong shape raises :class:`~egovkit.errors.ParseError` naming the key.
    ``error_code`` may be a number or text."""
    top = Obj(value, "")
    return Reply(
        error_code=top.text("error_code", required=True, max_length=20),
        message=top.text("message", max_length=10_000),
        data=top.data.get("data"),
        result=top.data.get("result"),
    )


def look_up_body(code: str) -> dict[str, str]:
    """The fields of a ``TraCuuHoSo`` call (OpenCPS ``searchDossier``: ``mahoso``)."""
    return {"service": LOOK_UP, "mahoso": code}


# --------------------------------------------------------------------------- dossiers


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _online_payment(dossier: Dossier) -> str:
    if any(p.method is PaymentMethod.ONLINE for p in dossier.payments):
        return "1"
    return "3" if dossier.fees_due else "0"


def _cut(text: str, limit: int) -> str:
    """HuanVu's cut: ``limit - 5`` characters and "..." past ``limit``."""
    return text if len(text) <= limit else text[: limit - 5] + "..."


def _reuse(paper: DossierAttachment) -> str:
    if paper.replaces_result:
        return "2"
    return "1" if paper.reused else "0"


def _attachment(item: Attachment, options: MappingOptions) -> dict[str, Any]:
    """A ``TaiLieuNop`` entry from the Decree 45 flags of the paper (a plain attachment is a
    digitised paper filed by the applicant)."""
    paper = paper_of(item)
    return {
        "TepDinhKemId": item.sha256,
        "TenTepDinhKem": _cut(item.name, FILE_NAME_LIMIT),
        "IsDeleted": "0",
        "MaThanhPhanHoSo": paper.component_code,
        "DuongDanTaiTepTin": options.file_url(item) if options.file_url else "",
        "DuocSoHoa": _flag(paper.digitised),
        "DuocTaiSuDung": _reuse(paper),
        "DuocLayTuKhoDMQG": _flag(paper.from_national_database),
        "MaKetQuaThayThe": paper.replaces_result,
    }


def _owner_ids(identifiers: list[Identifier], codes: CodeLists) -> list[dict[str, str]]:
    """``DinhDanhCHS``: never empty (HuanVu sends a placeholder for an owner without one)."""
    found = [{"LoaiDinhDanh": _ID_KIND[i.kind], "SoDinhDanh": i.value} for i in identifiers]
    return found or [
        {"LoaiDinhDanh": codes.placeholder_kind, "SoDinhDanh": codes.placeholder_number}
    ]


def dossier_to_portal(
    dossier: Dossier,
    *,
    rules: StatusRules | None = None,
    options: MappingOptions = _DEFAULT_OPTIONS,
) -> dict[str, Any]:
    """The ``DongBoHoSoMC`` object of ``dossier``, its state reported by ``rules``
    (default :meth:`~egovkit_dvcqg.status.StatusRules.default`)."""
    rules = rules or _DEFAULT_RULES
    codes = options.codes
    applicant = dossier.applicant
    code = str(dossier.code)
    unit = dossier.competent_agency
    papers = [paper_of(a) for a in dossier.attachments]
    identifiers = [i for i in applicant.identifiers if i.kind in _ID_KIND]
    first = applicant.identifiers[0].value if applicant.identifiers else ""
    return {
        "MaHoSo": code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": dossier.procedure.name,
        "MaLinhVuc": "",
        "TenLinhVuc": "",
        "KenhThucHien": _CHANNEL[dossier.channel],
        "SoBienNhan": code,
        "ChuHoSo": applicant.name,
        "SoGiayToChuHoSo": first,
        "LoaiDoiTuong": _KIND[applicant.kind],
        "MaDoiTuong": "",
        "ThongTinKhac": applicant.address,
        "Email": applicant.email,
        "Fax": "",
        "SoDienThoai": applicant.phone,
        "TrichYeuHoSo": dossier.summary[:SUMMARY_LIMIT],
        "NgayTiepNhan": format_instant(dossier.received_at),
        "NgayHenTra": format_instant(dossier.due_at),
        "TrangThaiHoSo": str(rules.code(dossier.status)),
        "NgayTra": format_instant(dossier.returned_at),
        "ThongTinTra": "",
        "HinhThuc": codes.delivery[dossier.result_delivery],
        "NgayKetThucXuLy": format_instant(dossier.finished_at),
        "DonViXuLy": options.agency_name(unit) if options.agency_name else str(unit),
        "GhiChu": "",
        "NoiNopHoSo": codes.submission_place,
        "HoSoCoThanhPhanSoHoa": _flag(any(p.digitised for p in papers)),
        "TaiKhoanDuocXacThucVoiVNeID": "0",
        "DuocThanhToanTrucTuyen": _online_payment(dossier),
        "NgayTuChoi": format_instant(dossier.refused_at),
        "NgayNopHoSo": format_instant(dossier.submitted_at),
        "DinhDanhCHS": _owner_ids(identifiers, codes),
        "DSKetNoiCSDL": [],
        "TaiLieuNop": [_attachment(a, options) for a in dossier.attachments],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": f.code or codes.fee_code,
                "HinhThucThu": codes.collection[f.collection],
                "Gia": str(f.amount),
                "LoaiPhiLePhi": codes.fee_kind,
            }
            for f in dossier.fees
        ],
        "DanhSachHoSoBoSung": [
            {
                "HoSoBoSungId": f"{code}-BS{index}",
                "NguoiYeuCauBoSung": s.requested_by,
                "NoiDungBoSung": "\n".join(s.items),
                "NgayBoSung": format_instant(s.requested_at),
                "NguoiTiepNhanBoSung": s.received_by,
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": format_instant(s.supplemented_at),
                "TrangThaiBoSung": _flag(s.supplemented_at is not None),
                "NgayHenTraTruoc": format_instant(s.previous_due),
                "NgayHenTraMoi": format_instant(s.new_due),
            }
            for index, s in enumerate(dossier.supplements, start=1)
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": r.name,
                "MaThanhPhanHoSo": "",
                "GiayToId": r.reference,
                "DuongDanTepTinKetQua": (
                    options.file_url(r.attachment)
                    if options.file_url and r.attachment is not None
                    else ""
                ),
                "MaGiayToKetQua": r.code,
            }
            for r in dossier.results
        ],
    }


_DEFAULT_RULES: Final = StatusRules.default()


def _choice(obj: Obj, key: str, table: dict[str, Any]) -> Any:
    text = obj.text(key, required=True)
    if text not in table:
        raise ParseError(
            f"{obj.path(key)} {text[:20]!r} is not one of {sorted(table)}",
            code="dvcqg.code_list",
            where=obj.path(key),
        )
    return table[text]


def _instant(obj: Obj, key: str) -> datetime | None:
    return parse_instant(obj.text(key, max_length=14), where=obj.path(key))


T = TypeVar("T")


def _wrap(where: str, build: Callable[[], T]) -> T:
    """Run ``build``; a domain error (a bad agency code, an empty name) becomes a ParseError
    naming the portal key."""
    try:
        return build()
    except ParseError as exc:
        if exc.code.startswith("dvcqg."):
            raise  # the portal reader's own error: it already names its key
        raise ParseError(exc.message, code=exc.code, where=where) from exc
    except EgovkitError as exc:
        raise ParseError(exc.message, code=exc.code, where=where) from exc


def _history(
    code: str, status: DossierStatus, moments: list[tuple[datetime | None, DossierStatus, str]]
) -> tuple[TransitionRecord, ...]:
    known = sorted(
        ((at, target, event) for at, target, event in moments if at is not None), key=lambda m: m[0]
    )
    records: list[TransitionRecord] = []
    source: DossierStatus | None = None
    for at, target, event in known:
        records.append(
            TransitionRecord(
                dossier=code, event=event, source=source, target=target, actor="dvcqg", at=at
            )
        )
        source = target
    if records and records[-1].target is not status:
        last = records[-1]
        records.append(
            TransitionRecord(
                dossier=code,
                event="dvcqg",
                source=last.target,
                target=status,
                actor="dvcqg",
                at=last.at,
            )
        )
    return tuple(records)


def dossier_from_portal(
    value: object,
    *,
    where: str = "",
    processing_time: Callable[[str], Duration] | None = None,
    options: MappingOptions = _DEFAULT_OPTIONS,
) -> Dossier:
    """Read a ``DongBoHoSoMC`` object back into a dossier: the fields of
    :data:`ROUND_TRIP_FIELDS`, with a history rebuilt from the portal's dates. The portal does
    not carry the processing time; ``processing_time(MaTTHC)`` supplies it (default 0 working
    days). The receiving unit is the one of the dossier code; the competent unit comes from
    ``options.agency_of_name(DonViXuLy)`` (default: the receiving unit). The placeholder
    owner identifier is dropped. Every error is a :class:`~egovkit.errors.ParseError` naming
    the key."""
    obj = Obj(value, where)
    codes = options.codes
    collections = {v: k for k, v in codes.collection.items()}
    deliveries = _deliveries(codes)
    code_text = obj.text("MaHoSo", required=True, max_length=64)
    code = _wrap(obj.path("MaHoSo"), lambda: DossierCode.parse(code_text))
    procedure_code = obj.text("MaTTHC", required=True, max_length=64)
    procedure = _wrap(
        obj.path("MaTTHC"),
        lambda: DeskProcedure(
            code=procedure_code,
            name=obj.text("TenTTHC", required=True, max_length=2000),
            processing_time=(
                processing_time(procedure_code) if processing_time else Duration.working_days(0)
            ),
        ),
    )
    identifiers = [
        _wrap(
            item.path("SoDinhDanh"),
            lambda item=item: Identifier(  # type: ignore[misc]
                kind=_choice(item, "LoaiDinhDanh", _ID_KIND_BACK),
                value=item.text("SoDinhDanh", required=True, max_length=20),
            ),
        )
        for item in obj.items("DinhDanhCHS")
        if item.text("SoDinhDanh", max_length=20) != codes.placeholder_number
    ]
    applicant = _wrap(
        obj.path("ChuHoSo"),
        lambda: Applicant(
            kind=_choice(obj, "LoaiDoiTuong", _KIND_BACK),
            name=obj.text("ChuHoSo", required=True, max_length=500),
            identifiers=identifiers,
            address=obj.text("ThongTinKhac", max_length=2000),
            phone=obj.text("SoDienThoai", max_length=50),
            email=obj.text("Email", max_length=320),
        ),
    )
    national = obj.integer("TrangThaiHoSo", required=True)
    status = _wrap(obj.path("TrangThaiHoSo"), lambda: StatusRules.status_for(national))
    received = _instant(obj, "NgayTiepNhan")
    submitted = _instant(obj, "NgayNopHoSo")
    finished = _instant(obj, "NgayKetThucXuLy")
    fees = [
        _wrap(
            item.where,
            lambda item=item: Fee(  # type: ignore[misc]
                name=item.text("TenPhiLePhi", required=True, max_length=500),
                amount=item.integer("Gia", required=True),
                code=_fee_code(item, codes),
                collection=_choice(item, "HinhThucThu", collections),
            ),
        )
        for item in obj.items("DanhSachLePhi")
    ]
    supplements = [
        _wrap(
            item.where,
            lambda item=item: SupplementRequest(  # type: ignore[misc]
                requested_at=_required_instant(item, "NgayBoSung"),
                requested_by=item.text("NguoiYeuCauBoSung", max_length=500),
                items=item.text("NoiDungBoSung", max_length=10_000).split("\n"),
                supplemented_at=_instant(item, "NgayTiepNhanBoSung"),
                received_by=item.text("NguoiTiepNhanBoSung", max_length=500),
                previous_due=_instant(item, "NgayHenTraTruoc"),
                new_due=_instant(item, "NgayHenTraMoi"),
            ),
        )
        for item in obj.items("DanhSachHoSoBoSung")
    ]
    results = [
        Result(
            name=item.text("TenGiayTo", required=True, max_length=500),
            issued_at=finished,
            reference=item.text("GiayToId", max_length=200),
            code=item.text("MaGiayToKetQua", max_length=200),
        )
        for item in obj.items("DanhSachGiayToKetQua")
        if finished is not None
    ]
    moments = [
        (submitted if received is None else None, DossierStatus.SUBMITTED, "submit"),
        (received, DossierStatus.RECEIVED, "receive"),
        (_instant(obj, "NgayTuChoi"), DossierStatus.REFUSED, "refuse"),
        (finished, DossierStatus.RESOLVED, "resolve"),
        (_instant(obj, "NgayTra"), DossierStatus.RETURNED, "return_result"),
    ]
    channel = _choice(obj, "KenhThucHien", _CHANNEL_BACK)
    obj.text("NoiNopHoSo", max_length=20)  # a short code, not an agency
    receiving = code.agency
    unit_name = obj.text("DonViXuLy", required=True, max_length=500)
    found = options.agency_of_name(unit_name) if options.agency_of_name else None
    competent = found or receiving
    delivery = _choice(obj, "HinhThuc", deliveries) if obj.text("HinhThuc") else None
    summary = obj.text("TrichYeuHoSo", max_length=SUMMARY_LIMIT)
    due = _instant(obj, "NgayHenTra")
    return _wrap(
        where or "MaHoSo",
        lambda: Dossier(
            code=code,
            procedure=procedure,
            applicant=applicant,
            channel=channel,
            receiving_agency=receiving,
            competent_agency=competent,
            status=status,
            summary=summary,
            submitted_at=submitted,
            received_at=received,
            due_at=due,
            fees=fees,
            supplements=supplements,
            results=results,
            history=_history(str(code), status, moments),
            result_delivery=delivery,
        ),
    )


def _deliveries(codes: CodeLists) -> dict[str, ResultDelivery | None]:
    """``HinhThuc`` read back: a code that several methods share reads as unknown."""
    back: dict[str, ResultDelivery | None] = {}
    for method, code in codes.delivery.items():
        back[code] = None if code in back else method
    return back


def _fee_code(item: Obj, codes: CodeLists) -> str:
    text = item.text("MaPhiLePhi", max_length=64)
    return "" if text == codes.fee_code else text


def _required_instant(obj: Obj, key: str) -> datetime:
    found = _instant(obj, key)
    if found is None:
        raise ParseError(
            f"{obj.path(key)} is missing", code="dvcqg.json.missing", where=obj.path(key)
        )
    return found


# --------------------------------------------------------------------------- progress steps


def _status_at(dossier: Dossier, at: datetime) -> DossierStatus:
    current = dossier.history[0].target if dossier.history else dossier.status
    for record in dossier.history:
        if record.at > at:
            break
        current = record.target
    return current


def steps_to_portal(
    dossier: Dossier,
    *,
    rules: StatusRules | None = None,
    options: MappingOptions = _DEFAULT_OPTIONS,
) -> list[dict[str, Any]]:
    """The ``CapNhatTienDoHoSoMC`` objects of the dossier's started steps; ``TrangThai`` is the
    dossier's state (by ``rules``) when the step last changed. With ``rules.closing_step`` a
    dossier reported as 9 in another state gets a synthetic "Kết thúc xử lý" step."""
    rules = rules or _DEFAULT_RULES
    code = str(dossier.code)
    objects = []
    for step in dossier.steps:
        if step.started_at is None:
            continue
        moment = step.finished_at or step.started_at
        objects.append(
            {
                "MaHoSo": code,
                "NguoiXuLy": step.handler[:HANDLER_LIMIT],
                "ChucDanh": "",
                "ThoiDiemXuLy": format_instant(moment),
                "PhongBanXuLy": (
                    ""
                    if step.agency is None
                    else options.agency_name(step.agency)
                    if options.agency_name
                    else str(step.agency)
                ),
                "NoiDungXuLy": step.name,
                "TrangThai": str(rules.code(_status_at(dossier, moment))),
                "NgayBatDau": format_instant(step.started_at),
                "NgayKetThucTheoQuyDinh": format_instant(step.due_at),
            }
        )
    reported = rules.code(dossier.status)
    if rules.closing_step and reported == 9 and dossier.status is not DossierStatus.RESOLVED:
        last = dossier.history[-1].at if dossier.history else None
        objects.append(
            {
                "MaHoSo": code,
                "NguoiXuLy": "",
                "ChucDanh": "",
                "ThoiDiemXuLy": format_instant(last),
                "PhongBanXuLy": "",
                "NoiDungXuLy": "Kết thúc xử lý",
                "TrangThai": "9",
                "NgayBatDau": format_instant(last),
                "NgayKetThucTheoQuyDinh": format_instant(dossier.due_at),
            }
        )
    return objects


def step_from_portal(value: object, *, where: str = "") -> tuple[str, ProcessingStep]:
    """The dossier code and the step of a ``CapNhatTienDoHoSoMC`` object. ``ThoiDiemXuLy``
    later than ``NgayBatDau`` reads as the finish; equal, as a step still open."""
    obj = Obj(value, where)
    started = _instant(obj, "NgayBatDau")
    moment = _instant(obj, "ThoiDiemXuLy")
    agency_text = obj.text("PhongBanXuLy", max_length=100)
    agency: AgencyCode | None = None
    if agency_text:
        try:
            agency = AgencyCode.parse(agency_text)
        except ParseError:
            agency = None  # a department's name, not a code
    step = _wrap(
        obj.path("NoiDungXuLy"),
        lambda: ProcessingStep(
            name=obj.text("NoiDungXuLy", required=True, max_length=2000),
            agency=agency,
            due_at=_instant(obj, "NgayKetThucTheoQuyDinh"),
            started_at=started,
            finished_at=moment if moment is not None and moment != started else None,
            handler=obj.text("NguoiXuLy", max_length=HANDLER_LIMIT),
        ),
    )
    return obj.text("MaHoSo", required=True, max_length=64), step


# --------------------------------------------------------------------------- procedures

_LEVELS: Final = {
    "trung uong": CompetentLevel.CENTRAL,
    "bo": CompetentLevel.CENTRAL,
    "tinh": CompetentLevel.PROVINCE,
    "huyen": CompetentLevel.DISTRICT,
    "xa": CompetentLevel.COMMUNE,
}
_BY_MUC_DO: Final = {
    2: frozenset({Capability.INFORMATION, Capability.DOWNLOADABLE_FORMS}),
    3: frozenset(
        {Capability.INFORMATION, Capability.DOWNLOADABLE_FORMS, Capability.ONLINE_SUBMISSION}
    ),
    4: frozenset(
        {
            Capability.INFORMATION,
            Capability.DOWNLOADABLE_FORMS,
            Capability.ONLINE_SUBMISSION,
            Capability.ONLINE_PROCESSING,
            Capability.ONLINE_PAYMENT,
            Capability.ONLINE_RESULT,
        }
    ),
}


_UNITS: Final = {
    "ngay lam viec": DurationUnit.WORKING_DAYS,
    "ngay": DurationUnit.CALENDAR_DAYS,
    "gio": DurationUnit.WORKING_HOURS,
    "gio lam viec": DurationUnit.WORKING_HOURS,
}


def _level(packet: Obj) -> CompetentLevel:
    """The first level of ``CAPTHUCHIEN[]`` (its ``TENCAP``, e.g. "Cấp Tỉnh")."""
    for item in packet.items("CAPTHUCHIEN"):
        text = fold(item.text("TENCAP", max_length=200)).removeprefix("cap ").strip()
        for key, level in _LEVELS.items():
            if text == key or text.startswith(key + " "):
                return level
    raise ParseError(
        f"{packet.path('CAPTHUCHIEN')} names no level of government",
        code="dvcqg.procedure.level",
        where=packet.path("CAPTHUCHIEN"),
    )


def _money(obj: Obj, key: str) -> int:
    """A sum of đồng written as a whole number, a float with no fraction or digits
    (OpenCPS reads ``SOTIEN`` with ``getDouble``)."""
    value = obj.data.get(key)
    if isinstance(value, float) and value.is_integer() and 0 <= value < 1e15:
        return int(value)
    return obj.integer(key)


def _channels(packet: Obj) -> list[Obj]:
    """``CACHTHUCTHUCHIEN[]``, the direct channel (``KENH`` 1) first."""
    found = packet.items("CACHTHUCTHUCHIEN")
    return sorted(found, key=lambda c: c.text("KENH", max_length=4) != "1")


def _processing_time(packet: Obj) -> Duration | None:
    """The first ``THOIGIAN`` of the first channel: ``THOIGIANGIAIQUYET`` in ``DONVITINH``
    ("Ngày làm việc", "Ngày", "Giờ"); ``None`` when absent, fractional or in another unit."""
    for channel in _channels(packet):
        for time_ in channel.items("THOIGIAN"):
            unit = _UNITS.get(fold(time_.text("DONVITINH", max_length=100)).strip())
            value = time_.data.get("THOIGIANGIAIQUYET")
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if unit is None or isinstance(value, bool) or not isinstance(value, (int, str)):
                return None
            text = str(value).strip()
            return Duration(amount=int(text), unit=unit) if text.isdigit() else None
    return None


def _fees(packet: Obj) -> list[FeeItem]:
    """Every non-zero ``PHILEPHI`` of every channel and case, once per (code, amount)."""
    seen: set[tuple[str, int]] = set()
    fees: list[FeeItem] = []
    for channel in _channels(packet):
        for time_ in channel.items("THOIGIAN"):
            for fee in time_.items("PHILEPHI"):
                amount = _money(fee, "SOTIEN")
                code = fee.text("MAPHILEPHI", max_length=100)
                if amount == 0 or (code, amount) in seen:
                    continue
                seen.add((code, amount))
                name = fee.text("MOTA", max_length=500) or code or "Phí, lệ phí"
                fees.append(FeeItem(name=name[:500], amount=amount))
    return fees


def procedure_from_portal(
    listed: object,
    detail: object | None = None,
    *,
    valid_from: date,
    where: str = "",
    muc_do: Callable[[str], int | None] | None = None,
) -> Procedure:
    """A catalogue version from a ``LayDanhSachTTHC`` entry (``MATTHC``, ``TENTTHC``) and, when
    fetched, its ``LayThuTuc`` packet (``result[0]``, upper-case keys as OpenCPS v2 and
    HuanVu201 ``AddThuTucTypes.cs`` read them): ``LINHVUCTHUCHIEN[0].TENLINHVUC``,
    ``CAPTHUCHIEN[].TENCAP``, ``CACHTHUCTHUCHIEN[]{KENH, THOIGIAN[]{THOIGIANGIAIQUYET,
    DONVITINH, PHILEPHI[]{MAPHILEPHI, SOTIEN, MOTA}}}``, ``THANHPHANHOSO[].GIAYTO[]{TENGIAYTO,
    SOBANCHINH, SOBANSAO, TENMAUDON, URL}``.

    The portal has no service level: ``MucDo`` (2/3/4) is a local attribute of a unit's
    procedures, so ``muc_do(MATTHC)`` may supply it; without it the version gets the
    information, downloadable forms (a paper has a form file) and online submission (a
    ``KENH`` 2 channel) the packet shows."""
    head = Obj(listed, where)
    packet = Obj(detail, f"{where}.detail" if where else "detail") if detail is not None else head
    code_text = head.text("MATTHC", required=True, max_length=64)
    fields = packet.items("LINHVUCTHUCHIEN")
    papers = [g for c in packet.items("THANHPHANHOSO") for g in c.items("GIAYTO")]
    level = muc_do(code_text) if muc_do is not None else None
    if level in _BY_MUC_DO:
        capabilities = _BY_MUC_DO[level]
    else:
        shown = {Capability.INFORMATION}
        if any(
            g.text("TENMAUDON", max_length=2000) or g.text("URL", max_length=4000) for g in papers
        ):
            shown.add(Capability.DOWNLOADABLE_FORMS)
        if any(c.text("KENH", max_length=4) == "2" for c in _channels(packet)):
            shown.add(Capability.ONLINE_SUBMISSION)
        capabilities = frozenset(shown)
    return _wrap(
        head.path("MATTHC"),
        lambda: Procedure(
            code=ProcedureCode.parse(code_text),
            name=(
                packet.text("TENTTHC", max_length=2000)
                or head.text("TENTTHC", required=True, max_length=2000)
            ),
            field=fields[0].text("TENLINHVUC", max_length=500) if fields else "",
            competent_level=_level(packet),
            processing_time=_processing_time(packet),
            fees=_fees(packet),
            components=[
                Component(
                    name=g.text("TENGIAYTO", required=True, max_length=2000),
                    originals=g.integer("SOBANCHINH", default=1),
                    copies=g.integer("SOBANSAO"),
                )
                for g in papers
            ],
            capabilities=capabilities,
            valid_from=valid_from,
        ),
    )


# --------------------------------------------------------------------------- payment INIT


def payment_signed_values(init: PaymentInit) -> list[str]:
    """The INIT fields ``MaXacThuc`` covers, in their fixed order."""
    return [
        "INIT",
        init.version,
        init.partner,
        init.reference,
        str(init.amount),
        "PAY",
        init.channel,
        init.device,
        init.language,
        init.currency,
        init.bank,
        init.description,
        format_instant(init.at),
        init.ip,
    ]


def payment_init_to_portal(init: PaymentInit, authentication: str) -> dict[str, Any]:
    """The INIT message of ``init`` carrying ``authentication`` as ``MaXacThuc``."""
    message: dict[str, Any] = {
        "LoaiBanTin": "INIT",
        "PhienBan": init.version,
        "MaDoiTac": init.partner,
        "MaThamChieu": init.reference,
        "SoTien": str(init.amount),
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": init.channel,
        "MaThietBi": init.device,
        "NgonNgu": init.language,
        "MaTienTe": init.currency,
        "MaNganHang": init.bank,
        "ThongTinGiaoDich": init.description,
        "ThoiGianGD": format_instant(init.at),
        "Ip": init.ip,
        "MaXacThuc": authentication,
    }
    if init.receipt is not None:
        r = init.receipt
        message["ThongTinBienLai"] = {
            "MaDichVu": r.service,
            "MaTTHC": r.procedure,
            "MaDVC": r.public_service,
            "TenDVC": r.public_service_name,
            "TenTTHC": r.procedure_name,
            "MaHoSo": r.dossier,
            "MaDonVi": r.unit,
            "TenDonVi": r.unit_name,
            "MaNHThuHuong": r.bank,
            "TKThuHuong": r.account,
            "TenTKThuHuong": r.account_name,
            "HoTenNguoiNop": r.payer_name,
            "SoCMNDNguoiNop": r.payer_id,
            "DiaChiNguoiNop": r.payer_address,
            "NoiDungThanhToan": r.purpose,
            "PhiLePhi": [
                {
                    "LoaiPhiLePhi": f.kind,
                    "MaPhiLePhi": f.code,
                    "TenPhiLePhi": f.name,
                    "SoTien": str(f.amount),
                }
                for f in r.fees
            ],
            "DSKhoanNop": [{"NoiDung": i.content, "SoTien": str(i.amount)} for i in r.items],
        }
    return message


def payment_init_from_portal(value: object) -> tuple[PaymentInit, str]:
    """An INIT message read back: the request and its ``MaXacThuc`` (unchecked)."""
    obj = Obj(value, "")
    for key, wanted in (("LoaiBanTin", "INIT"), ("LoaiHinhThanhToan", "PAY")):
        if obj.text(key, required=True, max_length=10) != wanted:
            raise ParseError(f"{key} must be {wanted!r}", code="dvcqg.payment.kind", where=key)
    at = _required_instant(obj, "ThoiGianGD")
    receipt = None
    if obj.data.get("ThongTinBienLai") is not None:
        block = Obj(obj.data["ThongTinBienLai"], "ThongTinBienLai")
        receipt = _wrap(
            block.where,
            lambda: Receipt(
                procedure=block.text("MaTTHC", max_length=64),
                dossier=block.text("MaHoSo", max_length=64),
                unit=block.text("MaDonVi", max_length=64),
                account=block.text("TKThuHuong", max_length=64),
                fees=[
                    ReceiptFee(
                        name=f.text("TenPhiLePhi", max_length=500),
                        amount=f.integer("SoTien"),
                        code=f.text("MaPhiLePhi", max_length=64),
                        kind=f.text("LoaiPhiLePhi", max_length=64),
                    )
                    for f in block.items("PhiLePhi")
                ],
                service=block.text("MaDichVu", max_length=64),
                public_service=block.text("MaDVC", max_length=100),
                public_service_name=block.text("TenDVC", max_length=2000),
                procedure_name=block.text("TenTTHC", max_length=2000),
                unit_name=block.text("TenDonVi", max_length=500),
                bank=block.text("MaNHThuHuong", max_length=64),
                account_name=block.text("TenTKThuHuong", max_length=500),
                payer_name=block.text("HoTenNguoiNop", max_length=500),
                payer_id=block.text("SoCMNDNguoiNop", max_length=20),
                payer_address=block.text("DiaChiNguoiNop", max_length=2000),
                purpose=block.text("NoiDungThanhToan", max_length=2000),
                items=[
                    ReceiptItem(
                        content=i.text("NoiDung", max_length=2000), amount=i.integer("SoTien")
                    )
                    for i in block.items("DSKhoanNop")
                ],
            ),
        )
    init = _wrap(
        "INIT",
        lambda: PaymentInit(
            version=obj.text("PhienBan", required=True, max_length=20),
            partner=obj.text("MaDoiTac", required=True, max_length=100),
            reference=obj.text("MaThamChieu", required=True, max_length=100),
            amount=obj.integer("SoTien", required=True),
            channel=obj.text("MaKenhThanhToan", max_length=100),
            device=obj.text("MaThietBi", max_length=100),
            language=obj.text("NgonNgu", max_length=10),
            currency=obj.text("MaTienTe", max_length=10),
            bank=obj.text("MaNganHang", max_length=100),
            description=obj.text("ThongTinGiaoDich", max_length=2000),
            at=at,
            ip=obj.text("Ip", max_length=64),
            receipt=receipt,
        ),
    )
    return init, obj.text("MaXacThuc", required=True, max_length=128)


def procedure_request(code: str) -> dict[str, str]:
    """The fields of a ``LayThuTuc`` call: ``maTTHC`` at the top level (OpenCPS
    ``createSyncDossierBodyRequest``: ``body.put("maTTHC", …)``)."""
    return {"service": GET_PROCEDURE, "maTTHC": code}


def procedure_list_request() -> dict[str, str]:
    """The fields of a ``LayDanhSachTTHC`` call."""
    return {"service": LIST_PROCEDURES}


def procedure_list(reply: Reply) -> list[object]:
    """The entries of a ``LayDanhSachTTHC`` answer (its ``result`` list)."""
    return reply.results()


__all__ = [
    "GET_PROCEDURE",
    "HANDLER_LIMIT",
    "LIST_PROCEDURES",
    "LOOK_UP",
    "ROUND_TRIP_FIELDS",
    "SUMMARY_LIMIT",
    "SYNC_DOSSIERS",
    "SYNC_PROGRESS",
    "MappingOptions",
    "Reply",
    "dossier_from_portal",
    "dossier_to_portal",
    "look_up_body",
    "payment_init_from_portal",
    "payment_init_to_portal",
    "payment_signed_values",
    "procedure_from_portal",
    "procedure_list",
    "procedure_list_request",
    "procedure_request",
    "read_reply",
    "request_body",
    "step_from_portal",
    "steps_to_portal",
]
