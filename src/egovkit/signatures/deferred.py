"""Signing with services that answer later (ký số từ xa: remote signing on a phone).

A remote signing service takes a digest, gives back a transaction id, and the signature comes
minutes later — after the official confirms on a phone — or never: the official refuses, or the
request expires. :class:`DeferredSigner` is that port: :meth:`~DeferredSigner.submit` a
:class:`SigningRequest`, then :meth:`~DeferredSigner.poll` (or read a callback) until the
:class:`Outcome` is signed, refused or expired.

Documents are signed in two halves around the wait, so the waiting can outlive the process:

- **prepare**: build the document's signature with a :class:`CaptureSigner`, which records the
  bytes to be signed (XML-DSig's canonical ``SignedInfo``; PAdES' signed attributes) instead of
  signing them; :func:`prepare_xml` does it for XML-DSig envelopes, the PDF adapter for PAdES;
- **finish**: when the signature value arrives, check it against the recorded bytes and the
  certificate's key (:func:`verify_raw`), then put it in (:func:`finish_xml`; the PDF adapter's
  ``finish_pdf``).

:mod:`egovkit.signatures.holding` keeps the prepared document, the transaction and its outcome
in a store, so a document waits (and is not sent) until its signature comes, and is never
submitted twice for the same attempt.
"""

from __future__ import annotations

import abc
import contextlib
import enum
import hashlib
import time
from collections.abc import Callable
from datetime import datetime

import attrs
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from egovkit.errors import SignatureError, ValidationError
from egovkit.signatures.algorithms import DigestAlgorithm, SignatureScheme
from egovkit.signatures.profile import SignatureProfile
from egovkit.signatures.signer import Signer, pss_padding, scheme_for_key


class SigningStatus(enum.Enum):
    """Where a remote signing transaction stands."""

    PENDING = "pending"  # chờ xác nhận: waiting for the official
    SIGNED = "signed"  # đã ký
    REFUSED = "refused"  # từ chối ký
    EXPIRED = "expired"  # hết hạn: no answer in time


def _digest_bytes(_instance: object, _attribute: object, value: bytes) -> None:
    if not value:
        raise ValidationError("a digest is non-empty bytes", code="signing.digest", where="digest")


@attrs.frozen(kw_only=True)
class SigningRequest:
    """What is sent to the service: the digest of the bytes to be signed, under ``algorithm``;
    ``reference`` is the caller's own id of this attempt (sent as the transaction id where the
    service accepts one, so that a repeated submission is recognised); ``description`` is what
    the official reads on the phone."""

    reference: str
    digest: bytes = attrs.field(validator=_digest_bytes)
    algorithm: DigestAlgorithm = DigestAlgorithm.SHA256
    description: str = ""


@attrs.frozen(kw_only=True)
class Submission:
    """The service's receipt: its transaction id, and when it will stop waiting, if it says."""

    transaction: str
    expires_at: datetime | None = None


@attrs.frozen(kw_only=True)
class Outcome:
    """One answer about a transaction: the signature value (for ``SigningStatus.SIGNED``)
    in the form :meth:`~egovkit.signatures.signer.Signer.sign_raw` returns, and the service's
    words."""

    status: SigningStatus
    signature: bytes = attrs.field(default=b"", repr=False)
    message: str = ""

    def __attrs_post_init__(self) -> None:
        if (self.status is SigningStatus.SIGNED) != bool(self.signature):
            raise ValidationError(
                "a signed outcome carries a signature, and only a signed one",
                code="signing.outcome",
                where="signature",
            )


