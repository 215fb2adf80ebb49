"""Safe XML reading and the canonicalisation helpers the signature code shares.

Low level: used by :mod:`egovkit.signatures.xmldsig`; application code calls
:func:`egovkit.signatures.verify` instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from typing import Any, Final

from lxml import etree

from egovkit._xml import safe_parser
from egovkit.errors import ParseError, UnsafeInputError

DSIG_NS: Final = "http://www.w3.org/2000/09/xmldsig#"
DSIG11_NS: Final = "http://www.w3.org/2009/xmldsig11#"
EXC_C14N_NS: Final = "http://www.w3.org/2001/10/xml-exc-c14n#"

#: The largest document egovkit reads for signing or verification (64 MiB).
MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
#: At most this many namespace declarations (a cheap guard against canonicalisation blow-ups).
MAX_NAMESPACE_DECLARATIONS: Final = 1024


def _parser() -> etree.XMLParser:
    # Comments and processing instructions are kept: signed content holding them is refused.
    return safe_parser(remove_blank_text=False)


def is_element(node: etree._Element) -> bool:
    """True for elements, false for comments, processing instructions and entities."""
    return not isinstance(node, (etree._Comment, etree._ProcessingInstruction, etree._Entity))


def parse_untrusted(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> etree._ElementTree:
    """Parse bytes from outside: no DTD, no entities, no network, no huge trees.

    Raises :class:`~egovkit.errors.UnsafeInputError` for a DOCTYPE or oversized input and
    :class:`~egovkit.errors.ParseError` for bytes that are not well-formed XML.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"XML must be given as bytes, not {type(data).__name__}")
    raw = bytes(data)
    if len(raw) > max_bytes:
        raise UnsafeInputError(
            f"XML input of {len(raw)} bytes exceeds the limit of {max_bytes}",
            code="signatures.xml.too_large",
        )
    if raw.count(b"xmlns") > MAX_NAMESPACE_DECLARATIONS:
        raise UnsafeInputError(
            f"more than {MAX_NAMESPACE_DECLARATIONS} namespace declarations",
            code="signatures.xml.namespaces",
        )
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(
            f"not well-formed XML: {exc.msg}",
            code="signatures.xml.syntax",
            where=f"line {exc.lineno}",
        ) from exc
    except ValueError as exc:  # e.g. unsupported encoding declarations
        raise ParseError(f"unreadable XML: {exc}", code="signatures.xml.syntax") from exc
    tree = root.getroottree()
    info = tree.docinfo
    if getattr(info, "doctype", "") or getattr(info, "internalDTD", None) is not None:
        raise UnsafeInputError(
            "a DOCTYPE (DTD, entity declarations) is refused in signed XML",
            code="signatures.xml.doctype",
        )
    for node in root.iter(etree.Entity):
        raise UnsafeInputError(
            f"entity reference {node.text!r} is refused", code="signatures.xml.entity"
        )
    return tree


_XML_NS = "http://www.w3.org/XML/1998/namespace"


def _standalone(element: etree._Element) -> etree._Element:
    """A copy of ``element`` as the root of its own document, keeping every in-scope namespace
    declaration and the inherited ``xml:*`` attributes, as inclusive C14N of a subtree needs."""
    attributes: dict[str, str] = {}
    for ancestor in reversed(list(element.iterancestors())):
        for key, value in ancestor.attrib.items():
            if str(key).startswith(f"{{{_XML_NS}}}"):
                attributes[str(key)] = str(value)
    attributes.update({str(k): str(v) for k, v in element.attrib.items()})
    namespaces: Any = element.nsmap
    copy_ = etree.Element(element.tag, attrib=attributes, nsmap=namespaces)
    copy_.text = element.text
    for child in element:
        copy_.append(deepcopy(child))
    return copy_


def canonicalize(
    node: etree._Element | etree._ElementTree,
    *,
    exclusive: bool,
    with_comments: bool = False,
    inclusive_prefixes: Sequence[str] = (),
) -> bytes:
    """W3C canonical XML 1.0 (inclusive or exclusive) of an element or a whole document.

    libxml2 2.14 (through lxml 6.1) emits a spurious ``xmlns=""`` in the inclusive C14N of an
    element below a default-namespace override, so such an element is canonicalised as the root
    of a standalone copy instead.
    """
    if not exclusive and isinstance(node, etree._Element) and node.getparent() is not None:
        node = _standalone(node)
    return etree.tostring(
        node,
        method="c14n",
        exclusive=exclusive,
        with_comments=with_comments,
        inclusive_ns_prefixes=list(inclusive_prefixes) or None,
    )


def _remove(element: etree._Element, *, keep_tail: bool) -> tuple[object, ...]:
    parent = element.getparent()
    if parent is None:
        raise ValueError("cannot detach the root element")
    index = parent.index(element)
    previous = element.getprevious()
    tail = element.tail
    saved_text = previous.tail if previous is not None else parent.text
    if keep_tail and tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)  # lxml moves the tail away together with the element
    element.tail = tail
    return (parent, index, previous, saved_text)


def _restore(element: etree._Element, saved: tuple[object, ...]) -> None:
    parent, index, previous, saved_text = saved
    assert isinstance(parent, etree._Element)
    if isinstance(previous, etree._Element):
        previous.tail = saved_text  # type: ignore[assignment]
    else:
        parent.text = saved_text  # type: ignore[assignment]
    assert isinstance(index, int)
    parent.insert(index, element)


@contextmanager
def detached(
    drop_with_tail: Sequence[etree._Element], drop_keep_tail: Sequence[etree._Element] = ()
) -> Iterator[None]:
    """Temporarily take elements out of their tree (and put them back exactly as they were).

    ``drop_keep_tail`` elements leave their trailing text behind, as the XML-DSig enveloped
    transform does; ``drop_with_tail`` elements take it with them (undoing an insertion).
    """
    done: list[tuple[etree._Element, tuple[object, ...]]] = []
    try:
        for element in reversed(list(drop_with_tail)):
            done.append((element, _remove(element, keep_tail=False)))
        for element in reversed(list(drop_keep_tail)):
            done.append((element, _remove(element, keep_tail=True)))
        yield
    finally:
        for element, saved in reversed(done):
            _restore(element, saved)
