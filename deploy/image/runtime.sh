#!/usr/bin/env bash
# Builds the root filesystem under the gateway's container image: a jlink'ed Java 17 runtime of the modules the
# gateway uses, the few shared libraries that runtime links against (copied from this machine's Debian), and an
# /etc with the non-root user. Jib adds it to the image as one layer (gateway/pom.xml, <extraDirectories>).
#
# No container registry is reachable here, so there is no distroless or Temurin base to pull; see README,
# "Container image", for why this beats a debootstrap'ed Debian root. Needs no root and no network: only the
# JDK that runs Maven (with its jmods/, which Debian's openjdk-17-jdk-headless ships) and ldd.
#
# The result is cached outside target/ and rebuilt only when this recipe or the JDK changes, so a clean build
# pays for jlink once per machine.
#
# Usage: runtime.sh JAVA_HOME CACHE_DIR    (prints what it did; the root is CACHE_DIR/root)
set -euo pipefail

jdk=${1:?usage: runtime.sh JAVA_HOME CACHE_DIR}
cache=${2:?usage: runtime.sh JAVA_HOME CACHE_DIR}
say() { echo "image runtime: $*"; }
die() { echo "image runtime: $*" >&2; exit 1; }

# What the gateway reaches beyond java.base, found by running it (ImageIT starts the image's runtime):
# java.sql for Flyway and pgjdbc, java.desktop for java.beans (OGNL in the Thymeleaf templates), java.management
# and jdk.management for the JVM and process metrics, java.naming and jdk.naming.dns for logback and Netty's
# resolver, jdk.crypto.ec for TLS to SMTP servers and destinations, jdk.unsupported for Netty and Caffeine,
# jdk.localedata for French dates, jdk.charsets for mail.
modules=java.base,java.logging,java.sql,java.desktop,java.management,jdk.management,java.naming,jdk.naming.dns
modules=$modules,java.xml,jdk.crypto.ec,jdk.unsupported,jdk.localedata,jdk.charsets,jdk.zipfs
# the numeric user the image runs as (distroless' "nonroot"); gateway/pom.xml's <user> must say the same
uid=65532

[ -x "$jdk/bin/jlink" ] || die "$jdk/bin/jlink is missing: build with a full JDK 17 (Debian: openjdk-17-jdk-headless)"
[ -d "$jdk/jmods" ] || die "$jdk/jmods is missing: jlink needs the JDK's jmods (Debian: openjdk-17-jdk-headless)"
command -v ldd >/dev/null 2>&1 || die "ldd is missing (Debian: libc-bin)"
case "$(uname -m)" in
  x86_64) loader=/lib64/ld-linux-x86-64.so.2 ;;
  aarch64) loader=/lib/ld-linux-aarch64.so.1 ;;
  *) die "no recipe for $(uname -m)" ;;
esac

key=$( { sha256sum "$0" | cut -d' ' -f1; cat "$jdk/release"; sha256sum "$jdk/jmods/java.base.jmod" | cut -d' ' -f1;
         uname -m; } | sha256sum | cut -d' ' -f1)
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # several checkouts may build at once
if [ -f "$cache/root.key" ] && [ "$(cat "$cache/root.key")" = "$key" ] && [ -d "$cache/root" ]; then
  say "$cache/root is current (recipe and JDK unchanged)"
  exit 0
fi

start=$(date +%s)
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/opt" "$root/etc" "$root/tmp" "$root/proc" "$root/dev" "$root/sys" "$root/app"

# --strip-debug and no man pages or headers; zip-level compression of the modules file costs start-up time and
# saves only what the image layer's gzip saves anyway. --generate-cds-archive gives a class-data-sharing archive
# of the JDK's own classes: faster start. The X11 parts of java.desktop are dropped: headless, and they would pull
# in libX11.
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --output "$root/opt/java" \
  --strip-debug --no-man-pages --no-header-files --include-locales=en,fr --generate-cds-archive \
  --exclude-files='**/libawt_xawt.so,**/libsplashscreen.so,**/libjawt.so' >/dev/null

# The shared libraries the runtime's binaries and libraries load from the system, at the paths where this
# machine's loader found them (Debian's loader searches /lib/<triplet> without an ld.so.cache).
libs=$(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 |
  xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u)
for lib in $libs $loader; do
  case "$lib" in "$root"/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
missing=$(find "$root/opt/java" -type f -name '*.so' -print0 | xargs -0 ldd 2>/dev/null |
  awk '/not found/ && $1 != "libjvm.so" { print $1 }' | sort -u)
[ -z "$missing" ] || die "libraries not found on this machine: $missing"

# The trust store: this machine's (Debian's ca-certificates-java) when there is one, else the JDK's own.
if [ -s /etc/ssl/certs/java/cacerts ]; then
  cp -L /etc/ssl/certs/java/cacerts "$root/opt/java/lib/security/cacerts"
fi

cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:$uid:$uid:nonroot:/tmp:/sbin/nologin
EOF
cat >"$root/etc/group" <<EOF
root:x:0:
nonroot:x:$uid:
EOF
echo "hosts: files dns" >"$root/etc/nsswitch.conf"
chmod -R u=rwX,go=rX "$root" # Jib sets the modes in the image again (gateway/pom.xml)

rm -rf "$cache/root" "$cache/root.key"
mv "$root" "$cache/root"
echo "$key" >"$cache/root.key"
say "built $cache/root in $(($(date +%s) - start)) s ($(du -sh "$cache/root" | cut -f1), modules $modules)"
