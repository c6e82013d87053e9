#!/usr/bin/env bash
# Installs everything the ledger needs to build, run and test on a fresh
# Debian 12 machine, from Debian's packages (and, for the web pages and the
# Kafka broker, npm and Maven Central through their own scripts).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

PKGS=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  librocksdb-dev libcereal-dev libboost-dev libboost-system-dev
  librdkafka-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libssl-dev libsodium-dev libgtest-dev libgmock-dev libbenchmark-dev libqrencode-dev libjemalloc-dev
  clang-format wrk kcat python3 python3-confluent-kafka
  default-jre-headless maven chromium
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web pages build with Node.js >= 20.19 and npm (Vite 7). Machines of this
# project's kind come with Node.js 20; Debian 12's own nodejs (18) is only a
# fallback that lets the rest of the build go on.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "no Node.js found: installing Debian's nodejs and npm"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
