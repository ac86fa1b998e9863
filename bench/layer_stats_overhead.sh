#!/usr/bin/env bash
# What layer statistics cost: mlp_medium and cnn_medium trained with them off and on, in the
# order off, on, on, off (so that a machine getting slower or faster during the run does not
# favour either), comparing training samples per second (the statistics are computed inside
# the timed loop) and the wall time of the whole command. Timings on shared machines vary by
# several percent: compare only within one invocation, never assert them.
# Usage: bench/layer_stats_overhead.sh [EPOCHS]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-2}
data=${ATELIER_DATA:-/usr/share/datasets/fashion-mnist}
cli=./build/app/atelier-cli
[ -x "$cli" ] || ./scripts/build.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # model flag -> "samples_per_second wall_seconds"
  local start end out
  start=$(date +%s.%N)
  out=$("$cli" train "presets/$1.yaml" "$2" --epochs "$epochs" --quiet --out "$work" --data "$data")
  end=$(date +%s.%N)
  local folder
  folder=$(awk '/^run:/ {print $2}' <<<"$out")
  /usr/bin/python3 -c "import json; m=json.load(open('$folder/metrics.json')); print(m['samples_per_second'], $end - $start)"
}

printf '%-11s %14s %14s %9s %10s %10s %9s\n' model off_samples/s on_samples/s overhead off_wall_s on_wall_s overhead
for model in mlp_medium cnn_medium; do
  read -r off1 offw1 <<<"$(run "$model" --no-layer-stats)"
  read -r on1 onw1 <<<"$(run "$model" --layer-stats)"
  read -r on2 onw2 <<<"$(run "$model" --layer-stats)"
  read -r off2 offw2 <<<"$(run "$model" --no-layer-stats)"
  awk -v m="$model" -v a="$off1" -v b="$off2" -v c="$on1" -v d="$on2" \
      -v aw="$offw1" -v bw="$offw2" -v cw="$onw1" -v dw="$onw2" 'BEGIN {
    off = (a + b) / 2; on = (c + d) / 2; offw = (aw + bw) / 2; onw = (cw + dw) / 2
    printf "%-11s %14.0f %14.0f %8.1f%% %10.2f %10.2f %8.1f%%\n", m, off, on, 100 * (off / on - 1), offw, onw, 100 * (onw / offw - 1)
  }'
done
echo
echo "samples/s: training throughput (mean of two runs of $epochs epochs each); overhead: how much"
echo "longer the same work takes with statistics on; wall_s: the whole command (data loading,"
echo "validation, final evaluation and the files included)."
