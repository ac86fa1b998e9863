#!/usr/bin/env bash
# Builds Atelier with sanitizers (Debug, its own build folder) and runs test suites under them.
#   scripts/sanitize.sh [address] [CTEST ARGS...]  ASan + UBSan in build-sanitize; runs the
#                                                  unit and gui labels (what CI runs)
#   scripts/sanitize.sh thread [CTEST ARGS...]     TSan in build-tsan; runs the training
#                                                  controller's suite
# Any error report fails the test that caused it. Leaks and races inside LibTorch, OpenMP and
# Qt are suppressed by the files in tests/sanitizers/ (each entry says why it is not ours).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=address
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
    mode=$1
    shift
fi
case "$mode" in
address)
    build=build-sanitize
    sanitize=address,undefined
    # The train label (minutes of real training, ~10x slower under ASan at -O0) stays out.
    selection=(-L '^(unit|gui)$')
    ;;
thread)
    build=build-tsan
    sanitize=thread
    selection=(-R '^tst_training_controller$')
    ;;
*)
    echo "usage: scripts/sanitize.sh [address|thread] [CTEST ARGS...]" >&2
    exit 2
    ;;
esac

# g++ brings the sanitizer runtimes (libasan, libubsan, libtsan come with libgcc-12-dev).
./scripts/install-deps.sh

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DATELIER_SANITIZE="$sanitize" \
    -DATELIER_BUILD_TESTS=ON >/dev/null
# Only the suites that will run (and what they depend on, the CLI and the studio among
# them): the training suites left out above would add a tenth to CI's time, unused.
mapfile -t suites < <(ctest --test-dir "$build" -N "${selection[@]}" "$@" | sed -n 's/^ *Test *#[0-9]*: //p')
known=$(ninja -C "$build" -t targets all | sed 's/: .*//')
targets=()
for suite in "${suites[@]}"; do
    # A test that is no program of ours (slurm_start runs a script) has nothing to build.
    if grep -qx "$suite" <<<"$known"; then
        targets+=("$suite")
    fi
done
if [ ${#targets[@]} -eq 0 ]; then
    echo "sanitize: no test suite matches ${selection[*]} $*" >&2
    exit 2
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

supp=$root/tests/sanitizers
# halt_on_error: the first report ends the test program, so ctest sees the failure.
# detect_stack_use_after_return also catches pointers to a returned function's locals (it
# costs ~25% more test time here).
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$supp/lsan.supp:print_suppressions=0
# The code is built with -fno-sanitize-recover=all; these make a report carry its stack.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp
# Qt Test's own crash handler would catch SIGSEGV before ASan can print where it happened.
export QTEST_DISABLE_CRASH_HANDLER=1

cd "$build"
ctest --output-on-failure -j "$(nproc)" "${selection[@]}" "$@"
