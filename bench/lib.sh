# Shared steps of the bench scripts (sourced, not run). Every process started here is remembered by its pid
# and stopped on exit; every wait is bounded.
# Settings (environment): CONNECTIONS=128 DURATION=20s WARMUP=45s LOADGEN_LOOPS=1 BARE_INSTANCES=<cores>
#   GW_PORT=18080 BARE_PORT=18081 BENCH_DB=consent_gateway_bench BENCH_DIAG=1 BENCH_JFR=0 BENCH_WAIT_QUIET=120
#   BENCH_STRICT (set: exit 1 when a target is missed) LOADGEN=java|wrk
#   BENCH_STATS_REFRESH_MINUTES=60 (1: the rollup job rebuilds today's statistics every minute during the run,
#   i.e. collect measured with the job running; the gateway's CG_STATS_BUSY_CPU_PERCENT lets a refresh wait while
#   the machine is busy, and run-collect's BENCH_GAP=20 gives it a lull between its two phases); see bench/README.md

CONNECTIONS=${CONNECTIONS:-128}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-45s}
LOADGEN_LOOPS=${LOADGEN_LOOPS:-1}
BARE_INSTANCES=${BARE_INSTANCES:-$(nproc)}
GW_PORT=${GW_PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
BENCH_DB=${BENCH_DB:-consent_gateway_bench}
BENCH_DIAG=${BENCH_DIAG:-1}
# java: the bench's own closed-loop generator (records every accepted id); wrk: Debian's wrk with a Lua script
LOADGEN=${LOADGEN:-java}
ADMIN_TOKEN=bench-admin-token-0123456789
GW_JAR="$ROOT/gateway/target/consent-gateway.jar"
BENCH_JAR="$BENCH_DIR/target/cg-bench.jar"
PSQL=(env PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtAX)

GW_PID=""
BARE_PID=""
HEAP_PID=""
LOAD_PID=""
DIAG_PID=""
CPU_SPLIT=""

log() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }

cleanup() {
  local pid
  for pid in "$DIAG_PID" "$LOAD_PID" "$HEAP_PID" "$BARE_PID" "$GW_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}

# bench_init NAME: results go to bench/results/NAME-<stamp>.json, raw files to bench/results/NAME-<stamp>/
bench_init() {
  STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
  local name=$1
  if [ "$LOADGEN" = wrk ]; then name="$1-wrk"; fi
  RESULT="$BENCH_DIR/results/$name-$STAMP.json"
  RUN_DIR="$BENCH_DIR/results/$name-$STAMP"
  mkdir -p "$RUN_DIR"
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  log "$1 bench ($LOADGEN load generator), commit $COMMIT, $CONNECTIONS connections, warm-up $WARMUP, duration $DURATION, $(nproc) cores"
  log "raw files in ${RUN_DIR#"$ROOT"/}"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build_jars() {
  if [ ! -f "$GW_JAR" ]; then
    log "building the gateway (mvn package in $ROOT)"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the gateway build failed"
  fi
  log "building the bench tools"
  mvn -q -B -f "$BENCH_DIR/pom.xml" package || die "the bench build failed"
}

ensure_services() {
  bash "$ROOT/deploy/services.sh" >/dev/null || die "deploy/services.sh could not start PostgreSQL and Redis"
  command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"
  command -v jstat >/dev/null || die "jstat is missing: install a full JDK 17"
  case "$LOADGEN" in
    java) ;;
    wrk) command -v wrk >/dev/null || die "LOADGEN=wrk needs wrk (apt-get install wrk)" ;;
    *) die "LOADGEN must be java or wrk, not '$LOADGEN'" ;;
  esac
  local port
  for port in "$GW_PORT" "$BARE_PORT"; do
    if listening "$port"; then die "port $port is already in use; stop what listens there or set GW_PORT/BARE_PORT"; fi
  done
}

recreate_db() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" \
    || die "cannot drop database $BENCH_DB"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $BENCH_DB" || die "cannot create database $BENCH_DB"
  log "database $BENCH_DB recreated"
}

