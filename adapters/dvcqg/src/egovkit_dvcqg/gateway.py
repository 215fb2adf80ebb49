""":class:`DvcqgGateway`: the :class:`~egovkit.services.portal.PortalGateway` of the national
portal, built from a :class:`~egovkit_dvcqg.client.PortalClient`, the status rules and the
mapping."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from egovkit.dossiers import Dossier
from egovkit.services import PortalGateway, Procedure, PushOutcome
from egovkit_dvcqg.client import PortalClient, ensure_ok
from egovkit_dvcqg.mapping import (
    GET_PROCEDURE,
    LIST_PROCEDURES,
    SYNC_DOSSIERS,
    SYNC_PROGRESS,
    MappingOptions,
    dossier_to_portal,
    procedure_from_portal,
    procedure_list,
    procedure_request,
    steps_to_portal,
)
from egovkit_dvcqg.status import StatusRules


class DvcqgGateway(PortalGateway):
    """Dossiers, progress and the catalogue through the portal's JSON services.

    ``details`` fetches each procedure's ``LayThuTuc`` for fees, components and time (one call
    per procedure); ``valid_from`` dates the imported versions (default: today).
    """

    def __init__(
        self,
        client: PortalClient,
        *,
        rules: StatusRules | None = None,
        options: MappingOptions | None = None,
        details: bool = True,
        valid_from: datetime.date | None = None,
    ) -> None:
        self.client = client
        self.rules = rules or StatusRules.default()
        self.options = options or MappingOptions()
        self._details = details
        self._valid_from = valid_from

    def push_dossier(self, dossier: Dossier) -> PushOutcome:
        item = dossier_to_portal(dossier, rules=self.rules, options=self.options)
        code = str(dossier.code)
        action = self.client.push(SYNC_DOSSIERS, item, where=code)
        return PushOutcome(dossier=code, action=action)

    def push_progress(self, dossier: Dossier) -> int:
        items = steps_to_portal(dossier, rules=self.rules)
        if items:
            reply = self.client.call(SYNC_PROGRESS, items)
            ensure_ok(SYNC_PROGRESS, reply, where=str(dossier.code))
        return len(items)

    def procedures(self) -> Iterator[Procedure]:
        day = self._valid_from or datetime.date.today()
        reply = ensure_ok(LIST_PROCEDURES, self.client.call(LIST_PROCEDURES, []))
        for index, entry in enumerate(procedure_list(reply)):
            detail: object | None = None
            if self._details:
                code = entry.get("MaTTHC") if isinstance(entry, dict) else None
                if isinstance(code, str):
                    answer = ensure_ok(
                        GET_PROCEDURE,
                        self.client.call(GET_PROCEDURE, [procedure_request(code)]),
                        where=code,
                    )
                    detail = _first(answer.data)
            yield procedure_from_portal(entry, detail, valid_from=day, where=f"data[{index}]")

    def close(self) -> None:
        self.client.close()


def _first(data: object) -> object | None:
    if isinstance(data, list):
        return data[0] if data else None
    return data


__all__ = ["DvcqgGateway"]