class DeferredSigner(abc.ABC):
    """Port: a signing service that answers later.

    Implement :attr:`certificate`, :meth:`submit` and :meth:`poll`; override :attr:`chain` and
    :attr:`scheme` as for :class:`~egovkit.signatures.signer.Signer`.
    """

    @property
    @abc.abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signer's certificate (chứng thư số)."""

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Intermediate certificates to embed after :attr:`certificate`."""
        return ()

    @property
    def scheme(self) -> SignatureScheme:
        """How the service's key signs (from the certificate's key by default)."""
        return scheme_for_key(self.certificate.public_key())

    @abc.abstractmethod
    def submit(self, request: SigningRequest) -> Submission:
        """Send ``request``; raises :class:`~egovkit.errors.RemoteError` when the service
        cannot be reached or refuses the request itself."""

    @abc.abstractmethod
    def poll(self, transaction: str) -> Outcome:
        """Ask once how ``transaction`` stands (never waits for the official)."""


def wait_for(
    signer: DeferredSigner,
    transaction: str,
    *,
    interval: float = 5.0,
    timeout: float = 180.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Poll every ``interval`` seconds until the outcome is final or ``timeout`` seconds have
    passed (then
    ``SigningStatus.EXPIRED``, decided here). The defaults follow an e-office
    project that polls every 5 s for up to 3 minutes while the official confirms on a phone."""
    deadline = clock() + timeout
    while True:
        outcome = signer.poll(transaction)
        if outcome.status is not SigningStatus.PENDING:
            return outcome
        left = deadline - clock()
        if left <= 0:
            return Outcome(status=SigningStatus.EXPIRED, message=f"no answer in {timeout:g} s")
        sleep(min(interval, left))


def placeholder_size(certificate: x509.Certificate) -> int:
    """The length of a signature value the certificate's key makes (ECDSA: its longest DER)."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return (key.key_size + 7) // 8
    if isinstance(key, ec.EllipticCurvePublicKey):
        return 2 * ((key.curve.key_size + 7) // 8) + 9
    raise SignatureError(
        f"{type(key).__name__} keys are not supported (RSA and ECDSA are)",
        code="signatures.signer.unsupported_key",
    )


class Captured(Exception):  # noqa: N818 - a signal, not a failure
    """Raised by a :class:`CaptureSigner` told to stop once it has the bytes."""


class OnBehalfSigner(Signer):
    """A :class:`~egovkit.signatures.signer.Signer` with a deferred signer's certificates."""

    def __init__(self, signer: DeferredSigner) -> None:
        self._signer = signer

    @property
    def certificate(self) -> x509.Certificate:
        return self._signer.certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self._signer.chain

    @property
    def scheme(self) -> SignatureScheme:
        return self._signer.scheme


class CaptureSigner(OnBehalfSigner):
    """A :class:`~egovkit.signatures.signer.Signer` that records what it is asked to sign.

    ``stop=True`` raises :class:`Captured` (for builders that check the value they get, such as
    XML-DSig); otherwise it returns zero bytes of the right length (for builders that do not,
    such as pyHanko, whose output then carries a placeholder to be replaced).
    """

    def __init__(self, signer: DeferredSigner, *, stop: bool = False) -> None:
        super().__init__(signer)
        self._stop = stop
        self.data: bytes | None = None
        self.digest: DigestAlgorithm | None = None

    def sign_raw(self, data: bytes, digest: DigestAlgorithm) -> bytes:
        """Record ``data`` and ``digest``; then stop, or give a placeholder value."""
        if self.data is not None and self.data != data:
            raise SignatureError(
                "asked to sign two different things in one signature", code="signing.capture"
            )
        self.data, self.digest = data, digest
        if self._stop:
            raise Captured
        return bytes(placeholder_size(self.certificate))

    def request(self, reference: str, description: str = "") -> SigningRequest:
        """The request for what was captured."""
        if self.data is None or self.digest is None:
            raise SignatureError("nothing was captured", code="signing.capture")
        return SigningRequest(
            reference=reference,
            digest=hashlib.new(self.digest.value, self.data).digest(),
            algorithm=self.digest,
            description=description,
        )


class PresignedSigner(OnBehalfSigner):
    """A :class:`~egovkit.signatures.signer.Signer` that answers with a signature made earlier, and
    only for the bytes it was made over (anything else means the document changed)."""

    def __init__(self, signer: DeferredSigner, data: bytes, signature: bytes) -> None:
        super().__init__(signer)
        self._data = data
        self._signature = signature

    def sign_raw(self, data: bytes, digest: DigestAlgorithm) -> bytes:
        """The signature made earlier, if ``data`` is what it was made over."""
        if data != self._data:
            raise SignatureError(
                "the document changed since its digest was sent for signing",
                code="signing.changed",
            )
        return self._signature


