#!/usr/bin/env bash
# Make sure what the tests talk to is up: PostgreSQL, Redis, RabbitMQ; Docker Compose installed.
# Docker is started by the tests themselves (scripts/ensure_docker.sh).
set -uo pipefail
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
fi
if command -v rabbitmq-server >/dev/null && ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  rabbitmq-server -detached || true
  for _ in $(seq 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 1; done
fi
# `docker compose config` checks the production compose file; Debian ships Compose as docker-compose.
if ! command -v docker-compose >/dev/null && ! docker compose version >/dev/null 2>&1; then
  if command -v apt-get >/dev/null; then
    (apt-get install -y -q docker-compose >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q docker-compose >/dev/null)) || true
  fi
fi
exit 0
