#!/usr/bin/env bash
# Fault tests on the cluster of deploy/cluster.sh (started here if it is not up), loopback only, each bounded in
# time. Under a steady beacon and consent load through HAProxy (bench's load tool, every accepted id recorded):
#   steady        no fault: writes per second and rows per commit on the primary (the sizing basis)
#   gateway-kill  kill -9 one gateway: HAProxy routes around it, no acknowledged write lost
#   pg-primary    kill -9 the PostgreSQL primary node (Patroni and postmaster): the synchronous standby is
#                 promoted, writes resume within 30 s, clients see 503 meanwhile, no 201/202 lost, no duplicate
#   redis-master  kill -9 the Redis master: Sentinel promotes the replica; a withdrawal made on one gateway is
#                 refused by the two others within 1 s afterwards
#   rolling       SIGTERM and restart each gateway in turn: no client-visible 5xx
# After each, the recorded ids are matched with the database. Figures: stdout and $DIR/faults/figures.txt.
#
#   deploy/cluster-faults.sh [scenario…]      (default: all, in the order above)
# Settings: COLLECT_CONNECTIONS=12, CONSENT_CONNECTIONS=4, CG_CLUSTER_DIR=/tmp/cg-cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${CG_CLUSTER_DIR:-/tmp/cg-cluster}
OUT="$DIR/faults"
CLUSTER="$ROOT/deploy/cluster.sh"
BENCH_JAR="$ROOT/bench/target/cg-bench.jar"
FRONT=http://127.0.0.1:27080
GW=(- 27081 27082 27083)
PG=(psql -h 127.0.0.1 -p 27500 -U postgres -d consent_gateway_cluster -Atq)
ADMIN=${CG_CLUSTER_ADMIN_TOKEN:-cluster-admin-token-0123456789}
COLLECT_CONNECTIONS=${COLLECT_CONNECTIONS:-12}
CONSENT_CONNECTIONS=${CONSENT_CONNECTIONS:-4}

say() { echo "faults: $*"; }
die() { echo "faults: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
cluster() { bash "$CLUSTER" "$@"; }

mkdir -p "$OUT"
[ -f "$BENCH_JAR" ] || (cd "$ROOT" && mvn -q -B -f bench/pom.xml package) || die "cannot build $BENCH_JAR"
if [ "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$FRONT/health/ready")" != 200 ]; then
  cluster start
fi
status=$(curl -s -o "$OUT/site.json" -w '%{http_code}' -X PUT "$FRONT/v1/admin/sites/bench" \
  -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"Bench shop","origins":["https://shop.example"],"policy":{"version":"2026-11"},
       "locales":["fr","en"],"purposes":[{"id":"statistics"},{"id":"prospecting"}]}')
[ "$status" = 200 ] || die "PUT /v1/admin/sites/bench answered $status: $(cat "$OUT/site.json")"

# --- load and probe -------------------------------------------------------------------------------------------------
# load_start NAME SECONDS: beacons and consents through HAProxy, ids recorded, in the background
load_start() {
  local name=$1 seconds=$2
  java -Xmx256m -jar "$BENCH_JAR" load --url "$FRONT/v1/collect" --scenario collect-consented --tokens 200 \
    --connections "$COLLECT_CONNECTIONS" --warmup 0s --duration "${seconds}s" --timeout 8s --expect 202 \
    --record "$OUT/$name-events.txt" --out "$OUT/$name-collect.json" --label "$name-collect" \
    >"$OUT/$name-collect.log" 2>&1 &
  LOAD_COLLECT=$!
  java -Xmx256m -jar "$BENCH_JAR" load --url "$FRONT/v1/consents" --scenario consents \
    --connections "$CONSENT_CONNECTIONS" --warmup 0s --duration "${seconds}s" --timeout 8s --expect 201 \
    --record "$OUT/$name-consents.txt" --out "$OUT/$name-consents.json" --label "$name-consents" \
    >"$OUT/$name-consents.log" 2>&1 &
  LOAD_CONSENTS=$!
  # one consent every 100 ms, its status and time logged: when writes stopped and when they came back
  (
    end=$(($(now_ms) + seconds * 1000))
    while [ "$(now_ms)" -lt "$end" ]; do
      code=$(curl -s -m 8 -o /dev/null -w '%{http_code}' -X POST "$FRONT/v1/consents" \
        -H 'Content-Type: application/json' -H 'Origin: https://shop.example' \
        -d '{"siteId":"bench","policyVersion":"2026-11","locale":"fr","method":"reject_all","choices":{}}' \
        || true)
      echo "$(now_ms) $code"
      sleep 0.1
    done
  ) >"$OUT/$name-probe.txt" &
  LOAD_PROBE=$!
  # the fault comes once both generators run (the consented one first obtains its tokens)
  for _ in $(seq 1 240); do
    grep -q "load: started" "$OUT/$name-collect.log" 2>/dev/null && grep -q "load: started" "$OUT/$name-consents.log" \
      2>/dev/null && break
    sleep 0.25
  done
  sleep 2
}

load_wait() {
  wait "$LOAD_COLLECT" || true
  wait "$LOAD_CONSENTS" || true
  wait "$LOAD_PROBE" || true
}

# ids_check NAME: recorded ids missing from the database, and duplicates there
ids_check() {
  local name=$1 missing_events missing_consents dup_events dup_consents
  missing_events=$("${PG[@]}" <<SQL
CREATE TEMP TABLE ids (id text);
\\copy ids FROM '$OUT/$name-events.txt'
SELECT count(*) FROM (SELECT DISTINCT id FROM ids) i WHERE NOT EXISTS (SELECT 1 FROM terminal.events e WHERE e.event_id::text = i.id);
SQL
)
  missing_consents=$("${PG[@]}" <<SQL
CREATE TEMP TABLE ids (id text);
\\copy ids FROM '$OUT/$name-consents.txt'
SELECT count(*) FROM (SELECT DISTINCT id FROM ids) i WHERE NOT EXISTS (SELECT 1 FROM consent.events e WHERE e.consent_id::text = i.id);
SQL
)
  dup_events=$("${PG[@]}" -c "SELECT count(*) - count(DISTINCT event_id) FROM terminal.events WHERE event_id IS NOT NULL")
  dup_consents=$("${PG[@]}" -c "SELECT count(*) - count(DISTINCT consent_id) FROM consent.events")
  echo "$missing_events $missing_consents $dup_events $dup_consents"
}

# outage NAME: from the probe, the longest run of non-201 answers (ms) and the statuses seen in it
outage() {
  awk '{ if ($2 == "201") { if (start) { d = $1 - start; if (d > max) { max = d; seen = codes } start = 0; codes = "" } }
         else { if (!start) start = $1; c[$2]++; codes = codes " " $2 } }
       END { printf "%d", max }' "$OUT/$1-probe.txt"
}
probe_codes() { awk '{ c[$2]++ } END { for (k in c) printf "%s:%d ", k, c[k] }' "$OUT/$1-probe.txt"; }