sql() { "${PSQL[@]}" -d "$BENCH_DB" -c "$1"; }

# wait_http URL PID SECONDS: until URL answers 2xx, while PID lives
wait_http() {
  local i
  for i in $(seq 1 $(( $3 * 4 ))); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

start_bare() {
  java -jar "$BENCH_JAR" bare --port "$BARE_PORT" --instances "$BARE_INSTANCES" >"$RUN_DIR/bare.log" 2>&1 &
  BARE_PID=$!
  wait_http "http://127.0.0.1:$BARE_PORT/" "$BARE_PID" 30 \
    || die "the bare server did not start: $(cat "$RUN_DIR/bare.log")"
  log "bare server pid $BARE_PID on port $BARE_PORT ($BARE_INSTANCES instances)"
}

stop_bare() {
  kill "$BARE_PID" 2>/dev/null || true
  wait "$BARE_PID" 2>/dev/null || true
  BARE_PID=""
}

# The load generator is one client measured against the gateway's capacity, not a crowd of visitors: the
# per-network rate limits (CG_RATE_*) are off, as an operator would allow-list a load test. Everything else runs
# as in production (connection cap, in-flight cap, read deadlines). BENCH_RATE_LIMITS=1 keeps the defaults.
start_gateway() {
  local limits=(CG_RATE_CONSENTS_PER_MINUTE=0 CG_RATE_NOTICES_PER_MINUTE=0 CG_RATE_COLLECT_PER_MINUTE=0)
  if [ "${BENCH_RATE_LIMITS:-0}" = 1 ]; then limits=(); fi
  env "${limits[@]}" CG_PG_URL="postgresql://postgres@127.0.0.1:5432/$BENCH_DB" CG_ADMIN_TOKEN="$ADMIN_TOKEN" \
    CG_TRUSTED_PROXIES=127.0.0.1/32 CG_HTTP_PORT="$GW_PORT" CG_MANAGEMENT_PORT="${GW_MANAGEMENT_PORT:-18091}" \
    CG_PUBLIC_URL="http://127.0.0.1:$GW_PORT" CG_STATS_REFRESH_MINUTES="${BENCH_STATS_REFRESH_MINUTES:-60}" \
    java -Xmx256m -jar "$GW_JAR" >"$RUN_DIR/gateway.log" 2>&1 &
  GW_PID=$!
  wait_http "http://127.0.0.1:$GW_PORT/health/ready" "$GW_PID" 90 \
    || die "the gateway did not become ready; its log: $(tail -n 20 "$RUN_DIR/gateway.log")"
  log "gateway pid $GW_PID on port $GW_PORT (-Xmx256m)"
}

# stop_gateway: SIGTERM lets it drain and commit; at most 30 s
stop_gateway() {
  local i
  kill -TERM "$GW_PID" 2>/dev/null || true
  for i in $(seq 1 60); do
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$GW_PID" 2>/dev/null; then
    log "the gateway did not stop within 30 s of SIGTERM: killing it (rows may be missing)"
    kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
  log "gateway stopped"
}

put_site() {
  local status
  status=$(curl -s -o "$RUN_DIR/site.json" -w '%{http_code}' -X PUT "http://127.0.0.1:$GW_PORT/v1/admin/sites/bench" \
    -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"Bench shop","origins":["https://shop.example"],"policy":{"version":"2026-11"},
         "locales":["fr","en"],"purposes":[{"id":"statistics"},{"id":"prospecting"}]}')
  [ "$status" = 200 ] || die "PUT /v1/admin/sites/bench answered $status: $(cat "$RUN_DIR/site.json")"
  log "site bench created (statistics, prospecting; policy 2026-11)"
}

# jstat every 0.5 s for at most 10 minutes; stops by itself when the gateway exits
start_heap_sampler() {
  jstat -gc "$GW_PID" 500 1200 >"$RUN_DIR/heap-jstat.txt" 2>&1 &
  HEAP_PID=$!
}

stop_heap_sampler() {
  kill "$HEAP_PID" 2>/dev/null || true
  wait "$HEAP_PID" 2>/dev/null || true
  HEAP_PID=""
  # used heap = survivors + eden + old (KB); committed = their capacities
  read -r HEAP_MAX_MB HEAP_DETAIL < <(awk '
    $1 == "S0C" { for (i = 1; i <= NF; i++) col[$i] = i; next }
    col["EU"] && $col["EU"] ~ /^[0-9.]+$/ {
      used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]
      cap = $col["S0C"] + $col["S1C"] + $col["EC"] + $col["OC"]
      if (used > max) max = used
      if (cap > maxcap) maxcap = cap
      n++; ygc = $col["YGC"]; fgc = $col["FGC"]
    }
    END { if (n == 0) { print "-1 no_jstat_samples"; exit }
          printf "%.1f jstat_samples=%d committed_max_mb=%.1f young_gcs=%d full_gcs=%d\n",
            max / 1024, n, maxcap / 1024, ygc, fgc }
  ' "$RUN_DIR/heap-jstat.txt")
  if [ "$HEAP_MAX_MB" = -1 ]; then
    log "jstat gave no heap samples (see $RUN_DIR/heap-jstat.txt): heap not reported"
  else
    log "gateway heap: max used $HEAP_MAX_MB MB ($HEAP_DETAIL)"
  fi
}

# diagnostics RUN PID: while load run RUN measures, samples where the CPU goes: per-process CPU over the
# measured window (server PID, load generator, PostgreSQL, other), a per-thread top of the server at mid-window
# and a thread dump as the window ends; with BENCH_JFR=1 also a Java Flight Recorder profile of the server over
# the window.
diagnostics() {
  [ "$BENCH_DIAG" = 1 ] || return 0
  local run=$1 server=$2 warm dur
  warm=$(seconds "$WARMUP")
  dur=$(seconds "$DURATION")
  (
    for _ in $(seq 1 600); do
      grep -q '^load: started' "$RUN_DIR/$run.txt" 2>/dev/null && break
      sleep 0.5
    done
    local t0=$SECONDS
    # the CPU snapshots (a shell walk of /proc, a few tenths of a second of one core) are taken just outside the
    # window, 3 s before it and as it ends, so the split covers the window and the warm-up's last 3 s: taken
    # inside, they made the slowest first and last seconds of every run
    sleep_until $(( t0 + warm - 3 ))
    cpu_snapshot "$server" >"$RUN_DIR/cpu-$run-start.txt"
    sleep_until $(( t0 + warm ))
    if [ "${BENCH_JFR:-0}" = 1 ]; then
      jcmd "$server" JFR.start name=bench settings=profile duration="$((dur - 2))s" \
        filename="$RUN_DIR/$run.jfr" >/dev/null 2>&1
    fi
    sleep_until $(( t0 + warm + dur / 2 - 3 ))
    top -b -H -n 2 -d 3 -w 200 -p "$server" >"$RUN_DIR/top-threads-$run.txt" 2>&1
    sleep_until $(( t0 + warm + dur ))
    cpu_snapshot "$server" >"$RUN_DIR/cpu-$run-end.txt"
    # after the window too: jcmd is a JVM of its own (half a second of CPU) and the dump a safepoint; in the
    # window they made the slowest second of the run
    jcmd "$server" Thread.print >"$RUN_DIR/thread-dump-$run.txt" 2>&1
    cpu_split "$RUN_DIR/cpu-$run-start.txt" "$RUN_DIR/cpu-$run-end.txt" >"$RUN_DIR/cpu-$run.txt"
  ) &
  DIAG_PID=$!
}

sleep_until() {
  local left=$(( $1 - SECONDS ))
  if [ "$left" -gt 0 ]; then sleep "$left"; fi
}

# busy_percent: how busy the whole machine is over 2 s
busy_percent() {
  local -a a b
  read -r -a a < <(head -n 1 /proc/stat)
  sleep 2
  read -r -a b < <(head -n 1 /proc/stat)
  local busy=$(( (b[1] + b[2] + b[3] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[6] + a[7] + a[8]) ))
  local all=$(( busy + (b[4] + b[5]) - (a[4] + a[5]) ))
  echo $(( all > 0 ? 100 * busy / all : 0 ))
}

# quiet_check: other processes share the cores; waits up to BENCH_WAIT_QUIET seconds (default 120) for the
# machine to be under 15 % busy, then goes on either way with a warning
quiet_check() {
  local pct deadline=$(( SECONDS + ${BENCH_WAIT_QUIET:-120} ))
  pct=$(busy_percent)
  while [ "$pct" -ge 15 ] && [ "$SECONDS" -lt "$deadline" ]; do
    log "the machine is ${pct}% busy with other work; waiting for it to calm down"
    sleep 8
    pct=$(busy_percent)
  done
  if [ "$pct" -ge 15 ]; then
    log "WARNING: the machine is still ${pct}% busy; figures will be lower than on a quiet machine"
  else
    log "machine ${pct}% busy before the run"
  fi
}

# finish_diagnostics RUN: waits for the samples of RUN (bounded by the sampler's own waits); sets CPU_SPLIT
finish_diagnostics() {
  CPU_SPLIT=""
  [ -n "$DIAG_PID" ] || return 0
  wait "$DIAG_PID" 2>/dev/null || true
  DIAG_PID=""
  [ -s "$RUN_DIR/cpu-$1.txt" ] || return 0
  CPU_SPLIT=$(head -n 1 "$RUN_DIR/cpu-$1.txt")
  log "$1: $CPU_SPLIT"
  local foreign
  foreign=$(awk '$1 == "foreign" { print $2 }' "$RUN_DIR/cpu-$1.txt")
  if [ "${foreign:-0}" -ge 15 ]; then
    log "WARNING: processes outside the bench took ${foreign}% of the machine while $1 was measured:"
    log "         its figures understate what this machine can do; rerun on a quiet machine"
    CPU_SPLIT="$CPU_SPLIT [NOT QUIET]"
  fi
}

# cpu_snapshot SERVER_PID: the first line of /proc/stat, then "proc PID ROLE TICKS NAME" (user + system
# clock ticks) for every process
cpu_snapshot() {
  local f pid line rest role comm
  local -a fields
  head -n 1 /proc/stat
  for f in /proc/[0-9]*/stat; do
    pid=${f#/proc/}
    pid=${pid%/stat}
    read -r line 2>/dev/null <"$f" || continue
    rest=${line##*) }
    read -r -a fields <<<"$rest"
    role=other
    if [ "$pid" = "$1" ]; then
      role=server
    elif [[ $line == *"(java)"* ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq 'cg-bench.jar (load|wrk)'; then
      role=loadgen
    elif [[ $line == *"(wrk)"* ]]; then
      role=loadgen
    elif [[ $line == *"(postgres)"* ]]; then
      role=postgres
    fi
    comm=${line#*(}
    comm=${comm%)*}
    echo "proc $pid $role $(( fields[11] + fields[12] )) ${comm// /_}"
  done
}

# cpu_split START END: each role's share of the machine (100 % = every core busy) between two snapshots, and
# the busiest other processes; a last line "foreign N" gives the share of everything not under test
cpu_split() {
  awk -v cores="$(nproc)" '
    FNR == 1 { busy = $2 + $3 + $4 + $7 + $8 + $9; all = busy + $5 + $6
               if (FILENAME == ARGV[1]) { b0 = busy; a0 = all } else { b1 = busy; a1 = all }; next }
    FILENAME == ARGV[1] { t0[$2] = $4; next }
    { d = $4 - ($2 in t0 ? t0[$2] : 0)
      if (d > 0) { role[$3] += d; if ($3 == "other") { other[$2] = d; comm[$2] = $5 } } }
    END {
      total = a1 - a0; if (total <= 0) exit
      printf "cpu over %.1f s of %d cores: busy %.0f%%", total / cores / 100, cores, 100 * (b1 - b0) / total
      n = split("server loadgen postgres other", names, " ")
      for (i = 1; i <= n; i++) { printf ", %s %.0f%%", names[i], 100 * role[names[i]] / total; seen += role[names[i]] }
      gone = (b1 - b0) - seen
      printf ", exited processes %.0f%%", (gone > 0 ? 100 * gone / total : 0)
      for (k = 0; k < 3; k++) {
        best = ""; for (p in other) if (best == "" || other[p] > other[best]) best = p
        if (best == "" || other[best] < total / 100) break
        printf "%s %s %.0f%%", (k == 0 ? " (busiest others:" : ","), comm[best], 100 * other[best] / total
        delete other[best]; closing = ")"
      }
      printf "%s\nforeign %.0f\n", closing, 100 * (role["other"] + gone) / total
    }' "$1" "$2"
}

# seconds DURATION: 20s, 500ms, 2m -> whole seconds
seconds() {
  case "$1" in
    *ms) echo $(( ${1%ms} / 1000 )) ;;
    *s) echo "${1%s}" | cut -d. -f1 ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" | cut -d. -f1 ;;
  esac
}

# measure NAME LOADGEN-ARGS...: one load run, results in $RUN_DIR/NAME.json
measure() {
  local name=$1 rc=0
  shift
  quiet_check
  log "measuring $name ($WARMUP warm-up + $DURATION, load generator: $LOADGEN)"
  local tool=load
  if [ "$LOADGEN" = wrk ]; then tool=wrk; fi
  java -Xms1g -Xmx1g -jar "$BENCH_JAR" "$tool" --label "$name" --connections "$CONNECTIONS" --duration "$DURATION" \
    --warmup "$WARMUP" --event-loops "$LOADGEN_LOOPS" --out "$RUN_DIR/$name.json" "$@" >"$RUN_DIR/$name.txt" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  sed 's/^/  /' "$RUN_DIR/$name.txt"
  [ "$rc" = 0 ] && [ -s "$RUN_DIR/$name.json" ] || die "the load run $name failed (exit $rc); see above"
}

# db_mark: remembers PostgreSQL's commit count and WAL position for the bench database
db_mark() {
  DB_MARK=$(sql "SELECT xact_commit || ' ' || pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
                 FROM pg_stat_database WHERE datname = current_database()")
}

# db_since ROWS: commits and WAL written since db_mark (statistics lag up to a second: call it after a pause),
# with the averages per ROWS written; sets DB_WORK
db_since() {
  local now
  now=$(sql "SELECT xact_commit || ' ' || pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
             FROM pg_stat_database WHERE datname = current_database()")
  DB_WORK=$(echo "$DB_MARK $now $1" | awk '{ c = $3 - $1; w = $4 - $2
    printf "%d commits (%.1f rows per commit), %.1f MB of WAL (%.0f bytes per row)",
      c, (c > 0 ? $5 / c : 0), w / 1048576, ($5 > 0 ? w / $5 : 0) }')
  log "PostgreSQL: $DB_WORK"
}

# ids_found TABLE COLUMN FILE: how many distinct recorded ids exist in TABLE.COLUMN; -1 when nothing was
# recorded (wrk cannot match answers to requests: rows are then only counted)
ids_found() {
  if [ ! -f "$3" ]; then echo -1; return 0; fi
  "${PSQL[@]}" -d "$BENCH_DB" <<SQL
CREATE TEMP TABLE bench_ids (id text);
\\copy bench_ids FROM '$3'
SELECT count(DISTINCT b.id) FROM bench_ids b JOIN $1 t ON t.$2::text = b.id;
SQL
}

# recorded FILE: how many ids the load generator recorded (0 when it recorded none)
recorded() {
  if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi
}
