#!/usr/bin/env bash
# On one machine, what a large site runs on several, from Debian's packages: three gateways behind HAProxy
# (health-checked on readiness); PostgreSQL under Patroni (etcd as its store, a primary and a synchronous
# standby, synchronous_mode on, HAProxy routing to whichever node Patroni's REST API calls primary); Redis with
# a replica and three Sentinels. Loopback only, ports 27000-27700 (never 5432, 6379 or 8080), all state under
# CG_CLUSTER_DIR (/tmp/cg-cluster). Needs root: it installs what is missing with apt and runs PostgreSQL as the
# postgres user.
#
#   deploy/cluster.sh start | stop | status
#   deploy/cluster.sh env                      the gateway environment (for load tools)
#   deploy/cluster.sh gateway-start N | gateway-stop N | gateway-kill N     N = 1..3
#   deploy/cluster.sh node-kill N | node-start N                            Patroni node N = 1..2 (kill -9)
#   deploy/cluster.sh pg-primary | redis-master                             which one it is now
#   deploy/cluster.sh redis-kill-master | redis-start N                     kill -9 the Redis master; start N again
#
# "stop" ends every process it started (by the pids it wrote) and leaves the logs; "start" begins from empty.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${CG_CLUSTER_DIR:-/tmp/cg-cluster}
PG_BIN=${CG_CLUSTER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
GW_JAR="$ROOT/gateway/target/consent-gateway.jar"

ETCD_CLIENT=27379 ETCD_PEER=27380
PG_PORT=(- 27432 27433) PATRONI_API=(- 27008 27009)
PG_FRONT=27500                       # HAProxy: the current primary
REDIS_PORT=(- 27637 27638) SENTINEL_PORT=(- 27641 27642 27643)
GW_PORT=(- 27081 27082 27083) GW_MGMT=(- 27091 27092 27093)
HTTP_FRONT=27080 HAPROXY_STATS=27090
MASTER_NAME=cg-cluster
DATABASE=consent_gateway_cluster
ADMIN_TOKEN=${CG_CLUSTER_ADMIN_TOKEN:-cluster-admin-token-0123456789}
TOKEN_SECRET=${CG_CLUSTER_TOKEN_SECRET:-cluster-token-secret-0123456789abcdef0123456789}

say() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }
listening() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# wait_for SECONDS WHAT COMMAND...: polls every 0.25 s
wait_for() {
  local limit=$1 what=$2 i
  shift 2
  for i in $(seq 1 $((limit * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$what not within $limit s (logs: $DIR/log)"
}

ensure_packages() {
  local missing=()
  command -v patroni >/dev/null || missing+=(patroni)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -n "$PG_BIN" ] || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: run as root (apt-get install) or install them yourself"
  say "installing ${missing[*]} with apt (their own services are not used)"
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq >"$DIR/apt.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "${missing[@]}" >>"$DIR/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed (log: $DIR/apt.log)"
  # a package whose postinst started its own daemon keeps it: this script never uses Debian's instances
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
}

# --- etcd ---------------------------------------------------------------------------------------------------------
start_etcd() {
  etcd --name cg-etcd --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
    --initial-cluster "cg-etcd=http://127.0.0.1:$ETCD_PEER" --listen-metrics-urls "" >"$DIR/log/etcd.log" 2>&1 &
  echo $! >"$DIR/run/etcd.pid"
  wait_for 30 "etcd answering on $ETCD_CLIENT" curl -sf "http://127.0.0.1:$ETCD_CLIENT/health"
}

# --- PostgreSQL under Patroni ---------------------------------------------------------------------------------------
patroni_config() {
  local n=$1
  cat <<YAML
scope: cg-cluster
namespace: /cg/
name: pg$n
log:
  level: INFO
restapi:
  listen: 127.0.0.1:${PATRONI_API[$n]}
  connect_address: 127.0.0.1:${PATRONI_API[$n]}
etcd3:
  hosts: 127.0.0.1:$ETCD_CLIENT
bootstrap:
  dcs:
    # leader key lifetime: a dead primary's key expires after ttl, then the synchronous standby takes over
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    # a commit is acknowledged only once the standby has it, and only that standby may be promoted
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        max_connections: 200
        shared_buffers: 128MB
        wal_level: replica
        wal_log_hints: 'on'
        hot_standby: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
  - auth-local: trust
  - auth-host: trust
  pg_hba:
  - local all all trust
  - host replication replicator 127.0.0.1/32 trust
  - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:${PG_PORT[$n]}
  connect_address: 127.0.0.1:${PG_PORT[$n]}
  data_dir: $DIR/pg$n/data
  bin_dir: $PG_BIN
  pgpass: $DIR/pg$n/pgpass
  remove_data_directory_on_rewind_failure: true
  remove_data_directory_on_diverged_timelines: true
  authentication:
    replication: {username: replicator, password: replicator}
    superuser: {username: postgres, password: postgres}
    rewind: {username: postgres, password: postgres}
  parameters:
    unix_socket_directories: $DIR/pg$n
YAML
}

node_start() {
  local n=$1
  alive "$DIR/run/patroni$n.pid" && return
  mkdir -p "$DIR/pg$n"
  patroni_config "$n" >"$DIR/pg$n/patroni.yml"
  chown -R postgres:postgres "$DIR/pg$n"
  chmod 700 "$DIR/pg$n"
  # setpriv execs (runuser would fork): the pid written is Patroni's own, so node-kill kills Patroni itself
  HOME="$DIR/pg$n" setpriv --reuid postgres --regid postgres --init-groups -- \
    patroni "$DIR/pg$n/patroni.yml" >>"$DIR/log/patroni$n.log" 2>&1 &
  echo $! >"$DIR/run/patroni$n.pid"
}

# node_kill N: the machine dies: Patroni and its PostgreSQL, kill -9, at once
node_kill() {
  local n=$1 pm
  pm=$(head -n 1 "$DIR/pg$n/data/postmaster.pid" 2>/dev/null || true)
  if [ -f "$DIR/run/patroni$n.pid" ]; then kill -KILL "$(cat "$DIR/run/patroni$n.pid")" 2>/dev/null || true; fi
  if [ -n "$pm" ]; then kill -KILL "$pm" 2>/dev/null || true; fi
  # the postmaster's children end once they notice it gone
  for _ in $(seq 1 40); do
    pgrep -u postgres -f -- "-D $DIR/pg$n/data" >/dev/null || pgrep -u postgres -f "postgres: cg-cluster: " \
      >/dev/null || break
    sleep 0.25
  done
  rm -f "$DIR/run/patroni$n.pid"
}

role_of() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PATRONI_API[$1]}/$2"; }
pg_primary() {
  local n
  for n in 1 2; do
    if is_primary "$n"; then echo "$n"; return 0; fi
  done
  return 1
}
is_primary() { [ "$(role_of "$1" primary)" = 200 ]; }
sync_standby_ready() { [ "$(role_of 2 sync)" = 200 ]; }
psql_front() { psql -h 127.0.0.1 -p "$PG_FRONT" -U postgres -Atq "$@"; }

# --- Redis and Sentinel ---------------------------------------------------------------------------------------------
start_redis() {
  local n=$1 extra=()
  [ "$n" = 2 ] && extra=(--replicaof 127.0.0.1 "${REDIS_PORT[1]}")
  redis-server --port "${REDIS_PORT[$n]}" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR/redis" \
    --daemonize yes --pidfile "$DIR/run/redis$n.pid" --logfile "$DIR/log/redis$n.log" "${extra[@]}"
  wait_for 10 "redis $n on ${REDIS_PORT[$n]}" redis-cli -p "${REDIS_PORT[$n]}" ping
}

start_sentinel() {
  local n=$1 conf="$DIR/redis/sentinel$n.conf"
  cat >"$conf" <<CONF
port ${SENTINEL_PORT[$n]}
bind 127.0.0.1
dir $DIR/redis
sentinel monitor $MASTER_NAME 127.0.0.1 ${REDIS_PORT[1]} 2
sentinel down-after-milliseconds $MASTER_NAME 1000
sentinel failover-timeout $MASTER_NAME 5000
sentinel parallel-syncs $MASTER_NAME 1
CONF
  redis-sentinel "$conf" --daemonize yes --pidfile "$DIR/run/sentinel$n.pid" --logfile "$DIR/log/sentinel$n.log"
  wait_for 10 "sentinel $n on ${SENTINEL_PORT[$n]}" redis-cli -p "${SENTINEL_PORT[$n]}" ping
}

redis_master() {
  local n
  for n in 1 2 3; do
    if redis-cli -p "${SENTINEL_PORT[$n]}" sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | sed -n 2p \
        | grep -q .; then
      redis-cli -p "${SENTINEL_PORT[$n]}" sentinel get-master-addr-by-name "$MASTER_NAME" | sed -n 2p
      return 0
    fi
  done
  return 1
}

# redis_kill_master: kill -9 of the Redis that Sentinel names master; prints its number (1 or 2)
redis_kill_master() {
  local port n
  port=$(redis_master)
  for n in 1 2; do
    if [ "${REDIS_PORT[$n]}" = "$port" ]; then
      kill -KILL "$(cat "$DIR/run/redis$n.pid")"
      rm -f "$DIR/run/redis$n.pid"
      echo "$n"
      return 0
    fi
  done
  die "no Redis of this cluster is master (Sentinel says ${port:-nothing})"
}

# redis_start N: back empty; Sentinel makes it a replica of the current master
redis_start() {
  local n=$1
  alive "$DIR/run/redis$n.pid" && return
  redis-server --port "${REDIS_PORT[$n]}" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR/redis" \
    --daemonize yes --pidfile "$DIR/run/redis$n.pid" --logfile "$DIR/log/redis$n.log"
  wait_for 10 "redis $n on ${REDIS_PORT[$n]}" redis-cli -p "${REDIS_PORT[$n]}" ping
}

# --- gateways -------------------------------------------------------------------------------------------------------
gateway_env() {
  local n=${1:-1}
  cat <<ENV
CG_PG_URL=postgresql://postgres@127.0.0.1:$PG_FRONT/$DATABASE
CG_REDIS_URL=redis-sentinel://127.0.0.1:${SENTINEL_PORT[1]},127.0.0.1:${SENTINEL_PORT[2]},127.0.0.1:${SENTINEL_PORT[3]}/$MASTER_NAME
CG_HTTP_PORT=${GW_PORT[$n]}
CG_MANAGEMENT_PORT=${GW_MGMT[$n]}
CG_PUBLIC_URL=http://127.0.0.1:$HTTP_FRONT
CG_ADMIN_TOKEN=$ADMIN_TOKEN
CG_TOKEN_SECRET=$TOKEN_SECRET
CG_TRUSTED_PROXIES=127.0.0.1/32
CG_VERTICLES=1
CG_RATE_CONSENTS_PER_MINUTE=0
CG_RATE_NOTICES_PER_MINUTE=0
CG_RATE_COLLECT_PER_MINUTE=0
ENV
}

gateway_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${GW_PORT[$1]}/health/ready")" = 200 ]; }

