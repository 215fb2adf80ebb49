from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Dossier,
    DossierStatus,
    Fee,
    FeeCollection,
    Identifier,
    IdentifierKind,
    Payment,
    PaymentMethod,
    Result,
    ResultDelivery,
    Reuse,
    paper_of,
)
from egovkit.errors import ParseError
from egovkit.services.contract import sample_dossier
from egovkit.testing.strategies.dossiers import dossiers
from egovkit_dvcqg import (
    MappingOptions,
    StatusRules,
    dossier_from_portal,
    dossier_to_portal,
    step_from_portal,
    steps_to_portal,
)
from egovkit_dvcqg.dates import format_instant, parse_instant
from egovkit_dvcqg.mapping import SUMMARY_LIMIT, read_reply

CALENDAR = WorkCalendar()
RULES = StatusRules.default()
#: A unit catalogue: DonViXuLy carries the unit's name, read back to its code.
NAMES = MappingOptions(
    agency_name=lambda code: f"UBND {code}",
    agency_of_name=lambda name: AgencyCode.parse(name.removeprefix("UBND ")),
)


def _second(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(microsecond=0)


def view(d: Dossier) -> dict[str, Any]:
    """The fields that round-trip (ROUND_TRIP_FIELDS)."""
    return {
        "code": d.code,
        "procedure": (d.procedure.code, d.procedure.name),
        "channel": d.channel,
        "applicant": (
            d.applicant.kind,
            d.applicant.name,
            tuple(
                i
                for i in d.applicant.identifiers
                if i.kind in (IdentifierKind.PERSONAL_ID, IdentifierKind.OLD_ID_CARD)
            ),
            d.applicant.address,
            d.applicant.phone,
            d.applicant.email,
        ),
        "agencies": (d.receiving_agency, d.competent_agency),
        "postal": d.result_delivery is ResultDelivery.POSTAL,
        "status": RULES.code(d.status),
        "summary": d.summary[:SUMMARY_LIMIT].strip(),
        "instants": tuple(
            _second(x)
            for x in (
                d.submitted_at,
                d.received_at,
                d.due_at,
                d.finished_at,
                d.returned_at,
                d.refused_at,
            )
        ),
        "fees": d.fees,
        "supplements": tuple(
            (
                _second(s.requested_at),
                s.requested_by,
                s.items,
                _second(s.supplemented_at),
                s.received_by,
                _second(s.previous_due),
                _second(s.new_due),
            )
            for s in d.supplements
        ),
    }


fees = st.lists(
    st.builds(
        lambda name, amount, code, how: Fee(name=name, amount=amount, code=code, collection=how),
        st.sampled_from(["Lệ phí", "Phí thẩm định", "Phí"]),
        st.integers(0, 10**9),
        st.sampled_from(["", "LP01"]),
        st.sampled_from(list(FeeCollection)),
    ),
    max_size=3,
)
identifiers = st.lists(
    st.one_of(
        st.from_regex(r"[0-9]{12}", fullmatch=True).map(
            lambda v: Identifier(kind=IdentifierKind.PERSONAL_ID, value=v)
        ),
        st.from_regex(r"[0-9]{9}", fullmatch=True).map(
            lambda v: Identifier(kind=IdentifierKind.OLD_ID_CARD, value=v)
        ),
        st.from_regex(r"[0-9]{10}", fullmatch=True).map(
            lambda v: Identifier(kind=IdentifierKind.TAX_CODE, value=v)
        ),
    ),
    max_size=2,
)


@st.composite
def rich_dossiers(draw: st.DrawFn) -> Dossier:
    import attrs

    dossier = draw(dossiers(CALENDAR, max_actions=5))
    applicant = attrs.evolve(
        dossier.applicant,
        identifiers=draw(identifiers),
        phone=draw(st.sampled_from(["", "0912345678"])),
        email=draw(st.sampled_from(["", "an@example.vn"])),
        address=draw(st.sampled_from(["", "Số 1, phường Bến Nghé"])),
    )
    summary = draw(st.sampled_from(["", "Cấp giấy phép", "x" * 1200]))
    return attrs.evolve(dossier, applicant=applicant, fees=draw(fees), summary=summary)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_dossiers())
