#!/usr/bin/env bash
# GET /v1/permits/{id} under wrk with keep-alive, beside the same server's
# floor (GET /healthz, no view read) measured in the same run, as a ratio.
#   bench/http_get.sh [seconds] [connections]
# Needs build/gateways/permitledger and wrk (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-32}
BIN=build/gateways/permitledger
DATA=$(mktemp -d /tmp/pl-http-bench.XXXXXX)
PORT=${PORT:-18480}
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
"$BIN" demo --data "$DATA/d" --permits 2000 --no-serve >/dev/null
"$BIN" serve --data "$DATA/d" --listen 127.0.0.1:$PORT --threads "${SERVER_THREADS:-1}" >"$DATA/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
TOKEN=$(cat "$DATA/d/admin.token")
cat > "$DATA/get.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local path = string.format("/v1/permits/PDEMO%d", 100000 + (n % 2000))
  return wrk.format("GET", path, {["Authorization"] = "Bearer $TOKEN"})
end
LUA
run() {  # wrk args; prints "rps p99 non-2xx-lines"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$@" > "$DATA/wrk.out"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$DATA/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$DATA/wrk.out")
  errors=$(grep -c "Non-2xx" "$DATA/wrk.out" || true)
  echo "$rps $p99 $errors"
}
read -r floor_rps floor_p99 _ < <(run http://127.0.0.1:$PORT/healthz)
read -r get_rps get_p99 get_errors < <(run -s "$DATA/get.lua" http://127.0.0.1:$PORT)
echo "GET /healthz (the server's floor): $floor_rps req/s, p99 $floor_p99"
echo "GET /v1/permits/{id}: $get_rps req/s, p99 $get_p99 (target >= 30,000 req/s, p99 < 5 ms)"
[ "$get_errors" = "0" ] || echo "WARNING: non-2xx answers seen"
python3 -c "print('ratio GET permit / floor: %.2f' % ($get_rps / $floor_rps))"
