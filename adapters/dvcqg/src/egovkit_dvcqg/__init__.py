"""egovkit adapter for the National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG).

>>> from egovkit_dvcqg import StatusRules
>>> from egovkit.dossiers import DossierStatus
>>> StatusRules.default().code(DossierStatus.TRANSFERRED)
4
"""

from __future__ import annotations

from egovkit_dvcqg.client import PortalClient, RetryPolicy, bearer
from egovkit_dvcqg.gateway import DvcqgGateway
from egovkit_dvcqg.mapping import (
    ROUND_TRIP_FIELDS,
    MappingOptions,
    dossier_from_portal,
    dossier_to_portal,
    procedure_from_portal,
    step_from_portal,
    steps_to_portal,
)
from egovkit_dvcqg.payment import (
    PaymentInit,
    Receipt,
    ReceiptFee,
    authentication_code,
    build_message,
    check_message,
)
from egovkit_dvcqg.status import StatusRule, StatusRules
from egovkit_dvcqg.sync import (
    DeadLetter,
    FileCheckpoint,
    MemoryCheckpoint,
    StoreCheckpoint,
    SyncReport,
    sync_dossiers,
    text_progress_bar,
)

__all__ = [
    "ROUND_TRIP_FIELDS",
    "DeadLetter",
    "DvcqgGateway",
    "FileCheckpoint",
    "MappingOptions",
    "MemoryCheckpoint",
    "PaymentInit",
    "PortalClient",
    "Receipt",
    "ReceiptFee",
    "RetryPolicy",
    "StatusRule",
    "StatusRules",
    "StoreCheckpoint",
    "SyncReport",
    "authentication_code",
    "bearer",
    "build_message",
    "check_message",
    "dossier_from_portal",
    "dossier_to_portal",
    "procedure_from_portal",
    "step_from_portal",
    "steps_to_portal",
    "sync_dossiers",
    "text_progress_bar",
]
