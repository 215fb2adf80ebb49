"""The rule sets egovkit ships, and choosing the version in force on a date.

``dti-2022`` names one exact version; ``dti`` names the index, and :meth:`RuleSetCatalogue.get`
picks the version in force on the assessment date (Decision 922 until 3 April 2025, Decision 405
after). A province adds its own files with :meth:`RuleSetCatalogue.with_files`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from importlib import resources

from egovkit.assessment.model import RuleSet
from egovkit.assessment.rulefile import loads_ruleset, read_ruleset
from egovkit.errors import ConflictError, NotFoundError

#: The file names (without ``.json``) of the built-in rule sets, in the package's ``data/``.
BUILTIN_FILES = ("dti-2022", "dti-2025", "ict-index", "qd766", "it-application", "egdi")


class RuleSetCatalogue:
    """A set of rule-set versions, looked up by exact name or by id and date."""

    def __init__(self, rulesets: Iterable[RuleSet]) -> None:
        self._by_name: dict[str, RuleSet] = {}
        for ruleset in rulesets:
            if ruleset.name in self._by_name:
                raise ConflictError(
                    f"rule set {ruleset.name} given twice",
                    code="assessment.catalogue.duplicate",
                    where=ruleset.name,
                )
            self._by_name[ruleset.name] = ruleset

    @classmethod
    def builtin(cls) -> RuleSetCatalogue:
        """The rule sets that ship with egovkit."""
        return cls(builtin_rulesets())

    def with_files(self, *paths: str | os.PathLike[str]) -> RuleSetCatalogue:
        """A new catalogue with these rule-set files added."""
        return RuleSetCatalogue([*self, *(read_ruleset(p) for p in paths)])

    def __iter__(self) -> Iterator[RuleSet]:
        return iter(sorted(self._by_name.values(), key=lambda r: (r.id, r.effective_from)))

    def names(self) -> tuple[str, ...]:
        """Every exact name (``id-version``), sorted."""
        return tuple(sorted(self._by_name))

    def versions(self, ruleset_id: str) -> tuple[RuleSet, ...]:
        """Every version of ``ruleset_id``, oldest first."""
        return tuple(r for r in self if r.id == ruleset_id)

    def get(self, name: str, *, at: date | None = None) -> RuleSet:
        """The version called ``name`` (``"dti-2022"``), or the version of index ``name``
        (``"dti"``) in force on ``at`` (today when ``None``).

        >>> from datetime import date
        >>> from egovkit.assessment import RuleSetCatalogue
        >>> RuleSetCatalogue.builtin().get("dti", at=date(2023, 6, 1)).name
        'dti-2022'
        >>> RuleSetCatalogue.builtin().get("dti", at=date(2025, 4, 3)).name
        'dti-2025'
        """
        exact = self._by_name.get(name)
        if exact is not None:
            return exact
        versions = self.versions(name)
        if not versions:
            raise NotFoundError(
                f"no rule set {name!r}; known: {', '.join(self.names())}",
                code="assessment.ruleset.unknown",
                where=name,
            )
        on = at or date.today()
        for ruleset in reversed(versions):
            if ruleset.is_in_force(on):
                return ruleset
        spans = ", ".join(f"{r.name} ({r.effective_from}–{r.effective_to or ''})" for r in versions)
        raise NotFoundError(
            f"no version of {name!r} is in force on {on}: {spans}",
            code="assessment.ruleset.not_in_force",
            where=name,
        )


@cache
def builtin_rulesets() -> tuple[RuleSet, ...]:
    """Every built-in rule set, read and checked once."""
    folder = resources.files("egovkit.assessment") / "data"
    return tuple(
        loads_ruleset((folder / f"{name}.json").read_text(encoding="utf-8"))
        for name in BUILTIN_FILES
    )


__all__ = ["BUILTIN_FILES", "RuleSetCatalogue", "builtin_rulesets"]
