#!/usr/bin/env bash
# What the server's Prometheus endpoint costs: the test environment's server (one process, every role)
# restarted with its contract's environment with and without PROMETHEUS_ENDPOINT, then for each:
# CPU seconds and RSS over an idle window, and over a small workload (N signalled workflows,
# test/e2e/worker/signal_wait.py bulk). With the endpoint on, it is scraped every SCRAPE seconds as the
# stack's Prometheus does. Figures from /proc of the server process. Needs `bash scripts/test-env up`;
# it restores the test environment's server at the end.
#   bash bench/metrics-cost.sh [IDLE_SECONDS=60] [WORKFLOWS=50] [ROUNDS=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.test-env"
IDLE="${1:-60}" WORKFLOWS="${2:-50}" ROUNDS="${3:-2}"
[ -f "$STATE/env.json" ] || { echo "run bash scripts/test-env up first" >&2; exit 1; }
field() { node -e 'const e = require(process.argv[1]); const v = process.argv[2].split(".").reduce((o, k) => o[k], e); console.log(Array.isArray(v) ? v.join("\n") : v)' "$STATE/env.json" "$1"; }
BIN="$(field temporal.binary)" ADDRESS="$(field temporal.address)" CLI="$(field cli.temporal)"
PY="$(field python.interpreter)" PYPATH="$(field python.path)" METRICS_PORT="$(field temporal.metricsPort)"
mapfile -t CONFIG < <(field temporal.contract.config)
mapfile -t ARGS < <(field temporal.contract.server)
# The scrape interval of the stack's Prometheus (src/model/metrics-stack.ts), read, not restated.
SCRAPE="$(cd "$ROOT" && node --input-type=module -e 'import("./dist/src/model/metrics-stack.js").then((m) => console.log(parseInt(m.SCRAPE_INTERVAL, 10)))')"
eval "SERVER_ENV=($(env "${CONFIG[@]}" node "$ROOT/bin/temporal-ctl" config env --service server "${ARGS[@]}"))"
TICK="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
serving() { "$CLI" operator cluster health --address "$ADDRESS" >/dev/null 2>&1; }

# run_server on|off: starts the server with or without the endpoint; sets PID.
run_server() {
  local envs=()
  for kv in "${SERVER_ENV[@]}"; do [ "$1" = on ] || [[ "$kv" != PROMETHEUS_ENDPOINT=* ]] && envs+=("$kv"); done
  env -i PATH="$PATH" HOME="$HOME" "${envs[@]}" "$BIN" --allow-no-auth start >>"$STATE/bench-metrics.log" 2>&1 &
  PID=$!
  for _ in $(seq 120); do serving && break; sleep 0.5; done
  serving || { echo "server ($1) did not become SERVING; see $STATE/bench-metrics.log" >&2; exit 1; }
  sleep 10 # let start-up work (shard acquisition, namespace cache, system workflows) settle
}
stop_server() { kill "$PID" && wait "$PID" 2>/dev/null || true; }
# scraper: fetches the endpoint every SCRAPE seconds while the measured window runs.
scraper() { while sleep "$SCRAPE"; do curl -s -o /dev/null "http://127.0.0.1:$METRICS_PORT/metrics" || true; done; }

# measure on|off idle|load: prints "mode phase cpu_seconds wall_seconds rss_mib".
measure() {
  local scrape_pid="" t0 c0 c1 t1
  [ "$1" = off ] || { scraper & scrape_pid=$!; }
  t0=$(date +%s.%N) c0=$(cpu_ticks "$PID")
  if [ "$2" = idle ]; then sleep "$IDLE"; else
    env TEMPORAL_ADDRESS="$ADDRESS" TEMPORAL_NAMESPACE=default PYTHONPATH="$PYPATH" \
      "$PY" "$ROOT/test/e2e/worker/signal_wait.py" bulk "$WORKFLOWS" >/dev/null
  fi
  c1=$(cpu_ticks "$PID") t1=$(date +%s.%N)
  [ -z "$scrape_pid" ] || kill "$scrape_pid"
  awk -v m="$1" -v p="$2" -v c=$((c1 - c0)) -v hz="$TICK" -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v r="$(rss_mib "$PID")" \
    'BEGIN { printf "%-4s %-5s cpu %6.2f s over %5.1f s (%5.1f%% of a core)  rss %4d MiB\n", m, p, c / hz, w, 100 * c / hz / w, r }'
}

bash "$ROOT/scripts/test-env" stop temporal >/dev/null
trap 'bash "$ROOT/scripts/test-env" start temporal >/dev/null' EXIT
for round in $(seq "$ROUNDS"); do
  for mode in off on; do
    run_server "$mode"
    echo "round $round: $(measure "$mode" idle)"
    echo "round $round: $(measure "$mode" load) ($WORKFLOWS workflows)"
    [ "$mode" = off ] || curl -s -o /dev/null -w "round $round: one scrape: %{size_download} bytes in %{time_total} s\n" \
      "http://127.0.0.1:$METRICS_PORT/metrics"
    stop_server
  done
done
