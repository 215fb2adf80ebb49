"""Where a signature sits in an edXML envelope: the signature profile of QCVN 102:2016.

One Signature (W3C XML-DSig, enveloped, ``Reference URI=""``) is the last child of
``edXML:edXMLHeader`` inside ``edXML:edXMLEnvelope``; the XML-DSig namespace is the default
namespace of ``Signature``, unprefixed, as the national exchange axis samples show. The element
names live here, with the rest of the edXML wire format; :mod:`egovkit.signatures` uses the
profile without knowing them.
"""

from __future__ import annotations

from typing import Final

from egovkit.edxml._wire import NS
from egovkit.signatures.profile import SignatureProfile

#: Signatures of edXML envelopes (thông điệp công văn điện tử).
EDXML_PROFILE: Final = SignatureProfile(
    name="edxml-qcvn-102-2016",
    root=f"{{{NS}}}edXML",
    location=(f"{{{NS}}}edXMLEnvelope", f"{{{NS}}}edXMLHeader"),
    dsig_prefix=None,
    reference_uris=("",),
)

__all__ = ["EDXML_PROFILE"]
