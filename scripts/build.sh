#!/usr/bin/env bash
# Configures and builds Atelier into ./build (Ninja, RelWithDebInfo). Extra arguments go to
# CMake, e.g. -DATELIER_BUILD_TESTS=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
# Two jobs per core at most: LibTorch translation units need ~1.5 GB each.
jobs=$(nproc)
cmake -S . -B build -G Ninja "$@" >/dev/null
cmake --build build -j "$jobs"