gateway_start() {
  local n=$1
  alive "$DIR/run/gw$n.pid" && return
  [ -f "$GW_JAR" ] || die "$GW_JAR is missing: build it with mvn -B package -DskipTests"
  local attempt i
  # on a starved machine a start-up can pass the gateway's own 60 s limit: it exits, and is started again
  for attempt in 1 2 3; do
    # shellcheck disable=SC2046
    env $(gateway_env "$n") java -Xmx256m -jar "$GW_JAR" >>"$DIR/log/gw$n.log" 2>&1 &
    echo $! >"$DIR/run/gw$n.pid"
    for i in $(seq 1 400); do
      gateway_ready "$n" && return 0
      alive "$DIR/run/gw$n.pid" || break
      sleep 0.25
    done
    alive "$DIR/run/gw$n.pid" && break
    say "gateway $n exited during start-up (attempt $attempt; log $DIR/log/gw$n.log)"
  done
  die "gateway $n not ready on ${GW_PORT[$n]} (log: $DIR/log/gw$n.log)"
}

# gateway_stop N: SIGTERM, the gateway drains (readiness 503 first, HAProxy takes it out, then the listener closes)
gateway_stop() {
  local n=$1 pid
  alive "$DIR/run/gw$n.pid" || return 0
  pid=$(cat "$DIR/run/gw$n.pid")
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/run/gw$n.pid"
}

