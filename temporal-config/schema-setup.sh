#!/bin/sh
# Sets up Temporal's schemas, idempotently: the persistence (and SQL visibility) databases on
# PostgreSQL with temporal-sql-tool, and, with ENABLE_ES=true, the Elasticsearch template and index.
# One script for both callers: the stack's schema job (inside temporalio/admin-tools) and the
# test environment on the host (scripts/test-env). Same steps as Temporal's helm chart:
# create database, setup-schema -v 0.0, update-schema -d <versioned dir>. POSIX sh, no bashisms.
#
# Its variables are the schema job's environment contract (src/model/temporal-env.ts, schemaJobEnv),
# which both callers get from the same code; `temporal-ctl config env --service schema` prints it.
# None is defaulted here: a caller that misses one fails at once rather than run on a second copy.
set -eu

CONTRACT='see `temporal-ctl config env --service schema`'
: "${POSTGRES_SEEDS:?not set: the PostgreSQL host ($CONTRACT)}"
: "${DB_PORT:?not set: the PostgreSQL port ($CONTRACT)}"
: "${POSTGRES_USER:?not set: the PostgreSQL user ($CONTRACT)}"
: "${POSTGRES_PWD?not set: the PostgreSQL password, possibly empty ($CONTRACT)}"
: "${DBNAME:?not set: the persistence database ($CONTRACT)}"
: "${VISIBILITY_DBNAME:?not set: the SQL visibility database ($CONTRACT)}"
: "${SQL_PLUGIN:?not set: postgres12 or postgres12_pgx ($CONTRACT)}"
: "${SCHEMA_DIR:?not set: the root of the schema files ($CONTRACT)}"
: "${SQL_VISIBILITY:?not set: true sets up VISIBILITY_DBNAME ($CONTRACT)}"
: "${ENABLE_ES:?not set: true sets up the Elasticsearch index ($CONTRACT)}"
# The tools are not part of the contract: on PATH in temporalio/admin-tools; the test environment
# points SQL_TOOL at its own build.
SQL_TOOL="${SQL_TOOL:-temporal-sql-tool}"
ES_TOOL="${ES_TOOL:-temporal-elasticsearch-tool}"
# Seconds to wait for PostgreSQL (and Elasticsearch) to accept connections.
SCHEMA_WAIT_SECONDS="${SCHEMA_WAIT_SECONDS:-120}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/schema-setup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"

log() { printf 'schema-setup: %s\n' "$*"; }
fail() { printf 'schema-setup: ERROR: %s\n' "$*" >&2; exit 1; }
# The tool's error lines (else its last lines), so the cause is in the job's log.
show_output() {
  if grep -qi 'error' "$OUT"; then grep -i 'error' "$OUT"; else tail -n 10 "$OUT"; fi | sed 's/^/  | /' >&2
}

# temporal-sql-tool against database $1; the password goes through the environment, not argv.
sql_tool() {
  db="$1"; shift
  SQL_PASSWORD="$POSTGRES_PWD" "$SQL_TOOL" --plugin "$SQL_PLUGIN" --ep "$POSTGRES_SEEDS" \
    -p "$DB_PORT" -u "$POSTGRES_USER" --db "$db" "$@" >"$OUT" 2>&1
}

case "$SQL_PLUGIN" in
  postgres12 | postgres12_pgx) SQL_SCHEMA_DIR="$SCHEMA_DIR/postgresql/v12" ;;
  *) fail "SQL_PLUGIN=$SQL_PLUGIN is not supported; use postgres12 or postgres12_pgx" ;;
esac
for switch in "SQL_VISIBILITY=$SQL_VISIBILITY" "ENABLE_ES=$ENABLE_ES"; do
  case "$switch" in *=true | *=false) ;; *) fail "$switch is neither true nor false" ;; esac
done
command -v "$SQL_TOOL" >/dev/null 2>&1 || fail "$SQL_TOOL not found; set SQL_TOOL to the temporal-sql-tool binary"

