"""The RFC 5280 engine (pyhanko-certvalidator, asn1crypto) loads on first path validation only."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded(code: str) -> list[str]:
    probe = (
        f"{code}\nimport sys, json\n"
        "print(json.dumps(sorted(m for m in ('pyhanko_certvalidator', 'asn1crypto', 'pyhanko', "
        "'aiohttp', 'httpx') if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def test_import_signatures_loads_no_path_engine() -> None:
    assert _loaded("import egovkit, egovkit.signatures") == []


def test_the_engine_loads_when_a_path_is_validated() -> None:
    code = (
        "import datetime as dt\n"
        "from egovkit.signatures import validate_path\n"
        "from egovkit.testing.pki import FixturePKI\n"
        "pki = FixturePKI.create()\n"
        "r = validate_path(pki.agency.certificate, trust=pki.trust_store(),"
        " intermediates=[pki.intermediate.certificate], revocation=pki.revocation())\n"
        "assert r.passed, r.findings\n"
    )
    assert "pyhanko_certvalidator" in _loaded(code)
