#!/usr/bin/env bash
# Runs inside a fresh Debian 12 root made by deploy/fresh-machine.sh, with the network already cut: the README's
# two commands and the checks around them, each reported as one PASS/FAIL line with its time.
# Usage (inside the root, as root, from the repository copy): bash deploy/fresh-machine-steps.sh CASE LOGDIR
# Exits non-zero when a step failed. Every wait is bounded; the gateway started here is stopped here.
set -euo pipefail
case_name=${1:?case name}
logs=${2:?log folder}
test_timeout=${FRESH_TEST_TIMEOUT:-3600}
cd "$(dirname "$0")/.."
mkdir -p "$logs"
failed=0
GW_PID=""

cleanup() {
  if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
    kill "$GW_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# step NAME COMMAND...: runs COMMAND with its output in LOGDIR/NAME.log; prints PASS/FAIL, elapsed time and the
# lines the command noted
step() {
  local name=$1 start rc
  shift
  start=$(date +%s)
  detail_file="$logs/$name.detail"
  : >"$detail_file"
  set +e
  "$@" >"$logs/$name.log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    printf 'fresh[%s]: PASS  %-27s %5ss\n' "$case_name" "$name" "$(($(date +%s) - start))"
  else
    printf 'fresh[%s]: FAIL  %-27s %5ss  exit %s, log %s\n' "$case_name" "$name" "$(($(date +%s) - start))" "$rc" \
      "$logs/$name.log"
    failed=1
  fi
  sed "s/^/fresh[$case_name]:         /" "$detail_file"
  if [ "$rc" -ne 0 ]; then
    # awk ends every line, also Maven's last one, which has none
    tail -n 15 "$logs/$name.log" | awk -v p="fresh[$case_name]:         | " '{ gsub(/\x1b\[[0-9;]*m/, ""); print p $0 }'
  fi
}
note() { echo "$*" >>"$detail_file"; }

http_status() { # http_status PATH: status code of GET http://127.0.0.1:8080PATH, empty when nothing answers
  timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET %s HTTP/1.0\r\nHost: localhost:8080\r\n\r\n" "$1" >&3 &&
    IFS=" " read -r _ code _ <&3 && printf "%s" "$code"' _ "$1" 2>/dev/null || true
}

check_offline() {
  local ifaces
  ifaces=$(ls /sys/class/net | paste -sd ' ')
  note "interfaces: $ifaces"
  [ "$ifaces" = lo ]
}

no_root_message() {
  id cgdev >/dev/null 2>&1 || useradd -m cgdev
  cp deploy/services.sh /tmp/services-as-cgdev.sh
  chmod 644 /tmp/services-as-cgdev.sh
  local out rc=0
  out=$(runuser -u cgdev -- bash /tmp/services-as-cgdev.sh 2>&1) || rc=$?
  echo "$out"
  note "exit $rc: $out"
  [ "$rc" -ne 0 ] && grep -q "needs root: run as root or install sudo" <<<"$out" && ! grep -q "command not found" <<<"$out"
}

run_demo() {
  ./deploy/run.sh >"$logs/run.sh.out" 2>&1 &
  GW_PID=$! # run.sh ends in exec java: this is the gateway
  local code=""
  for _ in $(seq 1 900); do
    code=$(http_status /demo)
    [ "$code" = 200 ] && break
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 1
  done
  cat "$logs/run.sh.out"
  sed 's/\x1b\[[0-9;]*m//g' "$logs/run.sh.out" | grep '^services:\|npm ci\|Consent Gateway:' >>"$detail_file" || true
  note "GET /demo → ${code:-no answer}"
  kill "$GW_PID" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 1; done
  if kill -0 "$GW_PID" 2>/dev/null; then
    kill -9 "$GW_PID" 2>/dev/null || true
    note "the gateway ignored SIGTERM for 30 s"
    return 1
  fi
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
  note "gateway stopped"
  [ "$code" = 200 ] && grep -q "admin key: demo-admin-token-change-me" "$logs/run.sh.out"
}

run_tests() {
  local out="$logs/test.sh.out" rc=0
  timeout "$test_timeout" ./deploy/test.sh >"$out" 2>&1 || rc=$?
  cat "$out"
  grep '^services:' "$out" >>"$detail_file" || true
  grep -E '^# (pass|fail|skipped) ' "$out" | paste -sd ' ' >>"$detail_file" || true
  grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$out" |
    tail -n 1 >>"$detail_file" || true
  grep -E 'Tests run:.*Skipped: [1-9].*GeoIpTest' "$out" | head -n 1 >>"$detail_file" || true
  [ "$rc" -ne 124 ] || note "stopped after ${test_timeout} s (FRESH_TEST_TIMEOUT)"
  return "$rc"
}

idempotent() {
  local out
  out=$(bash deploy/services.sh --browser 2>&1)
  echo "$out"
  echo "$out" >>"$detail_file"
  grep -q "PostgreSQL answers on 127.0.0.1:5432" <<<"$out" && grep -q "Redis answers PING" <<<"$out"
}

# Back to Debian's own pg_hba.conf (SCRAM on loopback for everyone, as on a cluster someone else set up): the gateway
# must name the credentials problem, and services.sh must then repair it.
scram_break_and_start() {
  local hba out
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n 1)
  sed -i '/consent-gateway loopback/d; /^host all postgres 127.0.0.1\/32 trust$/d; /^host all postgres ::1\/128 trust$/d' "$hba"
  pg_ctlcluster "$(echo "$hba" | cut -d/ -f4)" main reload
  sleep 1
  if env PGCONNECT_TIMEOUT=5 psql -w -h 127.0.0.1 -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
    note "could not set up the case: postgres still logs in without a password"
    return 1
  fi
  for url in postgresql://postgres@127.0.0.1:5432/consent_gateway \
      postgresql://postgres:not-the-password@127.0.0.1:5432/consent_gateway; do
    out=$(CG_PG_URL=$url CG_HTTP_PORT=18555 timeout 60 java -jar gateway/target/consent-gateway.jar 2>&1 |
      grep '^consent-gateway:' || true)
    echo "$out"
    note "${out:-no start-up error line}"
  done
  grep -q 'asks user postgres for a password and CG_PG_URL has none' "$detail_file" &&
    grep -q 'refused the credentials of user postgres: FATAL: password authentication failed' "$detail_file" &&
    ! grep -q 'not-the-password' "$detail_file"
}

scram_repair() {
  local out
  out=$(bash deploy/services.sh 2>&1)
  echo "$out"
  echo "$out" >>"$detail_file"
  grep -q "refused user postgres without a password" <<<"$out" &&
    env PGCONNECT_TIMEOUT=5 psql -w -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' | grep -qx 1
}

echo "fresh[$case_name]: inside: $(. /etc/os-release && echo "$PRETTY_NAME"), init: $(cat /proc/1/comm)," \
  "systemd running: $([ -d /run/systemd/system ] && echo yes || echo no), node $(node --version)," \
  "java $(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
step network-cut check_offline
step services-without-root no_root_message
step run.sh-demo-page run_demo
step test.sh run_tests
step services-again-idempotent idempotent
step gateway-names-auth-failure scram_break_and_start
step services-repairs-scram scram_repair
exit "$failed"