def test_dossier_round_trip(dossier: Dossier) -> None:
    portal = dossier_to_portal(dossier, rules=RULES, options=NAMES)
    back = dossier_from_portal(portal, options=NAMES)
    assert view(back) == view(dossier)
    again = dossier_to_portal(back, rules=RULES, options=NAMES)
    assert again["TrangThaiHoSo"] == portal["TrangThaiHoSo"]
    assert again["DonViXuLy"] == portal["DonViXuLy"]
    assert again["HinhThuc"] == portal["HinhThuc"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(CALENDAR, max_actions=6))
def test_step_round_trip(dossier: Dossier) -> None:
    started = [s for s in dossier.steps if s.started_at is not None]
    objects = steps_to_portal(dossier, rules=RULES)
    assert len(objects) == len(started)
    for step, obj in zip(started, objects, strict=True):
        code, back = step_from_portal(obj)
        assert code == str(dossier.code)
        finished = step.finished_at if step.finished_at != step.started_at else None
        assert (back.name, back.agency, back.handler[:50]) == (
            step.name,
            step.agency,
            step.handler[:50],
        )
        assert (back.started_at, back.finished_at, back.due_at) == (
            _second(step.started_at),
            _second(finished),
            _second(step.due_at),
        )


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_dates_round_trip(naive: datetime) -> None:
    instant = naive.replace(tzinfo=VIETNAM_TZ, microsecond=0)
    assert parse_instant(format_instant(instant), where="x") == instant


