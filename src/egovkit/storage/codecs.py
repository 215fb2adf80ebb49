"""How register entries become records: the key that orders them and their JSON form.

Keys are ``<sequence key>/<number, 10 digits>``, so a prefix scan lists one register's year in
number order, and the same number cannot be recorded twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from egovkit.agencies.codes import AgencyCode
from egovkit.documents.model import Direction
from egovkit.documents.registers import Register, RegisterEntry
from egovkit.documents.serialization import document_from_dict, document_to_dict
from egovkit.errors import ParseError


def entry_prefix(register: Register, year: int, *, secret: bool) -> str:
    """The key prefix shared by one register's entries of ``year``."""
    return f"{register.sequence(year, secret=secret)}/"


def entry_key(register: Register, year: int, number: int, *, secret: bool) -> str:
    """The record key of one register entry."""
    return f"{entry_prefix(register, year, secret=secret)}{number:010d}"


def entry_to_dict(entry: RegisterEntry) -> dict[str, Any]:
    """A JSON-ready mapping of a register entry."""
    return {
        "register": {
            "agency": str(entry.register.agency),
            "direction": entry.register.direction.value,
            "name": entry.register.name,
        },
        "year": entry.year,
        "number": entry.number,
        "secret": entry.secret,
        "registered_on": entry.registered_on.isoformat(),
        "document": document_to_dict(entry.document),
    }


def entry_from_dict(data: Mapping[str, Any]) -> RegisterEntry:
    """Read :func:`entry_to_dict` output back."""
    try:
        register = data["register"]
        return RegisterEntry(
            register=Register(
                agency=AgencyCode.parse(register["agency"]),
                direction=Direction(register["direction"]),
                name=register["name"],
            ),
            year=int(data["year"]),
            number=int(data["number"]),
            secret=bool(data["secret"]),
            registered_on=dt.date.fromisoformat(data["registered_on"]),
            document=document_from_dict(data["document"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(
            f"not a stored register entry: {exc!r}", code="register_entry.shape", where="entry"
        ) from exc
