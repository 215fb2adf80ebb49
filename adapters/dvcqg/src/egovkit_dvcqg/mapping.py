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
from egovkit.calendar import Duration
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
    DossierStatus,
    Fee,
    FeeCollection,
    Identifier,
    IdentifierKind,
    PaymentMethod,
    ProcessingStep,
    Result,
    SupplementRequest,
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
from egovkit_dvcqg.dates import format_instant, parse_instant
from egovkit_dvcqg.hostile import Obj
from egovkit_dvcqg.payment import PaymentInit, Receipt, ReceiptFee
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
    "receiving_agency",
    "competent_agency",
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
_COLLECTION: Final = {
    FeeCollection.BEFORE: "Thu trước",
    FeeCollection.AFTER: "Thu sau",
    FeeCollection.EXEMPT: "Đối tượng miễn phí",
}


def _reverse(table: dict[Any, str]) -> dict[str, Any]:
    return {v: k for k, v in table.items()}


_CHANNEL_BACK: Final = _reverse(_CHANNEL)
_KIND_BACK: Final = _reverse(_KIND)
_ID_KIND_BACK: Final = _reverse(_ID_KIND)
_COLLECTION_BACK: Final = _reverse(_COLLECTION)


@attrs.frozen(kw_only=True)
class MappingOptions:
    """What the portal needs and a dossier does not hold: ``file_url`` gives the download
    address of an attachment (``DuongDanTaiTepTin``; the portal takes addresses, not bytes)."""

    file_url: Callable[[Attachment], str] | None = None


_DEFAULT_OPTIONS: Final = MappingOptions()

# --------------------------------------------------------------------------- envelope


def request_body(service: str, data: Sequence[object], *, updating: bool) -> dict[str, Any]:
    """The body of one call: ``{"service", "isUpdating", "data"}``."""
    return {"service": service, "isUpdating": "True" if updating else "False", "data": list(data)}


@attrs.frozen(kw_only=True)
class Reply:
    """The portal's answer: ``error_code`` (``"0"`` is success), its ``message`` and any
    ``data`` it returned."""

    error_code: str
    message: str
    data: object = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error_code == "0"

    @property
    def already_exists(self) -> bool:
        """Error 3 with "đã tồn tại" in the message: the object exists, update it instead."""
        return self.error_code == "3" and "da ton tai" in fold(self.message)


def read_reply(value: object) -> Reply:
    """Read an answer; a wrong shape raises :class:`~egovkit.errors.ParseError` naming the key."""
    top = Obj(value, "")
    return Reply(
        error_code=top.text("error_code", required=True, max_length=20),
        message=top.text("message", max_length=10_000),
        data=top.data.get("data"),
    )


# --------------------------------------------------------------------------- dossiers


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _online_payment(dossier: Dossier) -> str:
    if any(p.method is PaymentMethod.ONLINE for p in dossier.payments):
        return "1"
    return "3" if dossier.fees_due else "0"


def _attachment(item: Attachment, options: MappingOptions) -> dict[str, Any]:
    return {
        "TepDinhKemId": item.sha256,
        "TenTepDinhKem": item.name,
        "IsDeleted": "False",
        "MaThanhPhanHoSo": "",
        "DuongDanTaiTepTin": options.file_url(item) if options.file_url else "",
        "DuocSoHoa": "0",
        "DuocTaiSuDung": "0",
        "DuocLayTuKhoDMQG": "0",
        "MaKetQuaThayThe": "",
    }


def dossier_to_portal(
    dossier: Dossier,
    *,
    rules: StatusRules | None = None,
    options: MappingOptions = _DEFAULT_OPTIONS,
) -> dict[str, Any]:
    """The ``DongBoHoSoMC`` object of ``dossier``, its state reported by ``rules``
    (default :meth:`~egovkit_dvcqg.status.StatusRules.default`)."""
    rules = rules or _DEFAULT_RULES
    applicant = dossier.applicant
    code = str(dossier.code)
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
        "HinhThuc": "1" if dossier.channel is Channel.POSTAL else "0",
        "NgayKetThucXuLy": format_instant(dossier.finished_at),
        "DonViXuLy": str(dossier.competent_agency),
        "GhiChu": "",
        "NoiNopHoSo": str(dossier.receiving_agency),
        "HoSoCoThanhPhanSoHoa": _flag(bool(dossier.attachments)),
        "TaiKhoanDuocXacThucVoiVNeID": "0",
        "DuocThanhToanTrucTuyen": _online_payment(dossier),
        "NgayTuChoi": format_instant(dossier.refused_at),
        "NgayNopHoSo": format_instant(dossier.submitted_at),
        "DinhDanhCHS": [
            {"LoaiDinhDanh": _ID_KIND[i.kind], "SoDinhDanh": i.value} for i in identifiers
        ],
        "DSKetNoiCSDL": [],
        "TaiLieuNop": [_attachment(a, options) for a in dossier.attachments],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": f.code,
                "HinhThucThu": _COLLECTION[f.collection],
                "Gia": f.amount,
                "LoaiPhiLePhi": "",
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
                "MaGiayToKetQua": r.reference,
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
) -> Dossier:
    """Read a ``DongBoHoSoMC`` object back into a dossier: the fields of
    :data:`ROUND_TRIP_FIELDS`, with a history rebuilt from the portal's dates. The portal does
    not carry the processing time; ``processing_time(MaTTHC)`` supplies it (default 0 working
    days). Every error is a :class:`~egovkit.errors.ParseError` naming the key."""
    obj = Obj(value, where)
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
                code=item.text("MaPhiLePhi", max_length=64),
                collection=_choice(item, "HinhThucThu", _COLLECTION_BACK),
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
            reference=item.text("MaGiayToKetQua", max_length=200),
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
    receiving, competent = _agency(obj, "NoiNopHoSo"), _agency(obj, "DonViXuLy")
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
        ),
    )


