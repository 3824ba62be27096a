#!/usr/bin/env bash
# Fuzzes the gateway's Jazzer targets (the @FuzzTest methods of gateway/src/test/java) one after the other, each
# for SECONDS (default 120), in a JVM of its own that needs no service and opens no connection. A crash input is
# written where Jazzer puts it, beside the seeds that the normal suite replays:
#   gateway/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>
# (commit it with the fix and it stays fixed). The generated corpus grows in gateway/.cifuzz-corpus/ (not
# committed) and seeds the next campaign. Logs, reproducers and summary.tsv go to gateway/target/fuzz/<date>/.
#
#   bash deploy/fuzz.sh [SECONDS] [FILTER]     e.g. bash deploy/fuzz.sh 3600       (one hour per target)
#                                                   bash deploy/fuzz.sh 60 Beacon  (targets matching Beacon)
# Settings (environment): FUZZ_HEAP=1g (-Xmx of each fuzzing JVM), FUZZ_KEEP_GOING=20 (distinct findings after
# which a target stops early), FUZZ_MVN_ARGS (extra Maven arguments for the build, e.g. -o).
# Exit status: 0 when no target found anything, 1 when one did, 2 when a target could not run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_TARGET=${1:-120}
FILTER=${2:-}
FUZZ_HEAP=${FUZZ_HEAP:-1g}
FUZZ_KEEP_GOING=${FUZZ_KEEP_GOING:-20}
read -r -a MVN_ARGS <<< "${FUZZ_MVN_ARGS:-}"

TARGETS=(
  eu.consentgateway.collect.BeaconFuzzTest#beacon
  eu.consentgateway.consent.ConsentChoicesFuzzTest#choices
  eu.consentgateway.consent.ConsentTokensFuzzTest#anyToken
  eu.consentgateway.consent.ConsentTokensFuzzTest#editedToken
  eu.consentgateway.site.SiteValidatorFuzzTest#siteDocument
  eu.consentgateway.terminal.ClientAddressFuzzTest#truncation
  eu.consentgateway.terminal.ClientAddressFuzzTest#literal
  eu.consentgateway.terminal.ClientAddressFuzzTest#forwardedFor
  eu.consentgateway.terminal.FreeTextFuzzTest#screen
  eu.consentgateway.terminal.FreeTextFuzzTest#path
  eu.consentgateway.http.FrontDoorFuzzTest#decodable
)

log() { echo "fuzz: $*"; }
die() { echo "fuzz: $*" >&2; exit 2; }

[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive whole number, not '$SECONDS_PER_TARGET'"
GATEWAY="$ROOT/gateway"
RUN_DIR="$GATEWAY/target/fuzz/$(date -u +%Y-%m-%dT%H%M%SZ)"

log "building the gateway's test classes (mvn test-compile)"
(cd "$ROOT" && mvn -B -q "${MVN_ARGS[@]}" -pl gateway -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath) || die "the build failed"
CLASSPATH="$GATEWAY/target/test-classes:$GATEWAY/target/classes:$(cat "$GATEWAY/target/fuzz.classpath")"
mkdir -p "$RUN_DIR"
SUMMARY="$RUN_DIR/summary.tsv"
printf 'target\tseconds\texecutions\texec_per_s\tfindings\tstatus\n' > "$SUMMARY"

found=0
failed=0
for target in "${TARGETS[@]}"; do
  [[ -z "$FILTER" || "$target" == *"$FILTER"* ]] || continue
  class=${target%#*}
  method=${target#*#}
  name="${class##*.}.$method"
  inputs="$GATEWAY/src/test/resources/${class//.//}Inputs/$method"
  mkdir -p "$inputs" "$RUN_DIR/$name"
  marker="$RUN_DIR/$name/started"
  touch "$marker"
  log "$name for ${SECONDS_PER_TARGET}s (log: ${RUN_DIR#"$ROOT"/}/$name.log)"
  start=$(date +%s)
  status=ok
  # the hard bound: Jazzer stops by itself after --max_duration; the JVM start and the seeds get two minutes more
  (cd "$GATEWAY" && timeout --kill-after=30 "$((SECONDS_PER_TARGET + 120))" \
    java -Xmx"$FUZZ_HEAP" -cp "$CLASSPATH" com.code_intelligence.jazzer.Jazzer \
      --target_class="$class" --target_method="$method" --max_duration="${SECONDS_PER_TARGET}s" \
      --keep_going="$FUZZ_KEEP_GOING" --reproducer_path="$RUN_DIR/$name" \
    > "$RUN_DIR/$name.log" 2>&1) || status="exit $?"
  elapsed=$(( $(date +%s) - start ))
  # libFuzzer's last word: "Done N runs in S second(s)", or the last status line "#N ..." when it stopped early
  runs=$(sed -n 's/^Done \([0-9]*\) runs in.*/\1/p' "$RUN_DIR/$name.log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\)[[:space:]].*/\1/p' "$RUN_DIR/$name.log" | tail -1)
  runs=${runs:-0}
  crashes=$(find "$inputs" -maxdepth 1 -type f -name 'crash-*' -newer "$marker" | wc -l)
  if [ "$crashes" -gt 0 ]; then
    status=finding
    found=1
  elif [ "$status" != ok ]; then
    failed=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$elapsed" "$runs" "$(( runs / (elapsed > 0 ? elapsed : 1) ))" \
    "$crashes" "$status" >> "$SUMMARY"
  find "$inputs" -maxdepth 1 -type f -name 'crash-*' -newer "$marker" -printf 'fuzz:   new finding %p\n'
done

log "summary (${SUMMARY#"$ROOT"/}):"
column -t -s $'\t' "$SUMMARY"
if [ "$found" -eq 1 ]; then
  log "findings were written beside the seeds: replay them with 'mvn test' (regression mode) and fix them"
  exit 1
fi
[ "$failed" -eq 0 ] || exit 2
