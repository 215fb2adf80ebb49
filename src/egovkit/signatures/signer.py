"""The ``Signer`` port (one hole: sign these bytes with this digest) and a key-file signer.

A USB token reached through PKCS#11, a remote signing service and a key file differ only in how
they compute a signature value; everything else (which certificate, which chain) is data. So a
new signer is a small class implementing :meth:`Signer.sign_raw`.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from typing import TypeAlias

import cryptography.hazmat.primitives.asymmetric.ec
import cryptography.hazmat.primitives.asymmetric.rsa
import cryptography.x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from egovkit.errors import SignatureError
from egovkit.signatures.algorithms import DigestAlgorithm, SignatureScheme

CertificateSource: TypeAlias = bytes | x509.Certificate

_SUPPORTED_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


def scheme_for_key(key: object, *, pss: bool = False) -> SignatureScheme:
    """The signature scheme a public or private key is used with."""
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return SignatureScheme.RSA_PSS if pss else SignatureScheme.RSA_PKCS1V15
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        if not isinstance(key.curve, _SUPPORTED_CURVES):
            raise SignatureError(
                f"elliptic curve {key.curve.name} is not supported (P-256, P-384, P-521 are)",
                code="signatures.signer.unsupported_curve",
            )
        return SignatureScheme.ECDSA
    raise SignatureError(
        f"{type(key).__name__} keys are not supported (RSA and ECDSA are)",
        code="signatures.signer.unsupported_key",
    )


def pss_padding(digest: DigestAlgorithm) -> padding.PSS:
    """RSA-PSS as RFC 6931 fixes it for XML-DSig: MGF1 with the same hash, salt = hash length."""
    return padding.PSS(mgf=padding.MGF1(digest.hash()), salt_length=digest.size)


class Signer(abc.ABC):
    """Port: something that can sign with the private key of :attr:`certificate`.

    Implement :meth:`sign_raw` and :attr:`certificate`; override :attr:`chain` to ship
    intermediate certificates in the signature and :attr:`scheme` to sign with RSA-PSS.
    """

    @property
    @abc.abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signer's certificate (chứng thư số)."""

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Intermediate certificates to embed after :attr:`certificate` (no root needed)."""
        return ()

    @property
    def scheme(self) -> SignatureScheme:
        """How the key signs; by default PKCS#1 v1.5 for RSA keys and ECDSA for EC keys."""
        return scheme_for_key(self.certificate.public_key())

    @abc.abstractmethod
    def sign_raw(self, data: bytes, digest: DigestAlgorithm) -> bytes:
        """Sign ``data`` (the message itself, hashed here with ``digest``).

        Returns the PKCS#1 (v1.5 or PSS, per :attr:`scheme`) signature for RSA, or the
        DER-encoded ``ECDSA-Sig-Value`` for ECDSA (what PKCS#11 callers get by wrapping r‖s).
        """


def _certificates(sources: Iterable[CertificateSource]) -> tuple[x509.Certificate, ...]:
    found: list[x509.Certificate] = []
    for source in sources:
        if isinstance(source, x509.Certificate):
            found.append(source)
            continue
        try:
            found.extend(x509.load_pem_x509_certificates(source))
        except ValueError as exc:
            raise SignatureError(
                f"cannot read a PEM certificate: {exc}", code="signatures.signer.bad_certificate"
            ) from exc
    return tuple(found)


class KeyFileSigner(Signer):
    """A signer whose private key is in memory (a PEM or PKCS#12 file).

    For tests, servers with software keys and tools; officials' keys usually live on tokens
    (Signatures II adds PKCS#11).
    """

    def __init__(
        self,
        # Fully qualified: Sphinx reads a plain class's __init__ hints as unevaluated strings.
        key: cryptography.hazmat.primitives.asymmetric.rsa.RSAPrivateKey
        | cryptography.hazmat.primitives.asymmetric.ec.EllipticCurvePrivateKey,
        certificate: cryptography.x509.Certificate,
        chain: Iterable[cryptography.x509.Certificate] = (),
        *,
        pss: bool = False,
    ) -> None:
        scheme = scheme_for_key(key, pss=pss)
        if key.public_key() != certificate.public_key():
            raise SignatureError(
                "the private key does not belong to the certificate",
                code="signatures.signer.key_mismatch",
            )
        self._key = key
        self._certificate = certificate
        self._chain = tuple(chain)
        self._scheme = scheme

    @classmethod
    def from_pem(
        cls,
        key_pem: bytes,
        cert_pem: bytes,
        chain: Iterable[CertificateSource] = (),
        *,
        password: bytes | None = None,
        pss: bool = False,
    ) -> KeyFileSigner:
        """From a PEM private key (optionally encrypted), its certificate and intermediates."""
        try:
            key = serialization.load_pem_private_key(key_pem, password=password)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise SignatureError(
                f"cannot read the private key: {exc}", code="signatures.signer.bad_key"
            ) from exc
        if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            raise SignatureError(
                f"{type(key).__name__} keys are not supported (RSA and ECDSA are)",
                code="signatures.signer.unsupported_key",
            )
        certificates = _certificates([cert_pem])
        if len(certificates) != 1:
            raise SignatureError(
                f"expected one certificate, found {len(certificates)}",
                code="signatures.signer.bad_certificate",
            )
        return cls(key, certificates[0], _certificates(chain), pss=pss)

    @classmethod
    def from_pkcs12(
        cls, data: bytes, password: bytes | None, *, pss: bool = False
    ) -> KeyFileSigner:
        """From a PKCS#12 (``.p12``/``.pfx``) file: key, certificate and any chain it carries."""
        from cryptography.hazmat.primitives.serialization import pkcs12

        try:
            key, certificate, extra = pkcs12.load_key_and_certificates(data, password)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise SignatureError(
                f"cannot open the PKCS#12 file (wrong password?): {exc}",
                code="signatures.signer.bad_pkcs12",
            ) from exc
        if key is None or certificate is None:
            raise SignatureError(
                "the PKCS#12 file lacks a private key or its certificate",
                code="signatures.signer.bad_pkcs12",
            )
        if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            raise SignatureError(
                f"{type(key).__name__} keys are not supported (RSA and ECDSA are)",
                code="signatures.signer.unsupported_key",
            )
        return cls(key, certificate, extra, pss=pss)

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self._chain

    @property
    def scheme(self) -> SignatureScheme:
        return self._scheme

    def sign_raw(self, data: bytes, digest: DigestAlgorithm) -> bytes:
        key = self._key
        if isinstance(key, rsa.RSAPrivateKey):
            pad: padding.AsymmetricPadding = (
                pss_padding(digest)
                if self._scheme is SignatureScheme.RSA_PSS
                else padding.PKCS1v15()
            )
            return key.sign(data, pad, digest.hash())
        return key.sign(data, ec.ECDSA(digest.hash()))

    def __repr__(self) -> str:
        return (
            f"KeyFileSigner({self._certificate.subject.rfc4514_string()!r}, {self._scheme.value})"
        )
