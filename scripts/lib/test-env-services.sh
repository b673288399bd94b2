# Starts, checks and stops the test environment's services (sourced by scripts/test-env).
# State lives in $STATE: ports.env (ports survive stop/start), <svc>.pid (pid, then binary), logs.

# Also the names of the server's role ports (`config env --role-port NAME=PORT` rejects any other).
TEMPORAL_PORT_VARS=(FRONTEND_GRPC_PORT FRONTEND_HTTP_PORT FRONTEND_MEMBERSHIP_PORT HISTORY_GRPC_PORT
  HISTORY_MEMBERSHIP_PORT MATCHING_GRPC_PORT MATCHING_MEMBERSHIP_PORT WORKER_GRPC_PORT WORKER_MEMBERSHIP_PORT)

load_state() {
  # shellcheck disable=SC1091
  [ ! -f "$STATE/ports.env" ] || . "$STATE/ports.env"
  # PostgreSQL refuses to run as root: as root it runs as `postgres` (or `nobody`), in a directory that
  # user can reach (a checkout under /root is not), else under $TMPDIR.
  PG_OS_USER=""
  if is_root; then PG_OS_USER="$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)"; fi
  local pg_root="$STATE/postgres"
  if [ -n "$PG_OS_USER" ] && ! runuser -u "$PG_OS_USER" -- test -x "$STATE"; then
    pg_root="${TMPDIR:-/tmp}/temporal-ctl-test-env-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)/postgres"
  fi
  PG_ROOT="$pg_root" PG_DATA="$pg_root/data"
  find_pg_bin; es_layout
}

# The newest installed PostgreSQL's bin dir (Debian keeps each major in /usr/lib/postgresql/N).
find_pg_bin() {
  PG_BIN="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true)"
  PG_BIN="${PG_BIN%/initdb}"
}

# The port variables of a service (all services' without an argument).
service_port_vars() {
  case "${1:-}" in
    postgres) echo PG_PORT ;;
    elasticsearch) echo ES_PORT ES_TRANSPORT_PORT ;;
    temporal) echo "${TEMPORAL_PORT_VARS[*]}" METRICS_PORT ;;
    ui) echo UI_PORT ;;
    "") local s; for s in postgres elasticsearch temporal ui; do service_port_vars "$s"; done | tr '\n' ' ' ;;
  esac
}

save_state() {
  local v
  for v in $(service_port_vars); do echo "$v=${!v:-}"; done >"$STATE/ports.env"
}

# The ports of every stopped service, picked at once before `up` starts the services as jobs side by
# side (processes of their own): two jobs picking at the same time could pick the same port, or write
# ports.env over each other. Each job's ensure_ports then finds its ports saved and free.
ensure_all_ports() {
  local s
  # shellcheck disable=SC2046
  for s in postgres elasticsearch temporal ui; do svc_running "$s" || ensure_ports $(service_port_vars "$s"); done
}

