#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what is
# missing, builds, starts a real Kafka 3.9 broker on loopback, runs every
# test binary through ctest (and the browser tests of the web pages, and
# the demo command of the README), and stops the broker again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/install-deps.sh
bash scripts/build-web.sh
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh
# The benchmarks are run on demand, never here; they must still build.
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh --target benchmarks

scripts/kafka.sh fetch
scripts/kafka.sh start
trap 'scripts/kafka.sh stop || true' EXIT
export KAFKA_BOOTSTRAP=127.0.0.1:${KAFKA_PORT:-19092}

mkdir -p artifacts
# What failed, once more at the very end of the output (a failing test's
# own output can run to thousands of lines of client logs).
failures() {
  echo "==== what failed ===="
  cat "${BUILD_DIR:-build}/Testing/Temporary/LastTestsFailed.log" 2>/dev/null || true
  for f in "${BUILD_DIR:-build}/Testing/Temporary/LastTest.log" artifacts/kafka-cluster.log; do
    [ -f "$f" ] || continue
    grep -v '^%[0-9]|' "$f" | grep -B2 -A8 -E ': Failure$|^\[  FAILED  \]' | head -150 || true
  done
}

status=0
# --no-tests=error: a build that registered no test fails, not passes.
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 900 --no-tests=error || status=1
# Each suite below runs even when one before it failed, and through `bash`:
# a script that lost its executable bit fails or runs, it is never skipped.
if ! scripts/kafka.sh stop; then
  echo "test.sh: stopping the single broker failed; the other suites run anyway" >&2
  status=1
fi
bash scripts/test-kafka-cluster.sh 2>&1 | tee artifacts/kafka-cluster.log || status=1
bash scripts/test-web.sh || status=1
# The README's first command, as a newcomer runs it.
bash scripts/test-demo.sh || status=1
[ $status -eq 0 ] || failures
exit $status
