#!/usr/bin/env bash
# Builds the web pages and runs their tests in Debian's Chromium against the
# real permitledger binary (PERMITLEDGER_BIN, default build/gateways/permitledger,
# built here when missing). Prints "N passed, M failed"; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/build-web.sh || { echo "0 passed, 1 failed"; exit 1; }
bin=${PERMITLEDGER_BIN:-build/gateways/permitledger}
if [ ! -x "$bin" ]; then
  BUILD_DIR=${BUILD_DIR:-build}
  [ -f "$BUILD_DIR/build.ninja" ] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
  ninja -C "$BUILD_DIR" -j "$(nproc)" permitledger || { echo "0 passed, 1 failed"; exit 1; }
fi
export PERMITLEDGER_BIN=$(realpath "$bin")
if [ ! -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ]; then
  echo "no Chromium at ${CHROMIUM_BIN:-/usr/bin/chromium}: run scripts/install-deps.sh (apt-get install chromium)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
mkdir -p artifacts
log=$root/artifacts/web-tests.log
start=$(date +%s)
(cd web && node --test --test-concurrency=1 --test-reporter=spec tests/pages.test.mjs) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -E '^ℹ pass [0-9]+' "$log" | awk '{print $3}' | tail -1)
failed=$(grep -E '^ℹ fail [0-9]+' "$log" | awk '{print $3}' | tail -1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "web tests took $(( $(date +%s) - start )) s; screenshots in artifacts/screenshots/"
echo "${passed} passed, ${failed} failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
