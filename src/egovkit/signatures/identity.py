"""Who signed: the signer's identity read from a Vietnamese certificate profile.

Vietnamese CAs put identifiers in the subject's ``UID`` attribute (OID 0.9.2342.19200300.100.1.1)
as ``MST:`` (mã số thuế, tax code), ``CCCD:`` (căn cước công dân, 12-digit citizen ID), ``CMND:``
(chứng minh nhân dân, the old ID card) and ``MNS:`` (mã quan hệ ngân sách, budget unit code).
"""

from __future__ import annotations

import enum
import functools

import attrs
from cryptography import x509
from cryptography.x509.oid import NameOID


class SignerKind(enum.Enum):
    """Whether a certificate names an organisation (chữ ký cơ quan) or a person (chữ ký cá nhân)."""

    ORGANISATION = "organisation"
    PERSON = "person"
    UNKNOWN = "unknown"


def _values(name: x509.Name, oid: x509.ObjectIdentifier) -> tuple[str, ...]:
    return tuple(str(a.value) for a in name.get_attributes_for_oid(oid))


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = _values(name, oid)
    return values[0] if values else None


@attrs.frozen(kw_only=True)
class SignerIdentity:
    """The identifying facts of a signing certificate's subject."""

    common_name: str | None = None
    organisation: str | None = None
    organisational_unit: str | None = None
    locality: str | None = None
    province: str | None = None
    country: str | None = None
    email: str | None = None
    tax_code: str | None = None
    citizen_id: str | None = None
    old_id_card: str | None = None
    budget_unit_code: str | None = None
    uid_values: tuple[str, ...] = ()

    @property
    def kind(self) -> SignerKind:
        """A person when a personal ID is present; an organisation when only MST/MNS are."""
        if self.citizen_id or self.old_id_card:
            return SignerKind.PERSON
        if self.tax_code or self.budget_unit_code:
            return SignerKind.ORGANISATION
        return SignerKind.UNKNOWN

    @classmethod
    def from_certificate(cls, certificate: x509.Certificate) -> SignerIdentity:
        """Read the subject; unknown ``UID`` shapes are kept in ``uid_values``."""
        subject = certificate.subject
        uids = _values(subject, NameOID.USER_ID)
        found: dict[str, str] = {}
        for uid in uids:
            key, sep, value = uid.partition(":")
            if sep and key.strip().upper() in {"MST", "CCCD", "CMND", "MNS"}:
                found.setdefault(key.strip().upper(), value.strip())
        return cls(
            common_name=_first(subject, NameOID.COMMON_NAME),
            organisation=_first(subject, NameOID.ORGANIZATION_NAME),
            organisational_unit=_first(subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
            locality=_first(subject, NameOID.LOCALITY_NAME),
            province=_first(subject, NameOID.STATE_OR_PROVINCE_NAME),
            country=_first(subject, NameOID.COUNTRY_NAME),
            email=_first(subject, NameOID.EMAIL_ADDRESS),
            tax_code=found.get("MST"),
            citizen_id=found.get("CCCD"),
            old_id_card=found.get("CMND"),
            budget_unit_code=found.get("MNS"),
            uid_values=uids,
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        data: dict[str, object] = attrs.asdict(self)
        data["uid_values"] = list(self.uid_values)
        data["kind"] = self.kind.value
        return data

    def __str__(self) -> str:
        ids = ", ".join(
            f"{label}:{value}"
            for label, value in (
                ("MST", self.tax_code),
                ("MNS", self.budget_unit_code),
                ("CCCD", self.citizen_id),
                ("CMND", self.old_id_card),
            )
            if value
        )
        who = self.common_name or self.organisation or "(no name)"
        return f"{who} ({ids})" if ids else who


@functools.lru_cache(maxsize=1024)
def identity_of(certificate: x509.Certificate) -> SignerIdentity:
    """:meth:`SignerIdentity.from_certificate`, remembered per certificate (a busy verifier
    sees the same signers again and again; the identity is a pure function of the bytes)."""
    return SignerIdentity.from_certificate(certificate)
