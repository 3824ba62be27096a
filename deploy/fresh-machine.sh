#!/usr/bin/env bash
# Proves the README's Quick start on fresh Debian 12 machines: builds a bookworm root with debootstrap, copies the
# repository into it (git archive of HEAD), installs only what the README lists, downloads with the network on
# (packages, Maven dependencies, npm packages), then cuts the network and runs the README's two commands
# (deploy/run.sh, checking that the demo page answers, then stopping it; deploy/test.sh) plus checks of
# deploy/services.sh without root, run twice, and repairing a cluster with SCRAM on loopback, and of the gateway's
# start-up line for a missing or wrong password, all inside the root (deploy/fresh-machine-steps.sh). Two cases:
#   systemd   the root boots systemd (systemd-nspawn --boot): apt-installed PostgreSQL and Redis start by themselves
#   plain     no init system (systemd-nspawn without --boot, like a container image): nothing starts by itself
# Each step prints PASS/FAIL with its time. A tool for humans, not part of .ci/run. Needs root; installs
# debootstrap and systemd-container with apt when missing. Loopback only: the cut-off phase has no interface but lo.
# Usage: sudo bash deploy/fresh-machine.sh [systemd|plain|both]     (default both)
# The two cases may run at once (two invocations): each has its own root, apt download folder and logs.
# Settings: FRESH_CACHE=/var/cache/consent-gateway-fresh (base roots kept there, apt downloads cached, the last
#   run's roots and logs), FRESH_MIRROR=http://deb.debian.org/debian, FRESH_TEST_TIMEOUT=3600 (deploy/test.sh),
#   FRESH_REBUILD_BASE=1 (debootstrap again instead of the cached base root).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${FRESH_CACHE:-/var/cache/consent-gateway-fresh}
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
TEST_TIMEOUT=${FRESH_TEST_TIMEOUT:-3600}
SUITE=bookworm
NSPAWN_PID=""

case "${1:-both}" in
  systemd | plain) cases=("$1") ;;
  both) cases=(systemd plain) ;;
  *) echo "usage: $0 [systemd|plain|both]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "fresh: needs root (debootstrap, systemd-nspawn)" >&2; exit 1; }

say() { echo "fresh: $*"; }
failed=0
summary=()
# step CASE NAME COMMAND...: output in the case's log folder; PASS/FAIL with elapsed time
step() {
  local case_name=$1 name=$2 start rc
  shift 2
  start=$(date +%s)
  set +e
  "$@" >"$CACHE/logs/$case_name/$name.log" 2>&1
  rc=$?
  set -e
  local elapsed=$(($(date +%s) - start))
  if [ "$rc" -eq 0 ]; then
    printf 'fresh[%s]: PASS  %-27s %5ss\n' "$case_name" "$name" "$elapsed"
    summary+=("$(printf '%-8s PASS  %-27s %5ss' "$case_name" "$name" "$elapsed")")
  else
    printf 'fresh[%s]: FAIL  %-27s %5ss  exit %s, log %s\n' "$case_name" "$name" "$elapsed" "$rc" \
      "$CACHE/logs/$case_name/$name.log"
    tail -n 15 "$CACHE/logs/$case_name/$name.log" | awk -v p="fresh[$case_name]:         | " \
      '{ gsub(/\x1b\[[0-9;]*m/, ""); print p $0 }'
    summary+=("$(printf '%-8s FAIL  %-27s %5ss' "$case_name" "$name" "$elapsed")")
    failed=1
  fi
  return "$rc"
}

stop_container() {
  local leader
  if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
    leader=$(cat "$CACHE/logs/systemd/leader.pid" 2>/dev/null || true)
    if [ -n "$leader" ] && kill -0 "$leader" 2>/dev/null; then
      kill -s RTMIN+4 "$leader" 2>/dev/null || true # systemd's signal for a clean power-off
    else
      kill -TERM "$NSPAWN_PID" 2>/dev/null || true
    fi
    for _ in $(seq 1 60); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 1; done
    # the container's init outlives a killed nspawn: killing it ends everything in the container
    if [ -n "$leader" ]; then kill -KILL "$leader" 2>/dev/null || true; fi
    kill -KILL "$NSPAWN_PID" 2>/dev/null || true
    wait "$NSPAWN_PID" 2>/dev/null || true
  fi
  NSPAWN_PID=""
}
trap stop_container EXIT
trap 'exit 130' INT TERM

host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
  if [ "${#missing[@]}" -gt 0 ]; then
    timeout 300 apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "${missing[@]}"
  fi
  echo "debootstrap $(dpkg-query -W -f='${Version}' debootstrap), $(systemd-nspawn --version | head -n 1)"
}

