#!/usr/bin/env bash
# What an operator meets at the command line of the real events-api binary: help on every
# command, --version, unknown commands and bad arguments named (exit 2), and errors that say
# what is wrong and what to do, without library internals: a bad DATABASE_URL, a database out of
# reach, a taken port, a taken e-mail; a second migrate that is silent.
# Usage: cli-test.sh EVENTS_API CLUSTER_DIR
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
binary=$1
cluster=$2
work=$(mktemp -d)
holder=
late="$work/late"
cleanup() {
  [[ -n "$holder" ]] && kill "$holder" 2>/dev/null
  "$(dirname "$0")/../../scripts/private-postgres" stop "$late" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$0")/serve-lib.sh"

fail() { echo "cli-test: $*" >&2; exit 1; }
# run EXPECTED_STATUS ARGS...: runs the binary, keeps stdout and stderr in $out and $err.
run() {
  local expected=$1 status=0
  shift
  "$@" >"$work/out" 2>"$work/err" || status=$?
  out=$(<"$work/out") err=$(<"$work/err")
  ((status == expected)) || fail "$* exited $status, not $expected; stdout: $out; stderr: $err"
}
contains() { [[ "$1" == *"$2"* ]] || fail "expected \"$2\" in: $1"; }
lacks() { [[ "$1" != *"$2"* ]] || fail "did not expect \"$2\" in: $1"; }

# --version: the project version and a revision.
run 0 "$binary" --version
[[ "$out" =~ ^events-api\ [0-9]+\.[0-9]+\.[0-9]+\ \(revision\ [^\)]+\)$ ]] || fail "version: $out"
run 0 "$binary" version

# --help: every command, on stdout, status 0; without arguments the same on stderr, status 2.
run 0 "$binary" --help
for command in serve migrate "user create" "user delete" healthcheck keygen version help; do
  contains "$out" "events-api $command"
done
contains "$out" "Exit status"
run 2 "$binary"
contains "$err" "events-api serve"

# Each command's help lists the variables it reads, with their defaults.
run 0 "$binary" serve --help
contains "$out" "usage: events-api serve"
contains "$out" "PORT (default: 8080)"
contains "$out" "CALENDAR_CACHE_BYTES (default: 16777216)"
lacks "$out" "README"
variables=$(grep -c '^  [A-Z][A-Z_]* (default: ' <<<"$out")
documented=$(grep -c '^| `[A-Z_]*` |' "$(dirname "$0")/../../README.md")
((variables == documented)) || fail "serve --help lists $variables variables, the README $documented"
run 0 "$binary" help migrate
contains "$out" "DATABASE_URL (default: postgresql://localhost/marketing_events)"
lacks "$out" "HASH_THREADS"
run 0 "$binary" user create --help
contains "$out" "standard input"
run 0 "$binary" keygen -h
lacks "$out" "Environment"

# Unknown commands and bad arguments are named, with the way to the list.
run 2 "$binary" bogus
contains "$err" 'unknown command "bogus"'
contains "$err" "events-api --help"
run 2 "$binary" user frobnicate --email a@example.com
contains "$err" 'unknown command "user frobnicate"'
run 2 "$binary" user create
contains "$err" "expected --email ADDRESS"
run 2 "$binary" migrate now
contains "$err" "--wait SECONDS"
run 2 "$binary" migrate --wait forever
run 2 "$binary" keygen now
contains "$err" "takes no arguments"

# A DATABASE_URL that is not one is refused before anything connects.
DATABASE_URL="not a url" run 2 "$binary" migrate
contains "$err" "DATABASE_URL must be a postgresql:// URI"
contains "$err" "serve --help"
# ... and never repeated: it may hold a password.
DATABASE_URL='postgresql://ana:s3cret@[::1/db' run 2 "$binary" migrate
contains "$err" "DATABASE_URL cannot be read by libpq"
lacks "$err" "s3cret"
DATABASE_URL='host=db password=s3cret word' run 2 "$binary" migrate
lacks "$err" "s3cret"
# healthcheck exits 1, never 2 (a container runtime reserves 2), whatever is wrong.
PORT=none run 1 "$binary" healthcheck
# A database out of reach: libpq's reason and what to check, one line each, no internals.
DATABASE_URL="host=$work/nowhere dbname=x" LOG_FORMAT=text run 1 "$binary" migrate
contains "$out$err" "the database is out of reach"
contains "$out$err" "hint="
(($(wc -l <<<"$out$err") == 1)) || fail "a libpq error split the log line: $out$err"

# Migrations: the second run says there is nothing to do, and libpq prints no notices.
fresh_database "$cluster" cli 2>/dev/null
export DATABASE_URL="host=$cluster user=postgres dbname=cli"
run 0 "$binary" migrate
run 0 "$binary" migrate
contains "$out" "nothing to migrate"
lacks "$out$err" "NOTICE"

# migrate --wait: a database that comes up while it waits (as under compose) is migrated.
# (The cluster's own database "postgres": the script creates marketing_events only after the
# server is up, and a missing database is not waited for.)
DATABASE_URL="host=$late user=postgres dbname=postgres" LOG_FORMAT=json \
  "$binary" migrate --wait 60 >"$work/late.log" 2>&1 &
waiting=$!
sleep 1
"$(dirname "$0")/../../scripts/private-postgres" start "$late" >/dev/null
status=0
wait "$waiting" || status=$?
((status == 0)) || fail "migrate --wait exited $status: $(<"$work/late.log")"
contains "$(<"$work/late.log")" '"msg":"waiting for the database"'
contains "$(<"$work/late.log")" '"msg":"migrations applied"'
# ... but a database that answers "no such database" is not waited for.
started=$SECONDS
DATABASE_URL="host=$late user=postgres dbname=no_such_database" run 1 "$binary" migrate --wait 60
((SECONDS - started < 20)) || fail "migrate --wait waited for a database that does not exist"
contains "$out$err" "refused the connection"
contains "$out$err" "database name"

# healthcheck: where nothing answers, exit 1 and say where it asked.
LISTEN_ADDRESS=0.0.0.0 PORT=1 run 1 "$binary" healthcheck
contains "$err" "unhealthy: 127.0.0.1:1/healthz"

# A taken e-mail: said so, with the way out.
run 0 "$binary" user create --email ana@example.com <<<'correct horse battery'
run 2 "$binary" user create --email Ana@Example.com <<<'correct horse battery'
contains "$out$err" "already exists"
contains "$out$err" "user delete"
lacks "$out$err" '"fields"'
run 2 "$binary" user delete --email nobody@example.com
contains "$out$err" "no user has this e-mail address"
# Text logs: a value with a line break or spaces is quoted, so one event stays one line.
LOG_FORMAT=text run 2 "$binary" user delete --email $'nobody\n@example.com'
(($(wc -l <<<"$out$err") == 1)) || fail "a value split the text log line: $out$err"
contains "$out$err" 'email="nobody\n@example.com"'

# A taken port: which address, what to do, no Boost internals.
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(120)' >"$work/port" &
holder=$!
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
port=$(<"$work/port")
[[ -n "$port" ]] || fail "the port holder did not start"
LISTEN_ADDRESS=127.0.0.1 PORT=$port run 1 timeout 30 "$binary" serve
contains "$out$err" "127.0.0.1:$port is already in use"
contains "$out$err" "set PORT"
lacks "$out$err" "boost"
lacks "$out$err" "reactive_socket"
echo "cli-test: passed"
