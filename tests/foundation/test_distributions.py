"""What the core's sdist and wheel hold, built here offline with hatchling; the sdist installed
and a part of its own tests run from it (the rest of the suite runs from the checkout).

Also what the adapters promise the core: a bounded ``egovkit`` requirement, and no import of a
private core module (a name starting with ``_``), since only the public API is kept stable.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest

import egovkit
from egovkit.testing.tools import require

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "egovkit"
NAME = f"egovkit-{egovkit.__version__}"


def _repository_files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("needs the project's source tree")
    require(find_spec("hatchling"), "hatchling", install="the dev extra: pip install hatchling")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return sdist, wheel


def _sdist_names(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {n.removeprefix(f"{NAME}/") for n in archive.getnames() if n != NAME}


def test_the_sdist_holds_the_core_and_its_tests_only(built: tuple[Path, Path]) -> None:
    names = _sdist_names(built[0])
    for needed in ("pyproject.toml", "conftest.py", "README.md", "LICENSE", "CHANGELOG.md"):
        assert needed in names
    assert {f"src/egovkit/{n}" for n in _repository_files(PACKAGE)} <= names
    assert {f"tests/{n}" for n in _repository_files(ROOT / "tests")} <= names
    assert not [n for n in names if n.startswith("adapters/") or "/tests/" in n]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_every_shipped_example_runs_without_an_adapter(built: tuple[Path, Path]) -> None:
    examples = [n for n in _sdist_names(built[0]) if n.startswith("examples/")]
    assert examples
    for name in examples:
        source = (ROOT / name).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) egovkit_", source, re.M), name


def test_the_wheel_holds_the_package_and_its_data(built: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(built[1]) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"egovkit-{egovkit.__version__}.dist-info/entry_points.txt")
        metadata = archive.read(f"egovkit-{egovkit.__version__}.dist-info/METADATA").decode()
    package = {n.removeprefix("egovkit/") for n in names if n.startswith("egovkit/")}
    assert package == _repository_files(PACKAGE)  # every module and data file, nothing else
    assert "py.typed" in package
    assert b"egovkit = egovkit.cli:main" in entry_points
    assert "example.invalid" not in metadata  # real project URLs or none
    claimed = re.findall(r"Programming Language :: Python :: 3\.(\d+)", metadata)
    assert claimed  # only versions check.sh runs on; scripts/check-pythons.sh tries others
    assert all(int(minor) >= 11 for minor in claimed)


def test_the_installed_sdist_passes_its_own_tests(built: tuple[Path, Path], tmp_path: Path) -> None:
    """The sdist, built into a wheel by pip and installed into a folder of its own, runs its
    foundation tests with its own ``conftest.py``, importing the installed copy."""
    sdist = built[0]
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--target", str(site), str(sdist)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    unpacked = tmp_path / NAME
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import egovkit; print(egovkit.__file__)"],
        cwd=unpacked, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(site))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/foundation",
         "--ignore=tests/foundation/test_distributions.py"],
        cwd=unpacked, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _adapters() -> Iterator[Path]:
    yield from sorted((ROOT / "adapters").glob("*/pyproject.toml"))


@pytest.mark.skipif(not (ROOT / "adapters").is_dir(), reason="adapters ship on their own")
@pytest.mark.parametrize("pyproject", list(_adapters()), ids=lambda p: p.parent.name)
def test_adapters_pin_the_core_and_use_its_public_api(pyproject: Path) -> None:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    [core] = [Requirement(r) for r in project["dependencies"] if r.startswith("egovkit")]
    assert core.name == "egovkit"
    assert any(s.operator in ("<", "~=") for s in core.specifier), core  # a compatible range
    assert core.specifier.contains(egovkit.__version__, prereleases=True)
    private = []
    for source in (pyproject.parent / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "egovkit" and any(_private(p) for p in parts[1:]):
                    private.append(f"{source.name}: {module}")
    assert private == []
