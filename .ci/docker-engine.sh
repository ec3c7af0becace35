#!/usr/bin/env bash
# Makes a Docker engine answer for the container tests. `start`: when none answers, installs
# Debian's docker.io (and busybox-static for the test image) if missing and starts dockerd with
# the vfs storage driver; records that it did so. `stop`: stops the engine `start` started.
set -euo pipefail

STATE_DIR="${OTA_CI_STATE:-/tmp/ota-ci}"
mkdir -p "$STATE_DIR"

answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

case "${1:-start}" in
  start)
    if ! command -v busybox >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
      echo "== installing docker.io and busybox-static"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q >/dev/null
      apt-get install -y -q docker.io busybox-static >/dev/null
    fi
    if answers; then
      echo "== Docker engine already answers ($(docker version --format '{{.Server.Version}}'))"
    else
      echo "== starting dockerd (vfs storage driver)"
      nohup dockerd --storage-driver=vfs >"$STATE_DIR/dockerd.log" 2>&1 &
      echo $! > "$STATE_DIR/dockerd.pid"
      for _ in $(seq 1 60); do
        answers && break
        sleep 1
      done
      if ! answers; then
        echo "dockerd did not come up; its log:" >&2
        tail -n 50 "$STATE_DIR/dockerd.log" >&2 || true
        exit 1
      fi
      echo "== Docker engine $(docker version --format '{{.Server.Version}}') up"
    fi
    "$(dirname "$0")/test-image.sh"
    ;;
  stop)
    if [ -f "$STATE_DIR/dockerd.pid" ]; then
      pid="$(cat "$STATE_DIR/dockerd.pid")"
      echo "== stopping the dockerd this run started (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      rm -f "$STATE_DIR/dockerd.pid"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
