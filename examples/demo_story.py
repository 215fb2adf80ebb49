"""Play egovkit's whole demo story (the quick year) into a folder and print what each chapter
did. The same as ``egovkit demo --out DIR --quick``, from Python.

Run: python examples/demo_story.py [DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from egovkit.demo import run_demo


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="egovkit-demo-"))
    result = run_demo(out, quick=True, progress=lambda message: print(f"  {message}"))
    for chapter in result.chapters:
        state = f"skipped: {chapter.skipped}" if chapter.skipped else chapter.summary
        print(f"{chapter.title}: {state}")
    print(f"open {result.index}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
