#!/bin/sh
# Runs the host named by CONFERENCE_HOST. exec, so node is PID 1 and receives SIGTERM itself
# (the hosts drain: /ready turns 503, in-flight requests finish, pools close).
set -eu
host="${CONFERENCE_HOST:?CONFERENCE_HOST must name a host: user-service, event-service, session-service, speaker-service or notifier}"
main="/app/hosts/${host}/dist/main.js"
if [ ! -f "$main" ]; then
  echo "conference-entrypoint: no host named '${host}' (no ${main})" >&2
  echo "known hosts: $(ls /app/hosts | tr '\n' ' ')" >&2
  exit 64
fi
exec node --enable-source-maps "$main" "$@"
