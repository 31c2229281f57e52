#!/usr/bin/env bash
# Runs the built service on the embedded default (simulated providers) on a free port, asks one /usage
# question, and checks GET /metrics with `promtool check metrics` (errors and warnings both fail).
# Installs Debian's prometheus package, which brings promtool, when it is missing (CI runs as root).
# The server is stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

npm run -s build
PORT=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
URL="http://127.0.0.1:${PORT}"
LOG=$(mktemp)
PORT=$PORT HOST=127.0.0.1 USAGE_API_KEYS= node dist/server.js >"$LOG" 2>&1 &
SERVER=$!
stop () {
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -f "$LOG"
}
trap stop EXIT

for _ in $(seq 1 150); do
  curl -sf "$URL/readyz" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "the service exited while starting:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.2
done
curl -sf "$URL/readyz" >/dev/null || { echo "the service was not ready within 30 s:" >&2; cat "$LOG" >&2; exit 1; }

curl -sf -o /dev/null "$URL/usage?from=2026-11-01&to=2026-11-03"
METRICS=$(mktemp)
trap 'stop; rm -f "$METRICS"' EXIT
curl -sf "$URL/metrics" >"$METRICS"
# promtool exits 0 on warnings alone: any output is a failure too.
PROBLEMS=$(promtool check metrics <"$METRICS" 2>&1) || { echo "$PROBLEMS" >&2; exit 1; }
if [ -n "$PROBLEMS" ]; then echo "$PROBLEMS" >&2; exit 1; fi
echo "promtool check metrics: $(grep -c '^# TYPE' "$METRICS") metrics, no problem"
