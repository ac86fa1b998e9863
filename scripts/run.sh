#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts Atelier.
# Until the studio window lands this shows the dataset and the model summary of a preset
# through atelier-cli; arguments, if any, go to atelier-cli instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh -DATELIER_BUILD_TESTS=OFF
if [ $# -gt 0 ]; then
  exec ./build/app/atelier-cli "$@"
fi
./build/app/atelier-cli data
echo
./build/app/atelier-cli summary presets/cnn_medium.yaml
