#!/usr/bin/env bash
# GET /v1/stats (issue 10, "Benchmark"): for each size (SIZES="1M 10M"), a fresh database gets one site's month of
# synthetic terminal events (bench/stats/generate.sql: 30 days of November 2026, Europe/Paris, ~5,000 pages with a
# long tail, ~50 referrers, notices and consents in proportion); the rollups are built day by day through
# POST /v1/admin/stats/rollups (each call timed: rollup time per day of data); then every stats endpoint is timed
# over HTTP (RUNS=20 warm runs after WARM=3, median and p95) next to the same answer computed by a direct GROUP BY
# over the raw events in the same run (DIRECT_RUNS=3 runs, DIRECT_RUNS_LARGE=1 from 5 M events; psql \timing), and the two answers are compared.
# The gateway runs with CG_JOBS=false so only this script rolls up. Targets: each stats query <= 100 ms median,
# and not growing with the number of events. Results: bench/results/stats-<date>.json and bench/results/stats-<date>/.
# Settings: SIZES, RUNS, WARM, DIRECT_RUNS, DIRECT_RUNS_LARGE, BENCH_DB=consent_gateway_stats_bench, GW_PORT=18180,
# GW_MANAGEMENT_PORT=18191, K=5, KEEP_DB=1 (default; 0 drops the database at the end), REUSE_EVENTS=1 (keep the events
# of an earlier run when the database holds exactly that size, and only rebuild the rollups), BENCH_STRICT.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
BENCH_DB=${BENCH_DB:-consent_gateway_stats_bench}
GW_PORT=${GW_PORT:-18180}
GW_MANAGEMENT_PORT=${GW_MANAGEMENT_PORT:-18191}
BARE_PORT=${BARE_PORT:-18181}
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
SIZES=${SIZES:-"1M 10M"}
RUNS=${RUNS:-20}
WARM=${WARM:-3}
DIRECT_RUNS=${DIRECT_RUNS:-3}
DIRECT_RUNS_LARGE=${DIRECT_RUNS_LARGE:-1}   # from 5 M events on a direct query takes tens of seconds
K=${K:-5}
KEEP_DB=${KEEP_DB:-1}
REUSE_EVENTS=${REUSE_EVENTS:-0}
SITE=bench
TZ_SITE=Europe/Paris
FROM=2026-11-01
TO=2026-11-30
# the range in the site's time zone, for the direct queries
RANGE="site_id = '$SITE' AND %s >= '$FROM 00:00 $TZ_SITE'::timestamptz AND %s < '2026-12-01 00:00 $TZ_SITE'::timestamptz"

bench_init stats
if [ ! -f "$GW_JAR" ]; then
  log "building the gateway (mvn package in $ROOT)"
  (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the gateway build failed"
fi
command -v jq >/dev/null || die "jq is missing"
"${PSQL[@]}" -d postgres -c "SELECT 1" >/dev/null || die "PostgreSQL does not answer on 127.0.0.1:5432"
listening "$GW_PORT" && die "port $GW_PORT is already in use"

count() {
  case "$1" in
    *M) echo $(( ${1%M} * 1000000 )) ;;
    *k) echo $(( ${1%k} * 1000 )) ;;
    *) echo "$1" ;;
  esac
}
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
# stats FILE: "median p95 min max" of the numbers in FILE (ms)
pct() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "-1 -1 -1 -1"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    i = int(0.95 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
    printf "%.1f %.1f %.1f %.1f\n", m, v[i], v[1], v[NR] }'
}

api() { # METHOD PATH TOKEN [BODY] -> body on stdout, fails on non-2xx
  local out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' -X "$1" "http://127.0.0.1:$GW_PORT$2" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' ${4:+-d "$4"})
  if [ "${status:0:1}" != 2 ]; then
    echo "bench: $1 $2 answered $status: $(cat "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# --- direct queries over the raw events: the same answer as each endpoint --------------------------------------------
