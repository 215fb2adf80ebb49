"""One-stop regimes (cơ chế một cửa) as versioned data with effective dates.

Decree 61/2018/NĐ-CP (amended by 107/2021/NĐ-CP, forms in Circular 01/2018/TT-VPCP) applied until
30 June 2025; Decree 118/2025/NĐ-CP (forms in Circular 03/2025/TT-VPCP) applies from 1 July 2025.
Each regime names and numbers its own forms (mẫu số); the regime in force on the day a dossier
was received decides the forms its slips use. A circular's forms can start later than its decree
(Circular 01/2018 on 6 January 2019, Circular 03/2025 on 15 September 2025): a dossier received in
between gets the regime without prescribed forms (``forms_prescribed`` false), as the
data's ``interim`` says with its source. The data is ``data/regimes.json``.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import attrs

from egovkit.calendar import to_vietnam
from egovkit.errors import NotFoundError
from egovkit.text import nfc


class FormKind(enum.Enum):
    """The forms of the one-stop desk."""

    RECEIPT = "receipt"  # Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT_REQUEST = "supplement_request"  # Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    REFUSAL = "refusal"  # Phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "apology"  # xin lỗi và hẹn lại / đề nghị gia hạn
    STOP_NOTICE = "stop_notice"  # Thông báo dừng giải quyết hồ sơ
    PROCESS_CONTROL = "process_control"  # Phiếu kiểm soát quá trình giải quyết hồ sơ
    TRACKING_BOOK = "tracking_book"  # Sổ theo dõi hồ sơ


@attrs.frozen(kw_only=True)
class Form:
    """A form as a regime prescribes it: its number (``None`` when the regime prescribes no
    form for it) and its title."""

    kind: FormKind
    number: str | None
    title: str

    @property
    def label(self) -> str:
        """``"Mẫu số 01"``, or ``""`` for a form without a number."""
        return f"Mẫu số {self.number}" if self.number else ""


@attrs.frozen(kw_only=True)
class Regime:
    """One version of the one-stop rules, in force from ``effective_from`` (inclusive) until
    ``effective_until`` (exclusive, ``None`` while in force); its guidance's forms apply from
    ``forms_from`` (``interim_note`` says what applies before, ``sources`` where the dates come
    from)."""

    key: str
    title: str
    decree: str
    amended_by: tuple[str, ...]
    guidance: str
    effective_from: date
    effective_until: date | None
    routes_to_competent_authority: bool
    forms: tuple[Form, ...]
    forms_from: date | None = None
    interim_note: str = ""
    sources: tuple[str, ...] = ()
    forms_prescribed: bool = True

    def form(self, kind: FormKind) -> Form:
        """The form of ``kind`` in this regime."""
        for form in self.forms:
            if form.kind is kind:
                return form
        raise NotFoundError(  # pragma: no cover - the data file lists every kind
            f"{self.key} has no form {kind.value}", code="dossier.regime.form", where=kind.value
        )

    def in_force_on(self, day: date) -> bool:
        """Whether the regime applies to a dossier received on ``day``."""
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )


def regimes() -> tuple[Regime, ...]:
    """Every regime, oldest first."""
    return _regimes()


def regime_on(day: date | datetime) -> Regime:
    """The regime in force on ``day`` (a datetime is read in Vietnam's zone).

    >>> from datetime import date
    >>> from egovkit.dossiers import FormKind, regime_on
    >>> regime_on(date(2025, 6, 30)).form(FormKind.PROCESS_CONTROL).label
    'Mẫu số 05'
    >>> regime_on(date(2025, 7, 1)).form(FormKind.PROCESS_CONTROL).label  # no form yet
    ''
    >>> regime_on(date(2025, 9, 15)).form(FormKind.PROCESS_CONTROL).label
    'Mẫu số 06'
    """
    if isinstance(day, datetime):
        day = to_vietnam(day, where="day").date()
    for regime in _regimes():
        if regime.in_force_on(day):
            if regime.forms_from is not None and day < regime.forms_from:
                return _before_forms(regime)
            return regime
    raise NotFoundError(
        f"no one-stop regime was in force on {day.isoformat()}",
        code="dossier.regime.none",
        where="received_at",
    )


@cache
def _before_forms(regime: Regime) -> Regime:
    """``regime`` before its circular's forms apply: no form numbers, no circular."""
    return attrs.evolve(
        regime,
        guidance="",
        forms=tuple(attrs.evolve(f, number=None) for f in regime.forms),
        forms_prescribed=False,
    )


def _form(kind: str, data: dict[str, Any]) -> Form:
    return Form(kind=FormKind(kind), number=data["number"], title=nfc(data["title"]))


@cache
def _regimes() -> tuple[Regime, ...]:
    text = resources.files("egovkit.dossiers").joinpath("data/regimes.json").read_text("utf-8")
    found = []
    for item in json.loads(text)["regimes"]:
        until = item["effective_until"]
        found.append(
            Regime(
                key=item["key"],
                title=nfc(item["title"]),
                decree=nfc(item["decree"]),
                amended_by=tuple(nfc(a) for a in item["amended_by"]),
                guidance=nfc(item["guidance"]),
                effective_from=date.fromisoformat(item["effective_from"]),
                effective_until=None if until is None else date.fromisoformat(until),
                routes_to_competent_authority=item["routing"] == "to_competent_authority",
                forms=tuple(_form(k, v) for k, v in item["forms"].items()),
                forms_from=date.fromisoformat(item["forms_from"]),
                interim_note=nfc(item["interim"]["note"]),
                sources=tuple(nfc(s) for s in item["sources"]),
            )
        )
    return tuple(sorted(found, key=lambda r: r.effective_from))


__all__ = ["Form", "FormKind", "Regime", "regime_on", "regimes"]
