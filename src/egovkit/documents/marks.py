"""Urgency (độ khẩn) and secrecy (độ mật) marks of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import enum
from typing import Self

from egovkit.errors import NotFoundError
from egovkit.text import fold


class Mark(enum.Enum):
    """An ordered mark with its Vietnamese ``label`` and its ``rank`` (higher is stronger)."""

    def __init__(self, label: str, rank: int) -> None:
        self.label = label
        self.rank = rank

    @classmethod
    def from_label(cls, text: str) -> Self:
        """Read a label in any case, with or without diacritics (``"hoa toc"`` → ``FLASH``)."""
        wanted = fold(text)
        for member in cls:
            if fold(member.label) == wanted or member.name.casefold() == wanted:
                return member
        raise NotFoundError(
            f"{text!r} is not one of {', '.join(m.label for m in cls)}",
            code=f"{cls.__name__.lower()}.label",
            where=cls.__name__.lower(),
        )

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Mark)
        return self.rank < other.rank


class Urgency(Mark):
    """Độ khẩn, from least to most urgent."""

    URGENT = ("Khẩn", 1)
    VERY_URGENT = ("Thượng khẩn", 2)
    FLASH = ("Hỏa tốc", 3)


class Secrecy(Mark):
    """Độ mật, from least to most secret. Secret documents are never exchanged electronically."""

    CONFIDENTIAL = ("Mật", 1)
    SECRET = ("Tối mật", 2)
    TOP_SECRET = ("Tuyệt mật", 3)