# the packages the README's Quick start installs: its one `apt-get install` line
readme_packages() {
  sed -n 's/^ *\(sudo \)\{0,1\}apt-get install \(-y \)\{0,1\}\([a-z0-9 .+-]*\).*$/\3/p' "$ROOT/README.md" | head -n 1
}

# A cached debootstrap root per case, as a tarball: a real Debian 12 install's sources (main, updates, security).
base_root() {
  local case_name=$1 tarball="$CACHE/base-$SUITE-$1.tar" tmp include=ca-certificates
  if [ -f "$tarball" ] && [ "${FRESH_REBUILD_BASE:-0}" != 1 ]; then
    echo "cached: $tarball"
    return
  fi
  [ "$case_name" = systemd ] && include="$include,systemd,systemd-sysv,dbus"
  tmp="$CACHE/debootstrap-$case_name"
  rm -rf "$tmp"
  timeout 1800 debootstrap --variant=minbase --include="$include" "$SUITE" "$tmp" "$MIRROR"
  cat >"$tmp/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
  echo "$case_name-fresh" >"$tmp/etc/hostname"
  tar --numeric-owner -C "$tmp" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "$tmp"
  echo "built: $tarball ($(du -h "$tarball" | cut -f1))"
}

fresh_root() {
  local case_name=$1 dir="$CACHE/root-$1"
  # systemd-nspawn holds this lock while a container runs on the root: never delete a root in use
  flock -n "$CACHE/.#root-$case_name.lck" true || { echo "$dir is in use by a running container"; return 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  tar --numeric-owner -C "$dir" -xf "$CACHE/base-$SUITE-$case_name.tar"
  mkdir -p "$dir/root/consent-gateway"
  git -C "$ROOT" archive HEAD | tar -x -C "$dir/root/consent-gateway"
  echo "repository at $(git -C "$ROOT" rev-parse --short HEAD) ($(git -C "$ROOT" log -1 --format=%s | cut -c1-70))"
  if [ -n "$(git -C "$ROOT" status --porcelain)" ]; then echo "note: uncommitted changes are not copied"; fi
  # Certificates this host trusts and a fresh Debian does not (a TLS-inspecting proxy's): trusted in the root too,
  # so that its downloads work on this network. On an ordinary network there are none.
  local n=0 tmpd body
  tmpd=$(mktemp -d)
  awk -v d="$tmpd" '/BEGIN CERT/ { n++; f = sprintf("%s/%04d.crt", d, n) } f { print > f } /END CERT/ { close(f); f = "" }' \
    /etc/ssl/certs/ca-certificates.crt
  local known
  known=$(tr -d '\n' <"$dir/etc/ssl/certs/ca-certificates.crt")
  for c in "$tmpd"/*.crt; do
    [ -e "$c" ] || continue
    body=$(grep -v -- '-----' "$c" | tr -d '\n')
    if [[ "$known" != *"$body"* ]]; then
      n=$((n + 1))
      cp "$c" "$dir/usr/local/share/ca-certificates/fresh-host-$n.crt"
    fi
  done
  rm -rf "$tmpd"
  echo "host certificates added: $n"
}

# systemd-nspawn CASE ARGS...: the case's root, not registered with machined (the host may have no systemd); apt's
# downloads kept in the cache across runs, one folder per case so that both can run at once (the package lists
# and everything else are the root's own)
nspawn() {
  local case_name=$1
  shift
  mkdir -p "$CACHE/apt-archives-$case_name"
  systemd-nspawn -q -D "$CACHE/root-$case_name" --register=no --keep-unit --machine="cg-fresh-$case_name" \
    --bind="$CACHE/apt-archives-$case_name:/var/cache/apt/archives" "$@" </dev/null
}

# Phase 1, network on: what the README lists, the packages services.sh will install (downloaded only), and a
# first build that fetches the Maven and npm dependencies. No service runs: the host's ports stay untouched.
downloads() {
  local case_name=$1 packages
  packages=$(readme_packages)
  [ -n "$packages" ] || { echo "no 'apt-get install' line found in README.md"; return 1; }
  echo "README packages: $packages"
  nspawn "$case_name" --as-pid2 --console=pipe --setenv=DEBIAN_FRONTEND=noninteractive /bin/bash -euo pipefail -c "
    update-ca-certificates >/dev/null
    timeout 600 apt-get update -qq
    timeout 1800 apt-get install -y -qq $packages >/dev/null
    timeout 1800 apt-get install -y -qq --download-only postgresql redis-server chromium >/dev/null
    cd /root/consent-gateway
    # package, plus surefire's JUnit provider, which it fetches only when it runs a test: one that needs no service
    timeout 1800 mvn -B -q verify -Dtest=PgFailuresTest -Dsurefire.failIfNoSpecifiedTests=false
    echo \"node \$(node --version), npm \$(npm --version), \$(java -version 2>&1 | head -n 1), \$(mvn -v | head -n 1)\"
  "
}

wait_booted() {
  local leader="" state=""
  # the container's init is the child of systemd-nspawn that runs systemd (before that, nspawn's own helper)
  for _ in $(seq 1 60); do
    for pid in $(ps -o pid= --ppid "$NSPAWN_PID"); do
      if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd ]; then leader=$pid; fi
    done
    [ -n "$leader" ] && break
    sleep 1
  done
  [ -n "$leader" ] || { echo "no container init under systemd-nspawn ($NSPAWN_PID)"; return 1; }
  echo "$leader" >"$CACHE/logs/systemd/leader.pid"
  # right after its start systemd has no bus to answer on yet: ask again until it says something
  for _ in $(seq 1 120); do
    state=$(inside "$leader" timeout 120 systemctl is-system-running --wait 2>/dev/null) || true
    if [ -n "$state" ] && [ "$state" != offline ]; then break; fi
    sleep 1
  done
  echo "systemd in the container: ${state:-no answer}"
  if [ "$state" = degraded ]; then inside "$leader" systemctl --failed --no-legend || true; fi
  [ "$state" = running ] || [ "$state" = degraded ]
}
inside() { # inside LEADER COMMAND...: runs COMMAND in the booted container's namespaces with a clean environment
  local leader=$1
  shift
  nsenter -t "$leader" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 TERM=dumb FRESH_TEST_TIMEOUT="$TEST_TIMEOUT" "$@"
}

run_case() {
  local case_name=$1 logs="/root/fresh-logs" rc=0
  mkdir -p "$CACHE/logs/$case_name"
  step "$case_name" debootstrap-base-root base_root "$case_name" || return 0
  step "$case_name" fresh-root-and-repo fresh_root "$case_name" || return 0
  step "$case_name" downloads-network-on downloads "$case_name" || return 0
  say "[$case_name] network cut from here on (--private-network: only lo); steps inside the root:"
  if [ "$case_name" = systemd ]; then
    rm -f "$CACHE/logs/systemd/leader.pid"
    # started directly, not through nspawn(): $! must be systemd-nspawn itself
    systemd-nspawn -q -D "$CACHE/root-systemd" --register=no --keep-unit --machine=cg-fresh-systemd \
      --bind="$CACHE/apt-archives-systemd:/var/cache/apt/archives" --boot --private-network --console=read-only \
      </dev/null >"$CACHE/logs/systemd/console.log" 2>&1 &
    NSPAWN_PID=$!
    step systemd boot-systemd wait_booted || { stop_container; return 0; }
    local leader
    leader=$(cat "$CACHE/logs/systemd/leader.pid")
    inside "$leader" timeout $((TEST_TIMEOUT + 3000)) \
      bash /root/consent-gateway/deploy/fresh-machine-steps.sh systemd "$logs" | tee "$CACHE/logs/systemd/steps.out" ||
      rc=$?
    stop_container
  else
    nspawn plain --as-pid2 --console=pipe --private-network --setenv=FRESH_TEST_TIMEOUT="$TEST_TIMEOUT" \
      /usr/bin/timeout $((TEST_TIMEOUT + 3000)) /bin/bash /root/consent-gateway/deploy/fresh-machine-steps.sh plain \
      "$logs" | tee "$CACHE/logs/plain/steps.out" || rc=$?
  fi
  while IFS= read -r line; do
    if [[ "$line" =~ ^fresh\[[a-z]+\]:\ (PASS|FAIL)\ +([^ ]+)\ +([0-9]+s) ]]; then
      summary+=("$(printf '%-8s %s  %-27s %6s' "$case_name" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}")")
    fi
  done <"$CACHE/logs/$case_name/steps.out"
  [ "$rc" -eq 0 ] || failed=1
  say "[$case_name] logs inside the root: $CACHE/root-$case_name$logs, outside: $CACHE/logs/$case_name"
}

mkdir -p "$CACHE/logs"
say "cache $CACHE, mirror $MIRROR, cases: ${cases[*]}"
mkdir -p "$CACHE/logs/host"
step host host-tools host_tools
for c in "${cases[@]}"; do
  rm -rf "$CACHE/logs/$c"
  run_case "$c"
done
say "summary"
printf '  %s\n' "${summary[@]}"
if [ "$failed" -eq 0 ]; then say "all steps passed"; else say "some steps FAILED"; fi
exit "$failed"
