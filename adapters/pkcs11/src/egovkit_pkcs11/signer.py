"""A :class:`~egovkit.signatures.Signer` whose key never leaves a PKCS#11 token.

Officials' keys sit on USB tokens (thiết bị lưu khóa bí mật, "USB token") reached through the
vendor's PKCS#11 module. The token signs; everything else (which certificate, which chain) is
data read from the token or given by the caller. One session per signer, guarded by a lock,
because PKCS#11 sessions must not be used by two threads at once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

import cryptography.x509
import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11 import exceptions as p11err
from pkcs11.util.ec import encode_ecdsa_signature

from egovkit.errors import ConfigurationError, SignatureError
from egovkit.signatures.algorithms import DigestAlgorithm, SignatureScheme
from egovkit.signatures.signer import Signer, scheme_for_key

#: A callback that returns the user PIN (mã PIN) when the token is opened.
PinCallback = Callable[[], str]

_RSA_MECHANISMS = {
    DigestAlgorithm.SHA1: Mechanism.SHA1_RSA_PKCS,
    DigestAlgorithm.SHA224: Mechanism.SHA224_RSA_PKCS,
    DigestAlgorithm.SHA256: Mechanism.SHA256_RSA_PKCS,
    DigestAlgorithm.SHA384: Mechanism.SHA384_RSA_PKCS,
    DigestAlgorithm.SHA512: Mechanism.SHA512_RSA_PKCS,
}
_PSS_MECHANISMS = {
    DigestAlgorithm.SHA256: (Mechanism.SHA256_RSA_PKCS_PSS, Mechanism.SHA256, "SHA256"),
    DigestAlgorithm.SHA384: (Mechanism.SHA384_RSA_PKCS_PSS, Mechanism.SHA384, "SHA384"),
    DigestAlgorithm.SHA512: (Mechanism.SHA512_RSA_PKCS_PSS, Mechanism.SHA512, "SHA512"),
}

_LIBRARIES: dict[str, Any] = {}
_LIBRARIES_LOCK = threading.Lock()


def _library(module: str) -> Any:
    """The loaded PKCS#11 module (loaded once per process, as Cryptoki requires)."""
    with _LIBRARIES_LOCK:
        if module not in _LIBRARIES:
            try:
                _LIBRARIES[module] = pkcs11.lib(module)
            except (RuntimeError, OSError) as exc:
                raise ConfigurationError(
                    f"cannot load the PKCS#11 module {module}: {exc}",
                    code="pkcs11.module",
                    where=module,
                ) from exc
        return _LIBRARIES[module]


def pin_from_env(variable: str) -> PinCallback:
    """A PIN callback reading ``variable`` from the environment at open time."""

    def read() -> str:
        try:
            return os.environ[variable]
        except KeyError:
            raise ConfigurationError(
                f"the PIN variable {variable} is not set", code="pkcs11.pin.unset", where=variable
            ) from None

    return read


