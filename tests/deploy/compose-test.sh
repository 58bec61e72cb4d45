#!/usr/bin/env bash
# Starts compose.yaml for real with Debian's podman-compose, as a user would (`podman-compose
# up -d`, no service named), under a project name of its own with free ports and a random
# password, so it never meets a developer's stack: db on the postgres:15 image (a stand-in built
# from Debian's postgresql-15 where no registry can be reached), migrate waiting for it, api on
# the image container-test built from the same Dockerfile (API_IMAGE; building it again would
# cost two minutes, so compose's own build path is not exercised here). Then the README's
# flow through the published port (register, log in, create, read, list, delete), both health
# checks, and `down -v`, which must leave no container or volume behind (podman-compose 1.0 leaves
# the project's network: removed here).
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/../.."
source tests/deploy/lib.sh
exec 2> >(grep -v --line-buffered "unable to get systemd connection" >&2)

work=build/deploy-test/compose
rm -rf "$work" && mkdir -p "$work"
deploy/container/postgres-image >"$work/postgres-image.log" 2>&1 \
  || { tail -40 "$work/postgres-image.log"; exit 1; }

# This machine's container settings (what deploy/container/podman-run passes by hand): runc,
# and explicit ulimits because the sandbox refuses podman's defaults. A normal host needs none.
cat >"$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$PWD/$work/containers.conf

project=events-api-compose-$$
read -r API_PORT DB_PORT <<<"$(free_ports 2)"
# The image container-test built (the same Dockerfile); a user's `up` builds events-api:dev.
export API_PORT DB_PORT API_IMAGE=${API_IMAGE:-events-api:test}
export POSTGRES_PASSWORD="compose-$RANDOM-$RANDOM"
compose() { podman-compose -p "$project" "$@"; }
remove_network() { podman network rm -f "${project}_default" >/dev/null 2>&1 || true; }
cleanup() { compose down -v >>"$work/down.log" 2>&1 || true; remove_network; }
trap cleanup EXIT

compose up -d >"$work/up.log" 2>&1 || { tail -40 "$work/up.log"; exit 1; }
base="http://127.0.0.1:$API_PORT"
if ! wait_for_200 "$base/readyz" 120; then
  for service in db migrate api; do echo "--- $service" >&2; podman logs "${project}_${service}_1" >&2 || true; done
  exit 1
fi
[[ $(podman inspect --format '{{.State.ExitCode}}' "${project}_migrate_1") == 0 ]]
grep -q '"applied":' <<<"$(podman logs "${project}_migrate_1" 2>&1)"
podman healthcheck run "${project}_db_1"
podman healthcheck run "${project}_api_1"

status=$(curl -s -o "$work/register.json" -w '%{http_code}' "$base/api/v1/auth/register" \
  -H 'Content-Type: application/json' \
  -d '{"email":"compose@example.com","password":"compose horse battery"}')
[[ $status == 201 ]] || { echo "register answered $status: $(cat "$work/register.json")" >&2; exit 1; }
token=$(login_token "$base" compose@example.com 'compose horse battery')
event_round_trip "$base" "$token"

# Both ports are published on loopback only; the database takes the password from the environment.
[[ $(podman port "${project}_db_1" 5432) == "127.0.0.1:$DB_PORT" ]]
[[ $(podman port "${project}_api_1" 8080) == "127.0.0.1:$API_PORT" ]]
# UTF-8, as the official image: lengths count characters, case folds beyond ASCII.
[[ $(PGPASSWORD=$POSTGRES_PASSWORD psql -h 127.0.0.1 -p "$DB_PORT" -U events -d marketing_events \
  -Atc "select char_length('Événement'), upper('é') = 'É'") == "9|t" ]]
[[ $(PGPASSWORD=$POSTGRES_PASSWORD psql -h 127.0.0.1 -p "$DB_PORT" -U events -d marketing_events \
  -Atc 'select count(*) from users') == 1 ]]

compose down -v >"$work/down.log" 2>&1 || { tail -40 "$work/down.log"; exit 1; }
leftovers=$(podman ps -a --filter "label=io.podman.compose.project=$project" -q; \
  podman volume ls -q | grep -F "$project" || true)
[[ -z "$leftovers" ]] || { echo "down -v left: $leftovers" >&2; exit 1; }  # the trap removes them
trap - EXIT
remove_network
echo "compose-test: passed (podman-compose $(podman-compose version 2>/dev/null | sed -n 's/^podman-composer* version *//p'))"
