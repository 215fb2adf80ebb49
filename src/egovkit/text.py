"""Text at the boundary: Unicode NFC, and a folding key for forgiving look-ups.

Vietnamese text arrives composed (NFC) or decomposed (NFD) depending on the keyboard and the
system; two spellings of the same name must compare equal, so every value object normalises its
text to NFC when it is built.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (how Vietnamese is stored and compared here)."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, with outer white space removed and inner runs folded to one space (for short fields)."""
    return " ".join(nfc(text).split())


def fold(text: str) -> str:
    """A look-up key that ignores case, diacritics and spacing: ``"Quyết định"`` → ``"quyet dinh"``.

    Use only to *find* things typed without diacritics, never to store or compare values.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
