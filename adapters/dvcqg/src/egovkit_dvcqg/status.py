"""How local dossier states are reported to the portal (``TrangThaiHoSo`` 1–10): explicit,
documented, configurable rules instead of rewrites buried in sync code.

The ten national states map to their own code. Local states need a decision, and provinces
decide differently; :meth:`StatusRules.default` reports an inter-agency transfer and a
correction as "Đang xử lý" (4) and a pause as "Dừng xử lý" (8, which provincial dashboards count
as "tạm dừng"). :meth:`StatusRules.rewrite_to_resolved` reproduces a provincial system that
pushes 5/6/8 as 9 and adds a closing step. Every rule carries its reason, for the audit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from egovkit.dossiers import DossierStatus
from egovkit.errors import ParseError, ValidationError

_S = DossierStatus


def _code(_instance: object, _attribute: object, value: int) -> None:
    raw: object = value
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 10:
        raise ValidationError(
            f"a portal status code is 1–10, not {value!r}",
            code="dvcqg.status.code",
            where="target",
        )


@attrs.frozen(kw_only=True)
class StatusRule:
    """Report ``source`` as national code ``target``, because ``reason``."""

    source: DossierStatus
    target: int = attrs.field(validator=_code)
    reason: str


def _rules(value: Iterable[StatusRule]) -> tuple[StatusRule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class StatusRules:
    """A complete set of rules: one per dossier state. ``closing_step`` adds a synthetic
    "Kết thúc xử lý" progress step (``TrangThai`` 9) for a dossier reported as 9 while its
    own state is something else."""

    rules: tuple[StatusRule, ...] = attrs.field(converter=_rules)
    closing_step: bool = False

    def __attrs_post_init__(self) -> None:
        seen = [r.source for r in self.rules]
        missing = [s.value for s in _S if s not in seen]
        twice = sorted({s.value for s in seen if seen.count(s) > 1})
        if missing or twice:
            raise ValidationError(
                f"status rules need exactly one rule per state (missing {missing}, "
                f"repeated {twice})",
                code="dvcqg.status.rules",
                where="rules",
            )

    @classmethod
    def default(cls) -> StatusRules:
        """National states as themselves; transfer and correction as 4; pause as 8."""
        rules = [
            StatusRule(source=s, target=code, reason="national state")
            for s in _S
            if (code := s.national_code) is not None
        ]
        rules += [
            StatusRule(
                source=_S.TRANSFERRED,
                target=4,
                reason="liên thông: still being processed, at another agency",
            ),
            StatusRule(
                source=_S.PAUSED,
                target=8,
                reason="tạm dừng: provincial reports count 8 as paused (dung_xu_ly)",
            ),
            StatusRule(
                source=_S.CORRECTING,
                target=4,
                reason="đính chính: the result is being processed again",
            ),
        ]
        return cls(rules=rules)

    @classmethod
    def rewrite_to_resolved(cls) -> StatusRules:
        """The rewrite one provincial system applies before pushing: supplement requested (5),
        awaiting payment (6) and stopped (8) and paused are reported as 9, with a closing step."""
        rewritten = {_S.SUPPLEMENT_REQUESTED, _S.AWAITING_PAYMENT, _S.STOPPED, _S.PAUSED}
        base = cls.default()
        return cls(
            rules=[
                StatusRule(source=r.source, target=9, reason="rewritten to 9 before pushing")
                if r.source in rewritten
                else r
                for r in base.rules
            ],
            closing_step=True,
        )

    def rule(self, status: DossierStatus) -> StatusRule:
        """The rule for ``status``."""
        return next(r for r in self.rules if r.source is status)

    def code(self, status: DossierStatus) -> int:
        """The national code ``status`` is reported as."""
        return self.rule(status).target

    def with_rule(self, source: DossierStatus, target: int, reason: str) -> StatusRules:
        """These rules with the one for ``source`` replaced."""
        return attrs.evolve(
            self,
            rules=[
                StatusRule(source=source, target=target, reason=reason) if r.source is source else r
                for r in self.rules
            ],
        )

    @staticmethod
    def status_for(code: int) -> DossierStatus:
        """The state a national code reads back as (always the national state itself)."""
        return DossierStatus.from_national_code(code)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: ``{"rules": {state: {"target", "reason"}}, "closing_step"}``."""
        return {
            "rules": {r.source.value: {"target": r.target, "reason": r.reason} for r in self.rules},
            "closing_step": self.closing_step,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatusRules:
        """Read :meth:`to_dict`'s form; states not listed keep their default rule."""
        rules = cls.default()
        given = data.get("rules", {})
        if not isinstance(given, Mapping):
            raise ParseError("rules must be an object", code="dvcqg.status.json", where="rules")
        for name, spec in given.items():
            where = f"rules.{name}"
            try:
                status = DossierStatus(name)
            except ValueError as exc:
                raise ParseError(
                    f"{name!r} is not a dossier state", code="dvcqg.status.state", where=where
                ) from exc
            if not isinstance(spec, Mapping) or not isinstance(spec.get("reason"), str):
                raise ParseError(
                    f"{where} needs a target and a reason", code="dvcqg.status.json", where=where
                )
            rules = rules.with_rule(status, spec.get("target"), spec["reason"])  # type: ignore[arg-type]
        closing = data.get("closing_step", False)
        if not isinstance(closing, bool):
            raise ParseError(
                "closing_step must be true or false", code="dvcqg.status.json", where="closing_step"
            )
        return attrs.evolve(rules, closing_step=closing)


__all__ = ["StatusRule", "StatusRules"]
