#!/usr/bin/env bash
# The GPU check, run on a device machine from the repository root after scripts/gpu/bundle.sh
# prepared .device/ here (name .device in the run's carry): builds core + atelier-cli against
# the LibTorch inside the machine's PyTorch, trains presets on cuda while sampling GPU
# utilisation, checks that a cuda run resumes, and times a CPU epoch on the same machine.
# Everything lands in $OUT (log.txt, summary.txt, util.csv, metrics-*.json).
#
# Rehearse it on a CPU machine with:
#   DEVICE=cpu LIMIT=1200 EPOCHS=1 TORCH_CMAKE_PREFIX= scripts/gpu/check.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=${OUT:-/tmp/atelier-gpu-check}
mkdir -p "$out"
exec > >(tee "$out/log.txt") 2>&1

device=${DEVICE:-cuda}
build=${BUILD_DIR:-build-gpu}
runs=${RUNS_DIR:-/tmp/atelier-gpu-runs}
jobs=$(nproc)
python=${PYTHON:-python3}
subset=()
[[ -n ${LIMIT:-} ]] && subset=(--limit "$LIMIT")
epochs_cap=${EPOCHS:-}

section() { printf '\n=== %s (%s s)\n' "$1" "$SECONDS"; }

section "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 || true
nproc
if [[ -z ${TORCH_CMAKE_PREFIX+set} ]]; then
    TORCH_CMAKE_PREFIX=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
fi
"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda,
    "cxx11 abi", torch.compiled_with_cxx11_abi(), "cudnn", torch.backends.cudnn.version())' 2>&1 || true
command -v nvcc && nvcc --version | tail -1
c++ --version | head -1

section "build"
prefix=$root/.device/prefix
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DATELIER_BUILD_GUI=OFF -DATELIER_BUILD_TESTS=OFF \
    "-DCMAKE_PREFIX_PATH=$TORCH_CMAKE_PREFIX;$prefix" \
    "-DZLIB_INCLUDE_DIR=$prefix/include" "-DZLIB_LIBRARY=$prefix/lib/libz.a" || exit 1
cmake --build "$build" -j"$jobs" --target atelier-cli || exit 1
cli=$root/$build/app/atelier-cli
export ATELIER_DATA=$root/.device/data
rm -rf "$runs"
mkdir -p "$runs"

sampler=
start_sampling() {
    if command -v nvidia-smi >/dev/null; then
        nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -lms 200 \
            >"$runs/util-$1.csv" 2>/dev/null &
        sampler=$!
    fi
}
stop_sampling() {
    [[ -n $sampler ]] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null
    sampler=
    [[ -f $runs/util-$1.csv ]] && sed "s/^/$1,/" "$runs/util-$1.csv" >>"$out/util.csv"
}

# train CAP NAME PRESET [ARGS...]: one run into $runs/NAME, its metrics copied to $out. A run
# still going after CAP seconds gets SIGTERM, which stops it after the batch and still writes
# its results: a slow path costs a known time, not the whole lease.
train() {
    local cap=$1 name=$2 preset=$3
    shift 3
    local args=("$@")
    [[ -n $epochs_cap ]] && args+=(--epochs "$epochs_cap")
    section "train $name"
    start_sampling "$name"
    timeout -s TERM "$cap" "$cli" train "presets/$preset.yaml" --out "$runs/$name" "${subset[@]}" "${args[@]}"
    local status=$?
    stop_sampling "$name"
    local folder
    folder=$(ls -d "$runs/$name"/*/ 2>/dev/null | head -1)
    [[ -n $folder ]] && cp "$folder/metrics.json" "$out/metrics-$name.json" 2>/dev/null
    echo "exit $status"
}

# ONLY=sweep skips the single runs (a second, shorter call once they were measured).
if [[ ${ONLY:-all} == all ]]; then
train 100 cnn_medium cnn_medium --device "$device"
train 60 cnn_medium_bf16 cnn_medium --device "$device" --precision bf16 -q
train 150 cnn_best cnn_best --device "$device"
train 120 cnn_speedrun cnn_speedrun --device "$device"
train 45 mlp_medium mlp_medium --device "$device" -q

section "resume on $device"
timeout -s TERM 60 "$cli" train presets/cnn_small.yaml --device "$device" --out "$runs/resume" --epochs 2 -q "${subset[@]}"
resume_folder=$(ls -d "$runs/resume"/*/ | head -1)
timeout -s TERM 60 "$cli" train --resume "$resume_folder" --epochs 3 -q
echo "resume exit $?"
head -5 "$resume_folder/history.csv"

section "same machine, cpu, one epoch"
epochs_cap=1 train 60 cnn_medium_cpu cnn_medium --device cpu -q
fi

section "sweep on $device"
sweep_dir=$runs/sweep-quick
"$cli" sweep plan sweeps/quick.yaml --show 4 "${subset[@]}"
timeout -s TERM 240 "$cli" sweep run sweeps/quick.yaml --out "$sweep_dir" --device "$device" \
    --jobs 2 "${subset[@]}"
echo "sweep exit $?"
"$cli" sweep report "$sweep_dir" --top 4
"$cli" sweep status "$sweep_dir"
grep -h "^Training" "$sweep_dir"/logs/trial-*.log # which device each trial trained on
cp "$sweep_dir/trials.csv" "$out/sweep-trials.csv" 2>/dev/null

section "summary"
"$python" - "$out" "$runs" <<'PY' | tee "$out/summary.txt"
import csv, glob, json, os, statistics, sys
out, runs = sys.argv[1], sys.argv[2]
for path in sorted(glob.glob(os.path.join(out, "metrics-*.json"))):
    name = os.path.basename(path)[len("metrics-"):-len(".json")]
    m = json.load(open(path))
    folder = glob.glob(os.path.join(runs, name, "*", "history.csv"))
    epochs = [float(r["seconds"]) for r in csv.DictReader(open(folder[0]))] if folder else []
    util_path = os.path.join(runs, f"util-{name}.csv")
    util = [float(l.split(",")[0]) for l in open(util_path) if l.strip()] if os.path.exists(util_path) else []
    busy = [u for u in util if u > 0]
    print(f"{name}: {m.get('device_name')} ({m.get('device')}), torch {m.get('torch_version')}, "
          f"{m.get('epochs_run')} epochs, {m.get('samples_per_second', 0):,.0f} samples/s, "
          f"epoch {statistics.median(epochs) if epochs else 0:.2f} s median "
          f"(first {epochs[0] if epochs else 0:.2f} s), train {m.get('train_seconds', 0):.1f} s, "
          f"eval {m.get('eval_samples_per_second', 0):,.0f} samples/s, test_accuracy {m.get('test_accuracy')}"
          + (f", GPU util mean {statistics.mean(util):.0f}% over {len(util)} samples, "
             f"median while busy {statistics.median(busy) if busy else 0:.0f}%" if util else ""))
PY
