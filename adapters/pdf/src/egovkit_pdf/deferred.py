"""PAdES signatures made by a service that answers later (remote signing, ký số từ xa).

:func:`prepare_pdf` signs the document as :func:`~egovkit_pdf.sign_pdf` does — same
appearance, same field, same signed attributes — but with a
:class:`~egovkit.signatures.deferred.CaptureSigner`: the output carries a placeholder signature
value, and the signed attributes (what the service must sign) are kept. :func:`finish_pdf`
checks the value the service sent against those bytes and the certificate's key, then writes it
into the signature's CMS in place. The byte ranges and the document digest do not change, so
the finished PDF is exactly what signing in one go would have made with that value.

This is pyHanko's "interrupted signing" done over the whole output; only level B-B is prepared
this way (a signature time-stamp covers the signature value, which is not there yet: add B-T or
later levels after finishing).
"""

from __future__ import annotations

import io

from asn1crypto import cms  # type: ignore[import-untyped]
from pyhanko.pdf_utils.reader import PdfFileReader

from egovkit.errors import ConfigurationError, ParseError, SignatureError
from egovkit.signatures.deferred import (
    CaptureSigner,
    DeferredSigner,
    PreparedDocument,
    verify_raw,
)
from egovkit_pdf.signing import Level, SignOptions, sign_pdf


def prepare_pdf(
    data: bytes, signer: DeferredSigner, options: SignOptions | None = None
) -> PreparedDocument:
    """The first half of a PAdES B-B signature by ``signer``: the PDF with a placeholder value,
    and the signed attributes to send (as a digest) for signing."""
    options = options or SignOptions()
    if options.level is not Level.B_B:
        raise ConfigurationError(
            "a deferred PDF signature is prepared at level B-B; add time-stamps afterwards",
            code="pdf.deferred.level",
        )
    capture = CaptureSigner(signer)
    document = sign_pdf(data, capture, options)
    if capture.data is None:  # pragma: no cover - pyHanko always asks
        raise SignatureError("pyHanko asked for nothing to sign", code="pdf.deferred.capture")
    return PreparedDocument(
        kind="pdf", document=document, to_sign=capture.data, digest=options.digest
    )


def _contents_span(document: bytes) -> tuple[int, int, cms.ContentInfo]:
    """Where the last signature's ``/Contents`` hex string lies, and its CMS."""
    try:
        reader = PdfFileReader(io.BytesIO(document), strict=False)
        signature = reader.embedded_signatures[-1]
        ranges = [int(x) for x in signature.sig_object["/ByteRange"]]
        raw = bytes(signature.sig_object["/Contents"])
    except (IndexError, KeyError, ValueError, TypeError) as exc:
        raise ParseError(f"no prepared signature in the PDF: {exc}", code="pdf.deferred") from exc
    start, end = ranges[1], ranges[2]
    if len(ranges) != 4 or document[start : start + 1] != b"<" or document[end - 1 : end] != b">":
        raise ParseError(
            "the signature's byte range is not where pyHanko put it", code="pdf.deferred"
        )
    return start + 1, end - 1, cms.ContentInfo.load(raw)


def finish_pdf(prepared: PreparedDocument, signer: DeferredSigner, signature: bytes) -> bytes:
    """The signed PDF: ``signature`` (checked) written into the signature :func:`prepare_pdf`
    began. Raises :class:`~egovkit.errors.SignatureError` when the value was not made by the
    certificate's key over the prepared signed attributes."""
    verify_raw(signer.certificate, signer.scheme, prepared.digest, prepared.to_sign, signature)
    document = prepared.document
    first, last, content = _contents_span(document)
    signer_info = content["content"]["signer_infos"][0]
    attributes = signer_info["signed_attrs"].dump()
    if b"\x31" + attributes[1:] != prepared.to_sign:  # the SET form is what was signed
        raise SignatureError(
            "the PDF's signed attributes are not the ones sent for signing",
            code="pdf.deferred.changed",
        )
    signer_info["signature"] = signature
    encoded = bytes(content.dump(force=True)).hex().encode("ascii")
    room = last - first
    if len(encoded) > room:
        raise SignatureError(
            f"the signature needs {len(encoded)} hex digits, the PDF reserved {room}",
            code="pdf.deferred.room",
        )
    return bytes(document[:first] + encoded.ljust(room, b"0") + document[last:])


__all__ = ["finish_pdf", "prepare_pdf"]
