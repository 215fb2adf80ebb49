"""A small PNG reader and writer: enough to put a transparent signature or seal image in a PDF.

Decree 30/2020 (Phụ lục I) wants the handwritten-signature image blue and the seal red, both as
transparent PNGs. A PDF image has no alpha channel, so the alpha becomes a soft mask
(``/SMask``). Doing this here avoids a dependency on an imaging library for one format.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

import attrs

from egovkit.errors import ParseError

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # grey, RGB, grey+alpha, RGBA
_MAX_PIXELS = 16_000_000


@attrs.frozen(kw_only=True)
class PngImage:
    """Decoded 8-bit pixels: ``colour`` (RGB or grey rows) and an optional ``alpha`` plane.

    ``dpi`` comes from the ``pHYs`` chunk when the file says its physical size.
    """

    width: int
    height: int
    grey: bool
    colour: bytes = attrs.field(repr=False)
    alpha: bytes | None = attrs.field(default=None, repr=False)
    dpi: tuple[float, float] | None = None

    def size_points(self, *, default_dpi: float = 96.0) -> tuple[float, float]:
        """The image's physical size in PDF points (1/72 inch): its actual size on paper."""
        dpi_x, dpi_y = self.dpi or (default_dpi, default_dpi)
        return self.width * 72.0 / dpi_x, self.height * 72.0 / dpi_y


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_SIGNATURE):
        raise ParseError("not a PNG file", code="pdf.png.signature")
    chunks: list[tuple[bytes, bytes]] = []
    position = len(_SIGNATURE)
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if len(body) != length:
            raise ParseError("truncated PNG chunk", code="pdf.png.truncated", where=kind.decode())
        chunks.append((kind, body))
        position += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, width: int, height: int, channels: int) -> bytearray:
    stride = width * channels
    out = bytearray(stride * height)
    previous = bytearray(stride)
    position = 0
    for row in range(height):
        kind = raw[position]
        line = bytearray(raw[position + 1 : position + 1 + stride])
        position += 1 + stride
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                up_left = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + _paeth(left, previous[i], up_left)) & 0xFF
        elif kind != 0:
            raise ParseError(f"unknown PNG filter {kind}", code="pdf.png.filter")
        out[row * stride : (row + 1) * stride] = line
        previous = line
    return out


def read_png(data: bytes) -> PngImage:
    """Decode an 8-bit, non-interlaced grey/RGB PNG with or without alpha."""
    chunks = _chunks(data)
    if not chunks or chunks[0][0] != b"IHDR":
        raise ParseError("PNG without IHDR", code="pdf.png.header")
    width, height, depth, colour_type, _c, _f, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth != 8 or colour_type not in _CHANNELS or interlace:
        raise ParseError(
            "only 8-bit non-interlaced grey/RGB(A) PNGs are supported "
            f"(depth {depth}, colour type {colour_type}, interlace {interlace})",
            code="pdf.png.unsupported",
        )
    if not 0 < width * height <= _MAX_PIXELS:
        raise ParseError(f"image of {width}x{height} pixels refused", code="pdf.png.size")
    channels = _CHANNELS[colour_type]
    try:
        raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    except zlib.error as exc:
        raise ParseError(f"corrupt PNG data: {exc}", code="pdf.png.data") from exc
    if len(raw) != height * (1 + width * channels):
        raise ParseError("PNG data has the wrong length", code="pdf.png.data")
    pixels = _unfilter(raw, width, height, channels)
    dpi: tuple[float, float] | None = None
    for kind, body in chunks:
        if kind == b"pHYs" and len(body) == 9 and body[8] == 1:
            per_x, per_y = struct.unpack(">II", body[:8])
            if per_x and per_y:
                dpi = (per_x * 0.0254, per_y * 0.0254)
    colour_channels = 1 if colour_type in (0, 4) else 3
    if channels == colour_channels:
        return PngImage(
            width=width, height=height, grey=colour_channels == 1, colour=bytes(pixels), dpi=dpi
        )
    colour = bytearray()
    alpha = bytearray()
    for start in range(0, len(pixels), channels):
        colour += pixels[start : start + colour_channels]
        alpha.append(pixels[start + colour_channels])
    return PngImage(
        width=width,
        height=height,
        grey=colour_channels == 1,
        colour=bytes(colour),
        alpha=bytes(alpha),
        dpi=dpi,
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def write_png(
    width: int,
    height: int,
    rgba: Sequence[int] | bytes,
    *,
    dpi: float | None = None,
) -> bytes:
    """An RGBA PNG from ``width*height*4`` bytes (for tests and examples: stamps, signatures)."""
    data = bytes(rgba)
    if len(data) != width * height * 4:
        raise ValueError("rgba must hold width*height*4 bytes")
    stride = width * 4
    raw = b"".join(b"\x00" + data[r * stride : (r + 1) * stride] for r in range(height))
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))]
    if dpi:
        per_metre = round(dpi / 0.0254)
        chunks.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    chunks.append(_chunk(b"IDAT", zlib.compress(raw, 9)))
    chunks.append(_chunk(b"IEND", b""))
    return _SIGNATURE + b"".join(chunks)
