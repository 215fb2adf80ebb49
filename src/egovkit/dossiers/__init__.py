"""One-stop dossiers (hồ sơ một cửa): lifecycle, codes, deadlines, slips and statistics.

A :class:`~egovkit.dossiers.model.Dossier` is a frozen value whose actions return new dossiers;
its states follow :data:`~egovkit.dossiers.transitions.TRANSITIONS`; its code comes from
:func:`~egovkit.dossiers.codes.allocate_dossier_code`; its deadlines from the agency's
:class:`~egovkit.calendar.work.WorkCalendar`; its slips follow the regime in force on the day it was
received (:func:`~egovkit.dossiers.regimes.regime_on`).
"""

from __future__ import annotations

from egovkit.dossiers.codes import (
    FOUR_DIGIT_LIMIT,
    CodeOverflow,
    DossierCode,
    DossierCodeExhaustedError,
    allocate_dossier_code,
)
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.papers import DossierAttachment, Reuse, paper_of
from egovkit.dossiers.parties import (
    Applicant,
    ApplicantKind,
    Channel,
    Identifier,
    IdentifierKind,
    ResultDelivery,
)
from egovkit.dossiers.parts import (
    ClockPause,
    Extension,
    Fee,
    FeeCollection,
    PauseKind,
    Payment,
    PaymentMethod,
    ProcessingStep,
    Result,
    SupplementRequest,
)
from egovkit.dossiers.procedures import Procedure, StepPlan
from egovkit.dossiers.regimes import Form, FormKind, Regime, regime_on, regimes
from egovkit.dossiers.rendering import render_html
from egovkit.dossiers.serialization import dossier_from_dict, dossier_to_dict
from egovkit.dossiers.slips import (
    Slip,
    SlipLine,
    apology_slip,
    process_control_slip,
    receipt_slip,
    refusal_slip,
    stop_notice,
    supplement_request_slip,
)
from egovkit.dossiers.statistics import (
    AgencyRole,
    DossierStatistics,
    Standing,
    Timeliness,
    compute_statistics,
    standing,
    timeliness,
)
from egovkit.dossiers.status import DossierStatus
from egovkit.dossiers.transitions import (
    TRANSITIONS,
    IllegalTransitionError,
    TransitionRecord,
    TransitionRecorder,
    check_transition,
    is_allowed,
)

__all__ = [
    "FOUR_DIGIT_LIMIT",
    "TRANSITIONS",
    "AgencyRole",
    "Applicant",
    "ApplicantKind",
    "Channel",
    "ClockPause",
    "CodeOverflow",
    "Dossier",
    "DossierAttachment",
    "DossierCode",
    "DossierCodeExhaustedError",
    "DossierStatistics",
    "DossierStatus",
    "Extension",
    "Fee",
    "FeeCollection",
    "Form",
    "FormKind",
    "Identifier",
    "IdentifierKind",
    "IllegalTransitionError",
    "PauseKind",
    "Payment",
    "PaymentMethod",
    "Procedure",
    "ProcessingStep",
    "Regime",
    "Result",
    "ResultDelivery",
    "Reuse",
    "Slip",
    "SlipLine",
    "Standing",
    "StepPlan",
    "SupplementRequest",
    "Timeliness",
    "TransitionRecord",
    "TransitionRecorder",
    "allocate_dossier_code",
    "apology_slip",
    "check_transition",
    "compute_statistics",
    "dossier_from_dict",
    "dossier_to_dict",
    "is_allowed",
    "paper_of",
    "process_control_slip",
    "receipt_slip",
    "refusal_slip",
    "regime_on",
    "regimes",
    "render_html",
    "standing",
    "stop_notice",
    "supplement_request_slip",
    "timeliness",
]
