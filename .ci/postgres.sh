#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the store tests and print its SQLAlchemy URL on stdout.
#
#   export ECLAIR_TEST_POSTGRES_URL="$(bash .ci/postgres.sh)"
#
# Installs Debian's `postgresql` package when missing, creates a cluster owned by the
# `postgres` system user in $ECLAIR_PG_DIR (default /tmp/eclair-pg), listening on 127.0.0.1
# only (port $ECLAIR_PG_PORT, default 54329; loopback TCP with trust authentication: a test
# server, never reachable from outside), and creates the database `eclair_test`. Installs
# Debian's `postgresql-<major>-pgvector` for the server's major version (embeddings in a
# `vector` column; on bookworm, which lacks it, a source tree named by $ECLAIR_PGVECTOR_SRC is built) and runs `CREATE EXTENSION IF NOT EXISTS vector` and `unaccent` in that
# database; when pgvector cannot be installed the knowledge index falls back to `bytea` and this
# says so on stderr. Idempotent: a running cluster is reused. Progress goes to stderr; stdout
# carries only the URL.
set -euo pipefail

PG_DIR="${ECLAIR_PG_DIR:-/tmp/eclair-pg}"
PG_PORT="${ECLAIR_PG_PORT:-54329}"
DB_NAME="eclair_test"
log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

if [[ -z "$(pg_bin)" ]]; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN="$(pg_bin)"
MAJOR="$(basename "$(dirname "$BIN")")"
if [[ ! -f "/usr/share/postgresql/$MAJOR/extension/vector.control" ]]; then
    log "installing postgresql-$MAJOR-pgvector"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "postgresql-$MAJOR-pgvector" >&2 \
        || { apt-get update -qq >&2 && apt-get install -y -qq "postgresql-$MAJOR-pgvector" >&2; } \
        || log "no package postgresql-$MAJOR-pgvector (Debian has it from trixie on)"
fi
# Without the package (bookworm), a pgvector source tree in $ECLAIR_PGVECTOR_SRC is built instead.
if [[ ! -f "/usr/share/postgresql/$MAJOR/extension/vector.control" && -n "${ECLAIR_PGVECTOR_SRC:-}" ]]; then
    log "building pgvector from $ECLAIR_PGVECTOR_SRC"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "postgresql-server-dev-$MAJOR" >&2
    make -C "$ECLAIR_PGVECTOR_SRC" PG_CONFIG="$BIN/pg_config" OPTFLAGS="" >&2
    make -C "$ECLAIR_PGVECTOR_SRC" PG_CONFIG="$BIN/pg_config" install >&2
fi
if [[ ! -f "/usr/share/postgresql/$MAJOR/extension/vector.control" ]]; then
    log "pgvector is not installed: the knowledge index will store embeddings as bytea"
fi
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

if [[ ! -f "$PG_DIR/PG_VERSION" ]]; then
    log "creating a cluster in $PG_DIR"
    mkdir -p "$PG_DIR"
    chown postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR"
    as_postgres "$BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
fi

if ! as_postgres "$BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    log "starting on 127.0.0.1:$PG_PORT"
    as_postgres "$BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" >&2
fi

if ! as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB_NAME"
fi
for extension in vector unaccent; do
    as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB_NAME" -qc \
        "CREATE EXTENSION IF NOT EXISTS $extension" >&2 || log "extension $extension is not available"
done

echo "postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
