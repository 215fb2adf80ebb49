#!/usr/bin/env bash
# Install egovkit into ./.venv and run the main job: the demo, on the embedded default store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh core
# The portal chapter exports through the national-portal adapter, found by entry point.
.venv/bin/python -m pip install -q ./adapters/dvcqg 2> >(grep -v "is neither a file nor a directory" >&2)
.venv/bin/egovkit demo -o "${1:-demo-output}"