day_of() { echo "(($1 AT TIME ZONE '$TZ_SITE')::date)"; }
traffic_key() {
  case "$1" in
    page) echo "page" ;;
    referrer) echo "coalesce(referrer_host, '(direct)')" ;;
    country) echo "coalesce(country, '(unknown)')" ;;
    language) echo "coalesce(language, '(unknown)')" ;;
    *) echo "$1" ;;
  esac
}
# keys with k visitors on a day, summed over days (top 100, as the endpoint's first page), the count of keys, and
# '(other)': per day the visitors of the keys below k counted distinct, kept when >= k
direct_traffic() {
  local key range
  key=$(traffic_key "$1")
  # shellcheck disable=SC2059
  range=$(printf "$RANGE" received_at received_at)
  cat <<SQL
WITH ev AS MATERIALIZED (
  SELECT $(day_of received_at) AS day, $key AS key, type, visitor_hash FROM terminal.events WHERE $range),
cells AS (
  SELECT day, key, count(*) FILTER (WHERE type = 'pageview') AS pageviews, count(DISTINCT visitor_hash) AS visitors
    FROM ev GROUP BY day, key),
top AS (
  SELECT key, sum(pageviews) AS pageviews, sum(visitors) AS visitors, count(*) OVER () AS total
    FROM cells WHERE visitors >= $K GROUP BY key ORDER BY visitors DESC, key LIMIT 100),
small AS (
  SELECT ev.day, count(*) FILTER (WHERE ev.type = 'pageview') AS pageviews, count(DISTINCT ev.visitor_hash) AS visitors
    FROM ev JOIN cells c ON c.day = ev.day AND c.key = ev.key WHERE c.visitors < $K GROUP BY ev.day)
SELECT key || '|' || pageviews || '|' || visitors || '|' || total FROM (SELECT * FROM top ORDER BY visitors DESC, key) t
UNION ALL
SELECT 'other|' || coalesce(sum(pageviews), 0) || '|' || coalesce(sum(visitors), 0) FROM small WHERE visitors >= $K;
SQL
}
direct_days() {
  # shellcheck disable=SC2059
  cat <<SQL
SELECT day || '|' || pageviews || '|' || visitors FROM (
  SELECT $(day_of received_at) AS day, count(*) FILTER (WHERE type = 'pageview') AS pageviews,
         count(DISTINCT visitor_hash) AS visitors
    FROM terminal.events WHERE $(printf "$RANGE" received_at received_at) GROUP BY 1) d
 WHERE visitors >= $K ORDER BY day;
SQL
}
bucket() { # INTERVAL COLUMN
  local d
  d=$(day_of "$2")
  case "$1" in
    day) echo "$d" ;;
    *) echo "greatest(date_trunc('$1', $d)::date, '$FROM'::date)" ;;
  esac
}
direct_consent() {
  # shellcheck disable=SC2059
  cat <<SQL
WITH n AS (
  SELECT $(bucket "$1" shown_at) AS b, count(*) AS notices FROM consent.notices
   WHERE $(printf "$RANGE" shown_at shown_at) GROUP BY 1),
e AS (
  SELECT $(bucket "$1" given_at) AS b, count(*) FILTER (WHERE kind <> 'withdrawn') AS choices,
         count(*) FILTER (WHERE method = 'accept_all') AS accept_all, count(*) FILTER (WHERE method = 'reject_all') AS reject_all,
         count(*) FILTER (WHERE method = 'custom') AS custom, count(*) FILTER (WHERE method = 'gpc') AS gpc,
         count(*) FILTER (WHERE method = 'dismiss') AS dismiss, count(*) FILTER (WHERE kind = 'withdrawn') AS withdrawals,
         count(*) FILTER (WHERE kind <> 'withdrawn' AND choices->>'statistics' = 'true') AS sg,
         count(*) FILTER (WHERE kind <> 'withdrawn' AND choices->>'statistics' = 'false') AS sr,
         count(*) FILTER (WHERE kind <> 'withdrawn' AND choices->>'prospecting' = 'true') AS pg,
         count(*) FILTER (WHERE kind <> 'withdrawn' AND choices->>'prospecting' = 'false') AS pr
    FROM consent.events WHERE $(printf "$RANGE" given_at given_at) GROUP BY 1)
SELECT concat_ws('|', b, coalesce(notices, 0), coalesce(choices, 0), coalesce(accept_all, 0), coalesce(reject_all, 0),
                 coalesce(custom, 0), coalesce(gpc, 0), coalesce(dismiss, 0), coalesce(withdrawals, 0),
                 coalesce(sg, 0), coalesce(sr, 0), coalesce(pg, 0), coalesce(pr, 0))
  FROM n FULL JOIN e USING (b) ORDER BY b;
SQL
}
direct_summary() {
  # shellcheck disable=SC2059
  cat <<SQL
WITH d AS (
  SELECT $(day_of received_at) AS day, count(*) FILTER (WHERE type = 'pageview') AS pageviews,
         count(DISTINCT visitor_hash) AS visitors
    FROM terminal.events WHERE $(printf "$RANGE" received_at received_at) GROUP BY 1),
n AS (SELECT count(*) AS notices FROM consent.notices WHERE $(printf "$RANGE" shown_at shown_at)),
g AS (SELECT count(*) AS granted FROM consent.events
       WHERE $(printf "$RANGE" given_at given_at) AND kind <> 'withdrawn' AND choices->>'statistics' = 'true')
SELECT concat_ws('|', (SELECT sum(pageviews) FROM d WHERE visitors >= $K), (SELECT sum(visitors) FROM d WHERE visitors >= $K),
                 notices, CASE WHEN notices = 0 THEN 'null' ELSE trim_scale(round(granted::numeric / notices, 4))::text END,
                 (SELECT count(*) FROM d WHERE visitors < $K))
  FROM n, g;
SQL
}

