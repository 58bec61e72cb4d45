#!/bin/bash
# First start on an empty data directory: initdb (UTF-8) with POSTGRES_USER (default postgres)
# and POSTGRES_PASSWORD, create POSTGRES_DB (default: the user's name), then serve on every
# address with password (SCRAM) authentication for TCP, as the official image does. A set-up
# that fails leaves the data directory empty, so the next start tries again.
set -euo pipefail
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -z "${POSTGRES_PASSWORD:-}" ]]; then
    echo "postgres stand-in: set POSTGRES_PASSWORD (the official image refuses to start without it too)" >&2
    exit 1
  fi
  password_file=$(mktemp)
  trap 'rm -f "$password_file"; find "$PGDATA" -mindepth 1 -delete 2>/dev/null || true' ERR
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  initdb -D "$PGDATA" -U "$user" --pwfile="$password_file" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  # A socket-only server for the set-up, so nothing connects before the database exists.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  [[ "$database" == postgres ]] || createdb -U "$user" "$database"
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  trap - ERR
  echo "postgres stand-in: initialised $PGDATA (UTF-8) with user $user and database $database" >&2
fi
# As the official image: `postgres` or only flags (-c ...) start the server; anything else runs.
if [[ "${1:-postgres}" == postgres || "${1:-}" == -* ]]; then
  [[ "${1:-}" == postgres ]] && shift
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
