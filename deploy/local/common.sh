# Shared by up.sh and down.sh: where the embedded default keeps its state, and its services.
# shellcheck shell=bash
STATE="${GOLDENTOOTH_STATE:-$GOLDENTOOTH_HOME/.goldentooth}"
RUN="$STATE/run"
LOGS="$STATE/logs"

# name:port:module, in start order. The node agent starts last: it trusts the key the provisioner makes.
SERVICES=(
  "provisioner:8081:provisioner"
  "pki-service:8082:pki-service"
  "storage-service:8083:storage-service"
  "monitor-service:8084:monitor-service"
  "node-agent:9110:node-agent"
)
KAFKA_PORT="${GOLDENTOOTH_KAFKA_PORT:-9092}"

pid_alive() {
  local pidfile="$RUN/$1.pid"
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

say() { printf '%s\n' "$*"; }
fail() { printf 'goldentooth: %s\n' "$*" >&2; exit 1; }
