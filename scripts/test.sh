#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, build, static checks, then every jest test
# (unit, integration with real Prometheus / collector / browser). Ends with "N passed, N failed".
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/toolchain.sh
source "$ROOT/scripts/lib/toolchain.sh"
cd "$ROOT"

ensure_node
ensure_pnpm
ensure_debian_packages
install_workspace
build_workspace

if [ -f collector-config/collector/build-collector.sh ]; then
  step "Building (or reusing) the OpenTelemetry Collector distribution"
  BIZMETRICS_OTELCOL=$(bash collector-config/collector/build-collector.sh) || fail "collector build failed"
  export BIZMETRICS_OTELCOL
fi
if [ -f scripts/build-prometheus3.sh ]; then
  step "Building (or reusing) Prometheus 3 (OTLP receiver; not packaged by Debian)"
  BIZMETRICS_PROMETHEUS3=$(bash scripts/build-prometheus3.sh) || fail "Prometheus 3 build failed"
  export BIZMETRICS_PROMETHEUS3
fi

step "Type-checking"
pnpm run typecheck
step "Linting"
pnpm run lint
step "Checking for circular imports"
pnpm run check:cycles
step "Checking the packed packages as users consume them"
pnpm run check:packages
if [ -f collector-config/checks/validate.sh ]; then
  step "Validating collector and Prometheus configs with the real tools"
  bash collector-config/checks/validate.sh
fi
if [ -f packages/cli/package.json ] && grep -q '"check:generated"' package.json; then
  step "Checking generated docs, rules and dashboard for drift"
  pnpm run check:generated
fi

step "Running jest"
mkdir -p artifacts
status=0
pnpm exec jest --ci --json --outputFile=artifacts/jest-results.json "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
' "$ROOT/artifacts/jest-results.json" || { echo "0 passed, 1 failed"; status=1; }
exit $status