@pytest.mark.parametrize(
    "text", ["2026021309000", "20261313090000", "2026-02-13", "２０２６０２１３０９００００"]
)
def test_bad_dates_name_the_key(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_instant(text, where="NgayHenTra")
    assert caught.value.where == "NgayHenTra"


def test_exact_shape_of_a_dossier() -> None:
    dossier = sample_dossier(7)
    dossier = dossier.request_payment(at=datetime(2026, 2, 13, 10, tzinfo=VIETNAM_TZ), actor="x")
    dossier = dossier.record_payment(
        Payment(
            amount=50_000,
            paid_at=datetime(2026, 2, 13, 11, tzinfo=VIETNAM_TZ),
            method=PaymentMethod.ONLINE,
        ),
        actor="x",
    )
    dossier = Dossier(
        **{
            **_fields(dossier),
            "attachments": (
                Attachment(
                    name="to-khai.pdf", media_type="application/pdf", size=3, sha256="a" * 64
                ),
            ),
        }
    )
    obj = dossier_to_portal(
        dossier, options=MappingOptions(file_url=lambda a: f"https://files.example/{a.sha256}")
    )
    assert obj["MaHoSo"] == "000.00.01.H99-260213-0007"
    assert obj["KenhThucHien"] == "2"
    assert obj["LoaiDoiTuong"] == "1"
    assert obj["TrangThaiHoSo"] == "6"
    assert obj["NgayTiepNhan"] == "20260213090000"
    assert obj["DuocThanhToanTrucTuyen"] == "1"
    assert obj["HoSoCoThanhPhanSoHoa"] == "1"
    assert obj["TaiLieuNop"][0]["DuongDanTaiTepTin"] == "https://files.example/" + "a" * 64
    assert obj["NgayTra"] == ""


def _fields(dossier: Dossier) -> dict[str, Any]:
    import attrs

    return attrs.asdict(dossier, recurse=False)


def test_summary_is_cut_to_the_portal_limit() -> None:
    import attrs

    dossier = attrs.evolve(sample_dossier(), summary="a" * 1500)
    assert len(dossier_to_portal(dossier)["TrichYeuHoSo"]) == SUMMARY_LIMIT


def test_local_states_follow_the_rules() -> None:
    at = datetime(2026, 2, 13, 10, tzinfo=VIETNAM_TZ)
    paused = sample_dossier().pause(at=at, actor="x", reason="chờ ý kiến")
    assert dossier_to_portal(paused)["TrangThaiHoSo"] == "8"
    rules = StatusRules.default().with_rule(DossierStatus.PAUSED, 4, "our province: still open")
    assert dossier_to_portal(paused, rules=rules)["TrangThaiHoSo"] == "4"
    rewrite = StatusRules.rewrite_to_resolved()
    assert dossier_to_portal(paused, rules=rewrite)["TrangThaiHoSo"] == "9"
    steps = steps_to_portal(paused, rules=rewrite)
    assert steps[-1]["NoiDungXuLy"] == "Kết thúc xử lý"
    assert steps[-1]["TrangThai"] == "9"
    assert steps_to_portal(paused) == []


def _good() -> dict[str, Any]:
    return dossier_to_portal(sample_dossier())


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda o: o.pop("MaHoSo"), "MaHoSo"),
        (lambda o: o.update(MaHoSo="HS-1"), "MaHoSo"),
        (lambda o: o.update(KenhThucHien="7"), "KenhThucHien"),
        (lambda o: o.update(LoaiDoiTuong=["1"]), "LoaiDoiTuong"),
        (lambda o: o.update(TrangThaiHoSo="11"), "TrangThaiHoSo"),
        (lambda o: o.update(TrangThaiHoSo="abc"), "TrangThaiHoSo"),
        (lambda o: o.update(NgayHenTra="2026"), "NgayHenTra"),
        (lambda o: o.pop("DonViXuLy"), "DonViXuLy"),
        (lambda o: o.update(HinhThuc="5"), "HinhThuc"),
        (lambda o: o.update(TrichYeuHoSo="x" * 1001), "TrichYeuHoSo"),
        (lambda o: o.update(ChuHoSo=""), "ChuHoSo"),
        (lambda o: o.update(DanhSachLePhi={}), "DanhSachLePhi"),
        (
            lambda o: o.update(DanhSachLePhi=[{"TenPhiLePhi": "Lệ phí", "Gia": True}]),
            "DanhSachLePhi[0].Gia",
        ),
        (
            lambda o: o.update(DinhDanhCHS=[{"LoaiDinhDanh": "1", "SoDinhDanh": "12"}]),
            "DinhDanhCHS[0].SoDinhDanh",
        ),
    ],
)
def test_hostile_objects_name_the_key(change: Any, where: str) -> None:
    obj = _good()
    change(obj)
    with pytest.raises(ParseError) as caught:
        dossier_from_portal(obj)
    assert caught.value.where == where


def test_an_object_inside_a_list_names_its_index() -> None:
    with pytest.raises(ParseError) as caught:
        dossier_from_portal(["not an object"], where="data[3]")
    assert caught.value.where == "data[3]"
    obj = copy.deepcopy(_good())
    obj["NgayHenTra"] = "x"
    with pytest.raises(ParseError) as caught:
        dossier_from_portal(obj, where="data[3]")
    assert caught.value.where == "data[3].NgayHenTra"


def test_processing_time_comes_from_the_caller() -> None:
    back = dossier_from_portal(_good(), processing_time=lambda code: Duration.working_days(3))
    assert back.procedure.processing_time == Duration.working_days(3)


def test_replies() -> None:
    assert read_reply({"error_code": 0, "message": "OK"}).ok
    exists = read_reply({"error_code": "3", "message": "Hồ sơ đã tồn tại trên hệ thống"})
    assert exists.already_exists
    assert read_reply({"error_code": "3", "message": "HO SO DA TON TAI"}).already_exists
    assert not read_reply({"error_code": "3", "message": "Sai định dạng"}).already_exists
    with pytest.raises(ParseError):
        read_reply({"error_code": None})
    with pytest.raises(ParseError):
        read_reply([])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=150)
@given(st.dictionaries(st.sampled_from(sorted(_good())), json_values, max_size=6))
def test_hostile_values_only_raise_parse_errors(changes: dict[str, Any]) -> None:
    obj = {**_good(), **changes}
    refusal: ParseError | None = None
    try:
        back = dossier_from_portal(obj)
    except ParseError as exc:
        refusal = exc
    else:
        assert str(back.code) == obj["MaHoSo"]
    assert refusal is None or refusal.where  # every refusal names its key


