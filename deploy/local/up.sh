#!/usr/bin/env bash
# ./goldentooth up: build what is missing, then start the broker, the services and a node agent for
# this machine, each as a background process with its log under .goldentooth/logs.
# ./goldentooth up --simulate: the same with the seed's 13-node inventory, every node served by one
# agent process that stands in for all of them (their facts say "simulated"); `./goldentooth simulate
# down <node>` powers one off.
#
# ./goldentooth up --secure [--address ADDR] [--agents a,b,...] [--no-agent]: the production
# security of docs/security.md on this machine: the CA initialised, certificates for the broker
# (with ADDR among its names), each service and an operator (ops-admin), the broker in mutual-TLS
# mode with ACLs for the services and the agents named (default: the inventory's hosts), every
# service on Kafka with its own certificate and its REST API on HTTPS only (client certificates
# requested, CN ops-admin mapped to admin). The local agent (unless --no-agent) enrols its Kafka
# certificate over HTTPS with a one-time token, as a remote node does.
#
# ./goldentooth up --brokers 3: the bus is three KRaft brokers, each its own process (kafka-1..3, each
# a broker and a controller voter), every topic with three replicas and min.insync.replicas 2: it
# keeps working with any one of them killed. The default is one broker; a state keeps its count.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

# ./goldentooth cluster up puts the broker on its bridge (GOLDENTOOTH_KAFKA_HOST) and runs no agent
# for this host (GOLDENTOOTH_LOCAL_AGENT=0): the machines have their own.
KAFKA_HOST="${GOLDENTOOTH_KAFKA_HOST:-127.0.0.1}"
LOCAL_AGENT="${GOLDENTOOTH_LOCAL_AGENT:-1}"

