"""The fictional province of the demo, Tỉnh Sông Lam (code H99), and its agencies.

Everything here is invented: the names, the officers and the numbers. The catalogue
(``agencies.csv``) has the province's People's Committee, its office, two departments, three
communes and a district that ended with the 2025 reform (chính quyền địa phương hai cấp).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

from egovkit.agencies import Agency, AgencyCatalogue, AgencyCode
from egovkit.documents import AgencyRef, Competence, Signer

#: The province's People's Committee (Ủy ban nhân dân tỉnh).
PROVINCE = AgencyCode.province("H99")
#: The Department of Home Affairs (Sở Nội vụ), the province's partner in the exchange chapter.
HOME_AFFAIRS = AgencyCode.parse("000.00.02.H99")
#: The Department of Finance (Sở Tài chính).
FINANCE = AgencyCode.parse("000.00.03.H99")
#: The year the story is played in.
YEAR = 2026
#: The day the catalogue is read on.
FIRST_DAY = dt.date(YEAR, 1, 1)
#: The province's place name, as written on documents (địa danh).
PLACE = "Sông Lam"


def catalogue() -> AgencyCatalogue:
    """The province's agencies, read from the packaged ``agencies.csv``."""
    source = resources.files("egovkit.demo").joinpath("agencies.csv")
    with source.open(encoding="utf-8") as handle:
        return AgencyCatalogue.read_csv(handle)


def ref(agencies: AgencyCatalogue, code: AgencyCode) -> AgencyRef:
    """The reference a document carries for the agency ``code``."""
    agency = agencies.get(code)
    return AgencyRef(name=agency.name, code=agency.code)


def communes(agencies: AgencyCatalogue) -> list[Agency]:
    """The communes and wards (xã, phường) in force in the story's year."""
    return [
        a
        for a in agencies.children(PROVINCE, on=FIRST_DAY)
        if a.name.startswith("Ủy ban") and ("xã" in a.name or "phường" in a.name)
    ]


def departments(agencies: AgencyCatalogue) -> list[Agency]:
    """The departments (sở) in force in the story's year."""
    return [a for a in agencies.children(PROVINCE, on=FIRST_DAY) if a.name.startswith("Sở")]


def chair(competence: Competence | None = None) -> Signer:
    """The chair who signs for the collective, or the vice-chair who signs on the chair's
    behalf (ký thay)."""
    if competence is Competence.DEPUTY:
        return Signer(
            full_name="Trần Thị Bình",
            position="Phó Chủ tịch",
            competence=competence,
            on_behalf_of="Chủ tịch",
        )
    return Signer(
        full_name="Nguyễn Văn An",
        position="Chủ tịch",
        competence=Competence.ON_BEHALF_OF_COLLECTIVE,
        on_behalf_of="Ủy ban nhân dân",
    )