def test_values_are_the_portals_codes() -> None:
    """The values of DongBoHoSoMC as the real clients send them (wire-fidelity.md §3.2):
    HuanVu201 ``SyncLocalDataToDVCQGService.cs`` — ``NoiNopHoSo`` "2", ``IsDeleted`` "0",
    ``HinhThucThu``/``MaPhiLePhi``/``LoaiPhiLePhi`` "1", every scalar a string (``Gia``), a
    placeholder owner id {"LoaiDinhDanh": "2", "SoDinhDanh": "000000001"},
    ``DuocTaiSuDung`` "2" with ``MaKetQuaThayThe``, ``MaGiayToKetQua`` the national result code;
    OpenCPS ``DVCQGIntegrationActionImpl.java`` — ``DonViXuLy`` the unit's name
    (``getGovAgencyName``), ``HinhThuc`` 1 when the result goes by post, an empty
    ``DanhSachTepDinhKemKhac``."""
    import attrs

    file = Attachment(name="cccd.pdf", media_type="application/pdf", size=3, sha256="b" * 64)
    national = attrs.evolve(paper_of(file), reuse=Reuse.NATIONAL_DATABASE, component_code="GT01")
    replaced = attrs.evolve(
        paper_of(file), reuse=Reuse.EARLIER_DOSSIER, replaces_result="KQ01", digitised=False
    )
    at = datetime(2026, 2, 13, 15, tzinfo=VIETNAM_TZ)
    dossier = sample_dossier(8).start_processing(at=at, actor="cv")
    dossier = dossier.resolve(
        at=at,
        actor="ld",
        results=[Result(name="Giấy khai sinh", issued_at=at, reference="12/GKS", code="KQ02")],
    )
    dossier = attrs.evolve(
        dossier,
        fees=(Fee(name="Lệ phí", amount=8000),),
        attachments=(national, replaced),
        result_delivery=ResultDelivery.POSTAL,
    )
    obj = dossier_to_portal(dossier, options=MappingOptions(agency_name=lambda c: "UBND xã An"))
    assert obj["NoiNopHoSo"] == "2"
    assert obj["DonViXuLy"] == "UBND xã An"
    assert obj["HinhThuc"] == "1"
    assert obj["DanhSachTepDinhKemKhac"] == []
    assert obj["DinhDanhCHS"] == [{"LoaiDinhDanh": "2", "SoDinhDanh": "000000001"}]
    assert obj["DanhSachLePhi"] == [
        {
            "TenPhiLePhi": "Lệ phí",
            "MaPhiLePhi": "1",
            "HinhThucThu": "1",
            "Gia": "8000",
            "LoaiPhiLePhi": "1",
        }
    ]
    first, second = obj["TaiLieuNop"]
    assert (first["IsDeleted"], first["DuocSoHoa"], first["DuocTaiSuDung"]) == ("0", "1", "1")
    assert (first["DuocLayTuKhoDMQG"], first["MaThanhPhanHoSo"]) == ("1", "GT01")
    assert (second["DuocSoHoa"], second["DuocTaiSuDung"], second["MaKetQuaThayThe"]) == (
        "0",
        "2",
        "KQ01",
    )
    assert second["DuocLayTuKhoDMQG"] == "0"
    assert obj["HoSoCoThanhPhanSoHoa"] == "1"
    (result,) = obj["DanhSachGiayToKetQua"]
    assert (result["MaGiayToKetQua"], result["GiayToId"]) == ("KQ02", "12/GKS")
    assert all(isinstance(v, str) for v in obj.values() if not isinstance(v, list))
    back = dossier_from_portal(obj)
    assert back.applicant.identifiers == ()  # the placeholder is not an identifier
    assert back.results[0].code == "KQ02"
    assert back.result_delivery is ResultDelivery.POSTAL
