"""Who files a dossier (chủ hồ sơ) and how it reaches the desk (kênh thực hiện)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs

from egovkit.agencies import AgencyCode
from egovkit.errors import ParseError, ValidationError
from egovkit.text import clean


class Channel(enum.Enum):
    """How the dossier was filed (kênh thực hiện)."""

    DIRECT = "direct"  # trực tiếp, at the desk
    ONLINE = "online"  # trực tuyến, on a public-service portal
    POSTAL = "postal"  # bưu chính công ích (BCCI)


class ResultDelivery(enum.Enum):
    """How the result goes back to the applicant (hình thức trả kết quả) — apart from how the
    dossier was filed: an online dossier's result may go by post (the portal's ``HinhThuc``)."""

    DIRECT = "direct"  # nhận trực tiếp tại bộ phận một cửa
    POSTAL = "postal"  # qua dịch vụ bưu chính công ích
    ONLINE = "online"  # trực tuyến (kết quả điện tử)


class ApplicantKind(enum.Enum):
    """What the applicant is (loại đối tượng)."""

    CITIZEN = "citizen"  # công dân
    BUSINESS = "business"  # doanh nghiệp
    AGENCY = "agency"  # cơ quan nhà nước
    ORGANISATION = "organisation"  # tổ chức, khác


class IdentifierKind(enum.Enum):
    """Kinds of identifier an applicant shows (loại định danh)."""

    PERSONAL_ID = "personal_id"  # số định danh cá nhân / CCCD, 12 digits
    OLD_ID_CARD = "old_id_card"  # CMND, 9 digits
    PASSPORT = "passport"  # hộ chiếu
    TAX_CODE = "tax_code"  # mã số thuế / mã số doanh nghiệp, 10 or 13 digits (10-3)
    AGENCY_CODE = "agency_code"  # mã định danh cơ quan
    OTHER = "other"


_SHAPES = {
    IdentifierKind.PERSONAL_ID: re.compile(r"[0-9]{12}"),
    IdentifierKind.OLD_ID_CARD: re.compile(r"[0-9]{9}"),
    IdentifierKind.TAX_CODE: re.compile(r"[0-9]{10}(-[0-9]{3})?"),
}


@attrs.frozen(kw_only=True)
class Identifier:
    """One identifier of an applicant, such as a 12-digit personal ID (số định danh cá nhân)."""

    kind: IdentifierKind
    value: str = attrs.field(converter=clean)

    def __attrs_post_init__(self) -> None:
        shape = _SHAPES.get(self.kind)
        bad = not self.value or (shape is not None and not shape.fullmatch(self.value))
        if self.kind is IdentifierKind.AGENCY_CODE and not bad:
            try:
                AgencyCode.parse(self.value)
            except ParseError:
                bad = True
        if bad:
            raise ValidationError(
                f"{self.value!r} is not a valid {self.kind.value.replace('_', ' ')}",
                code=f"dossier.applicant.{self.kind.value}",
                where="applicant.identifiers",
            )


def _identifiers(value: Iterable[Identifier]) -> tuple[Identifier, ...]:
    return tuple(value)


def _name(value: str) -> str:
    text = clean(value)
    if not text:
        raise ValidationError(
            "an applicant needs a name", code="dossier.applicant.name", where="applicant.name"
        )
    return text


@attrs.frozen(kw_only=True)
class Applicant:
    """The owner of a dossier (chủ hồ sơ): a citizen, a business, an agency or an organisation.

    >>> from egovkit.dossiers import Applicant, ApplicantKind, Identifier, IdentifierKind
    >>> Applicant(kind=ApplicantKind.CITIZEN, name="  Nguyễn  Văn An ",
    ...           identifiers=[Identifier(kind=IdentifierKind.PERSONAL_ID,
    ...                                   value="001090001234")]).name
    'Nguyễn Văn An'
    """

    kind: ApplicantKind
    name: str = attrs.field(converter=_name)
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=_identifiers)
    address: str = attrs.field(default="", converter=clean)
    phone: str = attrs.field(default="", converter=clean)
    email: str = attrs.field(default="", converter=clean)

    def identifier(self, kind: IdentifierKind) -> str | None:
        """The first identifier of ``kind``, or ``None``."""
        return next((i.value for i in self.identifiers if i.kind is kind), None)


__all__ = [
    "Applicant",
    "ApplicantKind",
    "Channel",
    "Identifier",
    "IdentifierKind",
    "ResultDelivery",
]