gateway_kill() {
  local n=$1
  alive "$DIR/run/gw$n.pid" && kill -KILL "$(cat "$DIR/run/gw$n.pid")"
  rm -f "$DIR/run/gw$n.pid"
}

# --- HAProxy --------------------------------------------------------------------------------------------------------
start_haproxy() {
  cat >"$DIR/haproxy.cfg" <<CFG
global
  maxconn 8192
  pidfile $DIR/run/haproxy.pid
  stats socket $DIR/run/haproxy.sock mode 600 level admin

defaults
  log global
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout check 1s
  retries 3
  option redispatch

# the gateways: only those whose readiness says 200 get requests; a draining one is out within a second
frontend gateways
  mode http
  bind 127.0.0.1:$HTTP_FRONT
  default_backend gateways

backend gateways
  mode http
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1
  http-check expect status 200
  default-server inter 400ms fall 2 rise 2
  server gw1 127.0.0.1:${GW_PORT[1]} check
  server gw2 127.0.0.1:${GW_PORT[2]} check
  server gw3 127.0.0.1:${GW_PORT[3]} check

# PostgreSQL: the node whose Patroni answers 200 on /primary; sessions to a node marked down are cut
listen postgres
  mode tcp
  bind 127.0.0.1:$PG_FRONT
  timeout client 30m
  timeout server 30m
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
  server pg1 127.0.0.1:${PG_PORT[1]} check port ${PATRONI_API[1]}
  server pg2 127.0.0.1:${PG_PORT[2]} check port ${PATRONI_API[2]}

listen stats
  mode http
  bind 127.0.0.1:$HAPROXY_STATS
  stats enable
  stats uri /
CFG
  haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy rejected $DIR/haproxy.cfg"
  haproxy -D -f "$DIR/haproxy.cfg" >>"$DIR/log/haproxy.log" 2>&1
}

