# Shared by up.sh and down.sh: where the embedded default keeps its state, and its services.
# shellcheck shell=bash
STATE="${GOLDENTOOTH_STATE:-$GOLDENTOOTH_HOME/.goldentooth}"
RUN="$STATE/run"
LOGS="$STATE/logs"

# GOLDENTOOTH_PORT_OFFSET moves every port by the same amount, so a second copy (a test) can run
# beside the first.
OFFSET="${GOLDENTOOTH_PORT_OFFSET:-0}"
[[ "$OFFSET" =~ ^[0-9]+$ ]] || { printf 'goldentooth: GOLDENTOOTH_PORT_OFFSET must be a number, was %s\n' "$OFFSET" >&2; exit 2; }

# name:port:module, in start order. The node agent starts last: it trusts the key the provisioner makes.
SERVICES=(
  "provisioner:$((8081 + OFFSET)):provisioner"
  "pki-service:$((8082 + OFFSET)):pki-service"
  "storage-service:$((8083 + OFFSET)):storage-service"
  "monitor-service:$((8084 + OFFSET)):monitor-service"
  "node-agent:$((9110 + OFFSET)):node-agent"
)
KAFKA_PORT="${GOLDENTOOTH_KAFKA_PORT:-$((9092 + OFFSET))}"
# The broker's process name: "kafka", or kafka-1..3 for `up --brokers 3` (member i listens on
# KAFKA_PORT + 2(i-1), its controller on the port above).
BROKER_NAMES=(kafka kafka-1 kafka-2 kafka-3)

pid_alive() {
  local pidfile="$RUN/$1.pid"
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

say() { printf '%s\n' "$*"; }
fail() { printf 'goldentooth: %s\n' "$*" >&2; exit 1; }
