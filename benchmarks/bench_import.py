"""``import egovkit`` time, against importing a typical peer library (httpx) and a bare start;
and ``egovkit --version`` / ``egovkit --help`` with every adapter installed, against
``pip --version`` (a command-line tool everyone has).

Each figure is the best of several fresh interpreters, minus the bare interpreter start-up, so
it is the import alone. Aims: under 150 ms for egovkit, under 100 ms for egovkit.edxml.
"""

from __future__ import annotations

import subprocess
import sys
import time

from _harness import Comparison

_CLI = "from egovkit.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"

_PIP = "import sys\nfrom pip._internal.cli.main import main\nsys.argv = ['pip', '-V']\nmain()"


def _start(code: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def run(quick: bool) -> list[Comparison]:
    rounds = 3 if quick else 15
    bare = _start("pass", rounds)
    ours = _start("import egovkit", rounds) - bare
    domain = _start("import egovkit.documents, egovkit.agencies", rounds) - bare
    edxml = _start("import egovkit.edxml", rounds) - bare
    peer = _start("import httpx", rounds) - bare
    version = _start(_CLI.format(argv=["--version"]), rounds)
    listing = _start(_CLI.format(argv=["--help"]), rounds)
    pip = _start(_PIP, rounds)
    return [
        Comparison(
            "egovkit --version",
            version,
            "pip --version",
            pip,
            target="< 150 ms",
            met=version < 0.150,
            notes="whole process, every adapter installed",
        ),
        Comparison(
            "egovkit --help",
            listing,
            "pip --version",
            pip,
            target="< 150 ms",
            met=listing < 0.150,
            notes="whole process; adapters listed, not imported",
        ),
        Comparison(
            "import egovkit", ours, "import httpx", peer, target="< 150 ms", met=ours < 0.150
        ),
        Comparison(
            "import egovkit.documents + agencies",
            domain,
            "import httpx",
            peer,
            target="< 150 ms",
            met=domain < 0.150,
            notes="what a document-handling worker pays",
        ),
        Comparison(
            "import egovkit.edxml",
            edxml,
            "import httpx",
            peer,
            target="< 100 ms",
            met=edxml < 0.100,
            notes="read and write edXML; the mapping to documents loads on first use",
        ),
    ]