# --- commands -------------------------------------------------------------------------------------------------------
start() {
  if [ -d "$DIR/run" ] && ls "$DIR"/run/*.pid >/dev/null 2>&1; then
    for f in "$DIR"/run/*.pid; do alive "$f" && die "already running ($f): deploy/cluster.sh stop first"; done
  fi
  [ "$(id -u)" -eq 0 ] || die "needs root (apt, and PostgreSQL runs as the postgres user)"
  for port in $ETCD_CLIENT $ETCD_PEER "${PG_PORT[@]:1}" "${PATRONI_API[@]:1}" $PG_FRONT "${REDIS_PORT[@]:1}" \
      "${SENTINEL_PORT[@]:1}" "${GW_PORT[@]:1}" "${GW_MGMT[@]:1}" $HTTP_FRONT $HAPROXY_STATS; do
    listening "$port" && die "port $port is taken by something else"
  done
  rm -rf "$DIR"
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/redis"
  chmod 755 "$DIR"
  ensure_packages
  [ -f "$GW_JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests) || die "cannot build $GW_JAR"

  start_etcd
  say "etcd on $ETCD_CLIENT"
  node_start 1
  wait_for 90 "Patroni node 1 primary" is_primary 1
  node_start 2
  wait_for 120 "Patroni node 2 synchronous standby" sync_standby_ready
  say "PostgreSQL: pg1 primary on ${PG_PORT[1]}, pg2 synchronous standby on ${PG_PORT[2]} (Patroni API ${PATRONI_API[1]}, ${PATRONI_API[2]})"

  start_redis 1
  start_redis 2
  for n in 1 2 3; do start_sentinel "$n"; done
  wait_for 20 "Sentinels agreeing on a master" redis_master
  say "Redis master ${REDIS_PORT[1]}, replica ${REDIS_PORT[2]}, Sentinels ${SENTINEL_PORT[*]:1} (master name $MASTER_NAME)"

  start_haproxy
  wait_for 20 "HAProxy routing to the PostgreSQL primary on $PG_FRONT" psql_front -d postgres -c 'select 1'
  say "HAProxy: gateways on $HTTP_FRONT, PostgreSQL primary on $PG_FRONT, stats http://127.0.0.1:$HAPROXY_STATS/"

  # the first gateway migrates the database; the others start once it is done
  for n in 1 2 3; do
    gateway_start "$n"
    say "gateway $n ready on ${GW_PORT[$n]} (management ${GW_MGMT[$n]})"
  done
  wait_for 20 "HAProxy seeing a gateway up" curl -sf "http://127.0.0.1:$HTTP_FRONT/health/ready"
  say "up: http://127.0.0.1:$HTTP_FRONT (admin key: $ADMIN_TOKEN), state and logs in $DIR"
}

stop() {
  local f pid n pm
  [ -d "$DIR/run" ] || { say "nothing to stop ($DIR/run missing)"; return 0; }
  for n in 1 2 3; do gateway_stop "$n" || true; done
  if alive "$DIR/run/haproxy.pid"; then kill -TERM "$(cat "$DIR/run/haproxy.pid")"; fi
  for n in 1 2; do
    if alive "$DIR/run/patroni$n.pid"; then kill -TERM "$(cat "$DIR/run/patroni$n.pid")"; fi
  done
  for n in 1 2; do
    for _ in $(seq 1 120); do alive "$DIR/run/patroni$n.pid" || break; sleep 0.25; done
    if alive "$DIR/run/patroni$n.pid"; then kill -KILL "$(cat "$DIR/run/patroni$n.pid")"; fi
    # a postmaster Patroni left behind (it was killed, or did not get to stop it)
    pm=$(head -n 1 "$DIR/pg$n/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg$n/data" -m immediate -w -t 20 stop >/dev/null 2>&1 \
        || kill -KILL "$pm" 2>/dev/null || true
    fi
  done
  for f in "$DIR"/run/sentinel*.pid "$DIR"/run/redis*.pid "$DIR"/run/etcd.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$DIR"/run/*.pid
  say "stopped (logs kept in $DIR/log)"
}

status() {
  local n
  say "PostgreSQL (Patroni):"
  curl -s "http://127.0.0.1:${PATRONI_API[1]}/cluster" 2>/dev/null \
    || curl -s "http://127.0.0.1:${PATRONI_API[2]}/cluster" 2>/dev/null || echo "  no Patroni answers"
  echo
  say "Redis master (Sentinel): port $(redis_master || echo none)"
  for n in 1 2 3; do
    printf 'cluster: gateway %s on %s: ' "$n" "${GW_PORT[$n]}"
    curl -s -m 2 "http://127.0.0.1:${GW_PORT[$n]}/health/ready" || printf 'down'
    echo
  done
  say "HAProxy front $HTTP_FRONT: $(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_FRONT/health/ready")"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) gateway_env 1 ;;
  gateway-start) gateway_start "$2" ;;
  gateway-stop) gateway_stop "$2" ;;
  gateway-kill) gateway_kill "$2" ;;
  node-kill) node_kill "$2" ;;
  node-start) node_start "$2" ;;
  pg-primary) pg_primary ;;
  redis-master) redis_master ;;
  redis-kill-master) redis_kill_master ;;
  redis-start) redis_start "$2" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