simulate=false
secure=false
address="$KAFKA_HOST"
agents=""
local_agent=true
brokers=1
[[ "$LOCAL_AGENT" == 0 ]] && local_agent=false
while (( $# > 0 )); do
  case "$1" in
    --simulate) simulate=true ;;
    --secure) secure=true ;;
    --address) (( $# > 1 )) || fail "--address needs an IPv4 address"; address=$2; shift ;;
    --agents) (( $# > 1 )) || fail "--agents needs a comma-separated list of node names"; agents=$2; shift ;;
    --no-agent) local_agent=false; LOCAL_AGENT=0 ;;
    --brokers) (( $# > 1 )) || fail "--brokers needs a count (1 or 3)"; brokers=$2; shift ;;
    *) fail "unknown option '$1' (up [--simulate] [--secure [--address ADDR] [--agents a,b,...]] [--no-agent] [--brokers 1|3])" ;;
  esac
  shift
done
[[ "$address" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--address must be an IPv4 address, was '$address'"
[[ -z "$agents" || "$agents" =~ ^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$ ]] \
  || fail "--agents must be node names separated by commas, was '$agents'"
if ! $secure && [[ -n "$agents" ]]; then
  fail "--agents needs --secure: PLAINTEXT Kafka has no ACLs"
fi
[[ "$brokers" == 1 || "$brokers" == 3 ]] || fail "--brokers must be 1 or 3, was '$brokers'"
mode=$([[ $simulate == true ]] && echo simulated || echo local)

command -v java >/dev/null || fail "java is not installed (Java 17 or newer is needed)"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
(( ${java_major%%.*} >= 17 )) || fail "Java 17 or newer is needed, found $java_major"
command -v curl >/dev/null || fail "curl is needed to check the services' health"

mkdir -p "$RUN" "$LOGS" "$STATE/kafka" "$STATE/agent" "$STATE/provisioner"
# A state's log directories belong to one broker or to a three-member cluster, never both.
if [[ -f "$STATE/brokers" && "$(cat "$STATE/brokers")" != "$brokers" ]]; then
  fail "this state ($STATE) was made by 'up --brokers $(cat "$STATE/brokers")'; use that count, or another GOLDENTOOTH_STATE"
fi
echo "$brokers" >"$STATE/brokers"
# The bus's mode is kept with the state: a broker formatted for one must not be started in the other.
bus_mode_file="$STATE/mode"
bus_mode=$($secure && echo secure || echo plaintext)
if [[ -f "$bus_mode_file" && "$(cat "$bus_mode_file")" != "$bus_mode" ]]; then
  fail "this state ($STATE) was made by 'up' in $(cat "$bus_mode_file") mode; use it that way, or another GOLDENTOOTH_STATE"
fi

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
  for entry in "${SERVICES[@]}" "${BROKER_NAMES[@]}"; do
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
  # On the secure bus the one agent process is one Kafka principal: the first node's.
  [[ -n "$agents" ]] || agents=$node_name
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

pids_running=false
for entry in "${SERVICES[@]}" "${BROKER_NAMES[@]}"; do pid_alive "${entry%%:*}" && pids_running=true; done
$pids_running || printf '%s\n' "$bus_mode" >"$bus_mode_file"

SECURE="$STATE/secure"
scheme=http
rest_host=127.0.0.1   # PLAINTEXT keeps REST on loopback; --secure serves HTTPS on the bus's address
$secure && rest_host=$address
curl_tls=()
if $secure; then
  command -v keytool >/dev/null || fail "keytool (from the JDK) is needed for the CLI's trust store"
  if [[ -z "$agents" ]]; then
    # Every host of the inventory may run an agent on the bus.
    agents=$(sed -n 's/^ \{8\}\([A-Za-z0-9_.-]\{1,\}\):.*/\1/p' "$inventory" | paste -sd, -)
  fi
  [[ -n "$agents" ]] || fail "no agents: name them with --agents or list hosts in $inventory"
  # The identities nothing can request over a bus that needs them first: made here, beside the CA,
  # with pki-service's own state and password (pki-service is not running yet, or keeps its CA).
  pki_app="$GOLDENTOOTH_HOME/pki-service/target/quarkus-app"
  names="localhost,127.0.0.1,$address"
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$pki_app/lib/main/*:$pki_app/app/*" \
    net.goldentooth.pki.tools.IssueIdentities --state-dir "$STATE/pki" --password-file "$STATE/pki/ca-password" \
    --out "$SECURE" "kafka=$names" "provisioner=$names" "pki-service=$names" "storage-service=$names" \
    "monitor-service=$names" ops-admin >"$LOGS/identities.log" 2>&1 \
    || { cat "$LOGS/identities.log" >&2; fail "the certificates could not be issued; see $LOGS/identities.log"; }
  # The CLI's trust store (public certificates only; its password protects nothing secret).
  rm -f "$SECURE/trust.p12"
  keytool -importcert -noprompt -alias goldentooth-root -file "$SECURE/root.pem" -keystore "$SECURE/trust.p12" \
    -storetype PKCS12 -storepass goldentooth >/dev/null 2>&1 || fail "keytool could not write $SECURE/trust.p12"
  scheme=https
  curl_tls=(--cacert "$SECURE/root.pem")
fi
# What ./goldentooth's CLI reads to find the services over HTTPS and trust them; absent in PLAINTEXT mode.
if $secure; then
  { printf 'GOLDENTOOTH_PROVISIONER=https://%s:%s\n' "$address" "$((8081 + OFFSET))"
    printf 'GOLDENTOOTH_PKI=https://%s:%s\n' "$address" "$((8082 + OFFSET))"
    printf 'GOLDENTOOTH_STORAGE=https://%s:%s\n' "$address" "$((8083 + OFFSET))"
    printf 'GOLDENTOOTH_MONITOR=https://%s:%s\n' "$address" "$((8084 + OFFSET))"
    printf 'GOLDENTOOTH_TRUST_STORE=%s\n' "$SECURE/trust.p12"; } >"$STATE/cli.env"
else
  rm -f "$STATE/cli.env"
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

health_check() { # name, port: the command that succeeds once the process is ready
  if $secure && [[ "$1" != node-agent ]]; then
    printf 'curl -fsS --cacert %q https://%s:%s/q/health/ready' "$SECURE/root.pem" "$address" "$2"
  else
    printf 'curl -fsS http://127.0.0.1:%s/q/health/ready' "$2"
  fi
}

start() { # name, then the command
  local name=$1; shift
  nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

jvm=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)

broker="$GOLDENTOOTH_HOME/deploy/broker/target"
broker_tls=()
if $secure; then
  broker_tls=(--ssl-certificate "$SECURE/kafka.pem" --ssl-key "$SECURE/kafka.key"
              --ssl-trust "$SECURE/root.pem" --agents "$agents" --super-users ops-admin)
fi
if (( brokers == 1 )); then
  if pid_alive kafka; then
    say "kafka            already running"
  else
    start kafka "${jvm[@]}" -Xmx512m -cp "$broker/lib/*:$broker/goldentooth-broker.jar" \
      net.goldentooth.broker.BrokerMain --data "$STATE/kafka" --host "$address" --port "$KAFKA_PORT" "${broker_tls[@]}"
    wait_for kafka "grep -q '^READY' '$LOGS/kafka.log'" 90
  fi
  bootstrap="$address:$KAFKA_PORT"
else
  # One cluster id for the members' formatting, kept with the state (22 characters of URL-safe
  # base64, as Kafka's own; one starting with '-' would read as an option).
  if [[ ! -s "$STATE/kafka-cluster.id" ]]; then
    id="-"
    while [[ "$id" == -* ]]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); done
    echo "$id" >"$STATE/kafka-cluster.id"
  fi
  quorum="" bootstrap=""
  for i in 1 2 3; do
    quorum+="${quorum:+,}$i@$address:$((KAFKA_PORT + 2 * (i - 1) + 1))"
    bootstrap+="${bootstrap:+,}$address:$((KAFKA_PORT + 2 * (i - 1)))"
  done
  for i in 1 2 3; do
    if pid_alive "kafka-$i"; then
      say "kafka-$i          already running"
      continue
    fi
    rm -f "$LOGS/kafka-$i.log"
    start "kafka-$i" "${jvm[@]}" -Xmx384m -cp "$broker/lib/*:$broker/goldentooth-broker.jar" \
      net.goldentooth.broker.BrokerMain --data "$STATE/kafka-$i" --host "$address" \
      --port "$((KAFKA_PORT + 2 * (i - 1)))" --controller-port "$((KAFKA_PORT + 2 * (i - 1) + 1))" \
      --node-id "$i" --quorum "$quorum" --cluster-id "$(cat "$STATE/kafka-cluster.id")" "${broker_tls[@]}"
  done
  # Side by side: each member waits for the others before it creates the topics' three replicas.
  for i in 1 2 3; do
    wait_for "kafka-$i" "grep -q '^READY' '$LOGS/kafka-$i.log'" 150
  done
fi
export KAFKA_BOOTSTRAP_SERVERS="$bootstrap"

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
  [[ "$name" == node-agent ]] && ! $local_agent && continue
  props=(-Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1)
  [[ "$name" == node-agent ]] || props+=(-Dgoldentooth.auth.tokens-file="$tokens")
  if $secure && [[ "$name" != node-agent ]]; then
    # Kafka as its own principal (CN = its name); REST on HTTPS only, on the bus's address, with
    # client certificates requested and ops-admin's mapped to admin. Quarkus's own Kafka readiness
    # check gets the same TLS settings from kafka-edge's KafkaSecurityConfigSource.
    props=(-Dquarkus.http.host="$address" -Dquarkus.http.ssl-port="$port" -Dquarkus.http.insecure-requests=disabled
           -Dquarkus.http.port="$port"
           -Dquarkus.tls.key-store.pem.0.cert="$SECURE/$name.pem" -Dquarkus.tls.key-store.pem.0.key="$SECURE/$name.key"
           -Dquarkus.tls.trust-store.pem.certs="$SECURE/root.pem" -Dquarkus.http.ssl.client-auth=request
           -Dgoldentooth.auth.certificate-roles.ops-admin=admin -Dgoldentooth.auth.tokens-file="$tokens"
           -Dgoldentooth.kafka.security-protocol=SSL -Dgoldentooth.kafka.ssl.certificate="$SECURE/$name.pem"
           -Dgoldentooth.kafka.ssl.key="$SECURE/$name.key" -Dgoldentooth.kafka.ssl.trust="$SECURE/root.pem")
  fi
  case "$name" in
    provisioner)
      props+=(-Dgoldentooth.provisioner.inventory="$inventory"
              -Dgoldentooth.provisioner.signing-key="$STATE/provisioner/task-signing.key"
              -Dgoldentooth.provisioner.signing-public-key="$STATE/provisioner/task-signing.pub"
              -Dquarkus.http.cors.origins="$scheme://$rest_host:$((8084 + OFFSET)),$scheme://localhost:$((8084 + OFFSET))") ;;
    pki-service) props+=(-Dgoldentooth.pki.state-dir="$STATE/pki" -Dgoldentooth.pki.password-file="$STATE/pki/ca-password" -Dgoldentooth.pki.inventory="$inventory" -Dgoldentooth.pki.token-signing-public-key="$STATE/provisioner/task-signing.pub") ;;
    node-agent)
      # The agent cannot mint its own enrolment token: the provisioner (already up) mints a one-time
      # token for its first certificates (the canary). Without one, the canary reports "no-token".
      # The token goes to curl on stdin (-H @-), never on a command line that ps would show.
      # On the secure bus two are minted: one for the Kafka certificate (over HTTPS), one for the canary.
      : >"$STATE/agent/enrolment-token.new"
      token_count=1
      $secure && token_count=2
      for ((t = 0; t < token_count; t++)); do
        (umask 077; printf 'Authorization: Bearer %s\n' "$(cat "$STATE/admin-token")" | curl -fsS "${curl_tls[@]}" -X POST -H @- \
          -H 'Content-Type: application/json' -d "{\"node\":\"$node_name\"}" \
          "$scheme://$rest_host:$((8081 + OFFSET))/enrolment-tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p' \
          >>"$STATE/agent/enrolment-token.new" && echo >>"$STATE/agent/enrolment-token.new") \
          || say "warning: no enrolment token was minted; see $LOGS/provisioner.log"
      done
      mv "$STATE/agent/enrolment-token.new" "$STATE/agent/enrolment-token"
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
              -Dgoldentooth.agent.logs.files="$LOGS/*.log"
              -Dgoldentooth.agent.services.checks=ports)
      # Extra agent settings for benchmarks (e.g. simulated nodes); split on spaces.
      # shellcheck disable=SC2206
      [[ -n "${GOLDENTOOTH_AGENT_JAVA_OPTS:-}" ]] && props+=(${GOLDENTOOTH_AGENT_JAVA_OPTS})
      if $secure; then
        kafka_dir="$STATE/agent/kafka"
        props+=(-Dgoldentooth.kafka.security-protocol=SSL -Dgoldentooth.kafka.ssl.trust="$SECURE/root.pem"
                -Dgoldentooth.kafka.ssl.certificate="$kafka_dir/cert.pem" -Dgoldentooth.kafka.ssl.chain="$kafka_dir/chain.pem"
                -Dgoldentooth.kafka.ssl.key="$kafka_dir/key.pem"
                -Dgoldentooth.agent.certificates.kafka.cert-path="$kafka_dir/cert.pem"
                -Dgoldentooth.agent.certificates.kafka.chain-path="$kafka_dir/chain.pem"
                -Dgoldentooth.agent.certificates.kafka.key-path="$kafka_dir/key.pem"
                -Dgoldentooth.agent.certificates.kafka.key-mode=0600
                -Dgoldentooth.agent.certificates.kafka.reload-command=none
                -Dgoldentooth.agent.enrolment.url="https://$address:$((8082 + OFFSET))/enrolment")
      fi ;;
    monitor-service) props+=(-Dgoldentooth.monitor.inventory="$inventory" -Dgoldentooth.monitor.liveness-probe-port="${GOLDENTOOTH_LIVENESS_PROBE_PORT:-$KAFKA_PORT}" -Dgoldentooth.auth.anonymous-role=viewer -Dgoldentooth.monitor.provisioner-url="$scheme://$rest_host:$((8081 + OFFSET))" -Dgoldentooth.monitor.agent-probe-port="${GOLDENTOOTH_AGENT_PROBE_PORT:-$((9110 + OFFSET))}") ;;
    storage-service) props+=(-Dgoldentooth.storage.inventory="$inventory" -Dgoldentooth.storage.sanoid-config="$STATE/storage/sanoid.conf") ;;
  esac
  start "$name" "${jvm[@]}" -Xmx256m "${props[@]}" -jar "$GOLDENTOOTH_HOME/$module/target/quarkus-app/quarkus-run.jar"
  # The agent needs the provisioner's public key, so the provisioner must be up first; the
  # others start side by side and are checked below.
  if [[ "$name" == provisioner || "$name" == node-agent ]]; then
    wait_for "$name" "$(health_check "$name" "$port")" 120
  fi
done
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port module <<<"$entry"
  [[ "$name" == node-agent ]] && ! $local_agent && continue
  wait_for "$name" "$(health_check "$name" "$port")" 120
done

if [[ $simulate == true ]]; then
  say "Goldentooth is up, simulated: ${#hosts[@]} nodes of $inventory served by one agent (state in $STATE$($secure && echo ", mutual TLS"))."
else
  say "Goldentooth is up (node: $node_name, state in $STATE$($secure && echo ", mutual TLS, agents $agents"))."
fi
say "  $(printf '%-16s' kafka) $bootstrap$($secure && echo " (SSL, client certificates, ACLs)")$( (( brokers > 1 )) && echo " (3 brokers, 3 replicas, min.insync.replicas 2)")"
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name port module <<<"$entry"
  if [[ "$name" == node-agent ]]; then
    $local_agent && say "  $(printf '%-16s' "$name") http://127.0.0.1:$port"
  else
    say "  $(printf '%-16s' "$name") $scheme://$rest_host:$port"
  fi
done
$secure && say "  trust root       $SECURE/root.pem (enrolment: $scheme://$address:$((8082 + OFFSET))/enrolment)"
if [[ $simulate == true ]]; then
  say "Try:   ./goldentooth command 'k8s_worker:!velaryon' uptime"
  say "       ./goldentooth simulate down bettley    # NodeDown within the liveness window; 'simulate up' to recover"
else
  say "Try:   ./goldentooth command all uptime"
fi
say "Stop:  ./goldentooth down"