# the endpoint's answer in the direct query's shape
answer_of() { # NAME JSONFILE
  case "$1" in
    summary) jq -r '"\(.pageviews)|\(.visitors)|\(.notices)|\(.consentCoverage)|\(.suppressedDays)"' "$2" ;;
    consent-*) jq -r '.buckets[] | [.start, .notices, .choices, .acceptAll, .rejectAll, .custom, .gpc, .dismiss,
        .withdrawals, .purposes.statistics.granted, .purposes.statistics.refused, .purposes.prospecting.granted,
        .purposes.prospecting.refused] | map(tostring) | join("|")' "$2" ;;
    traffic-day) jq -r '.rows[] | "\(.key)|\(.pageviews)|\(.visitors)"' "$2" ;;
    traffic-*) jq -r '(.rows[] as $r | "\($r.key)|\($r.pageviews)|\($r.visitors)|\(.total)"),
        "other|\(.other.pageviews // 0)|\(.other.visitors // 0)"' "$2" ;;
  esac
}

# time_endpoint NAME PATH: WARM + RUNS calls; appends "size name median p95 min max" to $SIZE_DIR/http.txt
time_endpoint() {
  local name=$1 path=$2 i t
  : >"$SIZE_DIR/http-$name.ms"
  for i in $(seq 1 $(( WARM + RUNS ))); do
    t=$(curl -s -o "$SIZE_DIR/$name.json" -w '%{http_code} %{time_total}' "http://127.0.0.1:$GW_PORT$path" \
      -H "Authorization: Bearer $MARKETING")
    [ "${t%% *}" = 200 ] || die "GET $path answered ${t%% *}: $(head -c 300 "$SIZE_DIR/$name.json")"
    if [ "$i" -gt "$WARM" ]; then awk -v s="${t#* }" 'BEGIN { printf "%.3f\n", s * 1000 }' >>"$SIZE_DIR/http-$name.ms"; fi
  done
}

# time_direct NAME SQL: RUNS_DIRECT timed runs (the stats endpoints ran just before, so the raw data is as warm as
# the cache allows); the first one's answer is kept
time_direct() {
  local name=$1 sql=$2
  printf '%s\n' "$sql" >"$SIZE_DIR/direct-$name.sql"
  {
    echo "\\timing on"
    echo "\\o $SIZE_DIR/direct-$name.txt"
    printf '%s\n' "$sql"
    echo "\\o /dev/null"
    for _ in $(seq 2 "$RUNS_DIRECT"); do printf '%s\n' "$sql"; done
  } >"$SIZE_DIR/direct-$name.run.sql"
  env PGOPTIONS="--client-min-messages=warning -c work_mem=64MB" psql -h 127.0.0.1 -U postgres -d "$BENCH_DB" \
    -v ON_ERROR_STOP=1 -qtAX -f "$SIZE_DIR/direct-$name.run.sql" | awk '/^Time: / { print $2 }' \
    >"$SIZE_DIR/direct-$name.ms"
}

SUMMARY_ROWS="$RUN_DIR/rows.tsv"
: >"$SUMMARY_ROWS"
ROLLUP_ROWS="$RUN_DIR/rollups.tsv"
: >"$ROLLUP_ROWS"

