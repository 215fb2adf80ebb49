"""Validation policies: which algorithms and key sizes are acceptable, and how strict to be.

By default SHA-1, MD5 and RSA keys under 2048 bits make a signature fail. The ``legacy`` policy
reads old messages (the national axis samples are RSA-SHA1) as INDETERMINATE with a
crypto-constraints sub-indication: readable, never passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from egovkit.errors import ConfigurationError
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.report import Indication, SubIndication


@attrs.frozen(kw_only=True, cache_hash=True)
class ValidationPolicy:
    """The rules :func:`egovkit.signatures.verify` applies.

    ``weak_digests`` and the minimum key sizes define weak cryptography; ``weak_indication`` is
    what a weak but otherwise intact signature gets. ``check_revocation`` requires a CRL or OCSP
    answer for every certificate below the trust anchor.
    """

    name: str = "default"
    weak_digests: frozenset[DigestAlgorithm] = frozenset(
        {DigestAlgorithm.MD5, DigestAlgorithm.SHA1}
    )
    min_rsa_bits: int = 2048
    min_ec_bits: int = 256
    weak_indication: Indication = Indication.TOTAL_FAILED
    check_revocation: bool = True
    clock_skew: dt.timedelta = dt.timedelta(minutes=5)
    max_revocation_age: dt.timedelta = dt.timedelta(days=7)

    @property
    def weak_sub_indication(self) -> SubIndication:
        """The sub-indication that goes with ``weak_indication``."""
        if self.weak_indication is Indication.TOTAL_FAILED:
            return SubIndication.CRYPTO_CONSTRAINTS_FAILURE
        return SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE

    @classmethod
    def named(cls, name: str) -> ValidationPolicy:
        """``"default"`` or ``"legacy"``."""
        try:
            return _NAMED[name]
        except KeyError:
            raise ConfigurationError(
                f"unknown validation policy {name!r} (known: {', '.join(sorted(_NAMED))})",
                code="signatures.policy.unknown",
            ) from None


DEFAULT_POLICY: Final = ValidationPolicy()
LEGACY_POLICY: Final = ValidationPolicy(name="legacy", weak_indication=Indication.INDETERMINATE)
_NAMED: Final = {p.name: p for p in (DEFAULT_POLICY, LEGACY_POLICY)}
