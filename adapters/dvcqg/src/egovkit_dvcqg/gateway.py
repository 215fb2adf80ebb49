""":class:`DvcqgGateway`: the :class:`~egovkit.services.portal.PortalGateway` of the national
portal, built from a :class:`~egovkit_dvcqg.client.PortalClient`, the status rules and the
mapping."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from egovkit.dossiers import Dossier
from egovkit.services import PortalGateway, Procedure, PushOutcome
from egovkit_dvcqg.client import PortalClient, ensure_ok
from egovkit_dvcqg.mapping import (
    GET_PROCEDURE,
    LIST_PROCEDURES,
    SYNC_DOSSIERS,
    MappingOptions,
    dossier_to_portal,
    procedure_from_portal,
    procedure_list,
    procedure_list_request,
    procedure_request,
    steps_to_portal,
)
from egovkit_dvcqg.status import StatusRules


class DvcqgGateway(PortalGateway):
    """Dossiers, progress and the catalogue through the portal's JSON services.

    ``details`` fetches each procedure's ``LayThuTuc`` for fees, components and time (one call
    per procedure); ``valid_from`` dates the imported versions (default: today); ``muc_do``
    gives a procedure's local service level (``MucDo`` 2/3/4, not a portal field).
    """

    def __init__(
        self,
        client: PortalClient,
        *,
        rules: StatusRules | None = None,
        options: MappingOptions | None = None,
        details: bool = True,
        valid_from: datetime.date | None = None,
        muc_do: Callable[[str], int | None] | None = None,
    ) -> None:
        self.client = client
        self.rules = rules or StatusRules.default()
        self.options = options or MappingOptions()
        self._details = details
        self._valid_from = valid_from
        self._muc_do = muc_do

    def push_dossier(self, dossier: Dossier) -> PushOutcome:
        item = dossier_to_portal(dossier, rules=self.rules, options=self.options)
        code = str(dossier.code)
        action = self.client.push(SYNC_DOSSIERS, item, where=code)
        return PushOutcome(dossier=code, action=action)

    def push_progress(self, dossier: Dossier) -> int:
        items = steps_to_portal(dossier, rules=self.rules, options=self.options)
        return self.client.push_progress(items, where=str(dossier.code)) if items else 0

    def is_synced(self, code: str) -> bool:
        """Whether the portal already holds dossier ``code`` (``TraCuuHoSo`` answers a
        non-empty ``result``, as OpenCPS ``hasSyncDossier`` reads it)."""
        return bool(self.client.look_up(code))

    def procedures(self) -> Iterator[Procedure]:
        day = self._valid_from or datetime.date.today()
        reply = ensure_ok(LIST_PROCEDURES, self.client.request(procedure_list_request()))
        for index, entry in enumerate(procedure_list(reply)):
            detail: object | None = None
            if self._details:
                code = entry.get("MATTHC") if isinstance(entry, dict) else None
                if isinstance(code, str):
                    answer = ensure_ok(
                        GET_PROCEDURE,
                        self.client.request(procedure_request(code)),
                        where=code,
                    )
                    found = answer.results()
                    detail = found[0] if found else None
            yield procedure_from_portal(
                entry, detail, valid_from=day, where=f"result[{index}]", muc_do=self._muc_do
            )

    def close(self) -> None:
        self.client.close()


__all__ = ["DvcqgGateway"]
