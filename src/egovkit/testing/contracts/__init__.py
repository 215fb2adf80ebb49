"""Storage contract suites: prove a backend right with the tests egovkit runs on its own.

A backend adopts them in one line, fsspec-style — a fixtures class that opens stores, and the
suite mixed in::

    from egovkit.testing.contracts import StoreContract, StoreFixtures

    class MyFixtures(StoreFixtures):
        multiprocess = True

        def open_store(self, place):
            return my_backend.open(place)

        def store_url(self, place):
            return f"mine://{place}"

    class TestMyStore(StoreContract, MyFixtures):
        pass

Dossier stores add :class:`~egovkit.testing.contracts.dossiers.DossierContract` (and, with
``multiprocess``, :class:`~egovkit.testing.contracts.dossiers.DossierConcurrencyContract`) the
same way: their statistics must equal the Python ones.

Capabilities (``multiprocess``, ``rewritable_audit``) are declared on the fixtures class; the
suites skip what a backend does not claim. With ``multiprocess`` the suites also run 8 writer
processes at once and SIGKILL a writer mid-stream (:mod:`~egovkit.testing.contracts.crash`).
"""

from __future__ import annotations

from egovkit.testing.contracts.audit import AuditContract
from egovkit.testing.contracts.backup import BackupContract
from egovkit.testing.contracts.blobs import BlobContract
from egovkit.testing.contracts.claims import ClaimContract, OutboxWorkersContract
from egovkit.testing.contracts.concurrency import ConcurrencyContract
from egovkit.testing.contracts.crash import CrashContract
from egovkit.testing.contracts.dossiers import DossierConcurrencyContract, DossierContract
from egovkit.testing.contracts.fixtures import StoreFixtures
from egovkit.testing.contracts.records import (
    RecordContract,
    RepositoryContract,
    SequenceContract,
    TransactionContract,
)


class StoreContract(
    RecordContract,
    TransactionContract,
    SequenceContract,
    RepositoryContract,
    BlobContract,
    ClaimContract,
    AuditContract,
    BackupContract,
    ConcurrencyContract,
    CrashContract,
):
    """Every storage contract at once."""


__all__ = [
    "AuditContract",
    "BackupContract",
    "BlobContract",
    "ClaimContract",
    "ConcurrencyContract",
    "CrashContract",
    "DossierConcurrencyContract",
    "DossierContract",
    "OutboxWorkersContract",
    "RecordContract",
    "RepositoryContract",
    "SequenceContract",
    "StoreContract",
    "StoreFixtures",
    "TransactionContract",
]
