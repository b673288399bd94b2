#!/bin/bash
# TEST ONLY: entrypoint of the local stand-in for the official elasticsearch image (the node assembled
# from Maven Central on Debian's Java 17, scripts/elasticsearch/). Keeps the official entrypoint's
# contract: CMD `eswrapper` (or arguments starting with `-`) starts the node; every environment variable
# named like a setting (lowercase words with a dot: discovery.type, cluster.routing...) becomes
# `-E name=value`; ES_JAVA_OPTS is honoured; as root it drops to uid 1000 (gid 0), chowning data and
# logs first when TAKE_FILE_OWNERSHIP is set; any other command runs as given.
# Not here: x-pack (not on Maven Central). xpack.* settings set to false are accepted and ignored; any
# other value stops the start with one line saying so. ELASTIC_PASSWORD is ignored (security is off).
set -euo pipefail
umask 0002

ES_HOME=/usr/share/elasticsearch

if [ "${1:0:1}" = - ]; then set -- eswrapper "$@"; fi
if [ "$1" != eswrapper ]; then
  if [ "$(id -u)" = 0 ] && [ "$(basename "$1")" = elasticsearch ]; then
    exec setpriv --reuid=1000 --regid=0 --init-groups -- "$ES_HOME/bin/elasticsearch" "${@:2}"
  fi
  exec "$@"
fi
shift

settings=()
while IFS='=' read -r -d '' key value; do
  [[ "$key" =~ ^[a-z0-9_]+\.[a-z0-9_]+ ]] && [ -n "$value" ] || continue
  if [[ "$key" == xpack.* ]]; then
    if [ "$value" = false ]; then continue; fi
    echo "ERROR: $key=$value: this Elasticsearch stand-in has no x-pack (not on Maven Central); use $key=false or the official image" >&2
    exit 1
  fi
  settings+=("-E$key=$value")
done < <(env -0)

# The official image points Elasticsearch's cgroup statistics at the container's own cgroup.
export ES_JAVA_OPTS="-Des.cgroups.hierarchy.override=/ ${ES_JAVA_OPTS:-}"
export ES_DISTRIBUTION_TYPE=docker

if [ "$(id -u)" = 0 ]; then
  if [ -n "${TAKE_FILE_OWNERSHIP:-}" ]; then chown -R 1000:0 "$ES_HOME/data" "$ES_HOME/logs"; fi
  exec setpriv --reuid=1000 --regid=0 --init-groups -- "$ES_HOME/bin/elasticsearch" "${settings[@]}" "$@"
fi
exec "$ES_HOME/bin/elasticsearch" "${settings[@]}" "$@"
