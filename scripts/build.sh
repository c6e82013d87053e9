#!/usr/bin/env bash
# Configures and builds the ledger with Ninja into ./build (or $BUILD_DIR).
# Extra arguments go to `cmake --build`, e.g. `--target permitledger`.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
fi
cmake --build "$BUILD_DIR" -j "$(nproc)" "$@"
