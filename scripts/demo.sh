#!/usr/bin/env bash
# Install egovkit into ./.venv and run the main job: the demo, on the embedded default store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh core
.venv/bin/egovkit demo --out "${1:-demo-output}"
