#!/usr/bin/env bash
# Install what egovkit needs into ./.venv: "core" (just the library and its CLI) or "dev"
# (Debian packages from system-packages.txt, the library with every adapter and all dev tools).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-core}"
python="${PYTHON:-python3}"

if [ "$profile" = dev ]; then
  mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/system-packages.txt)
  missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# pip warns about every configured index folder that does not exist on this machine: noise.
quiet_pip() { .venv/bin/python -m pip "$@" 2> >(grep -v "is neither a file nor a directory" >&2); }

[ -x .venv/bin/python ] || "$python" -m venv .venv
quiet_pip install -q --upgrade pip >/dev/null
if [ "$profile" = dev ]; then
  args=(-e ".[dev]")
  for adapter in adapters/*/; do
    [ -f "$adapter/pyproject.toml" ] && args+=(-e "$adapter[test]")
  done
  quiet_pip install -q "${args[@]}"
else
  quiet_pip install -q .
fi
echo "bootstrap: .venv ready ($profile)"
