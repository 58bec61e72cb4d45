#!/usr/bin/env bash
# The real events-api binary end to end on the private cluster: migrate, create a user from
# stdin, serve on a free port, log in, create and list an event, then SIGTERM: exit 0.
# Usage: serve-smoke.sh EVENTS_API CLUSTER_DIR           (a fresh database on the private cluster)
#        serve-smoke.sh EVENTS_API --database-url URL   (an empty database elsewhere: the GitHub
#                                                        job's postgres service container)
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
binary=$1
cluster=$2
work=$(mktemp -d)
server=
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

source "$(dirname "$0")/serve-lib.sh"
if [[ "$cluster" == --database-url ]]; then
  export DATABASE_URL=${3:?usage: serve-smoke.sh EVENTS_API --database-url URL}
else
  fresh_database "$cluster" smoke
  export DATABASE_URL="host=$cluster user=postgres dbname=smoke"
fi
export LOG_FORMAT=json

"$binary" migrate
# A second run has nothing to do. (Outputs are captured before matching: with pipefail,
# `producer | grep -q` fails when grep exits before the producer has written everything.)
second_migration=$("$binary" migrate)
grep -q '"applied":0' <<<"$second_migration"
echo 'correct horse battery' | "$binary" user create --email Smoke@Example.com
if echo 'short' | "$binary" user create --email other@example.com; then
  echo "a bad password was accepted" >&2
  exit 1
fi

start_server "$binary" "$work"
# The container health check's command finds the running server.
PORT=${base##*:} "$binary" healthcheck >/dev/null

curl -sf "$base/readyz" >/dev/null
login=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"smoke@example.com","password":"correct horse battery"}')
token=$(echo "$login" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
created=$(curl -sf "$base/api/v1/events" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d '{"title":"Smoke test","starts_at":"2026-03-01T09:00:00+01:00","ends_at":"2026-03-01T18:00:00Z"}')
grep -q '"starts_at":"2026-03-01T08:00:00Z"' <<<"$created"
listed=$(curl -sf "$base/api/v1/events?status=draft" -H "Authorization: Bearer $token")
grep -q '"total_items":1' <<<"$listed"
metrics=$(curl -sf "$base/metrics")
grep -q 'http_requests_total{method="POST",route="/api/v1/events",status="201"} 1' <<<"$metrics"
grep -q '"route":"/api/v1/events","status":201' "$log"
if grep -q "$token" "$log" || grep -q 'correct horse battery' "$log"; then
  echo "a secret reached the log" >&2
  exit 1
fi

kill -TERM "$server"
for _ in $(seq 100); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server" 2>/dev/null; then
  echo "serve did not stop within 10 s of SIGTERM" >&2
  exit 1
fi
wait "$server"
server=
echo "serve-smoke: passed"
