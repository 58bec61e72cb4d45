#!/usr/bin/env bash
# The production-like local stack (deploy/local/up) on free ports: traffic through nginx reaches
# both instances; Prometheus sees every target up and the API's request counters move; with one
# instance stopped, nginx still answers and Prometheus sees that instance down.
# Usage: local-stack-test.sh [EVENTS_API]   (default: build/ci/app/events-api, else a release build)
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/../.."
source tests/deploy/lib.sh

export EVENTS_API=${1:-}
if [[ -z "$EVENTS_API" && -x build/ci/app/events-api ]]; then EVENTS_API=build/ci/app/events-api; fi
export LOCAL_STACK_DIR=build/deploy-test/local-stack LOCAL_STACK_SCRAPE_INTERVAL=1s
export LOCAL_STACK_HTTP_PORT=$(free_port) LOCAL_STACK_STUB_STATUS_PORT=$(free_port)
export LOCAL_STACK_API_PORTS="$(free_port) $(free_port)" LOCAL_STACK_PROMETHEUS_PORT=$(free_port)
export LOCAL_STACK_NGINX_EXPORTER_PORT=$(free_port) LOCAL_STACK_POSTGRES_EXPORTER_PORT=$(free_port)
export LOCAL_STACK_BLACKBOX_PORT=$(free_port)
trap 'deploy/local/down --delete' EXIT
deploy/local/down --delete 2>/dev/null
deploy/local/up >/dev/null

base="http://127.0.0.1:$LOCAL_STACK_HTTP_PORT"
prometheus="http://127.0.0.1:$LOCAL_STACK_PROMETHEUS_PORT"
state=$(realpath "$LOCAL_STACK_DIR")
read -r first_api second_api <<<"$LOCAL_STACK_API_PORTS"

# The value of a one-number PromQL query (empty when it has no result).
query() {
  curl -sf "$prometheus/api/v1/query" --data-urlencode "query=$1" \
    | python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
# Waits up to 30 s for QUERY's value to satisfy the Python condition on x, e.g. "x >= 3".
eventually() {
  local value=
  for _ in $(seq 60); do
    value=$(query "$1")
    if [[ -n "$value" ]] && python3 -c "import sys; x = float(sys.argv[1]); sys.exit(0 if $2 else 1)" "$value"; then
      return 0
    fi
    sleep 0.5
  done
  echo "Prometheus: $1 = '${value}', expected $2" >&2
  return 1
}

echo 'stack horse battery' | DATABASE_URL=$(scripts/private-postgres url "$state/postgres") \
  "$EVENTS_API" user create --email stack@example.com >/dev/null
token=$(login_token "$base" stack@example.com 'stack horse battery')
event_round_trip "$base" "$token"

# Every target up, as Prometheus sees it.
eventually 'count(up == 1)' 'x == 7'
eventually 'sum(probe_success{job="healthz-through-nginx"})' 'x == 1'
eventually 'pg_up' 'x == 1'
eventually 'nginx_up' 'x == 1'

before=$(query 'sum(http_requests_total{job="events-api",route="/api/v1/events"})')
for _ in $(seq 40); do
  curl -sf "$base/api/v1/events?status=published&limit=5" -H "Authorization: Bearer $token" >/dev/null
done
eventually 'sum(http_requests_total{job="events-api",route="/api/v1/events"})' "x >= ${before:-0} + 40"
# nginx spread the requests over both instances.
eventually "sum(http_requests_total{instance=\"127.0.0.1:$first_api\",route=\"/api/v1/events\"})" 'x >= 5'
eventually "sum(http_requests_total{instance=\"127.0.0.1:$second_api\",route=\"/api/v1/events\"})" 'x >= 5'
eventually 'nginx_http_requests_total' 'x >= 40'
# The public proxy does not expose the instances' metrics.
[[ $(curl -s -o /dev/null -w '%{http_code}' "$base/metrics") == 404 ]]
# The instances name the client from nginx's X-Forwarded-For, not nginx itself.
curl -sf "$base/healthz" -H 'X-Forwarded-For: 198.51.100.7' >/dev/null
sleep 0.2
cat "$state"/logs/api-*.log | grep -q '"route":"/healthz".*"client":"198.51.100.7"'

# One instance stops (SIGTERM, drained): nginx answers from the other; Prometheus sees it down.
kill -TERM "$(<"$state/pids/api-1.pid")"
for _ in $(seq 20); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/events" -H "Authorization: Bearer $token") == 200 ]]
done
eventually "up{instance=\"127.0.0.1:$first_api\"}" 'x == 0'
eventually 'sum(probe_success{job="healthz-through-nginx"})' 'x == 1'
echo "local-stack-test: passed"
