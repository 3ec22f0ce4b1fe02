#!/usr/bin/env bash
# Make a Docker daemon answer: install docker.io if there is no dockerd (apt-get, as root), start
# dockerd if none answers, and wait until `docker info` works. Does nothing when one already answers.
#
# The daemon is started the way a bare CI machine allows: no iptables, no default bridge (download
# containers then use the host's network), overlay2 if the kernel allows it, else vfs (slower).
# It keeps running after this script; its log is $GENTRADE_DOCKERD_LOG (/var/log/gentrade-dockerd.log).
set -uo pipefail
LOG=${GENTRADE_DOCKERD_LOG:-/var/log/gentrade-dockerd.log}
WAIT_SECONDS=${GENTRADE_DOCKERD_WAIT:-30}

say() { echo "ensure_docker: $*" >&2; }
answers() { docker info >/dev/null 2>&1; }
fail() { say "$*"; exit 1; }

answers && exit 0
if [ -n "${DOCKER_HOST:-}" ]; then
  fail "DOCKER_HOST=$DOCKER_HOST does not answer; start that daemon or unset DOCKER_HOST"
fi
[ "$(id -u)" = 0 ] || fail "no Docker daemon answers and starting one needs root (or start dockerd yourself)"

if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
  command -v apt-get >/dev/null || fail "no dockerd and no apt-get to install docker.io"
  say "installing docker.io"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >>"$LOG" 2>&1 \
    || fail "apt-get install docker.io failed; see $LOG"
fi

# A daemon that died leaves its pid file behind, and a new one refuses to start over it.
for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
  if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then rm -f "$pidfile"; fi
done

for driver in overlay2 vfs; do
  say "starting dockerd (storage driver $driver), log in $LOG"
  setsid dockerd --iptables=false --bridge=none --storage-driver="$driver" </dev/null >>"$LOG" 2>&1 &
  pid=$!
  for _ in $(seq "$((WAIT_SECONDS * 2))"); do
    answers && { say "dockerd $pid answers"; exit 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  say "dockerd with $driver did not come up"
done
tail -20 "$LOG" >&2
fail "could not start dockerd; see $LOG"
