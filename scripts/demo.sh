#!/usr/bin/env bash
# Runs the ledger on one machine (the embedded log, no Kafka) with a demo
# history, from a fresh Debian machine: installs what is missing, builds,
# and serves on http://127.0.0.1:8080 until Ctrl-C.
#   DEMO_DATA (default ./demo-data, replaced on every run), LISTEN, PERMITS.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -x scripts/build-web.sh ] && scripts/build-web.sh
scripts/build.sh --target permitledger
DATA=${DEMO_DATA:-./demo-data}
rm -rf "$DATA"
exec build/gateways/permitledger demo --data "$DATA" --listen "${LISTEN:-127.0.0.1:8080}" \
  --permits "${PERMITS:-250}"
