"""egovkit's :class:`~egovkit.signatures.Signer` seen as a pyHanko signer.

pyHanko's signer has one hole too (``async_sign_raw``), so the bridge is small: it names the
certificates and the CMS signature algorithm, and forwards the bytes to ``sign_raw``.
"""

from __future__ import annotations

from asn1crypto import algos  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.sign.signers.pdf_cms import Signer as PyHankoSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egovkit.errors import PolicyError
from egovkit.signatures.algorithms import DigestAlgorithm, SignatureScheme
from egovkit.signatures.signer import Signer


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The same certificate as an asn1crypto object."""
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def mechanism(signer: Signer, digest: DigestAlgorithm) -> algos.SignedDigestAlgorithm:
    """The CMS ``signatureAlgorithm`` for the signer's scheme and ``digest``."""
    if signer.scheme is SignatureScheme.RSA_PSS:
        return algos.SignedDigestAlgorithm(
            {
                "algorithm": "rsassa_pss",
                "parameters": algos.RSASSAPSSParams(
                    {
                        "hash_algorithm": {"algorithm": digest.value},
                        "mask_gen_algorithm": {
                            "algorithm": "mgf1",
                            "parameters": {"algorithm": digest.value},
                        },
                        "salt_length": digest.size,
                    }
                ),
            }
        )
    kind = "ecdsa" if signer.scheme is SignatureScheme.ECDSA else "rsa"
    return algos.SignedDigestAlgorithm({"algorithm": f"{digest.value}_{kind}"})


class BridgeSigner(PyHankoSigner):
    """A pyHanko signer that asks an egovkit signer for the signature value."""

    def __init__(self, signer: Signer, digest: DigestAlgorithm) -> None:
        if digest in (DigestAlgorithm.MD5, DigestAlgorithm.SHA1):
            raise PolicyError(
                f"{digest.value} is too weak to sign with", code="pdf.sign.weak_digest"
            )
        certificate = to_asn1(signer.certificate)
        registry = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [certificate, *(to_asn1(c) for c in signer.chain)]
        )
        super().__init__(
            signing_cert=certificate,
            cert_registry=registry,
            signature_mechanism=mechanism(signer, digest),
            embed_roots=False,
        )
        self._signer = signer
        self._digest = digest

    def placeholder_size(self) -> int:
        """An upper bound of the signature value's length in bytes."""
        key = self._signer.certificate.public_key()
        if isinstance(key, rsa.RSAPublicKey):
            return (key.key_size + 7) // 8
        if isinstance(key, ec.EllipticCurvePublicKey):
            return 2 * ((key.curve.key_size + 7) // 8) + 9
        return 1024

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(self.placeholder_size())
        return self._signer.sign_raw(data, DigestAlgorithm(digest_algorithm))
