#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and opens the Atelier studio.
# Arguments go to the studio (a preset to open: ./scripts/run.sh presets/mlp_medium.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh -DATELIER_BUILD_TESTS=OFF -DATELIER_BUILD_GUI=ON
exec ./build/app/atelier "$@"
