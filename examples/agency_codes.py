"""Check agency codes as they arrive from other systems, leniently, and report what was wrong."""

from __future__ import annotations

from egovkit.agencies import AgencyCode
from egovkit.errors import ParseError

RECEIVED = ["000.00.00.H41", "000.00.01.H53", " 000.00.00.g22", "28.22.H17", "H41"]


def main() -> None:
    for text in RECEIVED:
        try:
            code = AgencyCode.parse(text, strict=False)
        except ParseError as error:
            print(f"{text!r}: refused — {error.message}")
            continue
        notes = "; ".join(f.message for f in code.findings) or "canonical"
        parent = code.parent or "—"
        print(f"{text!r}: {code} (level {code.level}, parent {parent}) — {notes}")


if __name__ == "__main__":
    main()
