#!/usr/bin/env bash
# Builds the torch-free libraries and their tests with clang + AddressSanitizer + UndefinedBehaviorSanitizer
# in ./build-asan, plus the libFuzzer targets, and runs them (unit tests under ASan/UBSan, then a short
# fuzz run of each parser over its seed corpus).  LibTorch code is not part of this build (its prebuilt
# libraries are not instrumented, and the sentencepiece shim's RTLD_DEEPBIND does not work under ASan).
#   scripts/sanitize.sh [--fuzz-seconds N] [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=8
if [ "${1:-}" = "--fuzz-seconds" ]; then SECS="$2"; shift 2; fi
if [ ! -f build-asan/CMakeCache.txt ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DACESTEP_TORCH_FREE_ONLY=ON -DACESTEP_SANITIZE=ON -DACESTEP_FUZZ=ON -DACESTEP_GUI=OFF -DACESTEP_BENCH=OFF \
    -DACESTEP_FUZZ_SECONDS="$SECS"
else
  cmake -S . -B build-asan -DACESTEP_FUZZ_SECONDS="$SECS" >/dev/null
fi
cmake --build build-asan
export ACESTEP_FIXTURES="${ACESTEP_FIXTURES:-$(cd .. && pwd)/shared/fixtures}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(pwd)/tests/fuzz/lsan.supp}"
ctest --test-dir build-asan --output-on-failure --timeout 600 -j "$(nproc 2>/dev/null || echo 2)" "$@"
