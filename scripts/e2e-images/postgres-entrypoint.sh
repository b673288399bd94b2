#!/bin/bash
# TEST ONLY: entrypoint of the local stand-in for the official postgres image (Debian's PostgreSQL
# in a debootstrap rootfs). Honours the same contract the stack relies on: POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB (each also as <VAR>_FILE), POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, PGDATA (default
# /var/lib/postgresql/data, the volume), initdb on the first start only, then `postgres` listening
# on 0.0.0.0:5432 as PID 1, run as the postgres user.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*"; }

# <VAR>_FILE names a file that holds VAR (a swarm secret), as the official image's file_env reads it.
for var in POSTGRES_PASSWORD POSTGRES_USER POSTGRES_DB; do
  file_var="${var}_FILE"
  if [ -n "${!file_var:-}" ]; then
    if [ -n "${!var:-}" ]; then log "both $var and $file_var are set (but are exclusive)" >&2; exit 1; fi
    printf -v "$var" '%s' "$(<"${!file_var}")"
    export "$var"
    unset "$file_var"
  fi
done

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
export PGDATA POSTGRES_USER POSTGRES_DB

# As root: own the data directory and the socket directory, then re-run as postgres.
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

init_database() {
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    log "Database is uninitialized and superuser password is not specified: set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  log "initdb in $PGDATA (first start)"
  # shellcheck disable=SC2086
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
    --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" ${POSTGRES_INITDB_ARGS:-}
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    # A socket-only temporary server creates the database, as the official image does.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
      -c "CREATE DATABASE \"$POSTGRES_DB\""
    pg_ctl -D "$PGDATA" -m fast -w stop
  fi
  log "PostgreSQL init process complete; ready for start up."
}

if [ "$1" = postgres ]; then
  if [ ! -s "$PGDATA/PG_VERSION" ]; then init_database; else log "PostgreSQL Database directory appears to contain a database; Skipping initialization"; fi
fi
exec "$@"
