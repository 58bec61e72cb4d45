# Sourced by the deployment tests: small helpers shared by them.

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  free_ports 1
}

# N distinct free ports (all held open until every one is chosen, so none repeats), outside
# the kernel's ephemeral range so that no outgoing connection takes one meanwhile.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
low, high = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
held, ports = [], []
while len(ports) < int(sys.argv[1]):
    port = random.randint(10000, low - 1) if low > 11000 else random.randint(high + 1, 65535)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    held.append(s)
    ports.append(port)
print(" ".join(map(str, ports)))
PY
}

# Waits until URL answers 200 (at most $2 seconds, default 30).
wait_for_200() {
  local url=$1 seconds=${2:-30}
  for _ in $(seq $((seconds * 10))); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]] && return 0
    sleep 0.1
  done
  echo "no 200 from $url within ${seconds}s" >&2
  return 1
}

# Logs in at BASE as EMAIL/PASSWORD and prints the access token.
login_token() {
  local base=$1 email=$2 password=$3 body
  body=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}")
  sed 's/.*"access_token":"\([^"]*\)".*/\1/' <<<"$body"
}

# Creates, reads, lists and deletes one event at BASE with TOKEN; fails on any surprise.
event_round_trip() {
  local base=$1 token=$2 created id got listed status
  created=$(curl -sf "$base/api/v1/events" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"title":"Round trip","starts_at":"2026-05-01T09:00:00Z","ends_at":"2026-05-01T17:00:00Z","status":"published"}')
  id=$(sed 's/.*"id":"\([^"]*\)".*/\1/' <<<"$created")
  got=$(curl -sf "$base/api/v1/events/$id" -H "Authorization: Bearer $token")
  grep -q '"title":"Round trip"' <<<"$got"
  listed=$(curl -sf "$base/api/v1/events?status=published&limit=5" -H "Authorization: Bearer $token")
  grep -q "\"id\":\"$id\"" <<<"$listed"
  status=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$base/api/v1/events/$id" \
    -H "Authorization: Bearer $token")
  [[ $status == 204 ]] || { echo "DELETE answered $status" >&2; return 1; }
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/events/$id" \
    -H "Authorization: Bearer $token")
  [[ $status == 404 ]] || { echo "GET after DELETE answered $status" >&2; return 1; }
}
