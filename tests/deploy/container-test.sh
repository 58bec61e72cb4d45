#!/usr/bin/env bash
# Builds the image from the Dockerfile, checks what it promises (non-root, port, healthcheck,
# size), then runs it against a private PostgreSQL: migrate, user create, serve; /readyz, a
# login and an event round trip through the container; SIGTERM stops it with exit code 0.
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/../.."
source tests/deploy/lib.sh
# podman complains on every health-check call that there is no systemd to time them; noise here.
exec 2> >(grep -v --line-buffered "unable to get systemd connection" >&2)

image=events-api:test
work=build/deploy-test/container
name=events-api-test-$$
rm -rf "$work" && mkdir -p "$work"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  scripts/private-postgres stop "$work/postgres"
}
trap cleanup EXIT
run() { deploy/container/podman-run --rm --network host "$@"; }

deploy/container/build-image "$image" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }

# What the image promises.
[[ $(podman image inspect --format '{{.Config.User}}' "$image") == 10001:10001 ]]
# (Outputs are captured before matching: with pipefail, `producer | grep -q` fails with SIGPIPE
# when grep exits before the producer has written everything.)
grep -q '"8080/tcp"' <<<"$(podman image inspect --format '{{json .Config.ExposedPorts}}' "$image")"
grep -q 'events-api","healthcheck"' <<<"$(podman image inspect --format '{{json .Config.Healthcheck}}' "$image")"
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "container-test: image $image is $((size / 1000000)) MB"
((size < 120000000)) || { echo "the image is over 120 MB" >&2; exit 1; }
grep -q 'events-api serve' <<<"$(run "$image" --help)"
# --version names the commit the image was built from, though .git is not in the build context.
revision=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
[[ $(run "$image" --version) == "events-api "*" (revision $revision)" ]] \
  || { echo "the image's --version does not name revision $revision" >&2; exit 1; }
[[ $(run --entrypoint id "$image" -u) == 10001 ]]

pg_port=$(free_port)
PRIVATE_POSTGRES_PORT=$pg_port scripts/private-postgres start "$work/postgres" >/dev/null
database_url="postgresql://postgres@127.0.0.1:$pg_port/marketing_events"

run -e DATABASE_URL="$database_url" "$image" migrate >"$work/migrate.log"
grep -q '"applied":' "$work/migrate.log"
echo 'container horse battery' \
  | run -i -e DATABASE_URL="$database_url" "$image" user create --email box@example.com >/dev/null
run "$image" keygen >"$work/jwt.pem"
chmod 644 "$work/jwt.pem"

api_port=$(free_port)
# No systemd here to time health checks: they are run by hand (`podman healthcheck run`).
deploy/container/podman-run -d --name "$name" --network host --read-only --health-interval disable \
  -e DATABASE_URL="$database_url" -e PORT="$api_port" -e JWT_PRIVATE_KEY_FILE=/run/secrets/jwt.pem \
  -v "$PWD/$work/jwt.pem:/run/secrets/jwt.pem:ro" "$image" >/dev/null
base="http://127.0.0.1:$api_port"
wait_for_200 "$base/readyz" 30 || { podman logs "$name"; exit 1; }
podman healthcheck run "$name"

token=$(login_token "$base" box@example.com 'container horse battery')
event_round_trip "$base" "$token"
grep -q '"route":"/api/v1/events","status":201' <<<"$(podman logs "$name" 2>&1)"

podman stop --time 15 "$name" >/dev/null
[[ $(podman inspect --format '{{.State.ExitCode}}' "$name") == 0 ]]
grep -q '"msg":"draining"' <<<"$(podman logs "$name" 2>&1)"
# The health check fails where nothing answers: a container whose process is not the server.
podman rm -f "$name" >/dev/null
deploy/container/podman-run -d --name "$name" --network host --health-interval disable \
  -e PORT="$api_port" --entrypoint sleep "$image" 30 >/dev/null
if podman healthcheck run "$name" >/dev/null 2>&1; then
  echo "the health check passed with no server running" >&2
  exit 1
fi
echo "container-test: passed"
