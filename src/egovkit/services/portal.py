"""The port to a public-service portal (Cổng Dịch vụ công quốc gia, DVCQG), and an in-memory
one for tests.

A :class:`PortalGateway` speaks domain objects — dossiers, procedure versions — never portal
JSON: the wire format lives in the adapter (``egovkit-dvcqg``). Pushing a dossier the portal
already holds updates it; a refusal raises
:class:`~egovkit.services.portal.PortalRejectedError` carrying the portal's own message, so
a batch sync can set the dossier aside (dead letter) and go on.

.. note:: This port lives here until it moves to :mod:`egovkit.ports`.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Callable, Iterator

import attrs

from egovkit.dossiers import Dossier
from egovkit.errors import RemoteError
from egovkit.services import catalogue
from egovkit.services.catalogue import Procedure


class PortalRejectedError(RemoteError):
    """The portal refused a dossier or a step (not a transport failure: retrying will not help).

    ``portal_code`` and ``portal_message`` are what the portal answered
    (code ``portal.rejected``).
    """

    default_code = "portal.rejected"

    def __init__(
        self,
        message: str,
        *,
        portal_code: str = "",
        portal_message: str = "",
        code: str | None = None,
        where: str = "",
    ) -> None:
        super().__init__(message, code=code, where=where, retryable=False)
        self.portal_code = portal_code
        self.portal_message = portal_message


class PushAction(enum.Enum):
    """What a push did on the portal."""

    CREATED = "created"  # the portal did not hold the dossier
    UPDATED = "updated"  # it did ("đã tồn tại"): updated instead


@attrs.frozen(kw_only=True)
class PushOutcome:
    """The result of one accepted push."""

    dossier: str
    action: PushAction
    message: str = ""


class PortalGateway(abc.ABC):
    """A public-service portal seen from a one-stop system."""

    @abc.abstractmethod
    def push_dossier(self, dossier: Dossier) -> PushOutcome:
        """Send the dossier (create, or update when the portal already holds it). A refusal
        raises :class:`~egovkit.services.portal.PortalRejectedError`; a transport failure a
        retryable :class:`~egovkit.errors.RemoteError`."""

    @abc.abstractmethod
    def push_progress(self, dossier: Dossier) -> int:
        """Send the dossier's processing steps; returns how many were sent."""

    @abc.abstractmethod
    def procedures(self) -> Iterator[Procedure]:
        """The procedure catalogue the portal publishes."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (nothing by default)."""


class MemoryPortalGateway(PortalGateway):
    """A portal in a dictionary: holds what was pushed; ``reject`` decides refusals (it
    returns the portal's message, or ``""`` to accept)."""

    def __init__(
        self,
        procedures: tuple[catalogue.Procedure, ...] = (),
        *,
        reject: Callable[[Dossier], str] | None = None,
    ) -> None:
        self.dossiers: dict[str, Dossier] = {}
        self.steps: dict[str, int] = {}
        self._procedures = procedures
        self._reject = reject

    def push_dossier(self, dossier: Dossier) -> PushOutcome:
        code = str(dossier.code)
        refusal = self._reject(dossier) if self._reject is not None else ""
        if refusal:
            raise PortalRejectedError(
                f"the portal refused {code}: {refusal}",
                portal_code="1",
                portal_message=refusal,
                where=code,
            )
        action = PushAction.UPDATED if code in self.dossiers else PushAction.CREATED
        self.dossiers[code] = dossier
        return PushOutcome(dossier=code, action=action)

    def push_progress(self, dossier: Dossier) -> int:
        code = str(dossier.code)
        if code not in self.dossiers:
            raise PortalRejectedError(
                f"the portal holds no dossier {code}", portal_code="1", where=code
            )
        self.steps[code] = len(dossier.steps)
        return len(dossier.steps)

    def procedures(self) -> Iterator[Procedure]:
        return iter(self._procedures)


__all__ = [
    "MemoryPortalGateway",
    "PortalGateway",
    "PortalRejectedError",
    "PushAction",
    "PushOutcome",
]
