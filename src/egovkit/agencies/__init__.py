"""Agency identifiers, the agency catalogue and administrative divisions.

>>> from egovkit.agencies import AgencyCode
>>> str(AgencyCode.parse("000.00.00.H41"))
'000.00.00.H41'
"""

from egovkit.agencies.catalogue import COLUMNS, Agency, AgencyCatalogue
from egovkit.agencies.codes import AgencyCode
from egovkit.agencies.divisions import (
    TWO_LEVEL_GOVERNMENT_FROM,
    AdministrativeDivision,
    DivisionCatalogue,
    DivisionLevel,
)
from egovkit.agencies.renames import CodeRename, CodeRenames

__all__ = [
    "COLUMNS",
    "TWO_LEVEL_GOVERNMENT_FROM",
    "AdministrativeDivision",
    "Agency",
    "AgencyCatalogue",
    "AgencyCode",
    "CodeRename",
    "CodeRenames",
    "DivisionCatalogue",
    "DivisionLevel",
]
