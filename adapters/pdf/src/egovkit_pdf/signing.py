"""Sign a PDF with PAdES (ETSI EN 319 142) at level B-B, B-T, B-LT or B-LTA.

Every signature is an incremental update: the bytes signed before stay as they were, so a
personal signature and then the agency's keep each other valid. The input bytes are never
changed; the signed document is returned.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Iterable
from typing import Final

import attrs
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko_certvalidator import ValidationContext

from egovkit.errors import (
    ConfigurationError,
    EgovkitError,
    NotFoundError,
    ParseError,
    SignatureError,
)
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.revocation import RevocationSources
from egovkit.signatures.signer import Signer
from egovkit.signatures.timestamps import TimeStamper
from egovkit.signatures.trust import TrustStore
from egovkit_pdf._bridge import BridgeSigner, to_asn1
from egovkit_pdf.appearance import DecreeStampStyle, text_width
from egovkit_pdf.images import ImageLimits, read_image
from egovkit_pdf.placement import Box, Placement, field_rect, find_text, page_size
from egovkit_pdf.timestamp import PyHankoTimeStamperAdapter

#: Vietnam's time zone, written on the attachment stamp (ISO 8601, +07:00).
VIETNAM: Final = dt.timezone(dt.timedelta(hours=7))
MAX_INPUT: Final = 200 * 1024 * 1024
_MARGIN: Final = 28.35  # 1 cm


class Role(enum.Enum):
    """Who signs and so how the signature looks (Decree 30/2020, Phụ lục I)."""

    PERSONAL = "personal"
    AGENCY = "agency"
    ATTACHMENT = "attachment"


class Level(enum.Enum):
    """PAdES baseline levels."""

    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


def _lines(value: Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen(kw_only=True)
class SignOptions:
    """What to sign with beyond the key: level, appearance, time-stamps, evidence for LT.

    ``role`` picks the appearance; ``image`` is the signature (personal) or seal (agency) PNG
    (or JPEG, with Pillow), decoded within ``image_limits``;
    ``number`` is the number and notation an attachment shows; ``text`` lines any appearance
    shows under its image (the signer's name and position: every Vietnamese letter, in Times
    New Roman metrics); ``field`` names the signature
    field (default ``ChuKyCaNhan``, ``ChuKyCoQuan`` or ``ChuKyPhuLuc``, numbered when taken).
    B-T and above need ``timestamper``; B-LT and B-LTA also ``trust`` (and ``revocation``
    unless the answers may be fetched from the certificates' URLs).
    """

    role: Role = Role.PERSONAL
    level: Level = Level.B_B
    field: str | None = None
    placement: Placement | None = None
    image: bytes | None = attrs.field(default=None, repr=False)
    image_limits: ImageLimits = attrs.field(factory=ImageLimits)
    number: str | None = None
    text: tuple[str, ...] = attrs.field(default=(), converter=_lines)
    reason: str | None = None
    location: str | None = None
    timestamper: TimeStamper | None = None
    trust: TrustStore | None = None
    revocation: RevocationSources | None = None
    digest: DigestAlgorithm = DigestAlgorithm.SHA256


def _reader(data: bytes) -> IncrementalPdfFileWriter:
    if len(data) > MAX_INPUT:
        raise ParseError(
            f"the PDF is {len(data)} bytes, over the {MAX_INPUT}-byte limit", code="pdf.too_large"
        )
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise ParseError("not a PDF (no %PDF- header)", code="pdf.not_pdf")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ParseError(f"cannot read the PDF: {exc}", code="pdf.corrupt") from exc
    if writer.prev.encrypted:
        raise ParseError("encrypted PDFs are not signed", code="pdf.encrypted")
    return writer


def _existing_fields(reader: PdfFileReader) -> dict[str, bool]:
    """Signature field names, each with whether it is already signed."""
    return {
        str(name): value is not None for name, value, _ref in fields.enumerate_sig_fields(reader)
    }


def _box(
    reader: PdfFileReader,
    options: SignOptions,
    image_size: tuple[float, float] | None,
    lines: tuple[str, ...],
) -> tuple[int, Box] | None:
    placement = options.placement
    if options.role is Role.ATTACHMENT:
        width = max([text_width(line) for line in lines] + [10.0]) + 2
        height = 12.0 * len(lines) + 4
        _x0, _y0, x1, y1 = page_size(reader, 0)
        return 0, (x1 - _MARGIN - width, y1 - _MARGIN - height, x1 - _MARGIN, y1 - _MARGIN)
    if placement is None:
        return None
    if placement.field is not None:
        return None  # pyHanko fills the existing field
    if placement.box is not None:
        return placement.page, placement.box
    if placement.over is not None:
        page, (x0, y0, x1, y1) = field_rect(reader, placement.over)
        width, height = image_size or (110.0, 110.0)
        right = x0 + (x1 - x0) / 3  # the seal covers the left third of the signer's image
        middle = (y0 + y1) / 2
        return page, (right - width, middle - height / 2, right, middle + height / 2)
    if placement.anchor is not None:
        found = find_text(reader, placement.anchor)
        if found is None:
            raise NotFoundError(
                f"anchor text {placement.anchor!r} not found",
                code="pdf.placement.anchor",
                where=placement.anchor,
            )
        page, x, y = found
        width, height = placement.size or (120.0, 50.0)
        centre = x + text_width(placement.anchor) / 2
        top = y - placement.gap
        return page, (centre - width / 2, top - height, centre + width / 2, top)
    return None


def _validation_context(options: SignOptions, signer: Signer) -> ValidationContext:
    if options.trust is None:
        raise ConfigurationError(
            "B-LT and B-LTA need trust= (the anchors) to collect the chain",
            code="pdf.sign.lt_needs_trust",
        )
    sources = options.revocation or RevocationSources()
    return ValidationContext(
        trust_roots=[to_asn1(c) for c in options.trust.anchors],
        other_certs=[to_asn1(c) for c in (*signer.chain, *options.trust.intermediates)],
        crls=[c.public_bytes(serialization.Encoding.DER) for c in sources.crls],
        ocsps=list(sources.ocsp_responses),
        allow_fetching=sources.http is not None,
        revocation_mode="hard-fail",
    )


def _reserve(signer: Signer, bridge: BridgeSigner, timestamped: bool) -> int:
    certificates = (signer.certificate, *signer.chain)
    size = sum(len(c.public_bytes(serialization.Encoding.DER)) for c in certificates)
    der = size + bridge.placeholder_size() + 2000 + (10000 if timestamped else 0)
    return 2 * der  # pyHanko counts hexadecimal digits


def sign_pdf(data: bytes, signer: Signer, options: SignOptions | None = None) -> bytes:
    """Sign ``data`` (a PDF) and return the signed PDF; ``data`` itself is not touched.

    Raises :class:`~egovkit.errors.ParseError` for corrupt, encrypted or huge input,
    :class:`~egovkit.errors.ConfigurationError` for contradictory options and
    :class:`~egovkit.errors.SignatureError` when signing fails.
    """
    options = options or SignOptions()
    data = bytes(data)
    writer = _reader(data)
    reader = writer.prev
    timestamped = options.level is not Level.B_B
    if timestamped and options.timestamper is None:
        raise ConfigurationError(
            f"level {options.level.value} needs a timestamper", code="pdf.sign.needs_tsa"
        )
    names = _existing_fields(reader)
    field = options.field or (options.placement.field if options.placement else None)
    if field is not None and names.get(field):
        raise SignatureError(
            f"field {field!r} is already signed; sign into a new field",
            code="pdf.sign.field_signed",
            where=field,
        )
    if field is None:
        base = {"personal": "ChuKyCaNhan", "agency": "ChuKyCoQuan", "attachment": "ChuKyPhuLuc"}
        field = base[options.role.value]
        n = 1
        while (field if n == 1 else f"{field}{n}") in names:
            n += 1
        field = field if n == 1 else f"{field}{n}"
    when = dt.datetime.now(dt.UTC).astimezone(VIETNAM)
    image = None
    lines: tuple[str, ...] = ()
    if options.role is Role.ATTACHMENT:
        if options.image is not None:
            raise ConfigurationError(
                "an attachment signature has no image", code="pdf.sign.attachment_image"
            )
        if not options.number:
            raise ConfigurationError(
                "an attachment signature shows the number and notation: give number=",
                code="pdf.sign.attachment_number",
            )
        lines = (options.number, when.replace(microsecond=0).isoformat(), *options.text)
    else:
        lines = options.text
        if options.image is not None:
            image = read_image(options.image, limits=options.image_limits)
    image_size = image.size_points() if image is not None else None
    placed = _box(reader, options, image_size, lines)
    visible = placed is not None or (options.placement is not None)
    spec = None
    if placed is not None and field not in names:
        page, box = placed
        spec = fields.SigFieldSpec(
            sig_field_name=field,
            on_page=page,
            box=(round(box[0]), round(box[1]), round(box[2]), round(box[3])),
        )
    bridge = BridgeSigner(signer, options.digest)
    meta = PdfSignatureMetadata(
        field_name=field,
        md_algorithm=options.digest.value,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason,
        location=options.location,
        embed_validation_info=options.level in (Level.B_LT, Level.B_LTA),
        use_pades_lta=options.level is Level.B_LTA,
        validation_context=(
            _validation_context(options, signer)
            if options.level in (Level.B_LT, Level.B_LTA)
            else None
        ),
    )
    align = "right" if options.role is Role.ATTACHMENT else "center"
    style = DecreeStampStyle(image=image, lines=lines, align=align) if visible or lines else None
    pdf_signer = PdfSigner(
        meta,
        signer=bridge,
        timestamper=PyHankoTimeStamperAdapter(options.timestamper)
        if options.timestamper is not None
        else None,
        stamp_style=style,
        new_field_spec=spec,
    )
    try:
        out = pdf_signer.sign_pdf(writer, bytes_reserved=_reserve(signer, bridge, timestamped))
    except EgovkitError:
        raise
    except Exception as exc:
        raise SignatureError(
            f"signing failed ({type(exc).__name__}: {exc})", code="pdf.sign.failed", where=field
        ) from exc
    return bytes(out.getvalue())


def sign_many(data: bytes, steps: Iterable[tuple[Signer, SignOptions]]) -> bytes:
    """Apply several signatures in order (personal first, then the agency)."""
    for signer, options in steps:
        data = sign_pdf(data, signer, options)
    return data
