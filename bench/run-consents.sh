#!/usr/bin/env bash
# POST /v1/consents on the gateway against a bare Vert.x "ok" server measured in the same run, then proof that
# every 201 is durable: the gateway is stopped and the rows of consent.events are counted and matched against
# the consentIds the load generator recorded. Target: >= 5,000 durable consents/s on 2 cores, heap <= 256 MB.
# Settings: see bench/lib.sh (CONNECTIONS, DURATION, WARMUP, ...). Results: bench/results/consents-<date>.json
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

bench_init consents
build_jars
ensure_services
recreate_db

start_bare
diagnostics bare "$BARE_PID"
measure bare --url "http://127.0.0.1:$BARE_PORT/v1/consents" --scenario consents --expect 202
finish_diagnostics bare
BARE_CPU=$CPU_SPLIT
stop_bare

start_gateway
put_site
start_heap_sampler
db_mark
diagnostics gateway "$GW_PID"
measure gateway --url "http://127.0.0.1:$GW_PORT/v1/consents" --scenario consents --expect 201 \
  --record "$RUN_DIR/consent-ids.txt"
finish_diagnostics gateway "$GW_PID"
stop_gateway
stop_heap_sampler

rows=$(sql "SELECT count(*) FROM consent.events WHERE site_id = 'bench'")
db_since "$rows"
found=$(ids_found consent.events consent_id "$RUN_DIR/consent-ids.txt")
log "consent.events rows for site bench: $rows;" \
  "recorded consentIds found: $found of $(recorded "$RUN_DIR/consent-ids.txt")"

echo
java -jar "$BENCH_JAR" report --kind consents --bare "$RUN_DIR/bare.json" --gateway "$RUN_DIR/gateway.json" \
  --rows "$rows" --ids-found "$found" --heap-max-mb "$HEAP_MAX_MB" --heap-detail "$HEAP_DETAIL" \
  --cpu "bare: $BARE_CPU; gateway: $CPU_SPLIT" --db "$DB_WORK" \
  --commit "$COMMIT" --out "$RESULT" ${BENCH_STRICT:+--strict}
