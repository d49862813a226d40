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
# Bounded young and old generations: under load V8 otherwise grows the young generation and keeps it
# (RSS 250-315 MiB for a live heap of ~15 MiB; bench/RESULTS.md). NODE_FLAGS replaces the defaults,
# e.g. NODE_FLAGS="--enable-source-maps" to map stack traces to the TypeScript sources.
# shellcheck disable=SC2086 # the flags are words
exec node ${NODE_FLAGS:---max-semi-space-size=8 --max-old-space-size=128} "$main" "$@"