# Keeps a service's saved ports when they are free, else picks new ones.
ensure_ports() {
  local vars=("$@") v current=() taken=()
  for v in "${vars[@]}"; do [ -n "${!v:-}" ] && current+=("${!v}"); done
  if [ "${#current[@]}" -eq "${#vars[@]}" ] && ports_free "${current[@]}"; then return 0; fi
  for v in $(service_port_vars); do [ -z "${!v:-}" ] || taken+=("${!v}"); done
  read -r -a current <<<"$(ports_pick "${#vars[@]}" "${taken[@]}")"
  local i=0; for v in "${vars[@]}"; do printf -v "$v" '%s' "${current[$i]}"; i=$((i + 1)); done
  save_state
}

# Children never inherit fd 9 (scripts/test-env's lock): a daemon holding it would block every later run.
pg_run() { if [ -n "$PG_OS_USER" ]; then runuser -u "$PG_OS_USER" -- "$@" 9>&-; else "$@" 9>&-; fi; }
pg_pid() { if svc_running postgres; then head -n 1 "$PG_DATA/postmaster.pid"; else echo 0; fi; }
pid_of() { if svc_running "$1"; then head -n 1 "$STATE/$1.pid"; else echo 0; fi; }

svc_running() {
  if [ "$1" = postgres ]; then
    [ -f "$PG_DATA/postmaster.pid" ] && [ -n "${PG_BIN:-}" ] && pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
    return
  fi
  # A pid file is trusted only while that pid still runs the recorded binary (stale pids happen).
  local f="$STATE/$1.pid" pid bin
  [ -f "$f" ] || return 1
  pid="$(sed -n 1p "$f")" bin="$(sed -n 2p "$f")"
  kill -0 "$pid" 2>/dev/null && [ "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1)" = "$bin" ]
}

# wait_until SECONDS WHAT PID|0 CMD...: polls CMD until it succeeds; fails early if PID died.
wait_until() {
  local seconds="$1" what="$2" pid="$3" deadline; shift 3
  deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$pid" != 0 ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [ "$(date +%s)" -lt "$deadline" ] || { log "$what not ready within ${seconds}s"; return 1; }
    sleep 0.5
  done
}

start_postgres() {
  if svc_running postgres; then log "postgres already running on 127.0.0.1:$PG_PORT"; return 0; fi
  # shellcheck disable=SC2046
  ensure_ports $(service_port_vars postgres)
  mkdir -p "$PG_ROOT"; [ -z "$PG_OS_USER" ] || chown "$PG_OS_USER" "$PG_ROOT"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DATA"
    printf '%s\n' "$PG_PASSWORD" >"$PG_ROOT/pwfile"; [ -z "$PG_OS_USER" ] || chown "$PG_OS_USER" "$PG_ROOT/pwfile"
    pg_run "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$PG_ROOT/pwfile" -A scram-sha-256 \
      --encoding=UTF8 --locale=C >"$PG_ROOT/initdb.log" 2>&1 || { tail -n 20 "$PG_ROOT/initdb.log" >&2; die "initdb failed"; }
    rm -f "$PG_ROOT/pwfile"
  fi
  # Containers reach it as an external PostgreSQL (POSTGRES_HOST; test/e2e/external-postgres.test.ts):
  # it listens beyond loopback, and only clients on the networks this host is on log in, by password.
  grep -q '^host all all samenet scram-sha-256' "$PG_DATA/pg_hba.conf" \
    || printf 'host all all samenet scram-sha-256\n' >>"$PG_DATA/pg_hba.conf"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_ROOT/postgres.log" -w -t "$WAIT_SECONDS" \
    -o "-p $PG_PORT -k $PG_ROOT -c listen_addresses='*'" start >/dev/null \
    || { tail -n 20 "$PG_ROOT/postgres.log" >&2; die "PostgreSQL did not start (log: $PG_ROOT/postgres.log)"; }
  wait_until "$WAIT_SECONDS" postgres 0 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL does not answer"
}

# The test environment's placement (how its processes reach PostgreSQL, what the server listens on) as
# `temporal-ctl config env` flags; the variables themselves come from the contract, never from here.
schema_env_args() {
  SCHEMA_ENV_ARGS=(--postgres "127.0.0.1:$PG_PORT" --elasticsearch "127.0.0.1:$ES_PORT" --schema-dir "$SCHEMA_DIR" --sql-tool "$SQL_TOOL_BIN")
}
server_env_args() {
  local v dc="$ROOT/temporal-config/$CFG_TEMPORAL_DYNAMIC_CONFIG"
  if [ ! -f "$dc" ]; then dc="$STATE/dynamicconfig.yaml"; [ -f "$dc" ] || { : >"$dc"; log "note: $CFG_TEMPORAL_DYNAMIC_CONFIG not in temporal-config/ yet; empty dynamic config"; }; fi
  SERVER_ENV_ARGS=(--postgres "127.0.0.1:$PG_PORT" --elasticsearch "127.0.0.1:$ES_PORT" --bind-ip 127.0.0.1 --broadcast-address 127.0.0.1 --dynamic-config "$dc"
    --metrics "127.0.0.1:$METRICS_PORT")
  for v in "${TEMPORAL_PORT_VARS[@]}"; do SERVER_ENV_ARGS+=(--role-port "$v=${!v}"); done
}

# contract_env NAME server|schema FLAGS...: sets the array NAME to the contract's KEY=value words.
contract_env() {
  local name="$1" service="$2" lines; shift 2
  lines="$(ctl config env --service "$service" "$@")" || die "temporal-ctl config env --service $service failed"
  eval "$name=($lines)"
}

run_schema_setup() {
  schema_env_args; contract_env SCHEMA_ENV schema "${SCHEMA_ENV_ARGS[@]}"
  # The server's cache dir first on PATH: temporal-elasticsearch-tool is found there as in admin-tools.
  env -i PATH="$(dirname "$SERVER_BIN"):$PATH" HOME="$HOME" "${SCHEMA_ENV[@]}" sh "$ROOT/temporal-config/schema-setup.sh" >"$STATE/schema-setup.log" 2>&1 \
    || { cat "$STATE/schema-setup.log" >&2; die "schema setup failed"; }
}

# start_detached NAME BINARY ARGS...: runs in its own session; the pid file records pid and binary.
start_detached() {
  local name="$1" bin="$2"; shift 2
  printf '\n=== %s start %s\n' "$name" "$(date -u +%FT%TZ)" >>"$STATE/$name.log"
  setsid "$bin" "$@" >>"$STATE/$name.log" 2>&1 </dev/null 9>&- &
  printf '%s\n%s\n' "$!" "$bin" >"$STATE/$name.pid"
}

start_temporal() {
  if svc_running temporal; then
    log "temporal already running on 127.0.0.1:$FRONTEND_GRPC_PORT"
    wait_until 30 temporal "$(pid_of temporal)" temporal_serving || die "the running Temporal server is not SERVING (log: $STATE/temporal.log)"
    ensure_namespace
    return 0
  fi
  svc_running postgres || die "postgres is not running: run \`bash scripts/test-env start postgres\` first"
  svc_running elasticsearch || die "elasticsearch is not running: run \`bash scripts/test-env start elasticsearch\` first"
  # shellcheck disable=SC2046
  ensure_ports $(service_port_vars temporal)
  server_env_args; contract_env SERVER_ENV server "${SERVER_ENV_ARGS[@]}"
  # The stack's contract on loopback ports, and nothing else (env -i): what the server container gets.
  start_detached temporal env -i PATH="$PATH" HOME="$HOME" "${SERVER_ENV[@]}" "$SERVER_BIN" --allow-no-auth start
  # `env` execs the server: same pid, and its argv[0] becomes the server binary (the stale-pid check).
  printf '%s\n%s\n' "$(sed -n 1p "$STATE/temporal.pid")" "$SERVER_BIN" >"$STATE/temporal.pid"
  wait_until "$WAIT_SECONDS" temporal "$(pid_of temporal)" temporal_serving \
    || { tail -n 20 "$STATE/temporal.log" >&2; die "Temporal server did not become SERVING (log: $STATE/temporal.log)"; }
  ensure_namespace
}

# What `temporal-ctl start` ensures on a cluster it deploys: TEMPORAL_NAMESPACE exists (status checks it is usable).
ensure_namespace() {
  local address="127.0.0.1:$FRONTEND_GRPC_PORT"
  "$TEMPORAL_CLI" operator namespace describe -n "$CFG_TEMPORAL_NAMESPACE" --address "$address" >/dev/null 2>&1 && return 0
  "$TEMPORAL_CLI" operator namespace create -n "$CFG_TEMPORAL_NAMESPACE" --address "$address" >/dev/null \
    || die "could not create namespace $CFG_TEMPORAL_NAMESPACE on the test server (log: $STATE/temporal.log)"
  log "namespace $CFG_TEMPORAL_NAMESPACE created"
}

temporal_serving() {
  "$TEMPORAL_CLI" operator cluster health --address "127.0.0.1:$FRONTEND_GRPC_PORT" 2>/dev/null | grep -qx 'SERVING'
}

http_ok() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }

