#!/usr/bin/env bash
# ./goldentooth down: stop what ./goldentooth up started, in reverse order; state is kept.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

names=()
for entry in "${SERVICES[@]}"; do names=("${entry%%:*}" "${names[@]}"); done
names+=("${BROKER_NAMES[@]}")

stopped=0
for name in "${names[@]}"; do
  pidfile="$RUN/$name.pid"
  [[ -f "$pidfile" ]] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    if [[ "$name" == kafka-* ]]; then
      # The members of a cluster stop together: one left alone would wait for a controller quorum.
      for other in "${BROKER_NAMES[@]}"; do
        [[ "$other" == kafka-* && -f "$RUN/$other.pid" ]] && kill -TERM "$(cat "$RUN/$other.pid")" 2>/dev/null || true
      done
    fi
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name did not stop within 20s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "$(printf '%-16s' "$name") stopped"
    stopped=$((stopped + 1))
  fi
  rm -f "$pidfile"
done
(( stopped > 0 )) || say "nothing was running"
