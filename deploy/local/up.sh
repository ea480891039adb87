#!/usr/bin/env bash
# ./goldentooth up: build what is missing, then start the broker, the services and a node agent for
# this machine, each as a background process with its log under .goldentooth/logs.
# ./goldentooth up --simulate: the same with the seed's 13-node inventory, every node served by one
# agent process that stands in for all of them (their facts say "simulated"); `./goldentooth simulate
# down <node>` powers one off.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

simulate=false
for arg in "$@"; do
  case "$arg" in
    --simulate) simulate=true ;;
    *) printf 'goldentooth up: unknown argument %s (the only option is --simulate)\n' "$arg" >&2; exit 2 ;;
  esac
done
mode=$([[ $simulate == true ]] && echo simulated || echo local)

command -v java >/dev/null || fail "java is not installed (Java 17 or newer is needed)"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
(( ${java_major%%.*} >= 17 )) || fail "Java 17 or newer is needed, found $java_major"
command -v curl >/dev/null || fail "curl is needed to check the services' health"

# ./goldentooth cluster up puts the broker on its bridge (GOLDENTOOTH_KAFKA_HOST) and runs no agent
# for this host (GOLDENTOOTH_LOCAL_AGENT=0): the machines have their own.
KAFKA_HOST="${GOLDENTOOTH_KAFKA_HOST:-127.0.0.1}"
LOCAL_AGENT="${GOLDENTOOTH_LOCAL_AGENT:-1}"

mkdir -p "$RUN" "$LOGS" "$STATE/kafka" "$STATE/agent" "$STATE/provisioner"

artifacts=("$GOLDENTOOTH_HOME/deploy/broker/target/goldentooth-broker.jar"
           "$GOLDENTOOTH_HOME/cli/target/goldentooth-cli.jar")
for entry in "${SERVICES[@]}"; do
  artifacts+=("$GOLDENTOOTH_HOME/${entry##*:}/target/quarkus-app/quarkus-run.jar")
done
for artifact in "${artifacts[@]}"; do
  if [[ ! -f "$artifact" ]]; then
    say "Building (first run only, a few minutes)..."
    (cd "$GOLDENTOOTH_HOME" && ./mvnw -q -B -DskipTests package) || fail "the build failed"
    break
  fi
done

# One mode at a time: services already running in the other mode would serve the wrong inventory.
if [[ -f "$RUN/mode" && "$(cat "$RUN/mode")" != "$mode" ]]; then
  for entry in "${SERVICES[@]}" kafka; do
    if pid_alive "${entry%%:*}"; then
      fail "the embedded default is already running $(cat "$RUN/mode"); stop it with ./goldentooth down first"
    fi
  done
fi
echo "$mode" >"$RUN/mode"

