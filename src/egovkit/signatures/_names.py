"""Distinguished names compared as RFC 5280 §7.1 asks, not byte for byte.

Two names match when they have the same attributes in the same order with the same values after
RFC 4518 string preparation, simplified to what certificates use: Unicode NFKC, case folded,
inner whitespace collapsed, leading and trailing whitespace removed. The string type
(PrintableString, UTF8String, …) does not matter, so a CA that re-encodes its name from
PrintableString to UTF8String (a real migration, and PKITS 4.3) still chains; a Vietnamese name
in upper and lower case ("BAN CƠ YẾU CHÍNH PHỦ" / "Ban Cơ yếu Chính phủ") too.
"""

from __future__ import annotations

import functools
import unicodedata

from cryptography import x509

#: One name as a comparable value: RDNs in order, each a sorted tuple of (OID, prepared value).
NameKey = tuple[tuple[tuple[str, str], ...], ...]


def prepare(value: str) -> str:
    """An attribute value after the string preparation used for matching."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(folded.split())


def _value_text(attribute: x509.NameAttribute[str | bytes]) -> str:
    value = attribute.value
    if isinstance(value, bytes):  # a bit string or unknown type: compare its bytes exactly
        return "#" + value.hex()
    return prepare(value)


@functools.lru_cache(maxsize=4096)
def name_key(name: x509.Name) -> NameKey:
    """The comparable form of ``name`` (equal keys: the names match under RFC 5280)."""
    return tuple(
        tuple(sorted((a.oid.dotted_string, _value_text(a)) for a in rdn)) for rdn in name.rdns
    )


def names_match(a: x509.Name, b: x509.Name) -> bool:
    """True when ``a`` and ``b`` are the same name under RFC 5280 matching."""
    return a == b or name_key(a) == name_key(b)