def _required_instant(obj: Obj, key: str) -> datetime:
    found = _instant(obj, key)
    if found is None:
        raise ParseError(
            f"{obj.path(key)} is missing", code="dvcqg.json.missing", where=obj.path(key)
        )
    return found


def _agency(obj: Obj, key: str) -> AgencyCode:
    text = obj.text(key, required=True, max_length=20)
    result: AgencyCode = _wrap(obj.path(key), lambda: AgencyCode.parse(text))
    return result


# --------------------------------------------------------------------------- progress steps


def _status_at(dossier: Dossier, at: datetime) -> DossierStatus:
    current = dossier.history[0].target if dossier.history else dossier.status
    for record in dossier.history:
        if record.at > at:
            break
        current = record.target
    return current


def steps_to_portal(dossier: Dossier, *, rules: StatusRules | None = None) -> list[dict[str, Any]]:
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
                "PhongBanXuLy": "" if step.agency is None else str(step.agency),
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


def _level(obj: Obj) -> CompetentLevel:
    text = fold(obj.text("CapThucHien", max_length=200)).removeprefix("cap ").strip()
    for key, level in _LEVELS.items():
        if text == key or text.startswith(key + " "):
            return level
    raise ParseError(
        f"{obj.path('CapThucHien')} {text[:40]!r} is not a level of government",
        code="dvcqg.procedure.level",
        where=obj.path("CapThucHien"),
    )


def procedure_from_portal(
    listed: object, detail: object | None = None, *, valid_from: date, where: str = ""
) -> Procedure:
    """A catalogue version from a ``LayDanhSachTTHC`` entry (``MaTTHC``, ``TenTTHC``,
    ``TenLinhVuc``, ``CapThucHien``, ``MucDo``) and, when fetched, its ``LayThuTuc`` detail
    (``ThoiHanGiaiQuyet`` in working days, ``PhiLePhi[]{TenPhiLePhi, Gia}``,
    ``ThanhPhanHoSo[]{TenThanhPhan, SoBanChinh, SoBanSao}``). The portal gives ``MucDo``, not
    capabilities: the version gets the fewest capabilities that reach it (2, 3 or 4)."""
    head = Obj(listed, where)
    body = Obj(detail, f"{where}.detail" if where else "detail") if detail is not None else head
    muc_do = head.integer("MucDo", default=2)
    code_text = head.text("MaTTHC", required=True, max_length=64)
    days = body.text("ThoiHanGiaiQuyet", max_length=10)
    return _wrap(
        head.path("MaTTHC"),
        lambda: Procedure(
            code=ProcedureCode.parse(code_text),
            name=head.text("TenTTHC", required=True, max_length=2000),
            field=head.text("TenLinhVuc", max_length=500),
            competent_level=_level(head),
            processing_time=(
                Duration.working_days(body.integer("ThoiHanGiaiQuyet")) if days else None
            ),
            fees=[
                FeeItem(
                    name=f.text("TenPhiLePhi", required=True, max_length=500),
                    amount=f.integer("Gia"),
                )
                for f in body.items("PhiLePhi")
            ],
            components=[
                Component(
                    name=c.text("TenThanhPhan", required=True, max_length=2000),
                    originals=c.integer("SoBanChinh", default=1),
                    copies=c.integer("SoBanSao"),
                )
                for c in body.items("ThanhPhanHoSo")
            ],
            capabilities=_BY_MUC_DO.get(muc_do, frozenset({Capability.INFORMATION})),
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
        "SoTien": init.amount,
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
            "MaTTHC": r.procedure,
            "MaHoSo": r.dossier,
            "MaDonVi": r.unit,
            "TKThuHuong": r.account,
            "PhiLePhi": [{"TenPhiLePhi": f.name, "SoTien": f.amount} for f in r.fees],
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
                        name=f.text("TenPhiLePhi", max_length=500), amount=f.integer("SoTien")
                    )
                    for f in block.items("PhiLePhi")
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
    """The ``data`` item of a ``LayThuTuc`` call."""
    return {"MaTTHC": code}


def procedure_list(reply: Reply) -> list[object]:
    """The entries of a ``LayDanhSachTTHC`` answer (its ``data`` list)."""
    if reply.data is None:
        return []
    if not isinstance(reply.data, list):
        raise ParseError("data must be a list", code="dvcqg.json.type", where="data")
    return list(reply.data)


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
    "payment_init_from_portal",
    "payment_init_to_portal",
    "payment_signed_values",
    "procedure_from_portal",
    "procedure_list",
    "procedure_request",
    "read_reply",
    "request_body",
    "step_from_portal",
    "steps_to_portal",
]
