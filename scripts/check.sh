#!/usr/bin/env bash
# The test command: install everything, then run every check the project has. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
export PATH="$PWD/.venv/bin:$PATH"
step() { printf '\n== %s\n' "$*"; }

step "ruff"
ruff check .
ruff format --check .

step "mypy --strict"
mypy conftest.py src tests examples benchmarks
for adapter in adapters/*/; do
  [ -f "$adapter/pyproject.toml" ] && mypy "$adapter/src" "$adapter/tests"
done

step "pytest: core, doctests in the library, and every adapter"
pytest -q -p no:cacheprovider tests $(ls -d adapters/*/tests 2>/dev/null) \
  --doctest-modules src/egovkit --ignore=src/egovkit/testing/pytest_plugin.py

step "sphinx: html with -W -n, and the doctests in the docs"
rm -rf docs/_build
sphinx-build -q -W -n --keep-going -b html docs docs/_build/html
sphinx-build -q -W -n --keep-going -b doctest docs docs/_build/doctest

step "examples"
for example in examples/*.py; do
  echo "-- $example"
  python "$example" >/dev/null
done

step "benchmarks (quick run: proves they work; figures come from a full run)"
python benchmarks/run.py --quick

echo
echo "check: all passed"
