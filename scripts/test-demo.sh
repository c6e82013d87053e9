#!/usr/bin/env bash
# The README's first command as a newcomer runs it: scripts/demo.sh (which
# installs, builds and serves the demo), on a free loopback port and a data
# directory of its own. Checks that it serves the demo history (health, the
# public register and statistics, an applicant's tracking page, the public
# web page) and that the README's tour runs against it as written (twice:
# it says it may be run again on the same demo) and takes its application to
# an issued permit on the public register, then stops it. Exits non-zero,
# with the demo's output, if not. TEST_DEMO_PORT picks the port (default: a
# free one).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${TEST_DEMO_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d /tmp/pl-demo-test.XXXXXX)
B=http://127.0.0.1:$PORT
LISTEN=127.0.0.1:$PORT DEMO_DATA=$WORK/data PERMITS=${PERMITS:-60} \
  setsid "$ROOT/scripts/demo.sh" > "$WORK/demo.log" 2>&1 &
PID=$!
stop() {
  kill -- -$PID 2>/dev/null || kill $PID 2>/dev/null || true
  wait $PID 2>/dev/null || true
}
fail() {
  echo "test-demo: $*" >&2
  echo "---- scripts/demo.sh said:" >&2
  tail -40 "$WORK/demo.log" >&2
  stop
  rm -rf "$WORK"
  exit 1
}

# Installing and building may take a while on a fresh machine.
for _ in $(seq 1 900); do
  curl -sf "$B/healthz" > /dev/null && break
  kill -0 $PID 2> /dev/null || fail "scripts/demo.sh stopped before serving"
  sleep 1
done
curl -sf "$B/healthz" > /dev/null || fail "nothing served on $B within 15 minutes"

grep -q "The ledger is serving at $B" "$WORK/demo.log" || fail "the demo did not say where to look"
python3 - "$B" "$WORK/data/demo-tokens.json" << 'EOF' || fail "the demo does not serve its history"
import json, sys, urllib.request

base, tokens_path = sys.argv[1], sys.argv[2]

def get(path):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        assert r.status == 200, (path, r.status)
        return r.read().decode()

register = json.loads(get("/v1/public/register"))
assert register["count"] > 0, register
stats = json.loads(get("/v1/public/stats"))
assert stats, "no statistics"
tokens = json.load(open(tokens_path))
permit, code = sorted(tokens["tracking_codes"].items())[0]
track = json.loads(get("/v1/track/" + code))
assert track.get("permit_id") == permit, track
page = get("/")
assert "<html" in page.lower(), page[:200]
print(f"test-demo: {register['count']} permits on the public register, "
      f"{permit} tracked at stage {track.get('status')}, the public page served")
EOF

# The README's tour, as written there, against this demo; then, in the
# tour's shell, that its application was issued and is on the public
# register and the verification page.
sed -n '/^## A tour/,/^## /p' "$ROOT/README.md" | sed -n '/^B=http/,/^```$/p' | grep -v '^```' |
  sed -e "s|http://127.0.0.1:8080|$B|" -e "s|demo-data/|$WORK/data/|g" -e "s|D=demo-data|D=$WORK/data|" > "$WORK/tour.sh"
[ -s "$WORK/tour.sh" ] || fail "no tour found in the README"
cat >> "$WORK/tour.sh" << 'EOF'

# test-demo: the permit the tour applied for.
python3 - "$B" "$ID" "$T" << 'PY'
import json, sys, urllib.parse, urllib.request

base, permit, token = sys.argv[1:]

def get(path, token=None):
    req = urllib.request.Request(base + path)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())

state = get("/v1/permits/" + permit, token)
assert state["status"] == "issued", f"{permit} is {state['status']}, not issued"
number = state["permit_number"]
register = get("/v1/public/register?q=" + urllib.parse.quote(permit))
assert [i["permit_number"] for i in register["items"]] == [number], register
assert register["items"][0]["status"] == "issued", register
verify = get("/v1/public/verify/" + urllib.parse.quote(number, safe=""))
assert verify["result"] == "valid" and verify["verification"], verify
print(f"test-demo: {number} issued, on the public register, verifiable")
PY
EOF
for run in 1 2; do
  (cd "$WORK" && bash -e tour.sh) > "$WORK/tour.out" 2>&1 || {
    cat "$WORK/tour.out" >&2
    fail "the README's tour failed (run $run)"
  }
  for want in 'HTTP/1.1 200 OK' '"type":"documents_verified"' '"type":"survey_scheduled"' \
    '"type":"survey_recorded"' '"type":"recommended"' '"type":"permit_issued"' \
    '"status":"issued"' '"next_actions"' 'id: 1' '"officer_id":"ptsp-ulujami-2","token"' \
    '"retired":true' 'issued, on the public register, verifiable'; do
    grep -qF "$want" "$WORK/tour.out" || {
      cat "$WORK/tour.out" >&2
      fail "the README's tour did not answer with $want (run $run)"
    }
  done
done
echo "test-demo: the README's tour answers as it says"
stop
rm -rf "$WORK"
echo "test-demo: scripts/demo.sh works"
