"""Slips as data and as printable HTML, named and numbered by the regime in force."""

from __future__ import annotations

import html.parser
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

from egovkit.calendar import Duration
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
    Fee,
    FormKind,
    Slip,
    apology_slip,
    process_control_slip,
    receipt_slip,
    refusal_slip,
    render_html,
    stop_notice,
    supplement_request_slip,
)
from egovkit.errors import ConflictError
from egovkit.testing.strategies.documents import vietnamese_text
from tests._chromium import render_probe

from ._support import CALENDAR, INTER_AGENCY, SIMPLE, UNIT, at, received

ISSUER = "UBND phường Thuận Hóa"


def test_receipt_and_appointment() -> None:
    dossier = received(at(2026, 3, 2, 9, 30))
    slip = receipt_slip(
        dossier, issuer=ISSUER, place="Huế", documents=["Tờ khai", "Giấy chứng sinh"]
    )
    assert slip.kind is FormKind.RECEIPT
    assert slip.form_label == "Mẫu số 01"
    assert slip.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert slip.legal_basis.startswith("Thông tư 03/2025/TT-VPCP")
    values = {line.label: line.value for line in slip.lines}
    assert values["Mã hồ sơ"] == "000.00.01.H53-260302-0001"
    assert values["Thời gian tiếp nhận"] == "09 giờ 30 phút, ngày 02 tháng 3 năm 2026"
    assert values["Thời hạn giải quyết"] == "3 ngày làm việc"
    assert values["Thời gian trả kết quả"] == "vào hồi 09 giờ 30 phút, ngày 05 tháng 3 năm 2026"
    assert slip.items == ("Tờ khai", "Giấy chứng sinh")
    page = render_html(slip)
    assert "size: A4" in page
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page
    assert "Huế, ngày 02 tháng 3 năm 2026" in page
    assert slip.to_dict()["form"] == "Mẫu số 01"


def test_fees_appear_on_the_receipt() -> None:
    dossier = Dossier.receive(
        code=DossierCode(agency=UNIT, day=at(2026, 3, 2).date(), number=2),
        procedure=SIMPLE,
        applicant=Applicant(kind=ApplicantKind.BUSINESS, name="Công ty TNHH An Bình"),
        channel=Channel.ONLINE,
        receiving_agency=UNIT,
        received_at=at(2026, 3, 2, 9),
        actor="cb",
        calendar=CALENDAR,
        fees=[Fee(name="Lệ phí", amount=1_500_000)],
    )
    values = {line.label: line.value for line in receipt_slip(dossier, issuer=ISSUER).lines}
    assert values["Phí, lệ phí"] == "1.500.000 đồng"
    assert values["Hình thức nộp"] == "Trực tuyến"


