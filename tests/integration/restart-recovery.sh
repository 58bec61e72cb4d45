#!/usr/bin/env bash
# PostgreSQL restarts under a running events-api: requests during the outage fail fast (503,
# never a hang), the service recovers by itself, /healthz never fails, and every write it
# acknowledged (201) is still there afterwards.
# Usage: restart-recovery.sh EVENTS_API CLUSTER_DIR PRIVATE_POSTGRES_SCRIPT
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
binary=$1
cluster=$2
private_postgres=$3
work=$(mktemp -d)
server=
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

source "$(dirname "$0")/serve-lib.sh"
fresh_database "$cluster" restart_recovery
export DATABASE_URL="host=$cluster user=postgres dbname=restart_recovery" DB_ACQUIRE_TIMEOUT_MS=500
"$binary" migrate >/dev/null
echo 'correct horse battery' | "$binary" user create --email ana@example.com >/dev/null
start_server "$binary" "$work"
token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"ana@example.com","password":"correct horse battery"}' |
  sed 's/.*"access_token":"\([^"]*\)".*/\1/')

create() {  # prints the status of one create; curl gives up after 10 s (a hang fails the test)
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base/api/v1/events" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"title\":\"Write $1\",\"starts_at\":\"2026-03-01T09:00:00Z\",\"ends_at\":\"2026-03-01T10:00:00Z\"}"
}

acknowledged=0
failed=0
"$private_postgres" restart "$cluster" &
restarter=$!
for i in $(seq 1 300); do
  status=$(create "$i")
  case "$status" in
    201) acknowledged=$((acknowledged + 1)) ;;
    503) failed=$((failed + 1)) ;;
    *) echo "unexpected status $status during the restart" >&2; exit 1 ;;
  esac
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/healthz") == 200 ]] ||
    { echo "/healthz failed during the outage" >&2; exit 1; }
  if ! kill -0 "$restarter" 2>/dev/null && ((i > 20)); then
    break
  fi
done
wait "$restarter"

# Recovered: a new write succeeds within a few seconds.
for _ in $(seq 50); do
  [[ $(create after) == 201 ]] && { acknowledged=$((acknowledged + 1)); recovered=1; break; }
  sleep 0.2
done
[[ -n "${recovered:-}" ]] || { echo "the service did not recover" >&2; exit 1; }

total=$(curl -sf "$base/api/v1/events?limit=1" -H "Authorization: Bearer $token" |
  grep -o '"total_items":[0-9]*' | grep -o '[0-9]*$')
echo "restart-recovery: $acknowledged acknowledged, $failed refused with 503, $total stored"
if ((total < acknowledged)); then
  echo "acknowledged writes were lost" >&2
  exit 1
fi
