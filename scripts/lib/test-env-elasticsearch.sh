# The test environment's Elasticsearch (sourced by scripts/test-env): the configured
# ELASTICSEARCH_VERSION, assembled from Maven Central by scripts/elasticsearch/assemble into the cache,
# run on Debian's Java 17 as one node on loopback ports, data under the state directory.
# Elasticsearch refuses to run as root: as root it runs as the same user as PostgreSQL (postgres or
# nobody), from a copy of the assembly when that user cannot read the cache (under /root it cannot).

# The Java 17 of Debian's openjdk-17-jre-headless (Elasticsearch 7.17 needs its security manager,
# which Java 24 removed, so the java on PATH is not good enough).
find_es_java() {
  local java
  java="$(dpkg -L openjdk-17-jre-headless 2>/dev/null | grep -m 1 '/bin/java$' || true)"
  [ -n "$java" ] && [ -x "$java" ] || die "openjdk-17-jre-headless is not installed (apt-get install openjdk-17-jre-headless)"
  ES_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")" ES_JAVA="$(readlink -f "$java")"
}

ensure_elasticsearch() {
  find_es_java
  ES_ASSEMBLY="$(bash "$ROOT/scripts/elasticsearch/assemble" "$CFG_ELASTICSEARCH_VERSION")" \
    || die "could not assemble Elasticsearch $CFG_ELASTICSEARCH_VERSION (see above)"
}

es_layout() {
  ES_ROOT="$(dirname "$PG_ROOT")/elasticsearch"
  ES_DATA="$ES_ROOT/data" ES_CONF="$ES_ROOT/config" ES_LOG="$STATE/elasticsearch.log"
}

# The node's home: the cached assembly, or a copy of it where the user can read it.
es_home() {
  if [ -z "$PG_OS_USER" ] || runuser -u "$PG_OS_USER" -- test -r "$ES_ASSEMBLY/lib"; then echo "$ES_ASSEMBLY"; return; fi
  local home="$ES_ROOT/home"
  if ! cmp -s "$ES_ASSEMBLY/.recipe" "$home/.recipe" 2>/dev/null; then
    rm -rf "$home" && cp -a "$ES_ASSEMBLY" "$home.tmp" && mv "$home.tmp" "$home"
  fi
  echo "$home"
}

es_green() {
  node -e 'fetch(process.argv[1]).then(async (r) => process.exit(r.ok && (await r.json()).status === "green" ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=green&timeout=1s"
}

start_elasticsearch() {
  es_layout
  if svc_running elasticsearch; then log "elasticsearch already running on 127.0.0.1:$ES_PORT"; return 0; fi
  # shellcheck disable=SC2046
  ensure_ports $(service_port_vars elasticsearch)
  mkdir -p "$ES_DATA" "$ES_ROOT/logs" "$ES_ROOT/tmp"
  local home; home="$(es_home)"
  # A writable config directory of its own: the node writes its keystore there.
  [ -f "$ES_CONF/log4j2.properties" ] || cp -r "$home/config" "$ES_CONF"
  [ -z "$PG_OS_USER" ] || chown -R "$PG_OS_USER" "$ES_ROOT"
  # Disk thresholds off: the host's disk is shared, and a watermark would turn the index read-only
  # because of other work on the machine rather than anything under test.
  # setpriv, env and the launcher all exec (no fork): the pid is the JVM's, its argv[0] the java binary.
  local as_user=(env)
  [ -z "$PG_OS_USER" ] || as_user=(setpriv "--reuid=$PG_OS_USER" "--regid=$(id -g "$PG_OS_USER")" --init-groups env)
  start_detached elasticsearch "${as_user[@]}" -i PATH="$PATH" HOME="$ES_ROOT" HOSTNAME=test-env ES_JAVA_HOME="$ES_JAVA_HOME" ES_PATH_CONF="$ES_CONF" \
    ES_TMPDIR="$ES_ROOT/tmp" ES_JAVA_OPTS="-Xms$CFG_ELASTICSEARCH_HEAP -Xmx$CFG_ELASTICSEARCH_HEAP" \
    "$home/bin/elasticsearch" -Ediscovery.type=single-node -Ecluster.name=temporal-ctl-test -Enode.name=test-env \
    -Ehttp.host=127.0.0.1 "-Ehttp.port=$ES_PORT" -Etransport.host=127.0.0.1 "-Etransport.port=$ES_TRANSPORT_PORT" \
    "-Epath.data=$ES_DATA" "-Epath.logs=$ES_ROOT/logs" -Ecluster.routing.allocation.disk.threshold_enabled=false
  printf '%s\n%s\n' "$(sed -n 1p "$STATE/elasticsearch.pid")" "$ES_JAVA_HOME/bin/java" >"$STATE/elasticsearch.pid"
  wait_until "$WAIT_SECONDS" elasticsearch "$(pid_of elasticsearch)" es_green \
    || { tail -n 20 "$ES_LOG" >&2; die "Elasticsearch did not turn green (log: $ES_LOG)"; }
}
