"""The payment platform's INIT message (thanh toán trực tuyến) and its ``MaXacThuc``.

``MaXacThuc`` is the SHA-256 (hexadecimal) of the message's fields joined by ``|`` in their
fixed order, followed by the partner's secret key. The reference describes the secret as
"following" the fields; whether a ``|`` separates it is not confirmed, so ``joiner`` (default
``"|"``) says what goes between the last field and the secret — set ``""`` if your partner
documents plain concatenation. The check compares in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from egovkit.calendar import to_vietnam
from egovkit.errors import ValidationError
from egovkit.text import clean


def _instant(value: datetime) -> datetime:
    return to_vietnam(value, where="at")


def _amount(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    raw: object = value
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValidationError(
            f"{attribute.name} is a whole number of đồng >= 0, not {value!r}",
            code="dvcqg.payment.amount",
            where=attribute.name,
        )


def _no_pipe(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if "|" in value:
        raise ValidationError(
            f"{attribute.name} must not contain '|' (it separates the signed fields)",
            code="dvcqg.payment.pipe",
            where=attribute.name,
        )


@attrs.frozen(kw_only=True)
class ReceiptFee:
    """A fee line of the receipt block (phí, lệ phí): its name, amount, and the portal's fee
    code and kind (``MaPhiLePhi``, ``LoaiPhiLePhi``; HuanVu201 sends "1" for both)."""

    name: str = attrs.field(converter=clean)
    amount: int = attrs.field(validator=_amount)
    code: str = attrs.field(default="", converter=clean)
    kind: str = attrs.field(default="", converter=clean)


@attrs.frozen(kw_only=True)
class ReceiptItem:
    """A line of what is paid (``DSKhoanNop[]{NoiDung, SoTien}``)."""

    content: str = attrs.field(converter=clean)
    amount: int = attrs.field(validator=_amount)


def _items(value: Iterable[ReceiptItem]) -> tuple[ReceiptItem, ...]:
    return tuple(value)


def _fees(value: Iterable[ReceiptFee]) -> tuple[ReceiptFee, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Receipt:
    """The receipt block (thông tin biên lai) as HuanVu201 ``InitDvcPaymentRequest.cs`` fills
    it: procedure, dossier, collecting unit, the beneficiary bank and account, the payer and
    the fees. Empty texts are sent empty."""

    procedure: str = attrs.field(converter=clean)  # MaTTHC
    dossier: str = attrs.field(converter=clean)  # MaHoSo
    unit: str = attrs.field(converter=clean)  # MaDonVi
    account: str = attrs.field(converter=clean)  # TKThuHuong
    fees: tuple[ReceiptFee, ...] = attrs.field(default=(), converter=_fees)
    service: str = attrs.field(default="", converter=clean)  # MaDichVu (HuanVu: "2")
    public_service: str = attrs.field(default="", converter=clean)  # MaDVC (MaTTHC + ".01")
    public_service_name: str = attrs.field(default="", converter=clean)  # TenDVC
    procedure_name: str = attrs.field(default="", converter=clean)  # TenTTHC
    unit_name: str = attrs.field(default="", converter=clean)  # TenDonVi
    bank: str = attrs.field(default="", converter=clean)  # MaNHThuHuong
    account_name: str = attrs.field(default="", converter=clean)  # TenTKThuHuong
    payer_name: str = attrs.field(default="", converter=clean)  # HoTenNguoiNop
    payer_id: str = attrs.field(default="", converter=clean)  # SoCMNDNguoiNop
    payer_address: str = attrs.field(default="", converter=clean)  # DiaChiNguoiNop
    purpose: str = attrs.field(default="", converter=clean)  # NoiDungThanhToan
    items: tuple[ReceiptItem, ...] = attrs.field(default=(), converter=_items)  # DSKhoanNop


_text = attrs.field(converter=clean, validator=_no_pipe)


@attrs.frozen(kw_only=True)
class PaymentInit:
    """One payment request from a one-stop system to the payment platform."""

    partner: str = attrs.field(converter=clean, validator=_no_pipe)  # mã đối tác
    reference: str = attrs.field(converter=clean, validator=_no_pipe)  # mã tham chiếu
    amount: int = attrs.field(validator=_amount)  # số tiền, đồng
    channel: str = attrs.field(converter=clean, validator=_no_pipe)  # mã kênh thanh toán
    device: str = attrs.field(converter=clean, validator=_no_pipe)  # mã thiết bị
    description: str = attrs.field(converter=clean, validator=_no_pipe)  # thông tin giao dịch
    at: datetime = attrs.field(converter=_instant)  # thời gian giao dịch
    ip: str = attrs.field(converter=clean, validator=_no_pipe)
    bank: str = attrs.field(default="", converter=clean, validator=_no_pipe)  # mã ngân hàng
    receipt: Receipt | None = None
    version: str = attrs.field(default="1.0.6", converter=clean, validator=_no_pipe)
    language: str = attrs.field(default="vi-VN", converter=clean, validator=_no_pipe)
    currency: str = attrs.field(default="VND", converter=clean, validator=_no_pipe)


def authentication_code(values: Sequence[str], secret: str, *, joiner: str = "|") -> str:
    """SHA-256 hex of ``values`` joined by ``|``, then ``joiner`` and ``secret``."""
    text = "|".join(values) + joiner + secret
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_message(init: PaymentInit, secret: str, *, joiner: str = "|") -> dict[str, Any]:
    """The INIT message of ``init`` with its ``MaXacThuc``."""
    from egovkit_dvcqg.mapping import payment_init_to_portal, payment_signed_values

    code = authentication_code(payment_signed_values(init), secret, joiner=joiner)
    return payment_init_to_portal(init, code)


def check_message(message: object, secret: str, *, joiner: str = "|") -> PaymentInit:
    """Read an INIT message and check its ``MaXacThuc``; a mismatch raises
    :class:`~egovkit.errors.ValidationError` (``dvcqg.payment.mac``)."""
    from egovkit_dvcqg.mapping import payment_init_from_portal, payment_signed_values

    init, given = payment_init_from_portal(message)
    expected = authentication_code(payment_signed_values(init), secret, joiner=joiner)
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise ValidationError(
            "the payment message's MaXacThuc does not match its fields and the secret",
            code="dvcqg.payment.mac",
            where="MaXacThuc",
        )
    return init


__all__ = [
    "PaymentInit",
    "Receipt",
    "ReceiptFee",
    "ReceiptItem",
    "authentication_code",
    "build_message",
    "check_message",
]
