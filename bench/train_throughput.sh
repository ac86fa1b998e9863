#!/usr/bin/env bash
# Training and evaluation throughput of mlp_medium, cnn_medium, cnn_large and cnn_best (or the
# models named) at batch 32 and 128:
# Atelier (atelier-cli train) next to a plain PyTorch script of the same models on the same
# LibTorch backend (Debian's python3-torch), and the machine's ceiling, all in one run.
# Timings on shared machines vary by ±15%: compare only within one invocation.
# Usage: bench/train_throughput.sh [EPOCHS [MODEL...]]   (default 2 epochs, all four models)
# PRECISION=bf16 trains both in mixed precision (--precision bf16; autocast in the reference)
# and sets them against the bfloat16 convolution ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-2}
shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(mlp_medium cnn_medium cnn_large cnn_best)
data=${ATELIER_DATA:-/usr/share/datasets/fashion-mnist}
python=/usr/bin/python3 # Debian's torch is only visible to the system interpreter
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing python3-torch for the reference ..." >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq python3-torch >/dev/null; else sudo apt-get install -y -qq python3-torch >/dev/null; fi
fi
./scripts/build.sh -DATELIER_BUILD_BENCH=ON >/dev/null
cli=./build/app/atelier-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== ceiling (LibTorch on this machine, $(nproc) cores)"
ceiling=$(./build/bench/bench_blas presets/mlp_medium.yaml)
echo "$ceiling" | sed 's/^/  /'
precision=${PRECISION:-fp32}
ceiling_key=$([ "$precision" = bf16 ] && echo conv3x3_64_bf16_gflops || echo conv3x3_64_gflops)
conv_ceiling=$(echo "$ceiling" | awk -v k="$ceiling_key" '$1 == k {print $2}')
echo "  (precision $precision: %ceiling is of $ceiling_key)"

flops_of() { # forward MFLOP per image, from the model summary
  "$cli" summary "presets/$1.yaml" | awk '/^Forward pass:/ {print $3}'
}

printf '\n%-11s %5s %12s %12s %6s %8s %8s %10s %10s %9s %9s\n' model batch atelier/s python/s ratio epoch_s py_ep_s GFLOP/s %ceiling eval/s eval/train
for model in "${models[@]}"; do
  mflop=$(flops_of "$model")
  for batch in 32 128; do
    "$cli" train "presets/$model.yaml" --epochs "$epochs" --batch-size "$batch" --precision "$precision" --quiet --out "$work" --data "$data" >"$work/out"
    run=$(awk '/^run:/ {print $2}' "$work/out")
    read -r atelier eval_rate <<<"$(/usr/bin/python3 -c "import json,sys; m=json.load(open('$run/metrics.json')); print(round(m['samples_per_second']), round(m['eval_samples_per_second']))")"
    epoch_s=$(tail -n 1 "$run/history.csv" | cut -d, -f7)
    read -r python_rate python_epoch python_eval <<<"$("$python" bench/reference_train.py "$model" "$batch" "$epochs" "$data" "$precision")"
    # A training step costs about 3× the forward pass (forward, input and weight gradients).
    gflops=$(awk -v r="$atelier" -v f="$mflop" 'BEGIN {printf "%.1f", r * f * 3 / 1000}')
    share=$(awk -v g="$gflops" -v c="$conv_ceiling" 'BEGIN {printf "%.0f%%", 100 * g / c}')
    printf '%-11s %5s %12s %12s %5.2fx %8.2f %8.2f %10s %10s %9s %8.1fx\n' "$model" "$batch" "$atelier" "$python_rate" \
      "$(awk -v a="$atelier" -v p="$python_rate" 'BEGIN {print a / p}')" "$epoch_s" "$python_epoch" "$gflops" "$share" \
      "$eval_rate" "$(awk -v e="$eval_rate" -v a="$atelier" 'BEGIN {print e / a}')"
  done
done
echo
echo "atelier/s, python/s: training samples per second (mean over $epochs epochs); epoch_s: last epoch with"
echo "validation; GFLOP/s: 3 × forward FLOPs × atelier/s; %ceiling: of $ceiling_key; eval/s: test-set"
echo "evaluation (forward only, batches of 128); python eval/s for comparison: see reference_train.py."
