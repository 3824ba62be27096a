#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 for local development (and, with --browser, that Debian's
# Chromium and promtool are installed, for the test suite), after checking the build tools (JDK 17+, Maven, Node.js 18+).
# What already works is left alone. What is missing is installed with apt, what is stopped is started (both need
# root or sudo), and user postgres may log in over loopback without a password (trust lines in pg_hba.conf, then
# a reload). Works with and without systemd. Idempotent: run it as often as you like. Every wait is bounded.
set -euo pipefail

want_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    *) echo "usage: $0 [--browser]" >&2; exit 2 ;;
  esac
done

say() { echo "services: $*"; }
die() { echo "services: $*" >&2; exit 1; }
log_file() { mktemp "${TMPDIR:-/tmp}/consent-gateway-$1.XXXXXX.log"; }

systemd_running() { [ -d /run/systemd/system ]; }
can_root() { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# need_root WHAT ALTERNATIVE: stops with one line when neither root nor sudo is at hand
need_root() { can_root || die "$1 needs root: run as root or install sudo, or $2"; }

listening() { timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

apt_updated=false
apt_install() {
  local log
  log=$(log_file apt)
  if [ "$apt_updated" = false ]; then
    apt_updated=true
    if ! as_root env DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq >"$log" 2>&1; then
      say "apt-get update failed (offline?): installing from the package lists apt already has"
    fi
  fi
  if ! as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$@" >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    die "apt-get install $* failed (log: $log)"
  fi
  rm -f "$log"
}

# --- build tools --------------------------------------------------------------------------------------------------
tools_hint="install a JDK 17+, Maven and Node.js 18+ (Debian 12: apt-get install openjdk-17-jdk-headless maven nodejs npm)"
for tool in java mvn node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing: $tools_hint"
done
java_version=$(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
java_major=${java_version%%.*}
if [ "$java_major" = 1 ]; then java_major=$(echo "$java_version" | cut -d. -f2); fi
if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
  die "java is ${java_version:-of unknown version}, the gateway needs 17+: $tools_hint"
fi
node_version=$(node --version)
node_major=${node_version#v}
node_major=${node_major%%.*}
if ! [ "${node_major:-0}" -ge 18 ] 2>/dev/null; then
  die "Node.js $node_version is too old, the widget build needs 18+: $tools_hint"
fi

# --- PostgreSQL ---------------------------------------------------------------------------------------------------
# what the gateway's default CG_PG_URL can do: user postgres, no password (so no PGPASSWORD and no ~/.pgpass)
# stderr only: the error text is what the caller needs
# shellcheck disable=SC2069
pg_login() {
  env -u PGPASSWORD PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=5 \
    psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' 2>&1 >/dev/null
}
is_auth_error() {
  grep -qiE 'authentication failed|no password supplied|fe_sendauth|SCRAM|no pg_hba.conf entry' <<<"$1"
}
pg_login_error=""
wait_for_login() {
  for _ in $(seq 1 30); do
    if pg_login_error=$(pg_login); then return 0; fi
    sleep 0.5
  done
  return 1
}
# "version cluster status" of the local cluster on port 5432, if any
pg_cluster() { pg_lsclusters -h 2>/dev/null | awk '$3 == 5432 { print $1, $2, $4; exit }'; }
pg_status() { pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$2" '$1 == v && $2 == c { print $4; exit }'; }
# Adds the loopback trust lines unless they are there; succeeds only when it changed the file.
pg_add_trust() {
  local hba="/etc/postgresql/$1/$2/pg_hba.conf" tmp
  as_root test -f "$hba" || die "$hba is missing: add the loopback trust lines for user postgres yourself"
  if as_root grep -q "consent-gateway loopback" "$hba"; then return 1; fi
  tmp=$(mktemp)
  # local development only: the postgres user may connect over loopback without a password
  if ! { echo "# consent-gateway loopback (deploy/services.sh)"
         echo "host all postgres 127.0.0.1/32 trust"
         echo "host all postgres ::1/128 trust"
         as_root cat "$hba"; } > "$tmp" || ! as_root cp "$tmp" "$hba"; then # cp into the file keeps owner and mode
    rm -f "$tmp"
    die "cannot add the loopback trust lines to $hba"
  fi
  rm -f "$tmp"
}
# reload is never redirected to systemctl: a SIGHUP to the postmaster, however it was started
pg_reload() { as_root timeout 60 pg_ctlcluster "$1" "$2" reload; }
pg_start() {
  if systemd_running; then
    as_root timeout 120 systemctl start "postgresql@$1-$2"
  else
    as_root timeout 120 pg_ctlcluster --skip-systemctl-redirect "$1" "$2" start
  fi
}

ensure_postgresql() {
  local cluster version name status how
  if listening 5432; then
    if ! command -v psql >/dev/null 2>&1; then
      say "something answers on 127.0.0.1:5432 (psql is missing, so the login of user postgres was not checked)"
      return
    fi
    if pg_login_error=$(pg_login); then
      say "PostgreSQL answers on 127.0.0.1:5432 (user postgres, no password)"
      return
    fi
    is_auth_error "$pg_login_error" || die "PostgreSQL on 127.0.0.1:5432 does not take a query: $pg_login_error"
    cluster=$(pg_cluster)
    [ -n "$cluster" ] || die "PostgreSQL on 127.0.0.1:5432 refuses user postgres without a password and is no local" \
      "cluster (pg_lsclusters): put the password in CG_PG_URL: $pg_login_error"
    read -r version name status <<<"$cluster"
    need_root "PostgreSQL $version/$name refuses user postgres without a password; letting it in over loopback" \
      "put the password in CG_PG_URL"
    how="was running and refused user postgres without a password"
    if pg_add_trust "$version" "$name"; then how="$how: loopback trust lines added to pg_hba.conf"; fi
    pg_reload "$version" "$name"
    wait_for_login || die "PostgreSQL $version/$name still refuses user postgres after the reload: $pg_login_error"
    say "PostgreSQL $version/$name $how, reloaded; answers on 127.0.0.1:5432"
    return
  fi

  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    need_root "PostgreSQL is missing and installing it" "start PostgreSQL yourself on 127.0.0.1:5432"
    say "installing PostgreSQL (apt-get install postgresql)"
    apt_install postgresql
  fi
  cluster=$(pg_cluster)
  if [ -z "$cluster" ]; then
    if [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
      die "no local PostgreSQL cluster uses port 5432 ($(pg_lsclusters -h | awk '{ print $1 "/" $2 " on " $3 }' |
        paste -sd ' ')): set CG_PG_URL to its port, or start PostgreSQL yourself on 127.0.0.1:5432"
    fi
    need_root "PostgreSQL has no cluster and creating one" "start PostgreSQL yourself on 127.0.0.1:5432"
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    as_root pg_createcluster --port 5432 "$version" main >/dev/null
    cluster=$(pg_cluster)
  fi
  read -r version name status <<<"$cluster"
  # apt on a systemd (or sysvinit) machine starts the new cluster by itself: start only what is stopped
  need_root "PostgreSQL $version/$name does not answer on 127.0.0.1:5432 and fixing it" \
    "start PostgreSQL yourself on 127.0.0.1:5432"
  if [[ "$status" == online* ]]; then
    how="was running"
    if pg_add_trust "$version" "$name"; then
      pg_reload "$version" "$name"
      how="$how; loopback trust lines added to pg_hba.conf and reloaded"
    fi
  else
    pg_add_trust "$version" "$name" || true
    pg_start "$version" "$name"
    how="started ($(systemd_running && echo systemctl || echo pg_ctlcluster))"
  fi
  for _ in $(seq 1 60); do
    if listening 5432; then break; fi
    sleep 0.5
  done
  listening 5432 || die "PostgreSQL $version/$name did not listen on 127.0.0.1:5432 within 30 s" \
    "(log: /var/log/postgresql/postgresql-$version-$name.log)"
  wait_for_login || die "PostgreSQL $version/$name listens on 127.0.0.1:5432 but user postgres cannot log in:" \
    "$pg_login_error"
  say "PostgreSQL $version/$name $how; answers on 127.0.0.1:5432"
}

# --- Redis --------------------------------------------------------------------------------------------------------
# the first line Redis answers to PING, without redis-cli (which may not be installed yet)
redis_reply() {
  local line
  line=$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/6379 && printf "PING\r\n" >&3 && IFS= read -r line <&3 &&
    printf "%s" "$line"' 2>/dev/null) || true
  printf '%s' "${line%$'\r'}"
}
wait_for_pong() {
  for _ in $(seq 1 $(($1 * 2))); do
    if [ "$(redis_reply)" = "+PONG" ]; then return 0; fi
    sleep 0.5
  done
  return 1
}

ensure_redis() {
  local reply installed=false how log
  if listening 6379; then
    reply=$(redis_reply)
    case "$reply" in
      +PONG) say "Redis answers PING on 127.0.0.1:6379"; return ;;
      -NOAUTH*) die "Redis on 127.0.0.1:6379 wants a password: put it in CG_REDIS_URL (redis://:PASSWORD@127.0.0.1:6379)" ;;
      *) die "something listens on 127.0.0.1:6379 but does not answer PING like Redis (reply: ${reply:-none})" ;;
    esac
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    need_root "Redis is missing and installing it" "start Redis yourself on 127.0.0.1:6379"
    say "installing Redis (apt-get install redis-server)"
    apt_install redis-server
    installed=true
  fi
  if [ "$installed" = true ] && wait_for_pong 10; then
    how="Debian's redis-server service, started by apt"
  elif systemd_running && systemctl cat redis-server.service >/dev/null 2>&1 && can_root &&
      as_root timeout 60 systemctl start redis-server.service && wait_for_pong 10; then
    how="Debian's redis-server service, started with systemctl"
  else
    # no service to ask (or it did not come up): a private instance that never writes to disk
    log=$(log_file redis)
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "${TMPDIR:-/tmp}" \
      --logfile "$log"
    wait_for_pong 30 || die "Redis did not answer PING on 127.0.0.1:6379 within 30 s (log: $log)"
    say "Redis started on 127.0.0.1:6379 without persistence (redis-server --daemonize, log: $log)"
    return
  fi
  # Debian's service saves to disk; Redis holds only what the gateway can rebuild, so persistence goes off
  if redis-cli -h 127.0.0.1 -p 6379 CONFIG SET save "" >/dev/null &&
      redis-cli -h 127.0.0.1 -p 6379 CONFIG SET appendonly no >/dev/null; then
    how="$how, persistence turned off"
  else
    how="$how (persistence left on: CONFIG SET was refused)"
  fi
  say "Redis answers PING on 127.0.0.1:6379: $how"
}

ensure_postgresql
ensure_redis

if [ "$want_browser" = true ]; then
  if [ -x /usr/bin/chromium ]; then
    say "Chromium present at /usr/bin/chromium"
  else
    need_root "Chromium is missing and installing it" "install Debian's chromium package yourself"
    say "installing Debian's chromium (apt-get install chromium)"
    apt_install chromium
    say "Chromium installed at /usr/bin/chromium"
  fi
  # the Redis Sentinel fault test runs sentinels of its own on free ports with Debian's redis-sentinel; the
  # package's own service is stopped and disabled, nothing is left listening on 26379
  if [ -x /usr/bin/redis-sentinel ]; then
    say "redis-sentinel present at /usr/bin/redis-sentinel"
  else
    need_root "redis-sentinel is missing and installing it" "install Debian's redis-sentinel package yourself"
    say "installing redis-sentinel (apt-get install redis-sentinel)"
    apt_install redis-sentinel
    if systemd_running; then
      as_root systemctl disable --now redis-sentinel.service >/dev/null 2>&1 || true
    else
      as_root service redis-sentinel stop >/dev/null 2>&1 || true
    fi
    say "redis-sentinel installed at /usr/bin/redis-sentinel"
  fi
  # the test suite checks the metrics exposition with promtool, which Debian ships in its prometheus package
  # (installed without starting anything: --no-install-recommends, and no service is enabled here)
  if command -v promtool >/dev/null 2>&1; then
    say "promtool present at $(command -v promtool)"
  else
    need_root "promtool is missing and installing it" "install Debian's prometheus package yourself"
    say "installing promtool (apt-get install --no-install-recommends prometheus)"
    apt_install --no-install-recommends prometheus
    say "promtool installed at $(command -v promtool)"
  fi
fi
