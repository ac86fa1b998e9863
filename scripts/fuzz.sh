#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan into build-fuzz and
# runs each for SECONDS (default 60), one after the other, single process, at low priority.
# Prints executions and findings per target; exits 1 if any target found something (the
# inputs are kept in build-fuzz/findings/). Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_idx fuzz_image_input fuzz_preset fuzz_run_files fuzz_sweep)
fi
build=build-fuzz

# clang and its libFuzzer runtime, only when missing (as scripts/install-deps.sh does).
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
  echo "fuzz: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Builds share the machine: one at a time, through the same lock as the main build.
lock=/tmp/atelier-build.lock
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ flock "$lock" cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DATELIER_FUZZ=ON -DATELIER_BUILD_TESTS=OFF -DATELIER_BUILD_GUI=OFF >/dev/null
fi
flock "$lock" cmake --build "$build" -j2 --target "${targets[@]}"

failed=0
mkdir -p "$build/findings"
for target in "${targets[@]}"; do
  # libFuzzer adds what it learns to the first corpus folder: a copy, not the seeds.
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  log="$build/findings/$target.log"
  # -fork=1: one fuzzing process at a time, restarted after a finding, so that a run lasts
  # its SECONDS and reports every finding instead of stopping at the first.
  set +e
  nice -n 10 "$build/tests/fuzz/$target" "$corpus" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$build/findings/$target-" >"$log" 2>&1
  status=$?
  set -e
  # The last progress line: "#RUNS: cov: ... oom/timeout/crash: O/T/C time: Ss ...".
  last=$(grep -E '^#[0-9]+: ' "$log" | tail -1)
  runs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  counts=$(sed -nE 's#.*oom/timeout/crash: ([0-9]+)/([0-9]+)/([0-9]+).*#\1 \2 \3#p' <<<"$last")
  read -r ooms timeouts crashes <<<"${counts:-0 0 0}"
  elapsed=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
  findings=$((ooms + timeouts + crashes))
  echo "$target: ${elapsed:-?}s, ${runs:-?} executions, $findings findings" \
    "($crashes crashes, $timeouts timeouts, $ooms out of memory; log $log)"
  if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
    failed=1
    grep -m 5 -E "ERROR|runtime error|SUMMARY|round trip" "$log" | sed 's/^/  /' || true
    ls "$build/findings" | grep -E "^$target-(crash|timeout|oom|leak)-" | sed "s#^#  $build/findings/#" || true
  fi
done
exit "$failed"