# report NAME NOTE: one line of the figure table
report() {
  local name=$1 note=$2 c k ids
  c="$OUT/$name-collect.json" k="$OUT/$name-consents.json"
  read -r me mc de dc <<<"$(ids_check "$name")"
  printf '%-13s beacons %6s ok (%6s/s) 5xx %4s fail %4s | consents %6s ok (%5s/s) 5xx %4s fail %4s | lost %s+%s dup %s+%s | %s\n' \
    "$name" \
    "$(jq '.total.expected' "$c")" "$(jq '.expectedRps' "$c")" \
    "$(jq '[.total.status | to_entries[] | select(.key | startswith("5")) | .value] | add // 0' "$c")" \
    "$(jq '.total.failures' "$c")" \
    "$(jq '.total.expected' "$k")" "$(jq '.expectedRps' "$k")" \
    "$(jq '[.total.status | to_entries[] | select(.key | startswith("5")) | .value] | add // 0' "$k")" \
    "$(jq '.total.failures' "$k")" "$me" "$mc" "$de" "$dc" "$note" | tee -a "$OUT/figures.txt"
  echo "  statuses: beacons $(jq -c '.total.status' "$c") consents $(jq -c '.total.status' "$k") probe $(probe_codes "$name")" \
    | tee -a "$OUT/figures.txt"
}

# rows written so far (the two tables the load writes) and the primary's WAL position
progress() {
  "${PG[@]}" -F ' ' -c "SELECT (SELECT count(*) FROM terminal.events) + (SELECT count(*) FROM consent.events),
    pg_current_wal_lsn(), (SELECT timeline_id FROM pg_control_checkpoint())"
}
# commits_between FROM TO TIMELINE: COMMIT records in the primary's WAL between two positions (only transactions that wrote)
commits_between() {
  local n
  n=$(cluster pg-primary)
  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_waldump" --stats=record -t "$3" -s "$1" -e "$2" \
    -p "$DIR/pg$n/data/pg_wal" 2>/dev/null | awk '$1 == "Transaction/COMMIT" { print $2 }'
}

# --- scenarios ------------------------------------------------------------------------------------------------------
steady() {
  local r0 l0 r1 l1 t0 t1 c tli
  load_start steady 25
  read -r r0 l0 tli <<<"$(progress)"; t0=$(now_ms)
  sleep 20
  read -r r1 l1 tli <<<"$(progress)"; t1=$(now_ms)
  load_wait
  c=$(commits_between "$l0" "$l1" "$tli")
  report steady "primary: $(((r1 - r0) * 1000 / (t1 - t0))) rows/s, $((${c:-0} * 1000 / (t1 - t0))) write commits/s, $(awk -v r=$((r1 - r0)) -v c="${c:-0}" 'BEGIN { printf "%.1f", c ? r / c : 0 }') rows per commit"
}

