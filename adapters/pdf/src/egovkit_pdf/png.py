"""A small PNG reader and writer: enough to put a transparent signature or seal image in a PDF.

Decree 30/2020 (Phụ lục I) wants the handwritten-signature image blue and the seal red, both as
transparent PNGs. A PDF image has no alpha channel, so the alpha becomes a soft mask
(``/SMask``). The reader takes every non-interlaced PNG of the specification (W3C PNG, 2nd
edition, §11): grey, RGB and palette images (what pngquant and most optimisers write) at every
bit depth, with an alpha channel or a ``tRNS`` chunk. It is bounded before it inflates: the
header's size is checked against :class:`~egovkit_pdf.images.ImageLimits` first, and the data is
inflated no further than that size, so a small file cannot expand into gigabytes.
:mod:`egovkit_pdf.images` uses Pillow instead when it is installed (``egovkit-pdf[images]``):
faster, and it also reads interlaced PNGs and JPEG.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

import attrs

from egovkit.errors import ParseError, UnsafeInputError

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Samples per pixel of each colour type: grey, RGB, palette, grey+alpha, RGBA.
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
#: Bit depths each colour type allows (PNG §11.2.2, table 11.1).
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_MAX_PIXELS = 16_000_000
_INFLATE_STEP = 1 << 20


@attrs.frozen(kw_only=True)
class PngImage:
    """Decoded 8-bit pixels: ``colour`` (RGB or grey rows) and an optional ``alpha`` plane.

    ``dpi`` comes from the ``pHYs`` chunk when the file says its physical size. JPEG images
    decoded by :mod:`egovkit_pdf.images` use the same class.
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


@attrs.frozen(kw_only=True)
class PngHeader:
    """What the ``IHDR`` chunk says, read before any pixel data is touched."""

    width: int
    height: int
    depth: int
    colour_type: int
    interlaced: bool


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
            raise ParseError(
                "truncated PNG chunk", code="pdf.png.truncated", where=kind.decode("latin-1")
            )
        chunks.append((kind, body))
        position += 12 + length
        if kind == b"IEND":
            break
    return chunks


def png_header(data: bytes) -> PngHeader:
    """The ``IHDR`` of a PNG file (the first chunk), checked against the specification."""
    if not data.startswith(_SIGNATURE):
        raise ParseError("not a PNG file", code="pdf.png.signature")
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\0\0\0\x0d":
        raise ParseError("PNG without IHDR", code="pdf.png.header")
    width, height, depth, colour_type, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", data[16:29]
    )
    if (
        colour_type not in _DEPTHS
        or depth not in _DEPTHS[colour_type]
        or compression
        or filtering
        or interlace not in (0, 1)
    ):
        raise ParseError(
            f"not a valid PNG header (depth {depth}, colour type {colour_type}, "
            f"interlace {interlace})",
            code="pdf.png.header",
        )
    return PngHeader(
        width=width,
        height=height,
        depth=depth,
        colour_type=colour_type,
        interlaced=interlace == 1,
    )


def check_size(width: int, height: int, *, max_pixels: int, what: str = "image") -> None:
    """Refuse an image whose header announces more than ``max_pixels`` (or none)."""
    if not 0 < width * height <= max_pixels:
        raise UnsafeInputError(
            f"{what} of {width}x{height} pixels refused (the limit is {max_pixels} pixels)",
            code="pdf.image.size",
        )


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


_LOW = 0x7F
_HIGH = 0x80


