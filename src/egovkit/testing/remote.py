"""A remote signing service played in process, for tests and demos: it signs with a fixture
key once the official "confirms" — after a number of polls — or refuses, or never answers, or
cannot be reached; and it counts what it signed. (A real service over HTTP is in the SmartCA
adapter, with its own local server.)"""

from __future__ import annotations

import cryptography.hazmat.primitives.asymmetric.ec
import cryptography.hazmat.primitives.asymmetric.rsa
import cryptography.x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from egovkit.errors import RemoteError
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.deferred import (
    DeferredSigner,
    Outcome,
    SigningRequest,
    SigningStatus,
    Submission,
)
from egovkit.testing.pki import Credential


def sign_digest(
    # Fully qualified: Sphinx reads these hints as unevaluated strings.
    key: cryptography.hazmat.primitives.asymmetric.rsa.RSAPrivateKey
    | cryptography.hazmat.primitives.asymmetric.ec.EllipticCurvePrivateKey,
    digest: bytes,
    algorithm: DigestAlgorithm = DigestAlgorithm.SHA256,
) -> bytes:
    """What a remote service returns for a digest: PKCS#1 v1.5 (RSA) or DER ECDSA over it."""
    prehashed = utils.Prehashed(algorithm.hash())
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(digest, padding.PKCS1v15(), prehashed)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key.sign(digest, ec.ECDSA(prehashed))


class LocalRemoteSigner(DeferredSigner):
    """Signs with ``credential`` on the ``confirm_on``-th poll of a transaction (answers set in
    :attr:`answers` win: a refusal, say); :attr:`unreachable` submissions fail first."""

    def __init__(self, credential: Credential, *, confirm_on: int | None = None) -> None:
        self.credential = credential
        self.confirm_on = confirm_on
        self.requests: list[SigningRequest] = []
        self.answers: dict[str, Outcome] = {}
        self.unreachable = 0
        self.signed = 0
        self._polls: dict[str, int] = {}

    @property
    def certificate(self) -> cryptography.x509.Certificate:
        return self.credential.certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self.credential.chain

    def submit(self, request: SigningRequest) -> Submission:
        if self.unreachable:
            self.unreachable -= 1
            raise RemoteError("connection refused", code="testing.unreachable")
        self.requests.append(request)
        return Submission(transaction=f"tx-{request.reference}")

    def confirm(self, transaction: str) -> None:
        """The official confirms ``transaction`` now."""
        request = next(r for r in self.requests if f"tx-{r.reference}" == transaction)
        value = sign_digest(self.credential.key, request.digest, request.algorithm)
        self.signed += 1
        self.answers[transaction] = Outcome(status=SigningStatus.SIGNED, signature=value)

    def poll(self, transaction: str) -> Outcome:
        self._polls[transaction] = self._polls.get(transaction, 0) + 1
        known = any(f"tx-{r.reference}" == transaction for r in self.requests)
        if (
            transaction not in self.answers
            and known
            and self.confirm_on is not None
            and self._polls[transaction] >= self.confirm_on
        ):
            self.confirm(transaction)
        return self.answers.get(
            transaction, Outcome(status=SigningStatus.PENDING, message="waiting for the phone")
        )


__all__ = ["LocalRemoteSigner", "sign_digest"]