run_size() {
  local size=$1 n t0 t1 gen_s day ms out ev_day
  n=$(count "$size")
  SIZE_DIR="$RUN_DIR/$size"
  RUNS_DIRECT=$DIRECT_RUNS
  if [ "$n" -ge 5000000 ]; then RUNS_DIRECT=$DIRECT_RUNS_LARGE; fi
  mkdir -p "$SIZE_DIR"
  log "=== $size: $n events (load $(load_avg))"
  local reuse=0
  if [ "$REUSE_EVENTS" = 1 ] && [ "$("${PSQL[@]}" -d "$BENCH_DB" -c "SELECT count(*) FROM terminal.events WHERE site_id = '$SITE'" 2>/dev/null)" = "$n" ]; then
    reuse=1
    log "reusing the $n events already in $BENCH_DB (REUSE_EVENTS=1); the rollups are rebuilt"
  else
    recreate_db
  fi
  CG_JOBS=false start_gateway
  api PUT "/v1/admin/sites/$SITE" "$ADMIN_TOKEN" '{"name":"Bench shop","origins":["https://shop.example"],
    "policy":{"version":"2026-11"},"locales":["fr","en"],"timeZone":"'"$TZ_SITE"'","k":'"$K"',
    "purposes":[{"id":"statistics"},{"id":"prospecting"}]}' >"$SIZE_DIR/site.json"
  MARKETING=$(api POST /v1/admin/keys "$ADMIN_TOKEN" '{"role":"marketing","sites":["'"$SITE"'"]}' | jq -r .token)
  log "site $SITE (Europe/Paris, k=$K) and a marketing key created"

  gen_s=reused
  if [ "$reuse" = 0 ]; then
    log "generating $n events and their notices and consents (load $(load_avg))"
    t0=$(date +%s.%N)
    "${PSQL[@]}" -d "$BENCH_DB" -v n="$n" -v site="$SITE" -f "$BENCH_DIR/stats/generate.sql" >"$SIZE_DIR/generate.log"
    t1=$(date +%s.%N)
    gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  fi
  local counts
  counts=$(sql "SELECT (SELECT count(*) FROM terminal.events) || ' ' || (SELECT count(*) FROM consent.notices) || ' ' ||
                       (SELECT count(*) FROM consent.events) || ' ' ||
                       pg_size_pretty(pg_database_size(current_database()))")
  log "generated in ${gen_s} s: events notices consents db-size = $counts; disk: $(df -h --output=avail "$ROOT" | tail -n 1) free"

  log "rolling up 30 days, one POST /v1/admin/stats/rollups per day (load $(load_avg))"
  : >"$SIZE_DIR/rollup.ms"
  for day in $(seq -w 1 30); do
    t0=$(date +%s%N)
    out=$(api POST /v1/admin/stats/rollups "$ADMIN_TOKEN" '{"siteId":"'"$SITE"'","from":"2026-11-'"$day"'","to":"2026-11-'"$day"'"}')
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    ev_day=$(jq -r .events <<<"$out")
    echo "$ms" >>"$SIZE_DIR/rollup.ms"
    printf '%s\t2026-11-%s\t%s\t%s\t%s\n' "$size" "$day" "$ev_day" "$ms" "$(jq -r .rows <<<"$out")" >>"$ROLLUP_ROWS"
  done
  read -r r_med r_p95 r_min r_max < <(pct "$SIZE_DIR/rollup.ms")
  log "rollup per day: median $r_med ms, p95 $r_p95 ms, max $r_max ms ($(( n / 30 )) events a day)"
  local t
  for t in traffic_daily traffic_spans span_rollups site_daily consent_daily consent_purpose_daily rollups; do sql "VACUUM ANALYZE stats.$t"; done

  local q="from=$FROM&to=$TO" name path direct load_q
  local -a names=(summary consent-day consent-week consent-month)
  local dim
  for dim in page referrer browser os device country language day; do names+=("traffic-$dim"); done
  # every endpoint first (the figures that matter, quickly), then the direct queries, which take seconds each
  local -A paths directs loads
  for name in "${names[@]}"; do
    case "$name" in
      summary) path="/v1/stats/$SITE/summary?$q"; direct=$(direct_summary) ;;
      consent-*) path="/v1/stats/$SITE/consent?$q&interval=${name#consent-}"; direct=$(direct_consent "${name#consent-}") ;;
      traffic-day) path="/v1/stats/$SITE/traffic?$q&dimension=day"; direct=$(direct_days) ;;
      traffic-*) path="/v1/stats/$SITE/traffic?$q&dimension=${name#traffic-}"; direct=$(direct_traffic "${name#traffic-}") ;;
    esac
    directs[$name]=$direct
    loads[$name]=$(load_avg)
    time_endpoint "$name" "$path"
    read -r h_med h_p95 h_min h_max < <(pct "$SIZE_DIR/http-$name.ms")
    log "$(printf '%-5s %-17s http median %7s ms p95 %7s ms (load %s)' "$size" "$name" "$h_med" "$h_p95" "${loads[$name]}")"
  done
  stop_gateway
  for name in "${names[@]}"; do
    time_direct "$name" "${directs[$name]}"
    answer_of "$name" "$SIZE_DIR/$name.json" >"$SIZE_DIR/answer-$name.txt"
    local same=yes
    cmp -s "$SIZE_DIR/answer-$name.txt" "$SIZE_DIR/direct-$name.txt" || same=NO
    read -r h_med h_p95 h_min h_max < <(pct "$SIZE_DIR/http-$name.ms")
    read -r d_med d_p95 d_min d_max < <(pct "$SIZE_DIR/direct-$name.ms")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "$h_med" "$h_p95" "$d_med" "$d_p95" "$same" \
      "$(wc -l <"$SIZE_DIR/answer-$name.txt")" "${loads[$name]}" >>"$SUMMARY_ROWS"
    log "$(printf '%-5s %-17s http median %7s ms p95 %7s ms | direct GROUP BY median %9s ms p95 %9s ms | same answer: %s (load %s)' \
      "$size" "$name" "$h_med" "$h_p95" "$d_med" "$d_p95" "$same" "$(load_avg)")"
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$n" "$gen_s" "$counts" "$r_med" "$r_p95" "$r_max" >>"$RUN_DIR/sizes.tsv"
}