def _add_bytes(line: bytes, previous: bytes) -> bytes:
    """Byte-wise ``(a + b) & 0xFF`` of two rows at once, carries kept inside each byte."""
    n = len(line)
    if n == 0:
        return b""
    low, high = int.from_bytes(bytes([_LOW]) * n, "big"), int.from_bytes(bytes([_HIGH]) * n, "big")
    a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
    return (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(n, "big")


def _unfilter(raw: bytes, width: int, height: int, channels: int, depth: int = 8) -> bytearray:
    """Undo the per-row filters (PNG §9); ``bpp`` is the byte distance of Sub and Paeth."""
    stride = (width * channels * depth + 7) // 8
    bpp = max(1, channels * depth // 8)
    out = bytearray(stride * height)
    previous = bytes(stride)
    position = 0
    for row in range(height):
        kind = raw[position]
        line = raw[position + 1 : position + 1 + stride]
        position += 1 + stride
        if kind == 0:
            done = line
        elif kind == 2:
            done = _add_bytes(line, previous)
        elif kind == 1:
            work = bytearray(line)
            for i in range(bpp, stride):
                work[i] = (work[i] + work[i - bpp]) & 0xFF
            done = bytes(work)
        elif kind == 3:
            work = bytearray(line)
            for i in range(stride):
                left = work[i - bpp] if i >= bpp else 0
                work[i] = (work[i] + ((left + previous[i]) >> 1)) & 0xFF
            done = bytes(work)
        elif kind == 4:
            work = bytearray(line)
            for i in range(stride):
                left = work[i - bpp] if i >= bpp else 0
                up_left = previous[i - bpp] if i >= bpp else 0
                work[i] = (work[i] + _paeth(left, previous[i], up_left)) & 0xFF
            done = bytes(work)
        else:
            raise ParseError(f"unknown PNG filter {kind}", code="pdf.png.filter")
        out[row * stride : (row + 1) * stride] = done
        previous = done
    return out


def _inflate(chunks: list[tuple[bytes, bytes]], expected: int) -> bytes:
    """The IDAT stream inflated to at most ``expected`` bytes: more is refused unread."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    produced = 0
    try:
        for kind, body in chunks:
            if kind != b"IDAT":
                continue
            pending = body
            while pending:
                part = inflater.decompress(pending, min(_INFLATE_STEP, expected + 1 - produced))
                parts.append(part)
                produced += len(part)
                if produced > expected:
                    raise UnsafeInputError(
                        "PNG data inflates beyond the size its header announces",
                        code="pdf.png.bomb",
                    )
                pending = inflater.unconsumed_tail
        parts.append(inflater.flush(expected + 1 - produced))
    except zlib.error as exc:
        raise ParseError(f"corrupt PNG data: {exc}", code="pdf.png.data") from exc
    raw = b"".join(parts)
    if len(raw) > expected:
        raise UnsafeInputError(
            "PNG data inflates beyond the size its header announces", code="pdf.png.bomb"
        )
    return raw


def _samples(row: bytes, count: int, depth: int) -> list[int]:
    """``count`` samples of ``depth`` bits each, unpacked from one row."""
    if depth == 8:
        return list(row[:count])
    if depth == 16:
        return [(row[2 * i] << 8) | row[2 * i + 1] for i in range(count)]
    per_byte = 8 // depth
    mask = (1 << depth) - 1
    out = []
    for i in range(count):
        byte = row[i // per_byte]
        shift = 8 - depth * (i % per_byte + 1)
        out.append((byte >> shift) & mask)
    return out


def _dpi(chunks: list[tuple[bytes, bytes]]) -> tuple[float, float] | None:
    for kind, body in chunks:
        if kind == b"pHYs" and len(body) == 9 and body[8] == 1:
            per_x, per_y = struct.unpack(">II", body[:8])
            if per_x and per_y:
                return per_x * 0.0254, per_y * 0.0254
    return None


def read_png(data: bytes, *, max_pixels: int = _MAX_PIXELS) -> PngImage:
    """Decode a non-interlaced PNG of any colour type and bit depth into 8-bit samples.

    Refused before inflating: a header over ``max_pixels``; while inflating: more data than
    the header announces. Interlaced PNGs need Pillow (:func:`egovkit_pdf.images.read_image`).
    """
    header = png_header(data)
    check_size(header.width, header.height, max_pixels=max_pixels, what="PNG image")
    if header.interlaced:
        raise ParseError(
            "interlaced PNGs are read with Pillow: install egovkit-pdf[images]",
            code="pdf.png.unsupported",
        )
    chunks = _chunks(data)
    width, height, depth, colour_type = (
        header.width,
        header.height,
        header.depth,
        header.colour_type,
    )
    channels = _CHANNELS[colour_type]
    stride = (width * channels * depth + 7) // 8
    raw = _inflate(chunks, height * (1 + stride))
    if len(raw) != height * (1 + stride):
        raise ParseError("PNG data has the wrong length", code="pdf.png.data")
    pixels = _unfilter(raw, width, height, channels, depth)
    extras = {kind: body for kind, body in chunks if kind in (b"PLTE", b"tRNS")}
    dpi = _dpi(chunks)
    if colour_type == 3:
        return _from_palette(header, pixels, stride, extras, dpi)
    if depth == 8 and channels in (1, 3) and b"tRNS" not in extras:
        return PngImage(
            width=width, height=height, grey=channels == 1, colour=bytes(pixels), dpi=dpi
        )
    if depth == 8 and channels in (2, 4):
        return _split_alpha(header, pixels, dpi)
    return _from_samples(header, pixels, stride, extras.get(b"tRNS"), dpi)


def _split_alpha(header: PngHeader, pixels: bytearray, dpi: tuple[float, float] | None) -> PngImage:
    """8-bit grey+alpha or RGBA: every ``channels``-th byte is alpha (slices, no loop)."""
    channels = _CHANNELS[header.colour_type]
    colour_channels = channels - 1
    count = header.width * header.height
    colour = bytearray(count * colour_channels)
    for c in range(colour_channels):
        colour[c::colour_channels] = pixels[c::channels]
    return PngImage(
        width=header.width,
        height=header.height,
        grey=colour_channels == 1,
        colour=bytes(colour),
        alpha=bytes(pixels[colour_channels::channels]),
        dpi=dpi,
    )


def _from_palette(
    header: PngHeader,
    pixels: bytearray,
    stride: int,
    extras: dict[bytes, bytes],
    dpi: tuple[float, float] | None,
) -> PngImage:
    palette = extras.get(b"PLTE")
    if palette is None or len(palette) % 3 or not palette:
        raise ParseError("palette PNG without a valid PLTE chunk", code="pdf.png.palette")
    entries = len(palette) // 3
    colours = [palette[3 * i : 3 * i + 3] for i in range(entries)]
    transparency = extras.get(b"tRNS", b"")
    alphas = [transparency[i] if i < len(transparency) else 255 for i in range(entries)]
    colour = bytearray()
    alpha = bytearray()
    for row in range(header.height):
        line = bytes(pixels[row * stride : (row + 1) * stride])
        for index in _samples(line, header.width, header.depth):
            if index >= entries:
                raise ParseError(
                    f"palette index {index} beyond the {entries} colours of PLTE",
                    code="pdf.png.palette",
                )
            colour += colours[index]
            alpha.append(alphas[index])
    return PngImage(
        width=header.width,
        height=header.height,
        grey=False,
        colour=bytes(colour),
        alpha=bytes(alpha) if transparency else None,
        dpi=dpi,
    )


def _from_samples(
    header: PngHeader,
    pixels: bytearray,
    stride: int,
    transparency: bytes | None,
    dpi: tuple[float, float] | None,
) -> PngImage:
    channels = _CHANNELS[header.colour_type]
    colour_channels = 1 if header.colour_type in (0, 4) else 3
    has_alpha = channels != colour_channels
    depth = header.depth
    top = (1 << depth) - 1
    key: tuple[int, ...] | None = None
    if transparency is not None and not has_alpha:
        if len(transparency) != 2 * colour_channels:
            raise ParseError("tRNS chunk of the wrong length", code="pdf.png.transparency")
        key = struct.unpack(f">{colour_channels}H", transparency)
    colour = bytearray()
    alpha = bytearray()
    for row in range(header.height):
        line = bytes(pixels[row * stride : (row + 1) * stride])
        samples = _samples(line, header.width * channels, depth)
        for start in range(0, len(samples), channels):
            pixel = samples[start : start + channels]
            colour += bytes(_to8(v, depth, top) for v in pixel[:colour_channels])
            if has_alpha:
                alpha.append(_to8(pixel[colour_channels], depth, top))
            elif key is not None:
                alpha.append(0 if tuple(pixel) == key else 255)
    return PngImage(
        width=header.width,
        height=header.height,
        grey=colour_channels == 1,
        colour=bytes(colour),
        alpha=bytes(alpha) if (has_alpha or key is not None) else None,
        dpi=dpi,
    )


def _to8(value: int, depth: int, top: int) -> int:
    if depth == 8:
        return value
    if depth == 16:
        return value >> 8
    return value * 255 // top


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
