"""Vietnamese appearance text in Times New Roman metrics (issue 18): "Nguyễn Thị Hường — Phó
Chủ tịch" is drawn with an embedded subset of Liberation Serif, the signature stays valid for
egovkit, pyHanko and poppler's pdfsig, and the page renders those letters.

The rendering check is independent of egovkit's PDF code: poppler's pdftoppm renders the signed
page, Pillow (FreeType) renders the same text from the same font file, and the two ink images
must match — while a text without its diacritics must not.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from egovkit.testing.pki import FixturePKI
from egovkit_pdf import Placement, Role, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf._bridge import to_asn1
from egovkit_pdf.appearance import FONT_SIZE, standard_text, text_width
from egovkit_pdf.fonts import FONT_PATHS, default_font
from egovkit_pdf.testing import sample_pdf, signature_png

TEXT = "Nguyễn Thị Hường — Phó Chủ tịch"
BOX = (300.0, 400.0, 260.0, 90.0)  # x, y, width, height on page 1
needs_font = pytest.mark.skipif(
    not any(Path(p).is_file() for p in FONT_PATHS),
    reason="no Liberation Serif (Debian fonts-liberation2)",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdfsig") is None,
    reason="poppler-utils is not installed",
)
#: Every letter of Vietnamese, lower and upper case (the 29 letters with all five tone marks).
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


def _signed(pki: FixturePKI, text: str = TEXT) -> bytes:
    x, y, w, h = BOX
    return sign_pdf(
        sample_pdf(),
        pki.person.signer(),
        SignOptions(image=signature_png(), text=(text,), placement=Placement.at(0, x, y, w, h)),
    )


@needs_font
def test_every_vietnamese_letter_is_accepted() -> None:
    font = default_font()
    letters = VIETNAMESE + VIETNAMESE.upper()
    assert font.missing(letters) == []
    assert font.missing(unicodedata.normalize("NFD", letters)) == []  # decomposed input too
    assert len(font.encode(letters)) == 2 * len(letters)
    assert not standard_text(TEXT)
    # Times New Roman metrics: the same advance widths as the standard Times-Roman table
    for sample in ("So: 15/QĐ-UBND", "Nguyen Thi Huong, Pho Chu tich", "2026-03-02T08:30:00+07:00"):
        assert font.width(sample, FONT_SIZE) == pytest.approx(text_width(sample), abs=0.05)
    assert font.width("ễ", FONT_SIZE) == font.width("e", FONT_SIZE)  # a mark adds no width


@needs_font
@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " .,-—", min_size=1, max_size=40))
def test_any_vietnamese_text_is_signed(text: str) -> None:
    pki = FixturePKI.create()
    signed = sign_pdf(
        sample_pdf(),
        pki.agency.signer(),
        SignOptions(role=Role.ATTACHMENT, number="15/QĐ-UBND", text=(text,)),
    )
    assert verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation()).passed


@needs_font
@needs_poppler
def test_the_appearance_validates_everywhere_and_shows_the_letters(
    pki: FixturePKI, tmp_path: Path
) -> None:
    signed = _signed(pki)
    assert verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation()).passed
    context = ValidationContext(
        trust_roots=[to_asn1(pki.root.certificate)],
        crls=[
            pki.crl(i).public_bytes(serialization.Encoding.DER) for i in ("root", "intermediate")
        ],
        allow_fetching=False,
    )
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    assert [validate_pdf_signature(s, context).bottom_line for s in reader.embedded_signatures] == [
        True
    ]
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)

    def run(*args: str) -> str:
        return subprocess.run(
            [*args, str(path), "-"] if args[0] == "pdftotext" else [*args, str(path)],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout  # fmt: skip

    assert "Signature Validation: Signature is Valid." in run("pdfsig", "-nocert")
    fonts = run("pdffonts")
    (line,) = [row for row in fonts.splitlines() if "+LiberationSerif" in row]
    assert "CID TrueType" in line
    assert line.split()[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, with ToUnicode
    assert TEXT in run("pdftotext")


def _ink(pixels: list[list[int]]) -> list[list[int]]:
    """The image cropped to its ink (grey < 128), as 0/1."""
    rows = [i for i, r in enumerate(pixels) if any(v < 128 for v in r)]
    cols = [j for j in range(len(pixels[0])) if any(r[j] < 128 for r in pixels)]
    return [[1 if pixels[i][j] < 128 else 0 for j in range(cols[0], cols[-1] + 1)]
            for i in range(rows[0], rows[-1] + 1)]  # fmt: skip


def _grid(ink: list[list[int]], width: int = 120, height: int = 14) -> list[float]:
    """Ink density on a fixed grid (so two renderings of different sizes compare)."""
    h, w = len(ink), len(ink[0])
    cells = []
    for gy in range(height):
        for gx in range(width):
            rows = range(gy * h // height, max(gy * h // height + 1, (gy + 1) * h // height))
            cols = range(gx * w // width, max(gx * w // width + 1, (gx + 1) * w // width))
            block = [ink[y][x] for y in rows for x in cols]
            cells.append(sum(block) / len(block))
    return cells


def _correlation(a: list[float], b: list[float]) -> float:
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    var_a = sum((x - mean_a) ** 2 for x in a) ** 0.5
    var_b = sum((y - mean_b) ** 2 for y in b) ** 0.5
    return float(cov / (var_a * var_b))


def _pgm(path: Path) -> list[list[int]]:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    width, height = int(parts[1]), int(parts[2])
    raster = parts[4][-width * height :]
    return [list(raster[r * width : (r + 1) * width]) for r in range(height)]


def _pillow(text: str, pixels_per_point: float) -> list[list[int]]:
    from PIL import Image, ImageDraw, ImageFont

    path = next(p for p in FONT_PATHS if Path(p).is_file())
    font = ImageFont.truetype(path, round(FONT_SIZE * pixels_per_point))
    image = Image.new("L", (round(300 * pixels_per_point), round(20 * pixels_per_point)), 255)
    ImageDraw.Draw(image).text((4, 2), text, font=font, fill=0)
    width, height = image.size
    raw = image.tobytes()
    return [list(raw[r * width : (r + 1) * width]) for r in range(height)]


@needs_font
@needs_poppler
def test_the_rendered_page_shows_the_vietnamese_letters(pki: FixturePKI, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed(pki))
    dpi = 288
    scale = dpi / 72
    x, y, w, _h = BOX
    page_height = 842.0  # the sample is A4
    # the text line sits in the bottom 14 pt of the box, under the image
    left, top = round(x * scale), round((page_height - y - 14) * scale)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-x", str(left),
         "-y", str(top), "-W", str(round(w * scale)), "-H", str(round(14 * scale)),
         str(path), str(tmp_path / "page")],
        check=True, timeout=60,
    )  # fmt: skip
    (image,) = tmp_path.glob("page*.pgm")
    rendered = _grid(_ink(_pgm(image)))
    same = _correlation(rendered, _grid(_ink(_pillow(TEXT, scale))))
    bare = "".join(c for c in unicodedata.normalize("NFD", TEXT) if not unicodedata.combining(c))
    other = _correlation(rendered, _grid(_ink(_pillow(bare, scale))))
    print(f"correlation with the same text {same:.3f}, without diacritics {other:.3f}")
    assert same > 0.9, (same, other)
    assert other < same - 0.1, (same, other)  # the diacritics are there, not just the letters
