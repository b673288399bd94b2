#!/bin/sh
# The default namespace, once the server answers its health check (retried: the port opens first).
set -eu
address="$(getent ahosts temporal | awk '/STREAM/ { print $1; exit }'):7233"
n=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  n=$((n + 1)); [ "$n" -lt 60 ] || exit 1; sleep 1
done
temporal operator namespace describe -n default --address "$address" >/dev/null 2>&1 ||
  temporal operator namespace create -n default --address "$address"
