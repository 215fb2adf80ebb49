from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    portal = dossier_to_portal(dossier, rules=RULES)
    back = dossier_from_portal(portal)
    assert view(back) == view(dossier)
    assert dossier_to_portal(back, rules=RULES)["TrangThaiHoSo"] == portal["TrangThaiHoSo"]


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
        (lambda o: o.update(DonViXuLy="UBND"), "DonViXuLy"),
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
