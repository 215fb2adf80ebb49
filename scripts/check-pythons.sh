#!/usr/bin/env bash
# Run the core's test-suite on other CPythons (python3.12, python3.13 … on PATH or in pyenv),
# each in a venv of its own (./.venv-3.X), to see whether a version may be claimed in the
# classifiers. Usage: bash scripts/check-pythons.sh [3.12 3.13 …] [-- pytest arguments]
# No registry here serves CPython builds: an interpreter that is not installed is reported and
# skipped (exit 0); one whose tests fail makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do versions+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ "${#versions[@]}" -gt 0 ] || versions=(3.12 3.13)
pytest_args=("$@")
[ "${#pytest_args[@]}" -gt 0 ] || pytest_args=(tests)
failed=0
for version in "${versions[@]}"; do
  python=""
  for candidate in "$(command -v "python$version" || true)" \
      $(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/"$version"*/bin/python"$version" 2>/dev/null | sort -V | tail -1); do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys' 2>/dev/null; then python="$candidate"; break; fi
  done
  if [ -z "$python" ]; then
    echo "check-pythons: python$version is not installed here: skipped"
    continue
  fi
  venv=".venv-$version"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip 2> >(grep -v "neither a file nor" >&2) >/dev/null
  "$venv/bin/python" -m pip install -q ".[dev]" 2> >(grep -v "neither a file nor" >&2)
  echo "== python$version: $("$venv/bin/python" --version)"
  # The installed copy is tested (not src/: pytest's importlib mode adds no folder to sys.path).
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "${pytest_args[@]}" || failed=1
done
exit "$failed"