class Pkcs11Signer(Signer):
    """Sign with a private key on a PKCS#11 token.

    Choose the token by ``token_label`` or ``slot`` (the slot's position in the module's list
    of slots with a token), the key by ``key_label`` and/or ``key_id``. The PIN comes from
    ``pin`` (a callback, e.g. :func:`pin_from_env`); it is asked for once, when the session
    opens. The certificate is read from the token (same label or id as the key) unless
    ``certificate`` is given; ``chain`` adds intermediates.
    """

    def __init__(
        self,
        *,
        module: str,
        pin: PinCallback,
        token_label: str | None = None,
        slot: int | None = None,
        key_label: str | None = None,
        key_id: bytes | None = None,
        # Fully qualified: Sphinx reads a plain class's __init__ hints as unevaluated strings.
        certificate: cryptography.x509.Certificate | None = None,
        chain: Iterable[cryptography.x509.Certificate] = (),
        pss: bool = False,
    ) -> None:
        if (token_label is None) == (slot is None):
            raise ConfigurationError(
                "give exactly one of token_label and slot", code="pkcs11.token.selector"
            )
        if key_label is None and key_id is None:
            raise ConfigurationError(
                "give key_label or key_id to find the key", code="pkcs11.key.selector"
            )
        self._lock = threading.Lock()
        token = self._token(_library(module), token_label, slot)
        where = token_label if token_label is not None else f"slot {slot}"
        try:
            self._session = token.open(user_pin=pin())
        except p11err.UserAlreadyLoggedIn:
            # Login is per token and process: another signer of this process opened it.
            self._session = token.open()
        except (p11err.PinIncorrect, p11err.PinInvalid, p11err.PinLenRange) as exc:
            raise SignatureError(
                f"the token refused the PIN ({type(exc).__name__})",
                code="pkcs11.pin.refused",
                where=where,
            ) from exc
        except p11err.PinLocked as exc:
            raise SignatureError(
                "the token's PIN is locked", code="pkcs11.pin.locked", where=where
            ) from exc
        try:
            self._key = self._session.get_key(
                object_class=ObjectClass.PRIVATE_KEY, label=key_label, id=key_id
            )
            self._certificate = certificate or self._read_certificate(key_label, key_id)
        except Exception:
            self._session.close()
            raise
        self._chain = tuple(chain)
        self._scheme = scheme_for_key(self._certificate.public_key(), pss=pss)
        key_is_rsa = self._key.key_type == KeyType.RSA
        if key_is_rsa != (self._scheme is not SignatureScheme.ECDSA):
            self._session.close()
            raise SignatureError(
                "the token key and the certificate are of different kinds",
                code="signatures.signer.key_mismatch",
                where=where,
            )
        self._where = where

    @staticmethod
    def _token(library: Any, token_label: str | None, slot: int | None) -> Any:
        try:
            if token_label is not None:
                return library.get_token(token_label=token_label)
            slots = library.get_slots(token_present=True)
        except p11err.NoSuchToken as exc:
            raise ConfigurationError(
                f"no token labelled {token_label!r}", code="pkcs11.token.not_found"
            ) from exc
        except p11err.MultipleTokensReturned as exc:
            raise ConfigurationError(
                f"several tokens are labelled {token_label!r}", code="pkcs11.token.ambiguous"
            ) from exc
        assert slot is not None
        if not 0 <= slot < len(slots):
            raise ConfigurationError(
                f"slot {slot} does not exist ({len(slots)} slot(s) with a token)",
                code="pkcs11.token.not_found",
            )
        return slots[slot].get_token()

    def _read_certificate(self, label: str | None, key_id: bytes | None) -> x509.Certificate:
        query: dict[Attribute, Any] = {Attribute.CLASS: ObjectClass.CERTIFICATE}
        if key_id is not None:
            query[Attribute.ID] = key_id
        elif label is not None:
            query[Attribute.LABEL] = label
        found = list(self._session.get_objects(query))
        if len(found) != 1:
            raise ConfigurationError(
                f"expected one certificate next to the key on the token, found {len(found)}; "
                "pass certificate=",
                code="pkcs11.certificate.not_found",
            )
        return x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))

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
        try:
            if self._scheme is SignatureScheme.ECDSA:
                # Hash here, sign the digest on the token: plain CKM_ECDSA is what every token
                # has (SoftHSM2 and many USB tokens lack the combined CKM_ECDSA_SHA*).
                hasher = hashes.Hash(digest.hash())
                hasher.update(data)
                with self._lock:
                    raw = self._key.sign(hasher.finalize(), mechanism=Mechanism.ECDSA)
                return bytes(encode_ecdsa_signature(raw))
            if self._scheme is SignatureScheme.RSA_PSS:
                mechanism, hash_mechanism, mgf = _mechanism(_PSS_MECHANISMS, digest)
                with self._lock:
                    return bytes(
                        self._key.sign(
                            data,
                            mechanism=mechanism,
                            mechanism_param=(
                                hash_mechanism,
                                getattr(pkcs11.MGF, mgf),
                                digest.size,
                            ),
                        )
                    )
            with self._lock:
                return bytes(self._key.sign(data, mechanism=_mechanism(_RSA_MECHANISMS, digest)))
        except p11err.PKCS11Error as exc:
            raise SignatureError(
                f"the token failed to sign ({type(exc).__name__}: {exc})",
                code="pkcs11.sign",
                where=self._where,
            ) from exc

    def close(self) -> None:
        """Close the token session (the signer cannot sign afterwards)."""
        with self._lock:
            self._session.close()

    def __enter__(self) -> Pkcs11Signer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Pkcs11Signer({self._certificate.subject.rfc4514_string()!r}, {self._where!r})"


def _mechanism(table: dict[DigestAlgorithm, Any], digest: DigestAlgorithm) -> Any:
    try:
        return table[digest]
    except KeyError:
        raise SignatureError(
            f"no PKCS#11 mechanism for {digest.value} with this key",
            code="pkcs11.mechanism",
        ) from None
