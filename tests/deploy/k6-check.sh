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
echo "k6-check: passed"
