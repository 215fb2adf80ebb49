"""Signature profiles: where an enveloped signature sits in a document type, what it references.

Pinning the location and the references is the first defence against signature wrapping: a
verifier that accepts a signature "anywhere" over "something" can be shown one element while the
application reads another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from lxml import etree

from egovkit.signatures.algorithms import (
    C14N,
    C14N_COMMENTS,
    ENVELOPED,
    EXC_C14N,
    EXC_C14N_COMMENTS,
)

#: The transform chains accepted on a ``Reference URI=""`` (the enveloped transform, then at most
#: one canonicalisation; with no explicit one, inclusive C14N 1.0 applies).
ENVELOPED_TRANSFORM_CHAINS: tuple[tuple[str, ...], ...] = (
    (ENVELOPED,),
    (ENVELOPED, EXC_C14N),
    (ENVELOPED, EXC_C14N_COMMENTS),
    (ENVELOPED, C14N),
    (ENVELOPED, C14N_COMMENTS),
)


def _clark_names(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    names: tuple[object, ...] = value if isinstance(value, tuple) else (value,)
    for name in names:
        if not (isinstance(name, str) and name.startswith("{") and "}" in name):
            raise ValueError(f"{attribute.name}: {name!r} is not a {{namespace}}local name")


@attrs.frozen(kw_only=True)
class SignatureProfile:
    """A document type's signature rules.

    ``root`` is the document element and ``location`` the path of child elements from it to the
    element whose last children the signatures are (Clark notation, ``{namespace}local``).
    ``dsig_prefix`` is the prefix written for the XML-DSig namespace (``None``: declared as the
    default namespace on ``Signature``, as the national exchange axis does); any prefix is read.
    """

    name: str
    root: str = attrs.field(validator=_clark_names)
    location: tuple[str, ...] = attrs.field(validator=_clark_names)
    dsig_prefix: str | None = None
    reference_uris: tuple[str, ...] = ("",)
    transform_chains: tuple[tuple[str, ...], ...] = ENVELOPED_TRANSFORM_CHAINS
    max_signatures: int = 4
    #: Explains, in words for the sender, a signature location (the element that should hold
    #: the signatures) shaped as a known sender's software writes it, or gives ``None``; set by
    #: the document type's module, used in FORMAT_FAILURE messages.
    known_shape: Callable[[etree._Element], str | None] | None = attrs.field(default=None, eq=False)

    def explain(self, location: etree._Element | None) -> str | None:
        """:attr:`known_shape` of ``location`` (``None`` without a hook or a location)."""
        if self.known_shape is None or location is None:
            return None
        return self.known_shape(location)

    def signature_parent(self, root: etree._Element) -> etree._Element | None:
        """The element that holds the signatures, or ``None`` when the document lacks it.

        Each step must match exactly one child: a duplicated header is not guessed between.
        """
        if root.tag != self.root:
            return None
        node = root
        for step in self.location:
            matches = [child for child in node if child.tag == step]
            if len(matches) != 1:
                return None
            node = matches[0]
        return node

    @property
    def location_text(self) -> str:
        """The location as a readable path, for messages."""
        return "/".join(etree.QName(n).localname for n in (self.root, *self.location))