# Polls with a real query (SELECT 1) until PostgreSQL answers; a refused password fails at once.
wait_for_postgres() {
  printf 'SELECT 1;\n' >"$WORK/probe.sql"
  deadline=$(( $(date +%s) + SCHEMA_WAIT_SECONDS ))
  log "waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT (up to ${SCHEMA_WAIT_SECONDS}s)"
  while :; do
    if sql_tool postgres setup-schema --disable-versioning --schema-file "$WORK/probe.sql"; then
      log "PostgreSQL answers"; return 0
    fi
    case "$(cat "$OUT")" in
      *"password authentication failed"* | *28P01*)
        show_output; fail "PostgreSQL at $POSTGRES_SEEDS:$DB_PORT rejected the password of user $POSTGRES_USER; check POSTGRES_USER and POSTGRES_PWD" ;;
      *"connection refused"* | *"no such host"* | *"starting up"* | *57P03* | *"i/o timeout"* | *"connection reset"* | *EOF*) ;;
      *) show_output; fail "cannot connect to PostgreSQL at $POSTGRES_SEEDS:$DB_PORT as $POSTGRES_USER (see the tool output above)" ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_output; fail "PostgreSQL at $POSTGRES_SEEDS:$DB_PORT did not accept connections within ${SCHEMA_WAIT_SECONDS}s"
    fi
    sleep 1
  done
}

# create -> setup-schema -v 0.0 -> update-schema; each step is safe on an existing database.
setup_database() {
  db="$1"; versioned="$SQL_SCHEMA_DIR/$2/versioned"
  [ -d "$versioned" ] || fail "schema directory $versioned not found; SCHEMA_DIR=$SCHEMA_DIR must hold postgresql/v12/"
  log "database $db: create"
  if ! sql_tool "$db" create; then
    # Older tools fail on an existing database (SQLSTATE 42P04); only that case is fine.
    case "$(cat "$OUT")" in
      *42P04* | *"database \"$db\" already exists"*) log "database $db: already exists" ;;
      *) show_output; fail "could not create database $db" ;;
    esac
  fi
  log "database $db: setup-schema -v 0.0 (version tables; skipped when a version is recorded)"
  sql_tool "$db" setup-schema -v 0.0 || { show_output; fail "setup-schema failed on database $db"; }
  log "database $db: update-schema -d $versioned"
  sql_tool "$db" update-schema -d "$versioned" || { show_output; fail "update-schema failed on database $db"; }
  log "database $db: schema is current"
}

setup_elasticsearch() {
  : "${ES_SEEDS:?not set when ENABLE_ES=true ($CONTRACT)}" "${ES_PORT:?not set when ENABLE_ES=true ($CONTRACT)}"
  : "${ES_SCHEME:?not set when ENABLE_ES=true ($CONTRACT)}" "${ES_VIS_INDEX:?not set when ENABLE_ES=true ($CONTRACT)}"
  url="$ES_SCHEME://$ES_SEEDS:$ES_PORT"
  index="$ES_VIS_INDEX"
  command -v "$ES_TOOL" >/dev/null 2>&1 || fail "$ES_TOOL not found; set ES_TOOL to the temporal-elasticsearch-tool binary"
  # ES_USER / ES_PWD are read by the tool from the environment. ES_VERSION is the server's setting
  # (the 1.31 tool has no version flag; its embedded template serves v7 and v8).
  deadline=$(( $(date +%s) + SCHEMA_WAIT_SECONDS ))
  log "waiting for Elasticsearch at $url (up to ${SCHEMA_WAIT_SECONDS}s)"
  until "$ES_TOOL" --ep "$url" ping >"$OUT" 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { show_output; fail "Elasticsearch at $url did not answer within ${SCHEMA_WAIT_SECONDS}s"; }
    sleep 2
  done
  log "elasticsearch: setup-schema (cluster settings and index template)"
  "$ES_TOOL" --ep "$url" setup-schema >"$OUT" 2>&1 || { show_output; fail "elasticsearch setup-schema failed"; }
  log "elasticsearch: create-index $index (skipped when it exists)"
  "$ES_TOOL" --ep "$url" create-index --index "$index" >"$OUT" 2>&1 || { show_output; fail "could not create index $index"; }
}

wait_for_postgres
setup_database "$DBNAME" temporal
if [ "$SQL_VISIBILITY" = "true" ]; then
  setup_database "$VISIBILITY_DBNAME" visibility
fi
if [ "$ENABLE_ES" = "true" ]; then
  setup_elasticsearch
fi
log "done"
