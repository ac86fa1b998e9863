#!/usr/bin/env bash
# Compares the optimized BLAS (OpenBLAS, installed by scripts/install-deps.sh) with Debian's
# reference netlib BLAS, in one invocation: a 2048² matmul and an mlp_medium training loop.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh -DATELIER_BUILD_BENCH=ON >/dev/null
netlib=/usr/lib/x86_64-linux-gnu/blas
echo "== BLAS in use: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
optimized=$(./build/bench/bench_blas presets/mlp_medium.yaml)
echo "$optimized"
if [ -e "$netlib/libblas.so.3" ]; then
  echo "== reference netlib BLAS ($netlib)"
  reference=$(LD_LIBRARY_PATH=$netlib ./build/bench/bench_blas presets/mlp_medium.yaml)
  echo "$reference"
  paste <(echo "$optimized") <(echo "$reference") | awk '$1 != "threads" {printf "ratio %s %.1fx\n", $1, $2 / $4}'
fi
