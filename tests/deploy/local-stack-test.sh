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
read -r LOCAL_STACK_HTTP_PORT LOCAL_STACK_STUB_STATUS_PORT api_1 api_2 LOCAL_STACK_PROMETHEUS_PORT \
  LOCAL_STACK_NGINX_EXPORTER_PORT LOCAL_STACK_POSTGRES_EXPORTER_PORT LOCAL_STACK_BLACKBOX_PORT \
  <<<"$(free_ports 8)"
export LOCAL_STACK_HTTP_PORT LOCAL_STACK_STUB_STATUS_PORT LOCAL_STACK_PROMETHEUS_PORT \
  LOCAL_STACK_NGINX_EXPORTER_PORT LOCAL_STACK_POSTGRES_EXPORTER_PORT LOCAL_STACK_BLACKBOX_PORT
export LOCAL_STACK_API_PORTS="$api_1 $api_2"
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
eventually 'sum(probe_success{job="events-api-healthz"})' 'x == 1'
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
grep -q '"route":"/healthz".*"client":"198.51.100.7"' "$state"/logs/api-*.log

# The monitoring proof: the project's rules are loaded, and every dashboard panel's PromQL and
# every recording rule returns data from this stack.
rules=$(curl -sf "$prometheus/api/v1/rules" | python3 -c 'import json, sys; print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))')
expected_rules=$(cat deploy/monitoring/prometheus/rules/*.yml | grep -cE '^      - (record|alert):')
[[ "$rules" == "$expected_rules" ]] || { echo "Prometheus loaded $rules rules, expected $expected_rules" >&2; exit 1; }
tests/deploy/promql-proof.py "$prometheus" deploy/monitoring/grafana/dashboards \
  deploy/monitoring/prometheus/rules 90

# One instance stops (SIGTERM, drained): nginx answers from the other; Prometheus sees it down.
kill -TERM "$(<"$state/pids/api-1.pid")"
for _ in $(seq 20); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/events" -H "Authorization: Bearer $token") == 200 ]]
done
eventually "up{instance=\"127.0.0.1:$first_api\"}" 'x == 0'
eventually 'sum(probe_success{job="events-api-healthz"})' 'x == 1'
# ... and the EventsApiDown alert goes pending for that instance (it fires after 1 m).
eventually "count(ALERTS{alertname=\"EventsApiDown\",alertstate=\"pending\",instance=\"127.0.0.1:$first_api\"})" 'x == 1'
eventually "count(ALERTS{alertname=\"EventsApiDown\",instance=\"127.0.0.1:$second_api\"}) or vector(0)" 'x == 0'
echo "local-stack-test: passed"
