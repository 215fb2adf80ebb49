"""The desk service (bộ phận một cửa): receive a dossier with a code taken from the store's
counters, and move it, each in one transaction — the code, the dossier and the audit entries of
its transitions are kept together or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from egovkit.agencies import AgencyCode
from egovkit.calendar import WorkCalendar
from egovkit.documents.model import Attachment
from egovkit.dossiers.codes import CodeOverflow, allocate_dossier_code
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.parties import Applicant, Channel
from egovkit.dossiers.parts import Fee
from egovkit.dossiers.procedures import Procedure
from egovkit.ports import Store, StoredDossier


class DossierDesk:
    """Receives and moves dossiers in ``store`` with the agency's ``calendar``.

    Every method runs one transaction with the acting officer as the audit actor. An action
    that raises (an illegal transition, a stale version) writes nothing: no code is used up,
    no entry is logged.
    """

    def __init__(
        self,
        store: Store,
        *,
        calendar: WorkCalendar | None = None,
        overflow: CodeOverflow = CodeOverflow.WIDEN,
    ) -> None:
        self.store = store
        self.calendar = calendar if calendar is not None else WorkCalendar()
        self.overflow = overflow

    def receive(
        self,
        *,
        procedure: Procedure,
        applicant: Applicant,
        channel: Channel,
        receiving_agency: AgencyCode,
        received_at: datetime,
        actor: str,
        competent_agency: AgencyCode | None = None,
        summary: str = "",
        fees: Iterable[Fee] = (),
        attachments: Iterable[Attachment] = (),
        submitted_at: datetime | None = None,
    ) -> StoredDossier:
        """Accept a dossier at the desk (Được tiếp nhận): its code
        ``{unit}-{yyMMdd}-{NNNN}`` comes from the store in the same transaction."""
        with self.store.transaction(actor=actor) as uow:
            code = allocate_dossier_code(
                uow.sequences, receiving_agency, received_at, overflow=self.overflow
            )
            dossier = Dossier.receive(
                code=code,
                procedure=procedure,
                applicant=applicant,
                channel=channel,
                receiving_agency=receiving_agency,
                competent_agency=competent_agency,
                received_at=received_at,
                actor=actor,
                calendar=self.calendar,
                summary=summary,
                fees=fees,
                attachments=attachments,
                submitted_at=submitted_at,
            )
            return uow.dossiers.add(dossier)

    def submit(
        self,
        *,
        procedure: Procedure,
        applicant: Applicant,
        receiving_agency: AgencyCode,
        submitted_at: datetime,
        actor: str,
        channel: Channel = Channel.ONLINE,
        competent_agency: AgencyCode | None = None,
        summary: str = "",
        fees: Iterable[Fee] = (),
        attachments: Iterable[Attachment] = (),
    ) -> StoredDossier:
        """Keep a dossier filed online and not yet accepted (Mới đăng ký), with its code."""
        with self.store.transaction(actor=actor) as uow:
            code = allocate_dossier_code(
                uow.sequences, receiving_agency, submitted_at, overflow=self.overflow
            )
            dossier = Dossier.submit(
                code=code,
                procedure=procedure,
                applicant=applicant,
                receiving_agency=receiving_agency,
                submitted_at=submitted_at,
                actor=actor,
                channel=channel,
                competent_agency=competent_agency,
                summary=summary,
                fees=fees,
                attachments=attachments,
            )
            return uow.dossiers.add(dossier)

    def act(self, code: str, action: Callable[[Dossier], Dossier], *, actor: str) -> StoredDossier:
        """Read dossier ``code``, apply ``action`` (e.g. ``lambda d: d.resolve(at=…,
        actor=…)``) and save the result, in one transaction; the new transition records go to
        the audit log with it."""
        with self.store.transaction(actor=actor) as uow:
            stored = uow.dossiers.get(code)
            return uow.dossiers.update(stored, action(stored.dossier))

    def get(self, code: str) -> Dossier:
        """The dossier as stored now."""
        return self.store.dossiers.get(code).dossier


__all__ = ["DossierDesk"]
