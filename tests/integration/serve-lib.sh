# Sourced by the end-to-end scripts: starts `events-api serve` on a free port in the
# background. Sets `server` (its pid), `base` (its URL) and `log` (its log file).
start_server() {
  local binary=$1 work=$2 port=
  log="$work/log"
  PORT=0 LOG_FORMAT=json "$binary" serve >"$log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    port=$(grep -o '"msg":"listening","port":[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { cat "$log"; return 1; }
  base="http://127.0.0.1:$port"
}

# A fresh database named $2 on the cluster in $1.
fresh_database() {
  local bin
  bin=${MARKETING_EVENTS_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
  "$bin/dropdb" --if-exists -h "$1" -U postgres "$2"
  "$bin/createdb" -h "$1" -U postgres "$2"
}
