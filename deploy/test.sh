#!/usr/bin/env bash
# Runs the whole test suite (widget and dashboard unit tests, gateway tests against the real PostgreSQL and Redis,
# browser tests in Debian's headless Chromium). Starts or installs the services first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/services.sh --browser
exec mvn -B verify "$@"
