#!/usr/bin/env bash
# Runs the whole test suite (unit, fixture parity, GUI under Xvfb) on the build from scripts/setup.sh.
#   scripts/test.sh [--build-dir DIR] [ctest args...]
# Fixtures are read from $ACESTEP_FIXTURES, else ../shared/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build
if [ "${1:-}" = "--build-dir" ]; then BUILD_DIR="$2"; shift 2; fi
export ACESTEP_FIXTURES="${ACESTEP_FIXTURES:-$(cd .. && pwd)/shared/fixtures}"
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 1800 -j "$jobs" "$@"
