"""Signature and seal images: every PNG kind, JPEG, and hostile files refused before inflating.

The reference is Pillow (an independent PNG and JPEG implementation): it writes the images in
every colour type and bit depth, and the pure-Python reader must decode them to exactly what
Pillow decodes them to.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from egovkit.errors import ConfigurationError, ParseError, UnsafeInputError
from egovkit.testing.pki import FixturePKI
from egovkit_pdf import Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf.images import ImageLimits, image_header, read_image
from egovkit_pdf.png import read_png
from egovkit_pdf.testing import sample_pdf


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int, height: int, idat: bytes, *, colour_type: int = 6, depth: int = 8) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _saved(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


@st.composite
def pillow_pngs(draw: st.DrawFn) -> bytes:
    """A small PNG as Pillow writes it: every colour type, low bit depths, tRNS."""
    width, height = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    mode = draw(st.sampled_from(["1", "L", "LA", "RGB", "RGBA", "P", "P4", "P2", "PT", "LT", "RT"]))
    bands = {"1": 1, "L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "LT": 1, "RT": 3}.get(mode, 1)
    raw = draw(st.binary(min_size=width * height * bands, max_size=width * height * bands))
    if mode.startswith("P"):
        colours = draw(st.integers(1, 16 if mode == "P4" else 4 if mode == "P2" else 256))
        image = Image.frombytes("P", (width, height), bytes(b % colours for b in raw))
        palette = draw(st.binary(min_size=3 * colours, max_size=3 * colours))
        image.putpalette(palette)
        if mode == "PT":
            alphas = draw(st.binary(min_size=1, max_size=colours))
            return _saved(image, transparency=alphas)
        bits = {"P4": 4, "P2": 2}.get(mode)
        return _saved(image, bits=bits) if bits else _saved(image)
    if mode == "1":
        return _saved(Image.frombytes("L", (width, height), raw).convert("1"))
    pillow_mode = {"LT": "L", "RT": "RGB"}.get(mode, mode)
    image = Image.frombytes(pillow_mode, (width, height), raw)
    if mode == "LT":
        return _saved(image, transparency=raw[0])
    if mode == "RT":
        return _saved(image, transparency=tuple(raw[:3]))
    return _saved(image)


@settings(max_examples=150, deadline=None)
@given(pillow_pngs())
def test_the_pure_reader_decodes_what_pillow_decodes(data: bytes) -> None:
    ours = read_image(data, decoder="python")
    theirs = read_image(data, decoder="pillow")
    assert ours == theirs


def test_sixteen_bit_samples_keep_their_high_byte() -> None:
    values = [0x0000, 0x01FF, 0x8000, 0xFFFF]
    image = Image.new("I;16", (4, 1))
    image.putdata(values)
    decoded = read_png(_saved(image))
    assert decoded.grey
    assert decoded.colour == bytes(v >> 8 for v in values)


def test_a_palette_png_signs_a_pdf() -> None:
    """pngquant and most tools write palette PNGs: the signature image must accept them."""
    seal = Image.new("P", (120, 120))
    seal.putpalette([255, 255, 255, 200, 0, 0])
    for x in range(20, 100):
        for y in range(20, 100):
            seal.putpixel((x, y), 1)
    pki = FixturePKI.create()
    signed = sign_pdf(
        sample_pdf(),
        pki.person.signer(),
        SignOptions(role=Role.PERSONAL, image=_saved(seal, transparency=0)),
    )
    assert verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation()).passed


def _bomb(announced: tuple[int, int], inflated: int) -> bytes:
    """A PNG whose IDAT inflates to ``inflated`` bytes of zeros, far beyond its header."""
    packer = zlib.compressobj(9)
    block = bytes(1 << 20)
    idat = b"".join(packer.compress(block) for _ in range(inflated >> 20)) + packer.flush()
    return _png(*announced, idat)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb((100, 100), 256 << 20)  # 256 MiB from about 250 kB


@pytest.mark.parametrize("decoder", ["python", "pillow"])
def test_a_decompression_bomb_is_refused_without_inflating_it(bomb: bytes, decoder: str) -> None:
    """The pure reader refuses the excess; Pillow stops once the announced pixels are filled.
    Either way memory stays near the announced 40 kB, never the 256 MiB the data holds."""
    assert len(bomb) < 400_000
    tracemalloc.start()
    try:
        if decoder == "python":
            with pytest.raises(UnsafeInputError) as caught:
                read_image(bomb, decoder="python")
            assert caught.value.code == "pdf.png.bomb"
        else:
            assert read_image(bomb, decoder="pillow").width == 100
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20


@pytest.mark.parametrize("decoder", ["python", "pillow"])
def test_a_header_announcing_too_many_pixels_is_refused_first(decoder: str) -> None:
    huge = _png(100_000, 100_000, zlib.compress(b"\0" * 10))
    with pytest.raises(UnsafeInputError) as caught:
        read_image(huge, decoder=decoder)  # type: ignore[arg-type]
    assert caught.value.code == "pdf.image.size"
    small = _png(40, 40, zlib.compress(bytes(40 * 41 * 4)))
    with pytest.raises(UnsafeInputError):
        read_image(small, limits=ImageLimits(max_pixels=1_000))
    with pytest.raises(UnsafeInputError) as caught:
        read_image(small, limits=ImageLimits(max_bytes=len(small) - 1))
    assert caught.value.code == "pdf.image.too_large"


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a....",
        _png(2, 2, b"not zlib"),
        _png(2, 2, zlib.compress(b"\0" * 3)),  # too short
        _png(2, 2, zlib.compress(b"\7" + b"\0" * 8 + b"\0" * 9)),  # unknown filter
        _png(2, 2, zlib.compress(b"\0"), colour_type=3),  # palette without PLTE
        _png(2, 2, b"", colour_type=5),  # no such colour type
        _png(2, 2, b"", colour_type=2, depth=4),  # RGB has no 4-bit depth
        b"\xff\xd8\xff\xda\x00\x02",  # JPEG scan before a frame header
        b"\xff\xd8\xff",  # truncated JPEG
    ],
)
def test_broken_images_are_parse_errors(data: bytes) -> None:
    with pytest.raises(ParseError):
        read_image(data, decoder="python")


def _jpeg(mode: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode != "L" else 128).save(out, format="JPEG", dpi=(300, 300))
    return out.getvalue()


@pytest.mark.parametrize(("mode", "grey"), [("RGB", False), ("L", True), ("CMYK", False)])
def test_jpeg_images_are_decoded_with_pillow(mode: str, grey: bool) -> None:
    data = _jpeg(mode, (64, 32))
    header = image_header(data)
    assert (header.format, header.width, header.height) == ("JPEG", 64, 32)
    image = read_image(data)
    assert (image.width, image.height, image.grey, image.alpha) == (64, 32, grey, None)
    assert len(image.colour) == 64 * 32 * (1 if grey else 3)
    assert image.dpi == (300.0, 300.0)
    with pytest.raises(ConfigurationError):
        read_image(data, decoder="python")


def test_a_jpeg_announcing_too_many_pixels_is_refused_first() -> None:
    data = bytearray(_jpeg("RGB", (16, 16)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", 60_000, 60_000)
    with pytest.raises(UnsafeInputError):
        read_image(bytes(data))
