"""Old agency codes and the codes that replaced them (mergers, renamings, the 2025 reform).

After units merge, documents and registers still carry the old codes; exchange axes publish
the mapping (the national axis' agency list has an ``oldCode`` per agency). :class:`CodeRenames`
holds it as data and answers "what is this code called now?", following chains
(A → B → C) and refusing cycles and a code renamed to two different ones.

>>> from egovkit.agencies import AgencyCode, CodeRenames
>>> renames = CodeRenames.from_pairs([("000.00.15.H40", "000.00.15.H42")])
>>> str(renames.current(AgencyCode.parse("000.00.15.H40")))
'000.00.15.H42'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ValidationError
from egovkit.findings import Finding


@attrs.frozen(kw_only=True)
class CodeRename:
    """``old`` is now ``new``; ``source`` says who said so (a list, a decision)."""

    old: AgencyCode
    new: AgencyCode
    source: str = ""


class CodeRenames:
    """A consistent old → new code mapping."""

    def __init__(self, renames: Iterable[CodeRename] = ()) -> None:
        mapping: dict[AgencyCode, CodeRename] = {}
        findings: list[Finding] = []
        for rename in renames:
            if rename.old == rename.new:
                continue
            known = mapping.get(rename.old)
            if known is not None and known.new != rename.new:
                findings.append(
                    Finding(
                        code="agency_renames.conflict",
                        where=str(rename.old),
                        message=f"{rename.old} is renamed to both {known.new} and {rename.new}",
                    )
                )
                continue
            mapping[rename.old] = rename
        self._map = mapping
        findings += [
            Finding(
                code="agency_renames.cycle",
                where=str(code),
                message=f"the renames of {code} lead back to it",
            )
            for code in mapping
            if self._chain_loops(code)
        ]
        if findings:
            raise ValidationError.from_findings("agency code renames", findings)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], *, source: str = "") -> CodeRenames:
        """From ``(old, new)`` code texts; old codes may be legacy shapes (``28.22.H17``)."""
        return cls(
            CodeRename(
                old=AgencyCode.parse(old, strict=False),
                new=AgencyCode.parse(new, strict=False),
                source=source,
            )
            for old, new in pairs
        )

    def _chain_loops(self, start: AgencyCode) -> bool:
        seen = {start}
        node = self._map[start].new
        while node in self._map:
            if node in seen:
                return True
            seen.add(node)
            node = self._map[node].new
        return False

    def current(self, code: AgencyCode) -> AgencyCode:
        """The code ``code`` is known by now (itself when it was never renamed)."""
        while code in self._map:
            code = self._map[code].new
        return code

    def former(self, code: AgencyCode) -> tuple[AgencyCode, ...]:
        """Every code that now resolves to ``code`` (besides itself), in code order."""
        return tuple(sorted((old for old in self._map if self.current(old) == code), key=str))

    def __iter__(self) -> Iterator[CodeRename]:
        return iter(self._map.values())

    def __len__(self) -> int:
        return len(self._map)

    def __contains__(self, code: object) -> bool:
        return code in self._map

    def __repr__(self) -> str:
        return f"<CodeRenames of {len(self)} codes>"


__all__ = ["CodeRename", "CodeRenames"]
