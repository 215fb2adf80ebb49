"""The visible appearance of a signature on a document, after Decree 30/2020 (Phụ lục I).

- A person (người ký): the handwritten-signature image, centred in the gap between the
  position line (chức vụ) and the name line, which the document itself prints.
- The agency (cơ quan): the red seal image at its actual size, over the left third of the
  signer's image.
- The agency on an attachment (văn bản kèm theo): no image; the number and notation and the
  signing time (ISO 8601 with +07:00) at the top right of page 1 in Times New Roman 10 pt,
  black.
- Any appearance may also show lines of text (``SignOptions.text``: the signer's name and
  position, say), centred under the image.

Text that PDF's standard Times-Roman font can show (WinAnsi, plus Vietnamese "Đ/đ" through its
``Dcroat``/``dcroat`` glyphs — all a number and notation needs) uses it, so no font file is
embedded. Any other text — most Vietnamese names — is drawn with an embedded subset of a
Times-metric font with every Vietnamese letter (:mod:`egovkit_pdf.fonts`).
"""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any, Final

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp.base import BaseStamp, BaseStampStyle

from egovkit.errors import PolicyError
from egovkit_pdf.fonts import default_font
from egovkit_pdf.png import PngImage

FONT_SIZE: Final = 10.0
LEADING: Final = 12.0

#: Times-Roman advance widths (1/1000 em) for what a number, notation and time use.
_WIDTHS: Final[dict[str, int]] = {
    **dict.fromkeys("0123456789", 500),
    " ": 250, "/": 278, "-": 333, ":": 278, "+": 564, ".": 250, ",": 250, "(": 333, ")": 333,
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 667, 722, 611, 556, 722, 722, 333,
        389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611),
        strict=True)),
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (444, 500, 444, 500, 444, 333, 500, 500, 278,
        278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444),
        strict=True)),
    "Đ": 722, "đ": 500,
}  # fmt: skip


def _g_DictionaryObject(entries: dict[Any, Any]) -> generic.DictionaryObject:  # noqa: N802
    return generic.DictionaryObject(entries)  # type: ignore[no-untyped-call]


def _g_NumberObject(value: int) -> generic.NumberObject:  # noqa: N802
    return generic.NumberObject(value)  # type: ignore[no-untyped-call]


def standard_text(text: str) -> bool:
    """Whether PDF's standard Times-Roman can show ``text`` (no font to embed)."""
    try:
        encode_times(text)
    except PolicyError:
        return False
    return True


def encode_times(text: str) -> bytes:
    """``text`` in the font's encoding (WinAnsi with Đ/đ in place of Ð/ð)."""
    try:
        return text.replace("Đ", "Ð").replace("đ", "ð").encode("cp1252")
    except UnicodeEncodeError as exc:
        raise PolicyError(
            f"{text!r} has characters the Times-Roman appearance cannot show "
            f"({exc.object[exc.start]!r})",
            code="pdf.appearance.unencodable",
        ) from exc


def text_width(text: str) -> float:
    """Width of ``text`` in points at :data:`FONT_SIZE`."""
    if not standard_text(text):
        return default_font().width(text, FONT_SIZE)
    return sum(_WIDTHS.get(ch, 556) for ch in text) * FONT_SIZE / 1000


def _pdf_string(data: bytes) -> bytes:
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def _font() -> generic.DictionaryObject:
    return _g_DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Times-Roman"),
            pdf_name("/Encoding"): _g_DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Encoding"),
                    pdf_name("/BaseEncoding"): pdf_name("/WinAnsiEncoding"),
                    pdf_name("/Differences"): generic.ArrayObject(
                        [
                            _g_NumberObject(0xD0),
                            pdf_name("/Dcroat"),
                            _g_NumberObject(0xF0),
                            pdf_name("/dcroat"),
                        ]
                    ),
                }
            ),
        }
    )


def image_xobject(writer: BasePdfFileWriter, image: PngImage) -> generic.IndirectObject:
    """The PNG as an image XObject, its alpha as a soft mask."""

    def stream(data: bytes, grey: bool, extra: dict[str, Any]) -> generic.StreamObject:
        entries = {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): _g_NumberObject(image.width),
            pdf_name("/Height"): _g_NumberObject(image.height),
            pdf_name("/ColorSpace"): pdf_name("/DeviceGray" if grey else "/DeviceRGB"),
            pdf_name("/BitsPerComponent"): _g_NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
            **{pdf_name(k): v for k, v in extra.items()},
        }
        return generic.StreamObject(
            _g_DictionaryObject(entries), encoded_data=zlib.compress(data, 6)
        )

    extra: dict[str, Any] = {}
    if image.alpha is not None:
        extra["/SMask"] = writer.add_object(stream(image.alpha, True, {}))
    return writer.add_object(stream(image.colour, image.grey, extra))


@dataclasses.dataclass(frozen=True)
class DecreeStampStyle(BaseStampStyle):
    """A pyHanko stamp style drawing an image (fitted and centred) or lines of text."""

    border_width: int = 0
    image: PngImage | None = None
    lines: tuple[str, ...] = ()
    align: str = "right"  # "right" (the attachment stamp) or "center"

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> DecreeStamp:
        return DecreeStamp(writer, self, box)


class DecreeStamp(BaseStamp):
    """The appearance stream itself."""

    def _render_inner_content(self) -> list[bytes]:
        style: DecreeStampStyle = self.style
        width, height = float(self.box.width), float(self.box.height)
        commands: list[bytes] = []
        text_height = LEADING * len(style.lines) + 2 if style.lines and style.image else 0.0
        if style.image is not None:
            name = pdf_name("/Img0")
            assert self.writer is not None
            self.set_resource(ResourceType.XOBJECT, name, image_xobject(self.writer, style.image))
            natural_w, natural_h = style.image.size_points()
            room = max(1.0, height - text_height)
            scale = min(width / natural_w, room / natural_h)
            w, h = natural_w * scale, natural_h * scale
            x, y = (width - w) / 2, text_height + (room - h) / 2
            commands.append(b"q %.3f 0 0 %.3f %.3f %.3f cm /Img0 Do Q" % (w, h, x, y))
        if style.lines:
            commands.append(self._text(style, width, height))
        return commands

    def _text(self, style: DecreeStampStyle, width: float, height: float) -> bytes:
        if all(standard_text(line) for line in style.lines):
            self.set_resource(ResourceType.FONT, pdf_name("/TNR"), _font())

            def show(line: str) -> bytes:
                return _pdf_string(encode_times(line))

            def measure(line: str) -> float:
                return text_width(line)

        else:
            font = default_font()
            assert self.writer is not None
            self.set_resource(
                ResourceType.FONT, pdf_name("/TNR"), font.embed(self.writer, style.lines)
            )

            def show(line: str) -> bytes:
                return b"<" + font.encode(line).hex().upper().encode("ascii") + b">"

            def measure(line: str) -> float:
                return font.width(line, FONT_SIZE)

        parts = [b"q 0 g BT /TNR %.1f Tf" % FONT_SIZE]
        # alone, the lines start at the top (the attachment stamp); under an image, at the bottom
        top = height - FONT_SIZE if style.image is None else LEADING * (len(style.lines) - 1) + 3
        for i, line in enumerate(style.lines):
            free = max(0.0, width - measure(line))
            x = free if style.align == "right" else free / 2
            parts.append(b"1 0 0 1 %.3f %.3f Tm %s Tj" % (x, top - i * LEADING, show(line)))
        parts.append(b"ET Q")
        return b" ".join(parts)
