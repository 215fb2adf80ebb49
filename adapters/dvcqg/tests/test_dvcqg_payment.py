from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.calendar import VIETNAM_TZ
from egovkit.errors import ParseError, ValidationError
from egovkit_dvcqg import (
    PaymentInit,
    Receipt,
    ReceiptFee,
    authentication_code,
    build_message,
    check_message,
)
from egovkit_dvcqg.payment import ReceiptItem

SECRET = "bí-mật-đối-tác"
text = st.text(
    alphabet=st.characters(
        blacklist_characters="|", blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"]
    ),
    min_size=1,
    max_size=20,
)


def sample() -> PaymentInit:
    return PaymentInit(
        partner="HCM-DVC",
        reference="000.00.01.H99-260213-0001",
        amount=50_000,
        channel="WEB",
        device="PC",
        description="Nộp lệ phí hồ sơ 000.00.01.H99-260213-0001",
        at=datetime(2026, 2, 13, 14, 5, 9, tzinfo=VIETNAM_TZ),
        ip="203.0.113.7",
        receipt=Receipt(
            procedure="1.001612.000.00.00.H99",
            dossier="000.00.01.H99-260213-0001",
            unit="000.00.01.H99",
            account="0123456789",
            fees=[ReceiptFee(name="Lệ phí", amount=50_000, code="1", kind="1")],
            service="2",
            public_service="1.001612.000.00.00.H99.01",
            payer_name="Nguyễn Văn An",
            items=[ReceiptItem(content="Lệ phí khai sinh", amount=50_000)],
        ),
    )


def test_exact_message_and_code() -> None:
    message = build_message(sample(), SECRET)
    fields = (
        "INIT|1.0.6|HCM-DVC|000.00.01.H99-260213-0001|50000|PAY|WEB|PC|vi-VN|VND||"
        "Nộp lệ phí hồ sơ 000.00.01.H99-260213-0001|20260213140509|203.0.113.7"
    )
    expected = hashlib.sha256(f"{fields}|{SECRET}".encode()).hexdigest()
    assert message["MaXacThuc"] == expected
    assert message["ThoiGianGD"] == "20260213140509"
    # SoTien and every receipt value are strings (HuanVu201 InitDvcPaymentRequest.cs)
    assert message["SoTien"] == "50000"
    assert message["ThongTinBienLai"]["PhiLePhi"] == [
        {"LoaiPhiLePhi": "1", "MaPhiLePhi": "1", "TenPhiLePhi": "Lệ phí", "SoTien": "50000"}
    ]
    block = message["ThongTinBienLai"]
    assert block["MaDVC"] == "1.001612.000.00.00.H99.01"
    assert block["DSKhoanNop"] == [{"NoiDung": "Lệ phí khai sinh", "SoTien": "50000"}]
    assert {"MaDichVu", "TenDVC", "TenTTHC", "TenDonVi", "MaNHThuHuong", "TenTKThuHuong"} <= set(
        block
    )
    assert {"HoTenNguoiNop", "SoCMNDNguoiNop", "DiaChiNguoiNop", "NoiDungThanhToan"} <= set(block)
    assert all(isinstance(v, str) for v in block.values() if not isinstance(v, list))
    plain = build_message(sample(), SECRET, joiner="")
    assert plain["MaXacThuc"] == hashlib.sha256(f"{fields}{SECRET}".encode()).hexdigest()


@given(
    partner=text,
    reference=text,
    amount=st.integers(0, 10**12),
    description=text,
    seconds=st.integers(0, 10**9),
    secret=text,
)
def test_build_then_check(
    partner: str, reference: str, amount: int, description: str, seconds: int, secret: str
) -> None:
    init = attrs.evolve(
        sample(),
        partner=partner,
        reference=reference,
        amount=amount,
        description=description,
        at=datetime.fromtimestamp(1_600_000_000 + seconds, tz=VIETNAM_TZ).replace(microsecond=0),
    )
    message = build_message(init, secret)
    assert check_message(message, secret) == init


@given(
    st.sampled_from(
        [
            "MaDoiTac",
            "MaThamChieu",
            "SoTien",
            "MaKenhThanhToan",
            "MaNganHang",
            "ThongTinGiaoDich",
            "ThoiGianGD",
            "Ip",
            "PhienBan",
            "MaTienTe",
        ]
    ),
)
def test_any_tampered_field_fails_the_check(key: str) -> None:
    message: dict[str, Any] = build_message(sample(), SECRET)
    replacement = {"SoTien": "50001", "ThoiGianGD": "20260213140510"}
    message[key] = replacement.get(key, str(message[key]) + "x")
    with pytest.raises(ValidationError) as caught:
        check_message(message, SECRET)
    assert caught.value.where == "MaXacThuc"


def test_wrong_secret_fails() -> None:
    with pytest.raises(ValidationError):
        check_message(build_message(sample(), SECRET), SECRET + "!")


def test_pipes_are_refused_in_signed_fields() -> None:
    with pytest.raises(ValidationError):
        attrs.evolve(sample(), description="a|b")


def test_message_shape_is_checked() -> None:
    message = build_message(sample(), SECRET)
    with pytest.raises(ParseError):
        check_message({**message, "LoaiBanTin": "QUERY"}, SECRET)
    with pytest.raises(ParseError) as caught:
        check_message({**message, "SoTien": "năm mươi"}, SECRET)
    assert caught.value.where == "SoTien"


def test_authentication_code_is_sha256_hex() -> None:
    code = authentication_code(["a", "b"], "k")
    assert code == hashlib.sha256(b"a|b|k").hexdigest()
