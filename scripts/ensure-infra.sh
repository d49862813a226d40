#!/usr/bin/env bash
# Makes sure what the tests need is running on this machine: PostgreSQL, RabbitMQ, and nginx
# installed (the stack runner starts its own nginx). Idempotent; safe to run any time.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for_port() { # port name seconds
  for _ in $(seq 1 "$3"); do port_open "$1" && return 0; sleep 1; done
  echo "$2 did not come up on 127.0.0.1:$1" >&2; return 1
}

if ! port_open "${PGPORT:-5432}"; then
  echo "Starting PostgreSQL" >&2
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  wait_for_port "${PGPORT:-5432}" PostgreSQL 60
fi

if ! port_open 5672; then
  echo "Starting RabbitMQ" >&2
  command -v rabbitmq-server >/dev/null || { echo "RabbitMQ is not installed: apt-get install -y rabbitmq-server" >&2; exit 1; }
  rabbitmq-server -detached || true
  wait_for_port 5672 RabbitMQ 120
fi

if ! command -v nginx >/dev/null; then
  echo "Installing nginx" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nginx >/dev/null
fi
echo "infrastructure: PostgreSQL, RabbitMQ up; $(nginx -v 2>&1)" >&2
