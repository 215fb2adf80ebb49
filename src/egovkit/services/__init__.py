"""Procedures and online public services (thủ tục hành chính, dịch vụ công trực tuyến).

A :class:`~egovkit.services.catalogue.ProcedureCatalogue` holds procedure versions by effective
date; :func:`~egovkit.services.levels.classify` computes a procedure's online service level under
Decree 43/2011 (levels 1–4) or Decree 42/2022 (toàn trình / một phần / information, ``MucDo``
4/3/2) from what it offers, with the reason; :func:`~egovkit.services.portfolio.portfolio_shares`
gives the share at each level per agency or level of government; targets are dated data
(:func:`~egovkit.services.targets.all_targets`). :class:`~egovkit.services.portal.PortalGateway` is
the port to the national portal.
"""

from __future__ import annotations

from egovkit.services.capabilities import Capability, capability_set
from egovkit.services.catalogue import (
    CompetentLevel,
    Component,
    FeeItem,
    Procedure,
    ProcedureCatalogue,
)
from egovkit.services.codes import CodeShape, ProcedureCode
from egovkit.services.files import read_catalogue_csv, write_catalogue_csv
from egovkit.services.levels import (
    DECREE_42_2022,
    DECREE_43_2011,
    Classification,
    Level,
    LevelScheme,
    classify,
    scheme,
    scheme_on,
    schemes,
)
from egovkit.services.portal import (
    MemoryPortalGateway,
    PortalGateway,
    PortalRejectedError,
    PushAction,
    PushOutcome,
)
from egovkit.services.portfolio import GroupBy, PortfolioShare, portfolio_shares
from egovkit.services.targets import (
    Target,
    TargetCheck,
    TargetKind,
    all_targets,
    check_online_dossiers,
    check_procedures,
    target,
)

__all__ = [
    "DECREE_42_2022",
    "DECREE_43_2011",
    "Capability",
    "Classification",
    "CodeShape",
    "CompetentLevel",
    "Component",
    "FeeItem",
    "GroupBy",
    "Level",
    "LevelScheme",
    "MemoryPortalGateway",
    "PortalGateway",
    "PortalRejectedError",
    "PortfolioShare",
    "Procedure",
    "ProcedureCatalogue",
    "ProcedureCode",
    "PushAction",
    "PushOutcome",
    "Target",
    "TargetCheck",
    "TargetKind",
    "all_targets",
    "capability_set",
    "check_online_dossiers",
    "check_procedures",
    "classify",
    "portfolio_shares",
    "read_catalogue_csv",
    "scheme",
    "scheme_on",
    "schemes",
    "target",
    "write_catalogue_csv",
]
