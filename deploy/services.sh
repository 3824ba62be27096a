#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (and, with --browser, that Debian's Chromium is
# installed). Whatever already answers is left alone; whatever is missing is installed with apt and started.
# Idempotent: run it as often as you like.
set -euo pipefail

want_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    *) echo "usage: $0 [--browser]" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    $SUDO apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    if listening "$port"; then return 0; fi
    sleep 0.5
  done
  echo "services: $name did not start on 127.0.0.1:$port" >&2
  exit 1
}

if listening 5432; then
  echo "services: PostgreSQL answers on 127.0.0.1:5432"
else
  echo "services: starting PostgreSQL"
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # local development only: the postgres user may connect over loopback without a password
  if ! $SUDO grep -q "consent-gateway loopback" "$hba"; then
    tmp=$(mktemp)
    { echo "# consent-gateway loopback (deploy/services.sh)"
      echo "host all postgres 127.0.0.1/32 trust"
      echo "host all postgres ::1/128 trust"
      $SUDO cat "$hba"; } > "$tmp"
    $SUDO cp "$tmp" "$hba"
    rm -f "$tmp"
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for 5432 PostgreSQL
  echo "services: PostgreSQL $version started"
fi

if listening 6379; then
  echo "services: Redis answers on 127.0.0.1:6379"
else
  echo "services: starting Redis"
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  # Redis keeps only what can be rebuilt: no persistence
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --logfile /tmp/consent-gateway-redis.log
  wait_for 6379 Redis
  echo "services: Redis started"
fi

if [ "$want_browser" = true ]; then
  if [ -x /usr/bin/chromium ]; then
    echo "services: Chromium present at /usr/bin/chromium"
  else
    echo "services: installing Debian's chromium"
    apt_install chromium
  fi
fi

for tool in java mvn npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "services: '$tool' is missing: install a JDK 17+, Maven and Node.js 20 (apt-get install openjdk-17-jdk maven nodejs npm)" >&2
    exit 1
  fi
done
