# The Docker engine and the local test image (sourced by scripts/test-env). No registry is reachable,
# so the image is a `docker import` of a rootfs holding Debian's static busybox.

docker_ready() { timeout 10 docker info >/dev/null 2>&1; }

# Starts dockerd only when no engine answers, and remembers that it did (down stops only its own).
ensure_docker() {
  if docker_ready; then
    if svc_running dockerd; then log "dockerd (ours) already running"; else log "a Docker engine already answers; using it"; fi
    return 0
  fi
  is_root || die "no Docker engine answers and starting dockerd needs root; start Docker (or run as root)"
  [ -z "${DOCKER_HOST:-}" ] || die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
  start_detached dockerd "$(command -v dockerd)"
  wait_until "$WAIT_SECONDS" dockerd "$(pid_of dockerd)" docker_ready \
    || { tail -n 20 "$STATE/dockerd.log" >&2; die "dockerd did not answer (log: $STATE/dockerd.log)"; }
}

stop_dockerd_if_ours() {
  if svc_running dockerd; then stop_service dockerd; else rm -f "$STATE/dockerd.pid"; fi
}

ensure_test_image() {
  if docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then return 0; fi
  local busybox rootfs applet
  busybox="$(dpkg -L busybox-static | grep -m 1 '/bin/busybox$')" || die "busybox-static is not installed"
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root}
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$busybox" --list); do [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | docker import --change 'CMD ["/bin/sh"]' - "$TEST_IMAGE" >/dev/null
  rm -rf "$rootfs"
  docker run --rm "$TEST_IMAGE" /bin/true || die "the test image $TEST_IMAGE does not run"
  log "built $TEST_IMAGE (docker import of busybox-static)"
}
