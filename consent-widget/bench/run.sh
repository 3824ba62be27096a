#!/usr/bin/env bash
# Widget benchmark, kept out of the build and the tests: builds the gateway, starts it on a spare loopback port
# (own database, a throw-away admin token) and runs widget-bench.mjs in Debian's Chromium: a shop page on its
# own local origin embedding the gateway's script.
# Reports consent.js gzipped (JS + CSS) and the median time from navigation start to banner visible, for the
# contract tag (consent.js + data-site) and the site-specific one (consent.js?site=), loads alternating.
# Usage: bash consent-widget/bench/run.sh     Settings: PORT=18090 RUNS=10 BENCH_SKIP_BUILD=1 (reuse the jar)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PORT=${PORT:-18090}
RUNS=${RUNS:-10}
DB=consent_gateway_widget_bench
JAR="$ROOT/gateway/target/consent-gateway.jar"
LOG=$(mktemp /tmp/widget-bench-gateway.XXXXXX.log)
PSQL=(env PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -U postgres -qtAX)
GW_PID=""

log() { echo "widget-bench: $*"; }
die() { echo "widget-bench: $*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
cleanup() {
  if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
    kill "$GW_PID" 2>/dev/null || true
    wait "$GW_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing; install it with: bash deploy/services.sh --browser"
bash "$ROOT/deploy/services.sh" >/dev/null || die "deploy/services.sh could not start PostgreSQL and Redis"
command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"
if listening "$PORT"; then die "port $PORT is in use; set PORT to a free one"; fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  log "building the gateway and the widget (mvn package)"
  (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
fi
(cd "$HERE" && node ../../tools/npm-ci.mjs) || die "npm ci failed in consent-widget/bench"
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" || die "cannot create database $DB"
fi

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
ADMIN_TOKEN="widget-bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the gateway on 127.0.0.1:$PORT (log: $LOG)"
CG_HTTP_PORT=$PORT CG_ADMIN_TOKEN=$ADMIN_TOKEN CG_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" \
  java -Xmx256m -jar "$JAR" >"$LOG" 2>&1 &
GW_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null; then break; fi
  kill -0 "$GW_PID" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "the gateway stopped during start-up"; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" || { tail -n 20 "$LOG" >&2; die "the gateway is not ready after 60 s"; }

node "$HERE/widget-bench.mjs" --gateway "http://127.0.0.1:$PORT" --admin-token "$ADMIN_TOKEN" --runs "$RUNS" \
  --load-before "$LOAD_BEFORE" \
  --bundle "$ROOT/consent-widget/target/classes/consent-widget/consent.js"
