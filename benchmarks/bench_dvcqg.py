"""Mapping dossiers to the portal's ``DongBoHoSoMC`` JSON, against ``json.dumps`` of the same
objects built beforehand (the floor: only the encoding, none of the mapping).

The issue's size is 100,000 dossiers; each is a received, processed and resolved dossier with a
fee, a step and a supplement request, so every list of the object is filled.
"""

from __future__ import annotations

import json
from datetime import datetime

import attrs
from _harness import Comparison, best_of

from egovkit.calendar import VIETNAM_TZ, WorkCalendar
from egovkit.dossiers import Dossier, DossierCode, Fee
from egovkit.services.contract import sample_dossier
from egovkit_dvcqg import StatusRules, dossier_to_portal


def _template() -> Dossier:
    calendar = WorkCalendar()
    at = datetime(2026, 2, 13, 10, tzinfo=VIETNAM_TZ)
    dossier = attrs.evolve(sample_dossier(), fees=[Fee(name="Lệ phí", amount=50_000)])
    dossier = dossier.start_processing(at=at, actor="Chuyên viên", step="Thẩm định")
    dossier = dossier.request_supplement(
        items=["Bản sao giấy chứng sinh"], at=at.replace(hour=11), actor="Chuyên viên"
    )
    dossier = dossier.supplement(at=at.replace(hour=15), actor="Công dân", calendar=calendar)
    return dossier.resolve(at=at.replace(day=16, hour=9), actor="Lãnh đạo")


def _dossiers(count: int) -> list[Dossier]:
    template = _template()
    agency, day = template.code.agency, template.code.day
    return [
        attrs.evolve(template, code=DossierCode(agency=agency, day=day, number=n))
        for n in range(1, count + 1)
    ]


def run(quick: bool) -> list[Comparison]:
    count = 2_000 if quick else 100_000
    dossiers = _dossiers(count)
    rules = StatusRules.default()
    built = [dossier_to_portal(d, rules=rules) for d in dossiers]

    def ours() -> str:
        return json.dumps([dossier_to_portal(d, rules=rules) for d in dossiers], ensure_ascii=False)

    def floor() -> str:
        return json.dumps(built, ensure_ascii=False)

    assert ours() == floor()
    repeat = 2 if quick else 3
    mine = best_of(ours, repeat=repeat)
    peer = best_of(floor, repeat=repeat)
    return [
        Comparison(
            f"{count:,} dossiers → DongBoHoSoMC JSON",
            mine,
            "json.dumps of prebuilt dicts",
            peer,
            target=">= 20,000 dossiers/s",
            met=count / mine >= 20_000,
            sized=True,
            notes=f"{count / mine:,.0f} dossiers/s mapped and encoded",
        )
    ]