def verify_raw(
    certificate: x509.Certificate,
    scheme: SignatureScheme,
    digest: DigestAlgorithm,
    data: bytes,
    signature: bytes,
) -> None:
    """Check a signature value (as :meth:`~egovkit.signatures.signer.Signer.sign_raw` returns it)
    over ``data``; :class:`~egovkit.errors.SignatureError` (``signing.bad_signature``) if the
    certificate's key did not make it over these bytes."""
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and scheme is not SignatureScheme.ECDSA:
            pad: padding.AsymmetricPadding = (
                pss_padding(digest) if scheme is SignatureScheme.RSA_PSS else padding.PKCS1v15()
            )
            key.verify(signature, data, pad, digest.hash())
            return
        if isinstance(key, ec.EllipticCurvePublicKey) and scheme is SignatureScheme.ECDSA:
            key.verify(signature, data, ec.ECDSA(digest.hash()))
            return
        why = f"a {scheme.value} signature with a {type(key).__name__}"
    except InvalidSignature:
        why = "the value does not verify with the certificate's key over the prepared bytes"
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        why = f"the value cannot be checked: {exc}"
    raise SignatureError(
        f"the signature from the service is not usable: {why}", code="signing.bad_signature"
    )


@attrs.frozen(kw_only=True)
class PreparedDocument:
    """A document waiting for its signature value: ``kind`` names its finisher (``xml``,
    ``pdf``), ``document`` the bytes to finish, ``to_sign`` the bytes the value must be over."""

    kind: str
    document: bytes = attrs.field(repr=False)
    to_sign: bytes = attrs.field(repr=False)
    digest: DigestAlgorithm = DigestAlgorithm.SHA256

    def request(self, reference: str, description: str = "") -> SigningRequest:
        """The request to send for this document."""
        return SigningRequest(
            reference=reference,
            digest=hashlib.new(self.digest.value, self.to_sign).digest(),
            algorithm=self.digest,
            description=description,
        )


def prepare_xml(
    data: bytes,
    signer: DeferredSigner,
    *,
    profile: SignatureProfile,
    digest: DigestAlgorithm = DigestAlgorithm.SHA256,
) -> PreparedDocument:
    """The first half of signing an XML document (an edXML envelope with
    :data:`~egovkit.edxml.signing.EDXML_PROFILE`): the canonical ``SignedInfo`` to be signed.
    The envelope's signature is built the same way again by :func:`finish_xml`, so nothing but
    the original bytes is kept."""
    from egovkit.signatures.xmldsig import sign_document

    capture = CaptureSigner(signer, stop=True)
    with contextlib.suppress(Captured):
        sign_document(data, capture, profile=profile, digest=digest)
    if capture.data is None:  # pragma: no cover - sign_document always asks
        raise SignatureError("the XML signer asked for nothing", code="signing.capture")
    return PreparedDocument(kind="xml", document=bytes(data), to_sign=capture.data, digest=digest)


def finish_xml(
    prepared: PreparedDocument,
    signer: DeferredSigner,
    signature: bytes,
    *,
    profile: SignatureProfile,
) -> bytes:
    """The signed XML document: ``signature`` (checked) in the signature :func:`prepare_xml`
    began."""
    from egovkit.signatures.xmldsig import sign_document

    verify_raw(signer.certificate, signer.scheme, prepared.digest, prepared.to_sign, signature)
    presigned = PresignedSigner(signer, prepared.to_sign, signature)
    return sign_document(prepared.document, presigned, profile=profile, digest=prepared.digest)


__all__ = [
    "CaptureSigner",
    "Captured",
    "DeferredSigner",
    "OnBehalfSigner",
    "Outcome",
    "PreparedDocument",
    "PresignedSigner",
    "SigningRequest",
    "SigningStatus",
    "Submission",
    "finish_xml",
    "placeholder_size",
    "prepare_xml",
    "verify_raw",
    "wait_for",
]
