"""The ``TimeStamper`` port: RFC 3161 time-stamps (dấu thời gian) for signatures.

A time-stamp proves that a signature existed at a time, which keeps it verifiable after the
signing certificate expires (PAdES B-T and above). The port lives in the core so that any
signature format can use it; ``egovkit-pdf`` ships an HTTP implementation with timeouts,
retries and a concurrency limit.
"""

from __future__ import annotations

import abc

from egovkit.signatures.algorithms import DigestAlgorithm


class TimeStamper(abc.ABC):
    """Port: time-stamp a digest. Return the DER ``TimeStampToken`` (a CMS ``ContentInfo``).

    Raise :class:`~egovkit.errors.RemoteError` when the authority cannot be reached or refuses.
    """

    @abc.abstractmethod
    def timestamp(self, digest: bytes, algorithm: DigestAlgorithm) -> bytes:
        """A time-stamp token over ``digest`` (made with ``algorithm``)."""