for s in $SIZES; do run_size "$s"; done
[ "$KEEP_DB" = 1 ] || "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"

# --- table and JSON ---------------------------------------------------------------------------------------------------
echo
printf '%-5s %-16s %10s %10s %14s %14s %6s %6s  %s\n' size endpoint "http p50" "http p95" "direct p50" "direct p95" same \
  lines "load (1/5/15 min)"
awk -F'\t' '{ printf "%-5s %-16s %7s ms %7s ms %11s ms %11s ms %6s %6s  %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' \
  "$SUMMARY_ROWS"
echo
awk -F'\t' '{ printf "%-5s %10s events generated in %6s s (events notices consents db: %s); rollup per day: median %s ms, p95 %s ms, max %s ms\n",
  $1, $2, $3, $4, $5, $6, $7 }' "$RUN_DIR/sizes.tsv"
echo "targets:"
missed=0
while IFS=$'\t' read -r size name hmed _ _ _ same _ _; do
  if awk -v m="$hmed" 'BEGIN { exit !(m > 100) }'; then echo "  [MISS] $size $name median $hmed ms > 100 ms"; missed=1; fi
  if [ "$same" != yes ]; then echo "  [MISS] $size $name: the endpoint's answer differs from the direct GROUP BY"; missed=1; fi
done <"$SUMMARY_ROWS"
[ "$missed" = 0 ] && echo "  [ ok ] every stats endpoint <= 100 ms median and equal to the direct GROUP BY"
jq -Rn --arg commit "$COMMIT" --arg stamp "$STAMP" --arg cores "$(nproc)" --argjson runs "$RUNS" \
  --argjson direct_runs "$DIRECT_RUNS" --arg direct_large "$DIRECT_RUNS_LARGE" --rawfile rows "$SUMMARY_ROWS" --rawfile sizes "$RUN_DIR/sizes.tsv" \
  --rawfile rollups "$ROLLUP_ROWS" '
  def lines($s): $s | split("\n") | map(select(length > 0) | split("\t"));
  { kind: "stats", commit: $commit, stamp: $stamp, cores: ($cores | tonumber), runs: $runs, directRuns: $direct_runs, directRunsFrom5M: ($direct_large | tonumber),
    range: "2026-11-01..2026-11-30 Europe/Paris",
    sizes: [lines($sizes)[] | { size: .[0], events: (.[1] | tonumber), generateSeconds: (.[2] | tonumber? // null),
             rowsAndDbSize: .[3], rollupPerDayMs: { median: (.[4] | tonumber), p95: (.[5] | tonumber), max: (.[6] | tonumber) } }],
    endpoints: [lines($rows)[] | { size: .[0], endpoint: .[1], httpMs: { median: (.[2] | tonumber), p95: (.[3] | tonumber) },
             directGroupByMs: { median: (.[4] | tonumber), p95: (.[5] | tonumber) }, sameAnswer: (.[6] == "yes"),
             answerLines: (.[7] | tonumber), loadAvg: .[8] }],
    rollupDays: [lines($rollups)[] | { size: .[0], day: .[1], events: (.[2] | tonumber), ms: (.[3] | tonumber),
             rows: (.[4] | tonumber) }] }' >"$RESULT"
log "wrote ${RESULT#"$ROOT"/}"
if [ "$missed" = 1 ] && [ -n "${BENCH_STRICT:-}" ]; then exit 1; fi
