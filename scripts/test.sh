#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything, runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh -DATELIER_BUILD_TESTS=ON
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
