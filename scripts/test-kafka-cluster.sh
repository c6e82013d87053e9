#!/usr/bin/env bash
# The three-broker fault test (docs/kafka.md): starts the dev cluster
# (replication 3, min.insync.replicas 2), runs the KafkaCluster* tests of
# kafka_tests (one broker SIGKILLed under load, restarted), stops the cluster.
#
#   scripts/test-kafka-cluster.sh [BUILD_DIR]     (default: build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
[ -x "$BUILD/tests/kafka_tests" ] || { echo "build kafka_tests first: ninja -C $BUILD kafka_tests" >&2; exit 1; }
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
BS=$("$ROOT/scripts/kafka.sh" start-cluster | tail -1)
trap '"$ROOT/scripts/kafka.sh" stop-cluster; rm -f "$OUT"' EXIT
# GoogleTest 1.12 (Debian) has no --gtest_fail_if_no_test_selected: a
# filter that matches nothing passes, so the summary must show a test.
KAFKA_CLUSTER_BOOTSTRAP=$BS KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP:-$BS} \
  "$BUILD/tests/kafka_tests" --gtest_filter='KafkaCluster*' | tee "$OUT"
if ! grep -Eq '^\[  PASSED  \] [1-9][0-9]* tests?\.' "$OUT"; then
  echo "test-kafka-cluster.sh: no KafkaCluster* test ran (renamed?)" >&2
  exit 1
fi
