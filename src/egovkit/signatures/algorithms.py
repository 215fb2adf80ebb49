"""XML-DSig algorithm identifiers and what egovkit does with each.

The URIs are wire-format names (W3C XML-DSig 1.0/1.1, RFC 6931); the rest of the package speaks
of :class:`DigestAlgorithm` and :class:`SignatureScheme`. HMAC methods are listed only so they can
be refused by name: a public-key certificate never verifies an HMAC (CVE-2025-48994 class).
"""

from __future__ import annotations

import enum
from typing import Final

import attrs
from cryptography.hazmat.primitives import hashes


class DigestAlgorithm(enum.Enum):
    """A hash function used for references and inside signature methods."""

    MD5 = "md5"
    SHA1 = "sha1"
    SHA224 = "sha224"
    SHA256 = "sha256"
    SHA384 = "sha384"
    SHA512 = "sha512"

    def hash(self) -> hashes.HashAlgorithm:
        """The ``cryptography`` hash object."""
        return _HASHES[self]()

    @property
    def size(self) -> int:
        """Digest length in bytes."""
        return self.hash().digest_size

    @property
    def uri(self) -> str:
        """The XML-DSig ``DigestMethod`` URI."""
        return _DIGEST_URI_OF[self]


_HASHES: Final[dict[DigestAlgorithm, type[hashes.HashAlgorithm]]] = {
    DigestAlgorithm.MD5: hashes.MD5,
    DigestAlgorithm.SHA1: hashes.SHA1,
    DigestAlgorithm.SHA224: hashes.SHA224,
    DigestAlgorithm.SHA256: hashes.SHA256,
    DigestAlgorithm.SHA384: hashes.SHA384,
    DigestAlgorithm.SHA512: hashes.SHA512,
}

_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
_DSIG = "http://www.w3.org/2000/09/xmldsig#"
_ENC = "http://www.w3.org/2001/04/xmlenc#"
_MORE07 = "http://www.w3.org/2007/05/xmldsig-more#"

DIGEST_URIS: Final[dict[str, DigestAlgorithm]] = {
    _MORE + "md5": DigestAlgorithm.MD5,
    _DSIG + "sha1": DigestAlgorithm.SHA1,
    _MORE + "sha224": DigestAlgorithm.SHA224,
    _ENC + "sha256": DigestAlgorithm.SHA256,
    _MORE + "sha384": DigestAlgorithm.SHA384,
    _ENC + "sha512": DigestAlgorithm.SHA512,
}
_DIGEST_URI_OF: Final = {v: k for k, v in DIGEST_URIS.items()}


class SignatureScheme(enum.Enum):
    """How a key turns a digest into a signature value."""

    RSA_PKCS1V15 = "rsa-pkcs1v15"
    RSA_PSS = "rsa-pss"
    ECDSA = "ecdsa"


@attrs.frozen(kw_only=True)
class SignatureMethod:
    """One XML-DSig ``SignatureMethod``: a scheme with a digest."""

    uri: str
    scheme: SignatureScheme
    digest: DigestAlgorithm


SIGNATURE_METHODS: Final[dict[str, SignatureMethod]] = {
    m.uri: m
    for m in (
        SignatureMethod(
            uri=_MORE + "rsa-md5", scheme=SignatureScheme.RSA_PKCS1V15, digest=DigestAlgorithm.MD5
        ),
        SignatureMethod(
            uri=_DSIG + "rsa-sha1", scheme=SignatureScheme.RSA_PKCS1V15, digest=DigestAlgorithm.SHA1
        ),
        *(
            SignatureMethod(
                uri=_MORE + f"rsa-{d.value}", scheme=SignatureScheme.RSA_PKCS1V15, digest=d
            )
            for d in (
                DigestAlgorithm.SHA224,
                DigestAlgorithm.SHA256,
                DigestAlgorithm.SHA384,
                DigestAlgorithm.SHA512,
            )
        ),
        *(
            SignatureMethod(uri=_MORE + f"ecdsa-{d.value}", scheme=SignatureScheme.ECDSA, digest=d)
            for d in (
                DigestAlgorithm.SHA1,
                DigestAlgorithm.SHA224,
                DigestAlgorithm.SHA256,
                DigestAlgorithm.SHA384,
                DigestAlgorithm.SHA512,
            )
        ),
        *(
            SignatureMethod(
                uri=_MORE07 + f"{d.value}-rsa-MGF1", scheme=SignatureScheme.RSA_PSS, digest=d
            )
            for d in (DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512)
        ),
    )
}

_METHOD_OF: Final = {(m.scheme, m.digest): m for m in SIGNATURE_METHODS.values()}


def signature_method(scheme: SignatureScheme, digest: DigestAlgorithm) -> SignatureMethod:
    """The method for a scheme and digest (``ValueError`` when XML-DSig has none)."""
    try:
        return _METHOD_OF[(scheme, digest)]
    except KeyError:
        raise ValueError(f"XML-DSig has no method for {scheme.value} with {digest.value}") from None


def is_hmac(uri: str) -> bool:
    """True for any HMAC signature method (never accepted, whatever the policy)."""
    return "hmac" in uri.lower()


# Canonicalisation and transforms.
C14N: Final = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_COMMENTS: Final = C14N + "#WithComments"
EXC_C14N: Final = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS: Final = EXC_C14N + "WithComments"
ENVELOPED: Final = _DSIG + "enveloped-signature"

#: Canonicalisation URI → (exclusive, with comments).
C14N_METHODS: Final[dict[str, tuple[bool, bool]]] = {
    C14N: (False, False),
    C14N_COMMENTS: (False, True),
    EXC_C14N: (True, False),
    EXC_C14N_COMMENTS: (True, True),
}
