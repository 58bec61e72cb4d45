#!/usr/bin/env bash
# Runs edge-attacks.py against the events-api binary on a fresh database of the private cluster.
# Usage: edge-attacks.sh EVENTS_API CLUSTER_DIR REPORT_FILE
set -euo pipefail
binary=$1
cluster=$2
report=$3
source "$(dirname "$0")/serve-lib.sh"
fresh_database "$cluster" edge_attacks
url="host=$cluster user=postgres dbname=edge_attacks"
DATABASE_URL=$url "$binary" migrate >/dev/null
PATH="$(dirname "$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl | tail -n 1)"):$PATH" \
  python3 "$(dirname "$0")/edge-attacks.py" "$binary" "$url" "$report"
