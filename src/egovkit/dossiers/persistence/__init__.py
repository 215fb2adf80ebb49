"""Dossiers in a store (lưu trữ hồ sơ một cửa): the repository that saves them with their
transitions in the audit log, the desk service that receives and moves them with a code from the
store's counters in the same transaction, and the facts a store keeps to count them in SQL.

>>> from egovkit.storage import open_store
>>> from egovkit.dossiers.persistence import DossierDesk
>>> with open_store("memory://") as store:
...     desk = DossierDesk(store)
"""

from __future__ import annotations

from egovkit.dossiers.persistence.facts import agency_key, agency_range, facts_of, facts_of_data
from egovkit.dossiers.persistence.repository import (
    DOSSIERS,
    HistoryRewrittenError,
    RecordDossiers,
    TransactionalDossiers,
    count_query,
    transition_digest,
)
from egovkit.dossiers.persistence.service import DossierDesk

__all__ = [
    "DOSSIERS",
    "DossierDesk",
    "HistoryRewrittenError",
    "RecordDossiers",
    "TransactionalDossiers",
    "agency_key",
    "agency_range",
    "count_query",
    "facts_of",
    "facts_of_data",
    "transition_digest",
]
