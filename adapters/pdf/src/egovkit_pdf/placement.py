"""Where a visible signature goes: an existing field, a box on a page, near an anchor text,
or over an earlier signature (the agency's seal over the signer's image)."""

from __future__ import annotations

import re

import attrs
from pyhanko.pdf_utils.reader import PdfFileReader

from egovkit.errors import NotFoundError

Box = tuple[float, float, float, float]


@attrs.frozen(kw_only=True)
class Placement:
    """How to place a signature field (all in PDF points, origin at the bottom left).

    Use the constructors: :meth:`field_named`, :meth:`at`, :meth:`below_text`,
    :meth:`over_signature`.
    """

    field: str | None = None
    page: int = 0
    box: Box | None = None
    anchor: str | None = None
    gap: float = 4.0
    over: str | None = None
    size: tuple[float, float] | None = None

    @classmethod
    def field_named(cls, name: str) -> Placement:
        """An empty signature field the document already has (its rectangle is used)."""
        return cls(field=name)

    @classmethod
    def at(cls, page: int, x: float, y: float, width: float, height: float) -> Placement:
        """A box whose lower left corner is at ``(x, y)`` on ``page`` (0-based)."""
        return cls(page=page, box=(x, y, x + width, y + height))

    @classmethod
    def below_text(
        cls, text: str, *, width: float = 120.0, height: float = 50.0, gap: float = 4.0
    ) -> Placement:
        """Centred under the first line showing ``text`` (e.g. the position, "CHỦ TỊCH")."""
        return cls(anchor=text, size=(width, height), gap=gap)

    @classmethod
    def over_signature(cls, field: str) -> Placement:
        """Over the left third of the image of signature field ``field`` (the agency's seal)."""
        return cls(over=field)


def page_size(reader: PdfFileReader, page: int) -> tuple[float, float, float, float]:
    """The page's media box."""
    pages = _pages(reader)
    if not 0 <= page < len(pages):
        raise NotFoundError(
            f"page {page + 1} does not exist (the document has {len(pages)})",
            code="pdf.placement.page",
        )
    node = pages[page]
    while "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"]
    media = node["/MediaBox"]
    x0, y0, x1, y1 = (float(v) for v in media)
    return x0, y0, x1, y1


def _pages(reader: PdfFileReader) -> list[dict]:  # type: ignore[type-arg]
    found: list[dict] = []  # type: ignore[type-arg]

    def walk(node: dict) -> None:  # type: ignore[type-arg]
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                walk(kid.get_object())
        else:
            found.append(node)

    walk(reader.root["/Pages"])
    return found


def field_rect(reader: PdfFileReader, name: str) -> tuple[int, Box]:
    """Page index and rectangle of the field called ``name``."""
    from pyhanko.sign.fields import enumerate_sig_fields

    pages = _pages(reader)
    for found, _value, ref in enumerate_sig_fields(reader):
        if found != name:
            continue
        field = ref.get_object()
        if "/Rect" not in field:
            field = field["/Kids"][0].get_object()
        x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
        page_ref = field.get("/P")
        index = 0
        if page_ref is not None:
            target = page_ref.get_object()
            index = next((i for i, p in enumerate(pages) if p is target or p == target), 0)
        return index, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    raise NotFoundError(f"no field named {name!r}", code="pdf.placement.field", where=name)


_TEXT_OP = re.compile(
    rb"(-?[\d.]+)\s+(-?[\d.]+)\s+(?:Td|TD)\s*\((?P<t1>(?:\\.|[^\\)])*)\)\s*Tj"
    rb"|1\s+0\s+0\s+1\s+(-?[\d.]+)\s+(-?[\d.]+)\s+Tm\s*\((?P<t2>(?:\\.|[^\\)])*)\)\s*Tj"
)


def find_text(reader: PdfFileReader, text: str) -> tuple[int, float, float] | None:
    """Page and baseline origin of the first literal string equal to (or containing) ``text``.

    Reads simple content streams (``x y Td (text) Tj`` or ``1 0 0 1 x y Tm (text) Tj``), as
    documents written by office software exported with standard fonts commonly are.
    """
    wanted = [text.encode(enc, "ignore") for enc in ("cp1252", "latin-1", "utf-16-be")]
    for index, page in enumerate(_pages(reader)):
        contents = page.get("/Contents")
        if contents is None:
            continue
        streams = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(s.get_object().data for s in streams)
        for match in _TEXT_OP.finditer(data):
            shown = match.group("t1") if match.group("t1") is not None else match.group("t2")
            if shown is None:
                continue
            if any(w and w in shown for w in wanted):
                x = match.group(1) if match.group("t1") is not None else match.group(4)
                y = match.group(2) if match.group("t1") is not None else match.group(5)
                return index, float(x), float(y)
    return None