def test_forms_are_numbered_by_the_regime_of_the_received_day() -> None:
    june = received(at(2025, 6, 30, 9)).start_processing(at=at(2025, 6, 30, 10), actor="cv")
    july = received(at(2025, 9, 15, 9)).start_processing(at=at(2025, 9, 15, 10), actor="cv")
    for dossier, control, apology in (
        (june, "Mẫu số 05", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        (july, "Mẫu số 06", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    ):
        later = dossier.extend(
            at=at(2025, 9, 16, 9),
            actor="ld",
            reason="Cần xác minh",
            letter_reference="9/XL",
            calendar=CALENDAR,
            by=Duration.working_days(2),
        )
        assert (
            process_control_slip(later, issuer=ISSUER, issued_at=at(2025, 9, 16, 10)).form_label
            == control
        )
        slip = apology_slip(later, issuer=ISSUER)
        assert slip.title == apology
        assert slip.form_label == "Mẫu số 04"
    stopped_june = june.stop(at=at(2025, 7, 2, 9), actor="ld", reason="Giả mạo")
    stopped_july = july.stop(at=at(2025, 9, 17, 9), actor="ld", reason="Giả mạo")
    old, new = stop_notice(stopped_june, issuer=ISSUER), stop_notice(stopped_july, issuer=ISSUER)
    assert old.form_label == ""  # no prescribed form before 1 July 2025
    assert old.legal_basis.startswith("Theo Nghị định 61/2018/NĐ-CP")
    assert new.form_label == "Mẫu số 05"
    assert {line.label: line.value for line in new.lines}["Lý do dừng giải quyết"] == "Giả mạo"


def test_slips_between_a_decree_and_its_circulars_forms_print_no_form() -> None:
    """1 July – 14 September 2025: Decree 118/2025 in force, Circular 03/2025 forms not yet
    (thuviennhadat.vn: forms "từ ngày 15/9/2025"): no form number, no circular, the decree."""
    dossier = received(at(2025, 8, 4, 9))
    slip = receipt_slip(dossier, issuer=ISSUER)
    assert slip.form_label == ""
    assert slip.legal_basis.startswith("Theo Nghị định 118/2025/NĐ-CP")
    assert "Thông tư" not in slip.legal_basis


def test_supplement_request_and_refusal() -> None:
    dossier = received(at(2026, 3, 2, 9)).request_supplement(
        items=["Bản sao sổ đỏ", "Bản vẽ hiện trạng"],
        reason="Thiếu giấy tờ",
        at=at(2026, 3, 3, 9),
        actor="cv",
    )
    slip = supplement_request_slip(dossier, issuer=ISSUER)
    assert slip.form_label == "Mẫu số 02"
    assert slip.items == ("Bản sao sổ đỏ", "Bản vẽ hiện trạng")
    assert slip.issued_at == at(2026, 3, 3, 9)
    online = Dossier.submit(
        code=DossierCode(agency=UNIT, day=at(2026, 3, 2).date(), number=3),
        procedure=SIMPLE,
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Lê Thị Hoa"),
        receiving_agency=UNIT,
        submitted_at=at(2026, 3, 2, 9),
        actor="cổng",
    ).refuse(at=at(2026, 3, 2, 10), actor="cb", reason="Không thuộc thẩm quyền")
    refusal = refusal_slip(online, issuer=ISSUER)
    assert refusal.form_label == "Mẫu số 03"
    assert refusal.addressee == "Lê Thị Hoa"
    with pytest.raises(ConflictError):
        receipt_slip(online, issuer=ISSUER)  # never received


@pytest.mark.parametrize(
    "build", [supplement_request_slip, apology_slip, refusal_slip, stop_notice]
)
def test_a_slip_needs_its_event(build: object) -> None:
    with pytest.raises(ConflictError):
        build(received(at(2026, 3, 2, 9)), issuer=ISSUER)  # type: ignore[operator]


def test_process_control_lists_hand_overs_and_steps() -> None:
    dossier = received(at(2026, 3, 2, 9), procedure=INTER_AGENCY)
    dossier = dossier.start_processing(at=at(2026, 3, 2, 10), actor="Trần Bình", step="Thẩm định")
    dossier = dossier.finish_step(step="Thẩm định", at=at(2026, 3, 9, 16), actor="Trần Bình")
    dossier = dossier.transfer(step="Ý kiến Sở", at=at(2026, 3, 10, 8), actor="Trần Bình")
    slip = process_control_slip(dossier, issuer=ISSUER, issued_at=at(2026, 3, 10, 9))
    assert slip.title == "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    assert len(slip.table) == len(dossier.history) + len(dossier.steps)
    assert slip.table[0][3] == "Được tiếp nhận"
    assert slip.table[-2][3] == "Trước hạn"
    assert slip.table[-1][3] == "Đang thực hiện"
    assert '<table class="grid">' in render_html(slip)


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \'single\''


def test_every_user_value_is_escaped() -> None:
    dossier = Dossier.receive(
        code=DossierCode(agency=UNIT, day=at(2026, 3, 2).date(), number=4),
        procedure=SIMPLE,
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name=HOSTILE, address=HOSTILE),
        channel=Channel.ONLINE,
        receiving_agency=UNIT,
        received_at=at(2026, 3, 2, 9),
        actor=HOSTILE,
        calendar=CALENDAR,
    ).request_supplement(items=[HOSTILE], reason=HOSTILE, at=at(2026, 3, 3, 9), actor=HOSTILE)
    slips = [
        receipt_slip(dossier, issuer=HOSTILE, place=HOSTILE, documents=[HOSTILE]),
        supplement_request_slip(dossier, issuer=HOSTILE, place=HOSTILE, signer_title=HOSTILE),
        process_control_slip(dossier, issuer=HOSTILE, issued_at=at(2026, 3, 3, 10)),
    ]
    for slip in slips:
        page = render_html(slip)
        parser = _Collector()
        parser.feed(page)
        assert "script" not in parser.tags
        assert "img" not in parser.tags
        assert "<script>" not in page
        assert any('<script>alert("x")</script>' in t for t in parser.text)  # shown as text


@settings(max_examples=30)
@given(vietnamese_text(max_size=80))
def test_text_survives_the_page(name: str) -> None:
    slip = Slip(
        kind=FormKind.RECEIPT,
        form_label="Mẫu số 01",
        title="Giấy tiếp nhận",
        legal_basis="",
        issuer="UBND",
        issued_at=at(2026, 3, 2, 9),
        dossier_code="X",
        addressee=name + " <&>",
    )
    parser = _Collector()
    parser.feed(render_html(slip))
    assert any(name + " <&>" in t for t in parser.text)


def test_the_receipt_keeps_the_first_appointment() -> None:
    dossier = received(at(2026, 3, 2, 9)).request_supplement(
        items=["Ảnh"], at=at(2026, 3, 3, 9), actor="cv"
    )
    dossier = dossier.supplement(at=at(2026, 3, 6, 9), actor="cb", calendar=CALENDAR)
    assert dossier.due_at == at(2026, 3, 10, 9)
    assert dossier.appointed_at == at(2026, 3, 5, 9)
    values = {line.label: line.value for line in receipt_slip(dossier, issuer=ISSUER).lines}
    assert values["Thời gian trả kết quả"] == "vào hồi 09 giờ 00 phút, ngày 05 tháng 3 năm 2026"


LONG = "Công ty TNHH một thành viên " + "XâyDựngVàThươngMại" * 10  # one unbroken word


def _long_slip() -> Slip:
    return Slip(
        kind=FormKind.RECEIPT,
        form_label="Mẫu số 01",
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        legal_basis="",
        issuer="Ủy ban nhân dân phường Hồng Hải",
        issued_at=at(2026, 3, 2, 9),
        dossier_code="000.00.01.H22-260302-0004",
        addressee=LONG,
        table_header=("STT", "Tên giấy tờ", "Ghi chú"),
        table=(("1", LONG, HOSTILE),),
    )


def test_a_slip_renders_in_chromium_without_overflow(tmp_path: Path) -> None:
    probe = render_probe(render_html(_long_slip()), tmp_path)
    assert probe["overflow"] is False
    assert probe["wide"] == 0  # no element reaches past the page's right edge


def test_an_agency_overrides_the_slip_template(tmp_path: Path) -> None:
    (tmp_path / "dossiers").mkdir()
    (tmp_path / "dossiers" / "slip.html").write_text(
        '{% extends "egovkit/dossiers/slip.html" %}'
        "{% block signature %}<div class=sign>TM. ỦY BAN NHÂN DÂN {{ slip.signer_title }}</div>"
        "{% endblock %}",
        encoding="utf-8",
    )
    slip = attrs.evolve(_long_slip(), signer_title=HOSTILE)
    page = render_html(slip, templates=tmp_path)
    assert "TM. ỦY BAN NHÂN DÂN" in page
    assert "(Ký, ghi rõ họ tên)" not in page  # the block was replaced
    assert "<script>" not in page  # values stay escaped in an agency's template
    assert render_html(slip) != page  # egovkit's own is unchanged
