"""Signature and seal images, decoded within limits: PNG always, JPEG with Pillow.

Every image is hostile until its header says otherwise: the file size and the pixel count the
header announces are checked against :class:`ImageLimits` *before* any pixel data is inflated.
With Pillow installed (``pip install "egovkit-pdf[images]"``) decoding is Pillow's (fast, every
PNG including interlaced ones, and JPEG); without it :func:`egovkit_pdf.png.read_png` decodes
every non-interlaced PNG in pure Python, inflating no more than the header announces.
"""

from __future__ import annotations

import io
import struct
from importlib.util import find_spec
from typing import Literal

import attrs

from egovkit.errors import ConfigurationError, ParseError, UnsafeInputError
from egovkit_pdf.png import PngImage, check_size, png_header, read_png

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8"
#: Start-of-frame markers of JPEG (ITU-T T.81, table B.1): every coding process, not DHT/JPG/DAC.
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})

Decoder = Literal["auto", "pillow", "python"]


@attrs.frozen(kw_only=True)
class ImageLimits:
    """How large an image may be: ``max_bytes`` of file, ``max_pixels`` announced by its header.

    The defaults are far above a scanned seal at 600 dpi (about 1,000 × 1,000) and far below
    what exhausts a server's memory (16 million pixels is 64 MB decoded as RGBA).
    """

    max_bytes: int = 16 * 1024 * 1024
    max_pixels: int = 16_000_000


@attrs.frozen(kw_only=True)
class ImageHeader:
    """The format and size an image file announces, read without decoding it."""

    format: Literal["PNG", "JPEG"]
    width: int
    height: int


def pillow_available() -> bool:
    """Whether Pillow can be imported (the ``images`` extra of egovkit-pdf)."""
    return find_spec("PIL") is not None


def image_header(data: bytes) -> ImageHeader:
    """The format and pixel size of a PNG or JPEG file, from its header alone."""
    if data.startswith(_PNG):
        header = png_header(data)
        return ImageHeader(format="PNG", width=header.width, height=header.height)
    if data.startswith(_JPEG):
        width, height = _jpeg_size(data)
        return ImageHeader(format="JPEG", width=width, height=height)
    raise ParseError("the image is neither PNG nor JPEG", code="pdf.image.format")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from the first start-of-frame segment (T.81 §B.2.2)."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ParseError("corrupt JPEG: a segment without a marker", code="pdf.jpeg.header")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2:
            raise ParseError("corrupt JPEG segment length", code="pdf.jpeg.header")
        if marker in _SOF:
            segment = data[position + 4 : position + 2 + length]
            if len(segment) < 6:
                raise ParseError("truncated JPEG frame header", code="pdf.jpeg.header")
            height, width = struct.unpack(">HH", segment[1:5])
            return width, height
        if marker == 0xDA:  # start of scan before any frame
            break
        position += 2 + length
    raise ParseError("JPEG without a frame header", code="pdf.jpeg.header")


def read_image(
    data: bytes, *, limits: ImageLimits | None = None, decoder: Decoder = "auto"
) -> PngImage:
    """Decode a PNG or JPEG signature or seal image into 8-bit colour and alpha planes.

    ``decoder`` is ``"auto"`` (Pillow when installed, else the pure-Python PNG reader),
    ``"pillow"`` or ``"python"``. Refused before decoding: a file over ``limits.max_bytes``, a
    header announcing more than ``limits.max_pixels`` (:class:`~egovkit.errors.UnsafeInputError`).
    """
    chosen = limits or ImageLimits()
    if len(data) > chosen.max_bytes:
        raise UnsafeInputError(
            f"the image is {len(data)} bytes, over the {chosen.max_bytes}-byte limit",
            code="pdf.image.too_large",
        )
    header = image_header(data)
    check_size(header.width, header.height, max_pixels=chosen.max_pixels, what=header.format)
    use_pillow = decoder == "pillow" or (decoder == "auto" and pillow_available())
    if use_pillow:
        return _with_pillow(data, header)
    if header.format == "JPEG":
        raise ConfigurationError(
            'JPEG images are decoded with Pillow: pip install "egovkit-pdf[images]"',
            code="pdf.image.needs_pillow",
        )
    return read_png(data, max_pixels=chosen.max_pixels)


_GREY_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "F"})


def _with_pillow(data: bytes, header: ImageHeader) -> PngImage:
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError as exc:
        raise ConfigurationError(
            'decoder="pillow" needs Pillow: pip install "egovkit-pdf[images]"',
            code="pdf.image.needs_pillow",
        ) from exc
    try:
        with Image.open(io.BytesIO(data), formats=[header.format]) as image:
            if image.size != (header.width, header.height):
                raise ParseError("the image's header is inconsistent", code="pdf.image.header")
            grey = image.mode in _GREY_MODES
            alpha = "A" in image.getbands() or "transparency" in image.info
            mode = ("LA" if alpha else "L") if grey else ("RGBA" if alpha else "RGB")
            converted = image.convert(mode)
            dpi = image.info.get("dpi")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ParseError(
            f"cannot decode the {header.format} image: {exc}", code="pdf.image.data"
        ) from exc
    bands = converted.split()
    colour = (
        bands[0].tobytes()
        if grey
        else Image.merge("RGB", bands[:3]).tobytes()  # drop the alpha band, keep RGB order
    )
    return PngImage(
        width=header.width,
        height=header.height,
        grey=grey,
        colour=colour,
        alpha=bands[-1].tobytes() if alpha else None,
        dpi=(float(dpi[0]), float(dpi[1])) if dpi and dpi[0] and dpi[1] else None,
    )


__all__ = [
    "Decoder",
    "ImageHeader",
    "ImageLimits",
    "image_header",
    "pillow_available",
    "read_image",
]
