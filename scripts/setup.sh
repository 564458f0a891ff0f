#!/usr/bin/env bash
# One-step setup for a fresh Debian 12 machine: installs the Debian packages ACE-Step Desktop needs
# (idempotent; as root or through sudo), then configures and builds a Release tree in ./build with
# CMake + Ninja + ccache.  Re-running it only rebuilds what changed.
#
#   scripts/setup.sh [--no-install] [--build-dir DIR] [--debug] [-- extra cmake args]
#
# For an NVIDIA GPU build see README ("NVIDIA GPUs"): pass -- -DACESTEP_CUDA=ON -DCMAKE_PREFIX_PATH=/opt/libtorch
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=build
BUILD_TYPE=Release
INSTALL=1
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) INSTALL=0 ;;
    --build-dir) BUILD_DIR="$2"; shift ;;
    --debug) BUILD_TYPE=Debug ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

PACKAGES=(
  # build tools
  cmake ninja-build ccache pkg-config g++ git
  # engine: LibTorch 1.13 (CPU) and a fast BLAS (without libopenblas0-openmp fp32 matmul is ~30x slower)
  libtorch-dev libopenblas0-openmp
  # core libraries
  nlohmann-json3-dev libsndfile1-dev libsentencepiece-dev liblzma-dev libcurl4-openssl-dev libebur128-dev
  # lyric front end (Japanese): MeCab with the UniDic dictionary
  libmecab-dev unidic-mecab
  # GUI and playback
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dev libegl-dev portaudio19-dev libstb-dev
  # tests: GoogleTest, a virtual X server for GUI tests, screenshots, sanitizers/fuzzers
  googletest libgtest-dev xvfb xauth imagemagick x11-utils clang libclang-rt-14-dev
)

if [ "$INSTALL" = 1 ]; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null; then SUDO=sudo; else
        echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
    fi
    echo "setup.sh: installing ${#missing[@]} Debian packages: ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "${EXTRA[@]}"
elif [ ${#EXTRA[@]} -gt 0 ]; then
  cmake -S . -B "$BUILD_DIR" "${EXTRA[@]}"
fi
cmake --build "$BUILD_DIR"
echo "setup.sh: built $BUILD_DIR/bin/acestep and $BUILD_DIR/bin/acestep-cli"
