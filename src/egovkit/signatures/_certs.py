"""Cached facts about certificates (pure functions of their bytes), so a busy verifier does not
recompute names, parse the same certificates or re-verify the same issuer signatures."""

from __future__ import annotations

import functools
import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa


@functools.lru_cache(maxsize=1024)
def subject_text(certificate: x509.Certificate) -> str:
    """The subject as an RFC 4514 string."""
    return certificate.subject.rfc4514_string()


@functools.lru_cache(maxsize=1024)
def issuer_text(certificate: x509.Certificate) -> str:
    """The issuer as an RFC 4514 string."""
    return certificate.issuer.rfc4514_string()


@functools.lru_cache(maxsize=1024)
def subject_der(certificate: x509.Certificate) -> bytes:
    """The subject name's DER (names compare equal exactly when these bytes do)."""
    return certificate.subject.public_bytes()


@functools.lru_cache(maxsize=1024)
def issuer_der(certificate: x509.Certificate) -> bytes:
    """The issuer name's DER."""
    return certificate.issuer.public_bytes()


@functools.lru_cache(maxsize=512)
def load_der_certificate(der: bytes) -> x509.Certificate:
    """A certificate from DER (``ValueError`` when unreadable)."""
    return x509.load_der_x509_certificate(der)


@functools.lru_cache(maxsize=4096)
def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when ``issuer`` names and signed ``certificate``."""
    if issuer_der(certificate) != subject_der(issuer):
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


_CRL_CHECKS: dict[tuple[int, x509.Certificate], tuple[x509.CertificateRevocationList, bool]] = {}


def crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    """True when ``issuer``'s key signed ``crl`` (remembered per CRL object)."""
    key = (id(crl), issuer)
    cached = _CRL_CHECKS.get(key)
    if cached is not None and cached[0] is crl:
        return cached[1]
    public = issuer.public_key()
    try:
        valid = isinstance(public, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)) and (
            crl.is_signature_valid(public)
        )
    except (ValueError, TypeError, UnsupportedAlgorithm):
        valid = False
    if len(_CRL_CHECKS) > 256:
        _CRL_CHECKS.clear()
    _CRL_CHECKS[key] = (crl, valid)
    return valid


@functools.lru_cache(maxsize=4096)
def fingerprint(certificate: x509.Certificate) -> bytes:
    """SHA-256 of the certificate's DER: its identity for sorting, de-duplicating and caching."""
    return certificate.fingerprint(hashes.SHA256())


@functools.lru_cache(maxsize=4096)
def certificate_der(certificate: x509.Certificate) -> bytes:
    """The certificate's DER."""
    return certificate.public_bytes(serialization.Encoding.DER)


_CRL_FACTS: dict[int, tuple[x509.CertificateRevocationList, bytes, bytes]] = {}


def _crl_facts(crl: x509.CertificateRevocationList) -> tuple[bytes, bytes]:
    cached = _CRL_FACTS.get(id(crl))
    if cached is not None and cached[0] is crl:
        return cached[1], cached[2]
    der = crl.public_bytes(serialization.Encoding.DER)
    digest = hashlib.sha256(der).digest()
    if len(_CRL_FACTS) > 256:
        _CRL_FACTS.clear()
    _CRL_FACTS[id(crl)] = (crl, der, digest)
    return der, digest


def crl_der(crl: x509.CertificateRevocationList) -> bytes:
    """The CRL's DER (remembered per CRL object: CRLs are not hashable)."""
    return _crl_facts(crl)[0]


def crl_digest(crl: x509.CertificateRevocationList) -> bytes:
    """SHA-256 of the CRL's DER."""
    return _crl_facts(crl)[1]


def signature_state(certificate: x509.Certificate, issuer: x509.Certificate) -> bool | None:
    """Did ``issuer``'s key sign ``certificate``? True, False, or None when it cannot be told
    here (an unsupported key, DSA parameters inherited from further up).

    Unlike ``verify_directly_issued_by`` this does not compare the names byte for byte: the
    caller matches them as RFC 5280 says (a CA may re-encode or re-case its name).
    """
    key = (fingerprint(certificate), fingerprint(issuer))
    if key in _SIGNATURE_STATES:
        return _SIGNATURE_STATES[key]
    state = _check_signature(certificate, issuer)
    if len(_SIGNATURE_STATES) > 8192:
        _SIGNATURE_STATES.clear()
    _SIGNATURE_STATES[key] = state
    return state


_SIGNATURE_STATES: dict[tuple[bytes, bytes], bool | None] = {}


def _check_signature(certificate: x509.Certificate, issuer: x509.Certificate) -> bool | None:
    try:
        public = issuer.public_key()
        parameters = certificate.signature_algorithm_parameters
        digest = certificate.signature_hash_algorithm
        signature, tbs = certificate.signature, certificate.tbs_certificate_bytes
        if isinstance(public, rsa.RSAPublicKey):
            if not isinstance(parameters, (padding.PKCS1v15, padding.PSS)) or digest is None:
                return None
            public.verify(signature, tbs, parameters, digest)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            if not isinstance(parameters, ec.ECDSA):
                return None
            public.verify(signature, tbs, parameters)
        elif isinstance(public, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            public.verify(signature, tbs)
        elif isinstance(public, dsa.DSAPublicKey):
            if digest is None:
                return None
            public.verify(signature, tbs, digest)
        else:
            return None
    except InvalidSignature:
        return False
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return True
