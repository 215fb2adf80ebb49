"""Where a signature sits in an edXML envelope: the signature profile of QCVN 102:2016.

One Signature (W3C XML-DSig, enveloped, ``Reference URI=""``) is the last child of
``edXML:edXMLHeader`` inside ``edXML:edXMLEnvelope``; the XML-DSig namespace is the default
namespace of ``Signature``, unprefixed, as the national exchange axis samples show. The element
names live here, with the rest of the edXML wire format; :mod:`egovkit.signatures` uses the
profile without knowing them.

Two shapes that real senders produce are explained by name when no XML-DSig signature is found
(the verdict stays FORMAT_FAILURE: neither can be verified as written):

- ``<Signature>`` in the edXML default namespace, because the sender's signer did not declare
  the XML-DSig namespace on it — the shape of the VPCP Java SDK samples (the messages of
  github.com/all4u1089/truclienthong-example, a client of that SDK, are written so).
- an empty ``<edXML:DigitalSignature/>`` placeholder and nothing else — what the VPCP .NET SDK
  example writes before a message is signed.
"""

from __future__ import annotations

from typing import Any, Final

from egovkit.edxml._wire import DSIG_NS, NS
from egovkit.signatures.profile import SignatureProfile


def known_shape(header: Any) -> str | None:
    """What the sender must change, when ``header`` (an lxml ``edXMLHeader``) is shaped as a
    known SDK writes it instead of holding an XML-DSig signature; else ``None``."""
    tags = [child.tag for child in header if isinstance(child.tag, str)]
    if f"{{{NS}}}Signature" in tags:
        return (
            "the Signature element is in the edXML namespace, not XML-DSig: this is the known "
            "shape of messages signed with the VPCP Java SDK (SDKVXP), and it cannot be "
            "verified as written. The sender must write the signature as "
            f'<Signature xmlns="{DSIG_NS}"> (the XML-DSig namespace declared on it, as '
            "QCVN 102 and XML-DSig require) and sign the message again: the namespace is "
            "part of what is signed (chữ ký số sai không gian tên)"
        )
    if f"{{{NS}}}DigitalSignature" in tags:
        return (
            "the header holds only the empty edXML:DigitalSignature placeholder that the VPCP "
            ".NET SDK writes before signing, and no XML-DSig Signature: the message was sent "
            "unsigned (văn bản chưa ký). The sender must sign it (an enveloped XML-DSig "
            "Signature as the last child of edXMLHeader) before sending"
        )
    return None


#: Signatures of edXML envelopes (thông điệp công văn điện tử).
EDXML_PROFILE: Final = SignatureProfile(
    name="edxml-qcvn-102-2016",
    root=f"{{{NS}}}edXML",
    location=(f"{{{NS}}}edXMLEnvelope", f"{{{NS}}}edXMLHeader"),
    dsig_prefix=None,
    reference_uris=("",),
    known_shape=known_shape,
)

__all__ = ["EDXML_PROFILE", "known_shape"]
