#!/usr/bin/env bash
# k6 cannot be installed here, so its script is held to what can be checked: it parses as an
# ES module, imports only k6's own documented modules, and calls only documented k6 functions.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=build/k6-check
mkdir -p "$work"
for script in deploy/k6/*.js; do
  cp "$script" "$work/$(basename "$script" .js).mjs"
  node --check "$work/$(basename "$script" .js).mjs"
  imports=$(grep -oE '^import .* from "[^"]+"' "$script" | sed 's/.*from "\(.*\)"/\1/' | sort -u)
  for module in $imports; do
    case "$module" in
      k6 | k6/http | k6/execution | k6/metrics) ;;
      *) echo "k6-check: $script imports $module, which is not a k6 built-in module" >&2; exit 1 ;;
    esac
  done
  calls=$(grep -oE '\bhttp\.[a-zA-Z]+' "$script" | sort -u)
  for call in $calls; do
    case "$call" in
      http.get | http.post | http.put | http.patch | http.del | http.request | http.batch | http.expectedStatuses) ;;
      *) echo "k6-check: $script calls $call, not in k6/http's API" >&2; exit 1 ;;
    esac
  done
  grep -q 'export const options' "$script" && grep -q 'stages:' "$script" && grep -q 'thresholds:' "$script"
done
# What deploy/k6/README.md promises of stress.js: capacity found in requests per second, the
# run stopped at the knee, and every request named by its route template, never by its URL.
stress=deploy/k6/stress.js
grep -q 'executor: "ramping-arrival-rate"' "$stress" || { echo "k6-check: no ramping-arrival-rate scenario" >&2; exit 1; }
grep -q 'abortOnFail: true' "$stress" || { echo "k6-check: no threshold aborts the capacity run" >&2; exit 1; }
if grep -nE 'authorized\("[a-z]+"(, [A-Z_]+)?\)|tags: \{ kind: "[a-z]+" \}' "$stress"; then
  echo "k6-check: the requests above carry no route-template name tag (k6 would tag them by URL)" >&2
  exit 1
fi
for variable in START_RATE MAX_RATE RAMP MAX_VUS PEAK_VUS TIME_SCALE P95_MS SCENARIO; do
  grep -q "__ENV.$variable" "$stress" || { echo "k6-check: $variable is not read" >&2; exit 1; }
  grep -q "$variable" deploy/k6/README.md || { echo "k6-check: $variable is not in deploy/k6/README.md" >&2; exit 1; }
done
echo "k6-check: passed"
