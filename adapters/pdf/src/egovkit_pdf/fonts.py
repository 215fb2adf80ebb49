"""The appearance font: Times New Roman metrics with every Vietnamese letter.

Decree 30/2020 asks for Times New Roman in the signing appearance. PDF's standard Times-Roman
has the metrics but only WinAnsi letters (plus Đ/đ), which rules out most Vietnamese names, so
text beyond those is drawn with an embedded, subset **Liberation Serif** — metric-compatible
with Times New Roman, under the SIL Open Font License 1.1, which allows embedding and subsetting.

The font file is not shipped with egovkit: it comes from Debian's ``fonts-liberation2``
(``/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf``) or any path named by
the ``EGOVKIT_PDF_FONT`` environment variable (TeX Gyre Termes, also Times-metric, works too).
Only the glyphs a signature shows are embedded (fontTools' subsetter), as a Type 0 font
(Identity-H, glyph ids kept) with a ToUnicode map, so the text can be searched and copied.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from egovkit.errors import ConfigurationError, PolicyError

#: Where the font is looked for, after ``$EGOVKIT_PDF_FONT``.
FONT_PATHS: Final = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/opentype/tex-gyre/texgyretermes-regular.otf",
    "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf",
)
ENVIRONMENT: Final = "EGOVKIT_PDF_FONT"


def _g(kind: Any, *args: Any) -> Any:
    return kind(*args)


class AppearanceFont:
    """One TrueType font read from a file: metrics, coverage, and embedding of subsets."""

    def __init__(self, data: bytes, *, where: str = "font") -> None:
        try:
            self._font = TTFont(io.BytesIO(data), lazy=False)
        except Exception as exc:  # fontTools raises many kinds on a bad file
            raise ConfigurationError(
                f"cannot read the appearance font: {exc}", code="pdf.font.unreadable", where=where
            ) from exc
        self._data = data
        self._cmap: dict[int, str] = self._font.getBestCmap() or {}
        self._units = int(self._font["head"].unitsPerEm)
        self.name = str(self._font["name"].getDebugName(6) or "AppearanceFont").replace(" ", "")

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> AppearanceFont:
        """The font in ``path``."""
        try:
            return cls(Path(path).read_bytes(), where=str(path))
        except OSError as exc:
            raise ConfigurationError(
                f"cannot read the appearance font {path}: {exc}", code="pdf.font.missing"
            ) from exc

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` the font has no glyph for."""
        return sorted({c for c in unicodedata.normalize("NFC", text) if ord(c) not in self._cmap})

    def _gid(self, char: str) -> int:
        return int(self._font.getGlyphID(self._cmap[ord(char)]))

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` in points at ``size``."""
        metrics = self._font["hmtx"]
        total = sum(metrics[self._cmap[ord(c)]][0] for c in self._checked(text))
        return float(total * size / self._units)

    def _checked(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        lacking = self.missing(text)
        if lacking:
            raise PolicyError(
                f"the appearance font has no glyph for {''.join(lacking)!r}",
                code="pdf.appearance.unencodable",
            )
        return text

    def encode(self, text: str) -> bytes:
        """``text`` as the font's two-byte codes (glyph ids: Identity-H)."""
        return b"".join(self._gid(c).to_bytes(2, "big") for c in self._checked(text))

    def embed(self, writer: BasePdfFileWriter, texts: Iterable[str]) -> generic.IndirectObject:
        """A Type 0 font holding the glyphs of ``texts``, added to ``writer``."""
        chars = sorted({c for t in texts for c in self._checked(t)})
        program = self._subset(chars)
        tag = "".join(
            chr(ord("A") + b % 26) for b in hashlib.sha256("".join(chars).encode()).digest()[:6]
        )
        base = f"/{tag}+{self.name}"
        scale = 1000 / self._units
        metrics = self._font["hmtx"]
        gids = {c: self._gid(c) for c in chars}
        widths: list[Any] = []
        for char, gid in sorted(gids.items(), key=lambda item: item[1]):
            advance = round(metrics[self._cmap[ord(char)]][0] * scale)
            widths += [
                _g(generic.NumberObject, gid),
                generic.ArrayObject([_g(generic.NumberObject, advance)]),
            ]
        head, hhea, os2 = self._font["head"], self._font["hhea"], self._font["OS/2"]
        file_stream = generic.StreamObject(
            _g(
                generic.DictionaryObject,
                {pdf_name("/Length1"): _g(generic.NumberObject, len(program))},
            ),
            stream_data=program,
        )
        file_stream.compress()  # type: ignore[no-untyped-call]
        descriptor = _g(
            generic.DictionaryObject,
            {
                pdf_name("/Type"): pdf_name("/FontDescriptor"),
                pdf_name("/FontName"): pdf_name(base),
                pdf_name("/Flags"): _g(generic.NumberObject, 34),  # serif, non-symbolic
                pdf_name("/FontBBox"): generic.ArrayObject(
                    [
                        _g(generic.NumberObject, round(v * scale))
                        for v in (head.xMin, head.yMin, head.xMax, head.yMax)
                    ]
                ),
                pdf_name("/ItalicAngle"): _g(generic.NumberObject, 0),
                pdf_name("/Ascent"): _g(generic.NumberObject, round(hhea.ascent * scale)),
                pdf_name("/Descent"): _g(generic.NumberObject, round(hhea.descent * scale)),
                pdf_name("/CapHeight"): _g(
                    generic.NumberObject, round(getattr(os2, "sCapHeight", 662) * scale)
                ),
                pdf_name("/StemV"): _g(generic.NumberObject, 80),
                pdf_name("/FontFile2"): writer.add_object(file_stream),
            },
        )
        cid_font = _g(
            generic.DictionaryObject,
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
                pdf_name("/BaseFont"): pdf_name(base),
                pdf_name("/CIDSystemInfo"): _g(
                    generic.DictionaryObject,
                    {
                        pdf_name("/Registry"): generic.TextStringObject("Adobe"),
                        pdf_name("/Ordering"): generic.TextStringObject("Identity"),
                        pdf_name("/Supplement"): _g(generic.NumberObject, 0),
                    },
                ),
                pdf_name("/FontDescriptor"): writer.add_object(descriptor),
                pdf_name("/W"): generic.ArrayObject(widths),
                pdf_name("/CIDToGIDMap"): pdf_name("/Identity"),
            },
        )
        to_unicode = generic.StreamObject(stream_data=_to_unicode(gids))
        to_unicode.compress()  # type: ignore[no-untyped-call]
        font = _g(
            generic.DictionaryObject,
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type0"),
                pdf_name("/BaseFont"): pdf_name(base),
                pdf_name("/Encoding"): pdf_name("/Identity-H"),
                pdf_name("/DescendantFonts"): generic.ArrayObject([writer.add_object(cid_font)]),
                pdf_name("/ToUnicode"): writer.add_object(to_unicode),
            },
        )
        return writer.add_object(font)

    def _subset(self, chars: list[str]) -> bytes:
        options = subset.Options()
        options.retain_gids = True  # codes are the original glyph ids
        options.layout_features = []
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False
        options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps
        font = TTFont(io.BytesIO(self._data), lazy=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in chars])
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()


def _to_unicode(gids: dict[str, int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    items = sorted(gids.items(), key=lambda item: item[1])
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, gid in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


@functools.cache
def _load(path: str) -> AppearanceFont:
    return AppearanceFont.from_file(path)


def default_font() -> AppearanceFont:
    """The font of ``$EGOVKIT_PDF_FONT``, else the first of :data:`FONT_PATHS` present;
    :class:`~egovkit.errors.ConfigurationError` when there is none."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen:
        return _load(chosen)
    for path in FONT_PATHS:
        if Path(path).is_file():
            return _load(path)
    raise ConfigurationError(
        "no Times-metric font with Vietnamese for the signing appearance: install Debian's "
        f"fonts-liberation2 or set {ENVIRONMENT} to a Liberation Serif or TeX Gyre Termes file",
        code="pdf.font.missing",
    )


__all__ = ["ENVIRONMENT", "FONT_PATHS", "AppearanceFont", "default_font"]