start_ui() {
  [ -n "$UI_BIN" ] || return 0
  if svc_running ui; then log "ui already running on 127.0.0.1:$UI_PORT"; return 0; fi
  # shellcheck disable=SC2046
  ensure_ports $(service_port_vars ui)
  mkdir -p "$STATE/ui"
  cat >"$STATE/ui/test-env.yaml" <<EOF
# Written by scripts/test-env: the Web UI server pointed at the test Temporal server.
temporalGrpcAddress: 127.0.0.1:$FRONTEND_GRPC_PORT
host: 127.0.0.1
port: $UI_PORT
enableUi: true
defaultNamespace: default
cors:
  allowOrigins:
    - http://127.0.0.1:$UI_PORT
    - http://localhost:$UI_PORT
EOF
  start_detached ui "$UI_BIN" --root "$STATE" --config ui --env test-env start
  wait_until "$WAIT_SECONDS" ui "$(pid_of ui)" http_ok "http://127.0.0.1:$UI_PORT/healthz" \
    && wait_until "$WAIT_SECONDS" ui "$(pid_of ui)" http_ok "http://127.0.0.1:$UI_PORT/api/v1/namespaces" \
    || { tail -n 20 "$STATE/ui.log" >&2; die "the Web UI did not answer /healthz and /api/v1/namespaces (log: $STATE/ui.log)"; }
}

start_service() {
  case "$1" in postgres) start_postgres ;; elasticsearch) start_elasticsearch ;; temporal) start_temporal ;; ui) start_ui ;; esac
}

stop_service() {
  local svc="$1" pid i
  svc_running "$svc" || { rm -f "$STATE/$svc.pid"; return 0; }
  if [ "$svc" = postgres ]; then
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null; log "postgres stopped"; return 0
  fi
  pid="$(pid_of "$svc")"; kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STATE/$svc.pid"; log "$svc stopped"
}
