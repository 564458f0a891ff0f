#!/usr/bin/env bash
# Runs the whole test suite on the build from scripts/setup.sh: unit tests, fixture parity (selftest),
# GUI tests under Xvfb; then the torch-free code again under AddressSanitizer + UBSan with a short fuzz
# run of every parser (scripts/sanitize.sh; skip with ACESTEP_SKIP_SANITIZE=1).
#   scripts/test.sh [--build-dir DIR] [ctest args...]
# Fixtures are read from $ACESTEP_FIXTURES, else ../shared/fixtures.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build
if [ "${1:-}" = "--build-dir" ]; then BUILD_DIR="$2"; shift 2; fi
export ACESTEP_FIXTURES="${ACESTEP_FIXTURES:-$(cd .. && pwd)/shared/fixtures}"
jobs=$(nproc 2>/dev/null || echo 2)
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 1800 -j "$jobs" "$@" || status=1
if [ "${ACESTEP_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== sanitizer build (ASan + UBSan, torch-free code) and fuzz smoke runs"
  scripts/sanitize.sh || status=1
fi
exit $status