node_name="${GOLDENTOOTH_NODE_NAME:-$(hostname -s)}"
inventory="${GOLDENTOOTH_INVENTORY:-$STATE/inventory.yaml}"
simulated_nodes=""
if [[ $simulate == true ]]; then
  inventory="${GOLDENTOOTH_INVENTORY:-$GOLDENTOOTH_HOME/deploy/inventory/goldentooth.yaml}"
  [[ -f "$inventory" ]] || fail "inventory $inventory does not exist"
  # The host names of the YAML inventory: the keys directly under any 'hosts:' mapping, first mention first.
  mapfile -t hosts < <(awk '
    { match($0, /^ */); indent = RLENGTH }
    /^[[:space:]]*(#|$)/ { next }
    in_hosts && indent <= hosts_indent { in_hosts = 0 }
    in_hosts && host_indent == 0 { host_indent = indent }
    in_hosts && indent == host_indent && match($0, /^ *[A-Za-z0-9_.-]+:/) {
      name = substr($0, indent + 1, RLENGTH - indent - 1); if (!(name in seen)) { seen[name] = 1; print name }
    }
    /^ *hosts: *$/ { in_hosts = 1; hosts_indent = indent; host_indent = 0 }
  ' "$inventory")
  (( ${#hosts[@]} > 0 )) || fail "inventory $inventory has no hosts"
  [[ "$LOCAL_AGENT" != 0 ]] || fail "--simulate needs the local agent (GOLDENTOOTH_LOCAL_AGENT=0 leaves it out)"
  node_name="${hosts[0]}"
  simulated_nodes=$(IFS=,; echo "${hosts[*]:1}")
fi
if [[ $simulate == false && ! -f "$inventory" ]]; then
  # The embedded default manages one node: this machine. Point GOLDENTOOTH_INVENTORY at another
  # file (deploy/inventory/goldentooth.yaml is the real cluster's) to manage more.
  cat > "$inventory" <<YAML
all:
  children:
    local:
      hosts:
        $node_name:
          ansible_host: 127.0.0.1
YAML
fi

wait_for() { # name, check command, seconds
  local name=$1 check=$2 seconds=$3 pid
  for ((i = 0; i < seconds * 5; i++)); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    pid=$(cat "$RUN/$name.pid" 2>/dev/null || true)
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      fail "$name exited during start-up; its log is $LOGS/$name.log"
    fi
    sleep 0.2
  done
  fail "$name was not ready within ${seconds}s; its log is $LOGS/$name.log"
}

start() { # name, then the command
  local name=$1; shift
  nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

jvm=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)

if pid_alive kafka; then
  say "kafka            already running"
else
  broker="$GOLDENTOOTH_HOME/deploy/broker/target"
  start kafka "${jvm[@]}" -Xmx512m -cp "$broker/lib/*:$broker/goldentooth-broker.jar" \
    net.goldentooth.broker.BrokerMain --data "$STATE/kafka" --host "$KAFKA_HOST" --port "$KAFKA_PORT"
  wait_for kafka "grep -q '^READY' '$LOGS/kafka.log'" 90
fi
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA_HOST:$KAFKA_PORT"

# REST authentication (docs/security.md): an admin token for this machine's user, made once. The
# services read only its SHA-256 from the tokens file; the CLI reads the token file by default.
tokens="$STATE/tokens"
if [[ ! -s "$STATE/admin-token" ]]; then
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/admin-token")
fi
admin_hash=$(tr -d '\n' <"$STATE/admin-token" | sha256sum | cut -d' ' -f1)
if ! grep -qs "^$admin_hash " "$tokens"; then
  (umask 077; printf '%s admin local-admin\n' "$admin_hash" >>"$tokens")
fi

for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port module <<<"$entry"
  [[ "$name" == node-agent && "$LOCAL_AGENT" == 0 ]] && continue
  if pid_alive "$name"; then
    say "$(printf '%-16s' "$name") already running"
    continue
  fi
  props=(-Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1)
  [[ "$name" == node-agent ]] || props+=(-Dgoldentooth.auth.tokens-file="$tokens")
  case "$name" in
    provisioner)
      props+=(-Dgoldentooth.provisioner.inventory="$inventory"
              -Dgoldentooth.provisioner.signing-key="$STATE/provisioner/task-signing.key"
              -Dgoldentooth.provisioner.signing-public-key="$STATE/provisioner/task-signing.pub"
              -Dquarkus.http.cors.origins="http://127.0.0.1:$((8084 + OFFSET)),http://localhost:$((8084 + OFFSET))") ;;
    pki-service) props+=(-Dgoldentooth.pki.state-dir="$STATE/pki" -Dgoldentooth.pki.password-file="$STATE/pki/ca-password" -Dgoldentooth.pki.inventory="$inventory" -Dgoldentooth.pki.token-signing-public-key="$STATE/provisioner/task-signing.pub") ;;
    node-agent)
      # The agent cannot mint its own enrolment token: the provisioner (already up) mints a one-time
      # token for its first certificates (the canary). Without one, the canary reports "no-token".
      # The token goes to curl on stdin (-H @-), never on a command line that ps would show.
      (umask 077; printf 'Authorization: Bearer %s\n' "$(cat "$STATE/admin-token")" | curl -fsS -X POST -H @- \
        -H 'Content-Type: application/json' -d "{\"node\":\"$node_name\"}" \
        "http://127.0.0.1:$((8081 + OFFSET))/enrolment-tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p' \
        >"$STATE/agent/enrolment-token") || say "warning: no enrolment token was minted; see $LOGS/provisioner.log"
      if [[ $simulate == true ]]; then
        # Every node starts powered on; the agent stands in for all of them, its own name included.
        rm -f "$STATE/agent/simulation/powered-off"
        props+=(-Dgoldentooth.agent.simulation=true)
        [[ -z "$simulated_nodes" ]] || props+=(-Dgoldentooth.agent.simulated-nodes="$simulated_nodes")
      fi
      props+=(-Dgoldentooth.agent.node-name="$node_name"
              -Dgoldentooth.agent.trusted-key-files="$STATE/provisioner/task-signing.pub"
              -Dgoldentooth.agent.state-dir="$STATE/agent"
              -Dgoldentooth.agent.enrolment-token-file="$STATE/agent/enrolment-token"
              -Dgoldentooth.agent.logs.files="$LOGS/*.log") ;;
    monitor-service) props+=(-Dgoldentooth.monitor.inventory="$inventory" -Dgoldentooth.monitor.liveness-probe-port="${GOLDENTOOTH_LIVENESS_PROBE_PORT:-$KAFKA_PORT}" -Dgoldentooth.auth.anonymous-role=viewer -Dgoldentooth.monitor.provisioner-url="http://127.0.0.1:$((8081 + OFFSET))" -Dgoldentooth.monitor.agent-probe-port="${GOLDENTOOTH_AGENT_PROBE_PORT:-$((9110 + OFFSET))}") ;;
    storage-service) props+=(-Dgoldentooth.storage.inventory="$inventory" -Dgoldentooth.storage.sanoid-config="$STATE/storage/sanoid.conf") ;;
  esac
  start "$name" "${jvm[@]}" -Xmx256m "${props[@]}" -jar "$GOLDENTOOTH_HOME/$module/target/quarkus-app/quarkus-run.jar"
  # The agent needs the provisioner's public key, so the provisioner must be up first; the
  # others start side by side and are checked below.
  if [[ "$name" == provisioner || "$name" == node-agent ]]; then
    wait_for "$name" "curl -fsS http://127.0.0.1:$port/q/health/ready" 120
  fi
done
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port module <<<"$entry"
  [[ "$name" == node-agent && "$LOCAL_AGENT" == 0 ]] && continue
  wait_for "$name" "curl -fsS http://127.0.0.1:$port/q/health/ready" 120
done

if [[ $simulate == true ]]; then
  say "Goldentooth is up, simulated: ${#hosts[@]} nodes of $inventory served by one agent (state in $STATE)."
else
  say "Goldentooth is up (node: $node_name, state in $STATE)."
fi
say "  $(printf '%-16s' kafka) $KAFKA_HOST:$KAFKA_PORT"
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port module <<<"$entry"
  [[ "$name" == node-agent && "$LOCAL_AGENT" == 0 ]] && continue
  say "  $(printf '%-16s' "$name") http://127.0.0.1:$port"
done
if [[ $simulate == true ]]; then
  say "Try:   ./goldentooth command 'k8s_worker:!velaryon' uptime"
  say "       ./goldentooth simulate down bettley    # NodeDown within the liveness window; 'simulate up' to recover"
else
  say "Try:   ./goldentooth command all uptime"
fi
say "Stop:  ./goldentooth down"
