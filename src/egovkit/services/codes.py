"""Procedure codes (mã thủ tục hành chính) in the shapes of the national TTHC database.

Three shapes are seen: the full code ``1.003560.000.00.00.H56`` (stem and the 13-character code of
the publishing body), the short local code ``2.002621.H56`` (stem and a level-1 code) and the bare
8-character stem ``2.000477`` that mapping tables use. What the segments mean is not published, so
only the stem is interpreted: two codes with the same stem name the same national procedure.
"""

from __future__ import annotations

import enum
import re
from typing import Final

import attrs

from egovkit.errors import ParseError

_STEM: Final = r"[0-9]\.[0-9]{6}"
_FULL = re.compile(rf"({_STEM})\.([0-9]{{3}}\.[0-9]{{2}}\.[0-9]{{2}}\.[A-Z][0-9]{{2}})")
_SHORT = re.compile(rf"({_STEM})\.([A-Z][0-9]{{2}})")
_BARE = re.compile(_STEM)


class CodeShape(enum.Enum):
    """Which of the three shapes a procedure code has."""

    FULL = "full"  # 1.003560.000.00.00.H56
    SHORT = "short"  # 2.002621.H56
    STEM = "stem"  # 2.000477


@attrs.frozen(kw_only=True, order=True)
class ProcedureCode:
    """A procedure code; ``str()`` gives the text back unchanged.

    >>> from egovkit.services import ProcedureCode
    >>> code = ProcedureCode.parse("1.003560.000.00.00.H56")
    >>> code.stem, code.suffix, code.shape.value
    ('1.003560', '000.00.00.H56', 'full')
    >>> code.same_procedure(ProcedureCode.parse("1.003560"))
    True
    """

    stem: str
    suffix: str = ""

    def __attrs_post_init__(self) -> None:
        text = str(self)
        if not any(p.fullmatch(text) for p in (_FULL, _SHORT, _BARE)):
            raise ParseError(
                f"{text!r} is not a procedure code (mã TTHC) like 1.003560.000.00.00.H56, "
                "2.002621.H56 or 2.000477",
                code="services.procedure_code.syntax",
                where="code",
            )

    @classmethod
    def parse(cls, text: str) -> ProcedureCode:
        """Read any of the three shapes; anything else raises :class:`~egovkit.errors.ParseError`
        (code ``services.procedure_code.syntax``)."""
        raw: object = text
        if not isinstance(raw, str):
            raise ParseError(
                f"a procedure code is text, not {type(raw).__name__}",
                code="services.procedure_code.syntax",
                where="code",
            )
        for pattern in (_FULL, _SHORT):
            match = pattern.fullmatch(raw)
            if match is not None:
                return cls(stem=match.group(1), suffix=match.group(2))
        return cls(stem=raw)

    @property
    def shape(self) -> CodeShape:
        """The shape the code was written in."""
        if not self.suffix:
            return CodeShape.STEM
        return CodeShape.FULL if "." in self.suffix else CodeShape.SHORT

    def same_procedure(self, other: ProcedureCode) -> bool:
        """Whether both codes share their stem (the national procedure they name)."""
        return self.stem == other.stem

    def __str__(self) -> str:
        return f"{self.stem}.{self.suffix}" if self.suffix else self.stem


__all__ = ["CodeShape", "ProcedureCode"]
