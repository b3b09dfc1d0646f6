#!/bin/sh
# Runs every test (typecheck, unit, integration, end-to-end) and ends with the line `N passed, N failed`.
cd "$(dirname "$0")/.."
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none TURBO_TELEMETRY_DISABLED=1
out=$(mktemp -d)
status=0
if ! pnpm exec tsc -p tsconfig.json --noEmit; then
  echo "typecheck failed" >&2
  status=1
fi
NODE_OPTIONS='--experimental-vm-modules --disable-warning=ExperimentalWarning' \
  pnpm exec jest --json --outputFile="$out/jest.json" "$@" || status=1
if [ -f "$out/jest.json" ]; then
  node -e "const r=require('$out/jest.json'); const tcFail=$status && r.numFailedTests===0 && r.success ? 1 : 0; console.log(r.numPassedTests+' passed, '+(r.numFailedTests+r.numRuntimeErrorTestSuites+tcFail)+' failed')"
else
  echo "0 passed, 1 failed"
fi
rm -rf "$out"
exit $status
