#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests marked `postgres`.
#
#   eval "$(bash .ci/postgres.sh)"     # as root (or as a user who can run initdb)
#   pytest -m postgres
#
# Installs Debian's postgresql if it is missing, creates a cluster in a temporary
# folder owned by `postgres`, starts it on 127.0.0.1:$PORT (55432 unless
# FORCEWATCH_PG_PORT says otherwise), creates the database `forcewatch_test`, and
# prints the `export FORCEWATCH_TEST_PG=...` line for `eval`. Everything else goes
# to stderr. Running it again while the server is up reuses that server.
set -euo pipefail

PORT=${FORCEWATCH_PG_PORT:-55432}
DB=forcewatch_test
URL="postgresql://postgres@127.0.0.1:${PORT}/${DB}"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and installing it needs root: apt-get install -y postgresql"
    exit 1
  fi
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "a server already answers on 127.0.0.1:$PORT: reusing it"
else
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/forcewatch-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$DIR"
  fi
  chmod 700 "$DIR"
  as_postgres "$PGBIN/initdb" -D "$DIR" -U postgres --auth=trust >&2
  # fsync off: a test cluster need not survive a power cut, and it is much faster.
  as_postgres "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >&2
  log "started PostgreSQL in $DIR (log: $DIR/server.log)"
  echo "# stop it with: runuser -u postgres -- $PGBIN/pg_ctl -D $DIR stop -m fast"
fi

if ! as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" >&2
fi

echo "export FORCEWATCH_TEST_PG=$URL"
