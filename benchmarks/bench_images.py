"""Decoding a 1200 × 600 signature image: egovkit-pdf's pure-Python PNG reader and its Pillow
path, against Pillow itself (``Image.open(...).convert("RGBA")``).

The image is what a scanner and an optimiser give: RGBA with adaptive row filters, and the same
image as a 256-colour palette PNG with transparency (what pngquant writes).
"""

from __future__ import annotations

import io

from _harness import Comparison, best_of


def run(quick: bool) -> list[Comparison]:
    try:
        from PIL import Image

        from egovkit_pdf.images import read_image
    except ImportError:  # the adapter or Pillow is not installed
        return []
    width, height = 1200, 600
    pixels = bytes(
        (x * 7 + y * 3) % 256 if (x // 40 + y // 30) % 3 else 0
        for y in range(height)
        for x in range(width)
        for _ in range(4)
    )
    rgba = Image.frombytes("RGBA", (width, height), pixels)
    out = io.BytesIO()
    rgba.save(out, format="PNG", optimize=True)
    rgba_png = out.getvalue()
    out = io.BytesIO()
    rgba.quantize(256).save(out, format="PNG", transparency=0)
    palette_png = out.getvalue()

    def pillow(data: bytes) -> None:
        with Image.open(io.BytesIO(data)) as image:
            image.convert("RGBA").tobytes()

    repeat = 1 if quick else 5
    results = []
    for name, data in (("RGBA", rgba_png), ("palette", palette_png)):
        peer = best_of(lambda d=data: pillow(d), repeat=repeat)  # type: ignore[misc]
        pure = best_of(lambda d=data: read_image(d, decoder="python"), repeat=repeat)  # type: ignore[misc]
        fast = best_of(lambda d=data: read_image(d, decoder="pillow"), repeat=repeat)  # type: ignore[misc]
        results += [
            Comparison(f"{name} PNG 1200x600, pure Python", pure, "Pillow", peer),
            Comparison(
                f"{name} PNG 1200x600, with Pillow", fast, "Pillow", peer, target="< 2x Pillow"
            ),
        ]
    return results