gateway_kill() {
  load_start gateway-kill 35
  sleep 7
  local t0
  t0=$(now_ms)
  cluster gateway-kill 2
  say "gateway 2 killed (-9)"
  sleep 12
  cluster gateway-start 2
  say "gateway 2 back after $(($(now_ms) - t0)) ms"
  load_wait
  report gateway-kill "worst consent gap $(outage gateway-kill) ms"
}

pg_primary() {
  local primary t0 back=-1
  primary=$(cluster pg-primary)
  load_start pg-primary 75
  sleep 7
  t0=$(now_ms)
  cluster node-kill "$primary"
  say "PostgreSQL node $primary killed (-9: Patroni and postmaster)"
  for _ in $(seq 1 240); do
    p=$(cluster pg-primary || true)
    if [ -n "$p" ] && [ "$p" != "$primary" ]; then back=$(($(now_ms) - t0)); break; fi
    sleep 0.25
  done
  say "Patroni promoted node ${p:-none} after $back ms"
  load_wait
  cluster node-start "$primary"
  report pg-primary "promoted after $back ms; consent writes stopped for $(outage pg-primary) ms"
  # the old primary rejoins as the synchronous standby before the next scenario
  for _ in $(seq 1 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$([ "$primary" = 1 ] && echo 27008 || echo 27009)/sync")" = 200 ] && break
    sleep 0.5
  done
  say "node $primary: $(curl -s "http://127.0.0.1:$([ "$primary" = 1 ] && echo 27008 || echo 27009)/patroni" | jq -c '{role, state}')"
}

# revocation_ms: a consent from gateway 1, checked on 2 and 3 (so they cache it), withdrawn on 1; the slowest of
# 2 and 3 to refuse it, in ms (3000 when one never did)
revocation_ms() {
  local token worst=0 n t0 ms
  token=$(curl -s -X POST "http://127.0.0.1:${GW[1]}/v1/consents" -H 'Content-Type: application/json' \
    -H 'Origin: https://shop.example' \
    -d '{"siteId":"bench","policyVersion":"2026-11","locale":"fr","method":"accept_all","choices":{"statistics":true,"prospecting":true}}' \
    | jq -r .token)
  for n in 2 3; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:${GW[$n]}/v1/consents/current?site=bench"
  done
  curl -s -o /dev/null -X POST "http://127.0.0.1:${GW[1]}/v1/consents/withdraw" -H 'Content-Type: application/json' \
    -H 'Origin: https://shop.example' -H "Authorization: Bearer $token" -d '{"siteId":"bench"}'
  t0=$(now_ms)
  for n in 2 3; do
    ms=3000
    while [ $(($(now_ms) - t0)) -lt 3000 ]; do
      if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
          "http://127.0.0.1:${GW[$n]}/v1/consents/current?site=bench")" = 401 ]; then
        ms=$(($(now_ms) - t0)); break
      fi
      sleep 0.02
    done
    [ "$ms" -gt "$worst" ] && worst=$ms
  done
  echo "$worst"
}

redis_master() {
  local killed t0 promoted=-1 before after=()
  load_start redis-master 30
  sleep 5
  before=$(revocation_ms)
  t0=$(now_ms)
  killed=$(cluster redis-kill-master)
  say "Redis $killed (master) killed (-9)"
  for _ in $(seq 1 120); do
    m=$(cluster redis-master || true)
    if [ -n "$m" ] && [ "$m" != "$([ "$killed" = 1 ] && echo 27637 || echo 27638)" ]; then
      promoted=$(($(now_ms) - t0)); break
    fi
    sleep 0.25
  done
  say "Sentinel named $m master after $promoted ms"
  for wait in 1 3 6; do
    sleep "$wait"
    after+=("$(revocation_ms)")
  done
  load_wait
  cluster redis-start "$killed"
  report redis-master "Sentinel failover $promoted ms; withdrawal refused on the 2 other gateways within: before ${before} ms, after ${after[*]} ms"
}

rolling() {
  local n
  load_start rolling 150
  sleep 5
  for n in 1 2 3; do
    cluster gateway-stop "$n"
    cluster gateway-start "$n"
    # HAProxy sends it requests again only after two good checks; the next one waits for that
    for _ in $(seq 1 40); do
      curl -s "http://127.0.0.1:27090/;csv" | grep -q "^gateways,gw$n,.*,UP," && break
      sleep 0.25
    done
    say "gateway $n restarted"
  done
  load_wait
  report rolling "three gateways restarted one after the other"
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(steady gateway-kill pg-primary redis-master rolling)
{ echo; echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) collect ${COLLECT_CONNECTIONS}c consents ${CONSENT_CONNECTIONS}c"
  echo "# lost = recorded 202 eventIds + 201 consentIds missing in PostgreSQL; dup = event_id + consent_id duplicates"; } \
  | tee -a "$OUT/figures.txt"
for s in "${scenarios[@]}"; do
  say "scenario $s"
  case "$s" in
    steady) steady ;;
    gateway-kill) gateway_kill ;;
    pg-primary) pg_primary ;;
    redis-master) redis_master ;;
    rolling) rolling ;;
    *) die "unknown scenario $s" ;;
  esac
done
