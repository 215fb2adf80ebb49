"""Agency electronic identifiers (mã định danh điện tử, Decision 20/2020/QĐ-TTg).

The canonical shape is 13 characters in four dot-separated groups, written right to left by level:
``LLL.KK.JJ.Xnn`` where ``Xnn`` is the level-1 code (``G..`` central bodies, ``H..`` provinces) and
the groups to its left are levels 2, 3 and 4; zeros mean "the unit itself".
"""

from __future__ import annotations

import re
from typing import Final

import attrs

from egovkit.errors import ParseError, ValidationError
from egovkit.findings import Finding, Severity
from egovkit.text import nfc

# One template character per position: D digit, L upper-case letter, "." itself.
_CANONICAL: Final = "DDD.DD.DD.LDD"
# The three-group shape seen in real messages ("28.22.H17"): level 4 missing.
_LEGACY: Final = "DD.DD.LDD"
_LEVEL1 = re.compile(r"[A-Z][0-9]{2}")


def _first_mismatch(text: str, template: str) -> int | None:
    """0-based index where ``text`` leaves ``template``, or None if it matches it exactly."""
    for i, (char, slot) in enumerate(zip(text, template, strict=False)):
        ok = (
            (slot == "D" and char.isascii() and char.isdigit())
            or (slot == "L" and char.isascii() and char.isupper())
            or (slot == "." and char == ".")
        )
        if not ok:
            return i
    return None if len(text) == len(template) else min(len(text), len(template))


def _expected(template: str, index: int) -> str:
    slot = template[index] if index < len(template) else ""
    return {"D": "a digit", "L": "an upper-case letter", ".": "'.'", "": "the end"}[slot]


@attrs.frozen(kw_only=True)
class AgencyCode:
    """A 13-character agency identifier such as ``000.00.00.H41``.

    Build one with :meth:`parse`; ``str(code)`` gives the canonical text back. ``findings`` records
    what a lenient parse had to repair; it takes no part in equality.

    >>> code = AgencyCode.parse("000.00.01.H53")
    >>> code.level1, code.level, str(code.parent)
    ('H53', 2, '000.00.00.H53')
    """

    level1: str
    level2: str = "00"
    level3: str = "00"
    level4: str = "000"
    findings: tuple[Finding, ...] = attrs.field(default=(), eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        text = f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"
        bad = _first_mismatch(text, _CANONICAL)
        if bad is not None:
            raise ValidationError(
                f"agency code groups {text!r} do not form the 13-character shape "
                f"{_CANONICAL.replace('D', '9').replace('L', 'X')}",
                code="agency_code.shape",
                where="agency_code",
            )

    @classmethod
    def parse(cls, text: str, *, strict: bool = True) -> AgencyCode:
        """Read an identifier.

        With ``strict=True`` only the canonical 13-character shape is accepted. With
        ``strict=False`` surrounding spaces, lower case and the legacy three-group shape
        (``28.22.H17``) are repaired and each repair is recorded in ``findings``.
        Anything else raises :class:`~egovkit.errors.ParseError` naming the position.
        """
        if not isinstance(text, str):
            raise ParseError(
                f"agency code must be text, not {type(text).__name__}", code="agency_code.type"
            )
        findings: list[Finding] = []
        candidate = nfc(text)
        if not strict:
            stripped = candidate.strip()
            if stripped != candidate:
                findings.append(_finding("agency_code.whitespace", "surrounding spaces removed"))
            if stripped.upper() != stripped:
                findings.append(_finding("agency_code.case", "letters upper-cased"))
            candidate = stripped.upper()

        if _first_mismatch(candidate, _CANONICAL) is None:
            return cls._from_groups(candidate.split("."), tuple(findings))

        if not strict and _first_mismatch(candidate, _LEGACY) is None:
            findings.append(
                Finding(
                    code="agency_code.legacy_shape",
                    where="agency_code",
                    message=(
                        f"{text!r} has the legacy three-group shape; read as level 4 = 000 "
                        f"(it is written back in the 13-character shape)"
                    ),
                    severity=Severity.ERROR,
                )
            )
            return cls._from_groups(["000", *candidate.split(".")], tuple(findings))

        position = _first_mismatch(candidate, _CANONICAL)
        assert position is not None
        shown = repr(candidate[position]) if position < len(candidate) else "the end"
        if strict and _first_mismatch(candidate, _LEGACY) is None:
            raise ParseError(
                f"{text!r} has the legacy three-group shape 99.99.X99, not the 13-character "
                f"agency code (mã định danh); it is read only with strict=False",
                code="agency_code.legacy_shape",
                where="agency_code",
                position=position,
            )
        hint = "" if strict else " (nor the legacy shape 99.99.X99)"
        raise ParseError(
            f"{text!r} is not an agency code (mã định danh) of the shape 999.99.99.X99{hint}: "
            f"expected {_expected(_CANONICAL, position)} at position {position + 1}, found {shown}",
            code="agency_code.syntax",
            where="agency_code",
            position=position,
        )

    @classmethod
    def _from_groups(cls, groups: list[str], findings: tuple[Finding, ...]) -> AgencyCode:
        level4, level3, level2, level1 = groups
        assert _LEVEL1.fullmatch(level1)
        return cls(level1=level1, level2=level2, level3=level3, level4=level4, findings=findings)

    @classmethod
    def province(cls, level1: str) -> AgencyCode:
        """The level-1 unit itself, e.g. ``AgencyCode.province("H41")`` → ``000.00.00.H41``."""
        return cls(level1=level1)

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"

    @property
    def levels(self) -> tuple[str, str, str, str]:
        """The groups from level 1 to level 4: ``("H41", "00", "00", "000")``."""
        return (self.level1, self.level2, self.level3, self.level4)

    @property
    def level(self) -> int:
        """The deepest level that is not "the unit itself" (1 for ``000.00.00.H41``)."""
        deepest = 1
        for depth, group in enumerate(self.levels[1:], start=2):
            if group.strip("0"):
                deepest = depth
        return deepest

    @property
    def parent(self) -> AgencyCode | None:
        """The code one level up (the deepest non-zero group zeroed), or None at level 1."""
        depth = self.level
        if depth == 1:
            return None
        groups = list(self.levels)
        groups[depth - 1] = "0" * len(groups[depth - 1])
        return AgencyCode(level1=groups[0], level2=groups[1], level3=groups[2], level4=groups[3])

    @property
    def ancestors(self) -> tuple[AgencyCode, ...]:
        """Parents up to the level-1 unit, nearest first."""
        chain: list[AgencyCode] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return tuple(chain)

    def is_within(self, other: AgencyCode) -> bool:
        """True when ``other`` is this unit or one of its ancestors."""
        return self == other or other in self.ancestors

    @property
    def is_lenient(self) -> bool:
        """True when a lenient parse had to repair the text it came from."""
        return bool(self.findings)


def _finding(code: str, message: str) -> Finding:
    return Finding(code=code, where="agency_code", message=message, severity=Severity.WARNING)
