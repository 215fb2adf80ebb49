"""Small test documents and images: a one-page PDF with the Decree 30 signature block, and
PNG signature and seal images. For tests, examples and benchmarks."""

from __future__ import annotations

import math

from egovkit_pdf.png import write_png


def sample_pdf(*, number: str = "15/QD-UBND", pages: int = 1) -> bytes:
    """A minimal A4 PDF with a text body and a signature block ("CHU TICH" ... name)."""
    body = (
        b"BT /F1 13 Tf 1 0 0 1 72 770 Tm (UY BAN NHAN DAN TINH THU NGHIEM) Tj ET\n"
        b"BT /F1 12 Tf 1 0 0 1 72 748 Tm (So: " + number.encode("latin-1") + b") Tj ET\n"
        b"BT /F1 14 Tf 1 0 0 1 220 690 Tm (QUYET DINH) Tj ET\n"
        b"BT /F1 12 Tf 1 0 0 1 72 650 Tm (Ve viec thu nghiem chu ky so.) Tj ET\n"
        b"BT /F1 12 Tf 1 0 0 1 380 420 Tm (CHU TICH) Tj ET\n"
        b"BT /F1 12 Tf 1 0 0 1 370 330 Tm (Nguyen Van An) Tj ET\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
    ]
    font_id = 3 + pages
    content_id = font_id + 1
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>")
    objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number_, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number_ + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def signature_png(width: int = 240, height: int = 100) -> bytes:
    """A blue handwriting-like stroke on a transparent background (96 dpi)."""
    pixels = bytearray(width * height * 4)
    for x in range(width):
        y = int(height / 2 + height / 3 * math.sin(x / width * 4 * math.pi))
        for dy in range(-2, 3):
            if 0 <= y + dy < height:
                i = ((y + dy) * width + x) * 4
                pixels[i : i + 4] = bytes((20, 40, 200, 255))
    return write_png(width, height, pixels, dpi=96)


def seal_png(diameter_mm: float = 36.0, dpi: float = 150.0) -> bytes:
    """A red ring (the seal, con dấu) of ``diameter_mm`` at ``dpi``: its actual size."""
    size = round(diameter_mm / 25.4 * dpi)
    pixels = bytearray(size * size * 4)
    centre = (size - 1) / 2
    for y in range(size):
        for x in range(size):
            r = math.hypot(x - centre, y - centre)
            if size / 2 - size / 12 <= r <= size / 2 - 1 or size / 6 <= r <= size / 6 + 3:
                i = (y * size + x) * 4
                pixels[i : i + 4] = bytes((220, 20, 30, 230))
    return write_png(size, size, pixels, dpi=dpi)
