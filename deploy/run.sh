#!/usr/bin/env bash
# Builds the gateway and runs it on http://localhost:8080 with a demo site: open http://localhost:8080/demo
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/services.sh
mvn -q -B -DskipTests package
export CG_DEMO="${CG_DEMO:-true}"
if [ -n "${CG_ADMIN_TOKEN:-}" ]; then
  key_note="admin key: the one you set in CG_ADMIN_TOKEN" # yours may be a real secret: never print it
else
  export CG_ADMIN_TOKEN=demo-admin-token-change-me
  key_note="admin key: $CG_ADMIN_TOKEN"
fi
echo "Consent Gateway: demo page http://localhost:${CG_HTTP_PORT:-8080}/demo, dashboard http://localhost:${CG_HTTP_PORT:-8080}/dashboard  ($key_note)"
exec java -Xmx256m -jar gateway/target/consent-gateway.jar
