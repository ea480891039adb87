#!/usr/bin/env bash
# ./goldentooth cluster up|down|status|exec|ip: a real cluster on this machine. Each node is a
# Debian bookworm booted by systemd-nspawn (systemd as its PID 1, its own network namespace, sshd),
# named after the seed inventory (allyrion, bettley, ...), on a bridge this command makes; the
# control plane (the embedded default of ./goldentooth up) runs beside them on the host with its
# broker listening on the bridge. The image is made once with debootstrap and shared read-only:
# every machine boots from an overlayfs mount with its own upper directory.
set -euo pipefail
GOLDENTOOTH_HOME=${GOLDENTOOTH_HOME:-$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)}
export GOLDENTOOTH_HOME
# shellcheck source=../local/common.sh
source "$GOLDENTOOTH_HOME/deploy/local/common.sh"

CLUSTER="$STATE/cluster"
# The image may live elsewhere (a test shares one image between its runs and the checkout's).
IMAGE="${GOLDENTOOTH_CLUSTER_IMAGE:-$CLUSTER/image}"
MACHINES="$CLUSTER/machines"
MIRROR="${GOLDENTOOTH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What the image carries. The machines have no route off this machine, so everything the agent's
# package depends on (the Java runtime), Ansible needs (python3, python3-apt) and the fault tests use
# (faketime, nftables) is installed here, once, from the host.
IMAGE_PACKAGES=systemd,systemd-sysv,dbus,libpam-systemd,openssh-server,openjdk-17-jre-headless,python3,python3-apt,iproute2,iputils-ping,nftables,procps,sudo,faketime,curl
# The software the setup_* playbooks install (their apt tasks then find it present), appended: an
# image made with the list above gets only these added (add_image_packages), not a new debootstrap.
# Installed but not enabled: enabling and starting them is the playbooks' work.
# socat: the HAProxy runbook reads the stats socket with it (setup_haproxy installs it).
IMAGE_SERVICE_PACKAGES=munge,slurmctld,slurmd,slurm-client,haproxy,nfs-kernel-server,socat
IMAGE_SERVICE_UNITS="munge.service slurmctld.service slurmd.service haproxy.service nfs-server.service nfs-client.target rpcbind.service rpcbind.socket"
IMAGE_PACKAGES=$IMAGE_PACKAGES,$IMAGE_SERVICE_PACKAGES
# The bridge and the subnet move with the port offset, so two checkouts' clusters never meet.
NET_INDEX=$(( (OFFSET / 100) % 200 + 20 ))
BRIDGE="${GOLDENTOOTH_CLUSTER_BRIDGE:-gtbr$OFFSET}"
SUBNET="10.99.$NET_INDEX"
HOST_IP="$SUBNET.1"
SSH_DIR="$STATE/provisioner/ssh"
INVENTORY="$CLUSTER/inventory.yaml"

usage() {
  cat <<'EOF'
usage: goldentooth cluster up [--nodes N] [--plaintext]
                                            boot N machines (1-13, default 3) and the control plane on
                                            the secure bus (mutual TLS, ACLs, HTTPS REST); --plaintext:
                                            PLAINTEXT Kafka and REST on loopback (the bench's baseline)
       goldentooth cluster down             stop everything cluster up started and remove the machines
       goldentooth cluster status           one line per machine
       goldentooth cluster exec NODE CMD... run CMD inside NODE's namespaces (as root)
       goldentooth cluster poweroff NODE    cut NODE's power (SIGKILL to its PID 1, no shutdown)
       goldentooth cluster start NODE       boot NODE again (after poweroff; its disk is kept)
EOF
}

require_root_tools() {
  (( EUID == 0 )) || fail "cluster needs root (systemd-nspawn, overlay mounts, a network bridge)"
  command -v systemd-nspawn >/dev/null || fail "systemd-nspawn is missing: apt-get install systemd-container"
  command -v ip >/dev/null || fail "ip is missing: apt-get install iproute2"
}

# The seed's hostnames, in inventory order (deploy/inventory/goldentooth.yaml).
seed_names() {
  sed -n 's/^ \{8\}\([a-z][a-z0-9-]*\): {ansible_host: .*/\1/p' "$GOLDENTOOTH_HOME/deploy/inventory/goldentooth.yaml"
}

machine_ip() { # index (0-based)
  printf '%s.%d' "$SUBNET" $(( 10 + $1 ))
}

# --- the image -------------------------------------------------------------------------------------

build_image() {
  local stamp="$IMAGE/.goldentooth-image"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$IMAGE_PACKAGES" ]]; then return 0; fi
  if [[ -f "$stamp" && "$IMAGE_PACKAGES" == "$(cat "$stamp")",* ]]; then
    add_image_packages "${IMAGE_PACKAGES#"$(cat "$stamp")",}" && return 0
    say "Adding packages to the image failed; building it again."
  fi
  command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install debootstrap"
  mountpoint -q "$IMAGE" 2>/dev/null && fail "$IMAGE is a mount point; refusing to rebuild it"
  say "Building the machine image with debootstrap (once; a few minutes)..."
  local tmp="$IMAGE.tmp" log="$IMAGE.debootstrap.log"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$IMAGE")"
  local started=$SECONDS
  debootstrap --variant=minbase --include="$IMAGE_PACKAGES" bookworm "$tmp" "$MIRROR" \
    >"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "debootstrap failed; its log is $log"; }
  finish_image "$tmp"
  disable_service_units "$tmp"
  rm -rf "$IMAGE"
  mv "$tmp" "$IMAGE"
  printf '%s' "$IMAGE_PACKAGES" >"$stamp"
  say "Image ready in $((SECONDS - started))s ($(du -sh "$IMAGE" | cut -f1))."
}

# An image whose stamp is a prefix of IMAGE_PACKAGES gets the missing packages with apt in a chroot
# of a copy (the mirror reachable from the host only, daemons kept from starting by a policy-rc.d),
# then the copy replaces it: a minute instead of a new debootstrap. Returns non-zero on any failure,
# leaving the image as it was.
add_image_packages() { # comma-separated packages
  local packages=${1//,/ } tmp="$IMAGE.tmp" log="$IMAGE.apt.log" started=$SECONDS rc=0
  mountpoint -q "$IMAGE" 2>/dev/null && fail "$IMAGE is a mount point; refusing to change it"
  say "Adding to the machine image: $packages (apt in a chroot; once)..."
  rm -rf "$tmp"
  cp -a "$IMAGE" "$tmp" || return 1
  printf 'deb %s bookworm main\n' "$MIRROR" >"$tmp/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"; chmod 0755 "$tmp/usr/sbin/policy-rc.d"
  mv "$tmp/etc/resolv.conf" "$tmp/etc/resolv.conf.goldentooth" 2>/dev/null || true
  cp -L /etc/resolv.conf "$tmp/etc/resolv.conf"
  mount -t proc proc "$tmp/proc" || { rm -rf "$tmp"; return 1; }
  # shellcheck disable=SC2086 # one word per package
  { chroot "$tmp" apt-get update \
      && DEBIAN_FRONTEND=noninteractive chroot "$tmp" apt-get install -y --no-install-recommends $packages \
      && chroot "$tmp" apt-get clean; } >"$log" 2>&1 || rc=$?
  umount "$tmp/proc" || umount -l "$tmp/proc"
  if (( rc != 0 )); then tail -n 20 "$log" >&2; rm -rf "$tmp"; say "apt failed ($rc); its log is $log"; return 1; fi
  rm -f "$tmp/usr/sbin/policy-rc.d" "$tmp/etc/resolv.conf"
  mv "$tmp/etc/resolv.conf.goldentooth" "$tmp/etc/resolv.conf" 2>/dev/null || true
  rm -rf "$tmp"/var/lib/apt/lists/*
  : >"$tmp/etc/apt/sources.list"
  disable_service_units "$tmp"
  printf '%s' "$IMAGE_PACKAGES" >"$tmp/.goldentooth-image"
  rm -rf "$IMAGE"
  mv "$tmp" "$IMAGE"
  say "Image ready in $((SECONDS - started))s ($(du -sh "$IMAGE" | cut -f1))."
}

# The service packages' units as a fresh install would leave them, minus the enabling: the setup_*
# playbooks enable and start what each machine runs.
disable_service_units() { # root
  local unit
  for unit in $IMAGE_SERVICE_UNITS; do
    systemctl --root="$1" disable "$unit" >/dev/null 2>&1 || true
  done
}

finish_image() { # root
  local root=$1
  # Host keys: the package made one set at install time, which every machine would share. Each
  # machine makes its own at its first boot instead (below); cluster up reads the public halves
  # from the machine's disk, so the operator's known_hosts is filled from the machine itself,
  # never by trusting whatever key answers first on the network.
  rm -f "$root"/etc/ssh/ssh_host_*
  cat >"$root/etc/systemd/system/goldentooth-ssh-hostkeys.service" <<'UNIT'
[Unit]
Description=Generate this machine's SSH host keys at first boot
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
Before=ssh.service

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
RequiredBy=ssh.service
UNIT
  # Each machine gets its own machine-id (written by cluster up); an empty one here.
  : >"$root/etc/machine-id"
  rm -f "$root/var/lib/dbus/machine-id"
  rm -f "$root/etc/hostname"
  systemctl --root="$root" enable goldentooth-ssh-hostkeys.service systemd-networkd.service ssh.service >/dev/null 2>&1 \
    || fail "could not enable the image's units"
  # No mirror is reachable from a machine: apt must not try (and time out) on every install.
  : >"$root/etc/apt/sources.list"
}

# --- machines --------------------------------------------------------------------------------------

machine_dir() { printf '%s/%s' "$MACHINES" "$1"; }

prepare_machine() { # name ip
  local name=$1 ip=$2 dir
  dir=$(machine_dir "$name")
  mkdir -p "$dir/upper" "$dir/work" "$dir/root"
  if ! mountpoint -q "$dir/root"; then
    mount -t overlay overlay -o "lowerdir=$IMAGE,upperdir=$dir/upper,workdir=$dir/work" "$dir/root" \
      || fail "could not mount the overlay of $name (does the kernel have overlayfs?)"
  fi
  local root="$dir/root"
  printf '%s\n' "$name" >"$root/etc/hostname"
  [[ -s "$root/etc/machine-id" ]] || printf '%s\n' "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$root/etc/machine-id"
  # The image's 80-container-host0.network (DHCP, link-local) would win over anything sorting after it.
  mkdir -p "$root/etc/systemd/network"
  cat >"$root/etc/systemd/network/10-goldentooth.network" <<NET
[Match]
Name=host0

[Network]
Address=$ip/24
LinkLocalAddressing=no
IPv6AcceptRA=no
NET
  {
    printf '127.0.0.1 localhost\n127.0.1.1 %s\n%s goldentooth-control\n' "$name" "$HOST_IP"
    local i=0 other
    for other in "${ALL_NAMES[@]}"; do printf '%s %s\n' "$(machine_ip "$i")" "$other"; i=$((i + 1)); done
  } >"$root/etc/hosts"
  install -d -m 0700 "$root/root/.ssh"
  install -m 0600 "$SSH_DIR/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
}

machine_cgroup() { printf 'goldentooth-%s/%s' "$BRIDGE" "$1"; }

# Removes a stopped machine's cgroups, deepest first (a cgroup directory goes with rmdir only).
remove_cgroup() { # name
  local cg h
  cg=$(machine_cgroup "$1")
  for h in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
    [[ -d "$h/$cg" ]] || continue
    find "$h/$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    rmdir "$h/goldentooth-$BRIDGE" 2>/dev/null || true
  done
}

nspawn_pid() { cat "$(machine_dir "$1")/nspawn.pid" 2>/dev/null; }

# The machine's PID 1 as this machine sees it: nspawn's child in a new PID namespace.
leader_pid() { # name
  local pid child
  pid=$(nspawn_pid "$1") || return 1
  [[ -n "$pid" ]] || return 1
  for child in $(pgrep -P "$pid" 2>/dev/null); do
    if [[ "$(readlink "/proc/$child/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]]; then
      printf '%s' "$child"; return 0
    fi
  done
  return 1
}

start_machine() { # name ip
  local name=$1 ip=$2 dir
  dir=$(machine_dir "$name")
  if [[ -f "$dir/supervisor.pid" ]] && kill -0 "$(cat "$dir/supervisor.pid")" 2>/dev/null; then
    return 0
  fi
  rm -f "$dir/stopping" "$dir/nspawn.pid"
  # A reboot inside the machine ends nspawn with exit code 133 (as systemd-nspawn@.service's
  # RestartForceExitStatus=133 expects); the loop boots it again, as a real machine would.
  # --keep-unit --register=no: there is no system bus on this host (its PID 1 is not systemd).
  # The machine's name carries the cluster's network index: nspawn names the host end of the veth
  # "vb-<machine>" and keeps /run/systemd/nspawn/propagate/<machine>, both host-wide, so two
  # clusters' allyrions would collide ("Failed to add new veth interfaces (vb-allyrion:host0): File
  # exists"). The longest seed name (9) + 3 digits keeps "vb-..." within 15 characters (IFNAMSIZ).
  # Each machine gets a cgroup of its own. nspawn --keep-unit puts the machine under the cgroup it
  # was started in ("<cgroup>/payload"); on this host (not systemd) that is the root for every
  # machine, so all of them shared one tree and each machine's systemd saw the others' processes in
  # its units (as PID 0: cgroup.procs read fails with EIO, so "systemctl kill" and stop misbehave).
  local cg
  cg=$(machine_cgroup "$name")
  nohup setsid bash -c '
    dir=$1 cg=$2; shift 2
    for h in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
      [[ -w "$h/cgroup.procs" ]] || continue
      mkdir -p "$h/$cg" && echo $$ >"$h/$cg/cgroup.procs"
    done
    while :; do
      systemd-nspawn "$@" & echo $! >"$dir/nspawn.pid"
      wait $!; rc=$?
      [[ $rc -eq 133 && ! -e "$dir/stopping" ]] || exit "$rc"
      echo "--- reboot ---"
    done' cluster-machine "$dir" "$cg" \
    --quiet --boot --keep-unit --register=no --console=passive \
    --directory="$dir/root" --machine="$name$NET_INDEX" --hostname="$name" \
    --network-bridge="$BRIDGE" \
    >"$dir/nspawn.log" 2>&1 </dev/null &
  echo $! >"$dir/supervisor.pid"
  date +%s.%N >"$dir/started"
}

# Waits until the machine's sshd answers; prints the seconds from start.
wait_machine() { # name ip seconds
  local name=$1 ip=$2 seconds=$3 dir
  dir=$(machine_dir "$name")
  for ((i = 0; i < seconds * 10; i++)); do
    if [[ -s "$dir/upper/etc/ssh/ssh_host_ed25519_key.pub" ]] && (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null; then
      awk -v s="$(cat "$dir/started")" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }'
      return 0
    fi
    if ! kill -0 "$(cat "$dir/supervisor.pid")" 2>/dev/null; then
      tail -n 20 "$dir/nspawn.log" >&2 || true
      fail "$name stopped while booting; its log is $dir/nspawn.log"
    fi
    sleep 0.1
  done
  fail "$name did not answer on $ip:22 within ${seconds}s; its log is $dir/nspawn.log"
}

stop_machine() { # name
  local name=$1 dir pid
  dir=$(machine_dir "$name")
  [[ -d "$dir" ]] || return 0
  touch "$dir/stopping"
  pid=$(nspawn_pid "$name" || true)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true   # nspawn asks the machine's systemd to power off
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { say "$name did not power off within 20s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  local sup
  sup=$(cat "$dir/supervisor.pid" 2>/dev/null || true)
  if [[ -n "$sup" ]]; then
    for ((i = 0; i < 50; i++)); do kill -0 "$sup" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$sup" 2>/dev/null || true
  fi
  rm -f "$dir/supervisor.pid" "$dir/nspawn.pid"
  remove_cgroup "$name"
}

# --- subcommands -----------------------------------------------------------------------------------

known_names() { # the machines cluster up made, in order
  [[ -f "$CLUSTER/nodes" ]] && cat "$CLUSTER/nodes"
}

cmd_up() {
  local nodes=3 secure=true
  while (( $# )); do
    case "$1" in
      --nodes) [[ $# -ge 2 ]] || fail "--nodes needs a number"; nodes=$2; shift 2 ;;
      --nodes=*) nodes=${1#--nodes=}; shift ;;
      --plaintext) secure=false; shift ;;
      -h|--help) usage; return 0 ;;
      *) fail "unknown option '$1' (cluster up [--nodes N] [--plaintext])" ;;
    esac
  done
  mapfile -t ALL_NAMES < <(seed_names)
  [[ "$nodes" =~ ^[0-9]+$ ]] && (( nodes >= 1 && nodes <= ${#ALL_NAMES[@]} )) \
    || fail "--nodes must be 1 to ${#ALL_NAMES[@]} (the seed inventory's hosts), was $nodes"
  ALL_NAMES=("${ALL_NAMES[@]:0:nodes}")
  if [[ -f "$CLUSTER/nodes" ]] && [[ "$(known_names | tr '\n' ' ')" != "${ALL_NAMES[*]} " ]]; then
    fail "a cluster of $(known_names | wc -l) machines exists; run ./goldentooth cluster down first"
  fi
  if pid_alive kafka && [[ ! -f "$CLUSTER/control-plane" ]]; then
    fail "the embedded default (./goldentooth up) is running; stop it with ./goldentooth down first"
  fi
  require_root_tools
  build_image

  mkdir -p "$MACHINES" "$SSH_DIR"
  printf '%s\n' "${ALL_NAMES[@]}" >"$CLUSTER/nodes"
  [[ -f "$SSH_DIR/id_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C "goldentooth-provisioner" -f "$SSH_DIR/id_ed25519"

  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge || fail "could not create the bridge $BRIDGE"
    ip addr add "$HOST_IP/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  fi

  local i=0 name ip
  for name in "${ALL_NAMES[@]}"; do
    ip=$(machine_ip "$i"); i=$((i + 1))
    prepare_machine "$name" "$ip"
    start_machine "$name" "$ip"
  done
  : >"$CLUSTER/boot-times"
  local known="$SSH_DIR/known_hosts" tmp
  tmp=$(mktemp)
  [[ -f "$known" ]] && cp "$known" "$tmp"
  i=0
  for name in "${ALL_NAMES[@]}"; do
    ip=$(machine_ip "$i"); i=$((i + 1))
    local took
    took=$(wait_machine "$name" "$ip" 180)
    printf '%s %s\n' "$name" "$took" >>"$CLUSTER/boot-times"
    say "$(printf '%-10s' "$name") $ip  sshd up after ${took}s"
    # Replace this host's entries with the keys read from the machine's own disk.
    grep -v -E "^($name|$ip)[ ,]" "$tmp" >"$tmp.new" || true
    local pub
    for pub in "$(machine_dir "$name")"/upper/etc/ssh/ssh_host_*_key.pub; do
      printf '%s,%s %s\n' "$name" "$ip" "$(cut -d' ' -f1,2 "$pub")" >>"$tmp.new"
    done
    mv "$tmp.new" "$tmp"
  done
  install -m 0644 "$tmp" "$known"; rm -f "$tmp"

  write_inventory
  touch "$CLUSTER/control-plane"
  # The secure bus (docs/security.md): every machine's agent is a Kafka principal with the agent
  # ACLs; bootstrap writes each node the root of trust, the enrolment URL and two one-time tokens,
  # and the agent obtains its first Kafka certificate from pki-service over HTTPS.
  local up_args=() agents trust="" enrolment=""
  agents=$(IFS=,; printf '%s' "${ALL_NAMES[*]}")
  if $secure; then
    up_args=(--secure --address "$HOST_IP" --agents "$agents")
    trust="$STATE/secure/root.pem"
    enrolment="https://$HOST_IP:$((8082 + OFFSET))/enrolment"
  fi
  GOLDENTOOTH_PROVISIONER_SSH_BOOTSTRAP_KAFKA_TRUST="$trust" \
  GOLDENTOOTH_PROVISIONER_SSH_BOOTSTRAP_ENROLMENT_URL="$enrolment" \
  GOLDENTOOTH_INVENTORY="$INVENTORY" \
  GOLDENTOOTH_KAFKA_HOST="$HOST_IP" \
  GOLDENTOOTH_LOCAL_AGENT=0 \
  GOLDENTOOTH_LIVENESS_PROBE_PORT=22 \
  GOLDENTOOTH_PROVISIONER_SSH_IDENTITY="$SSH_DIR/id_ed25519" \
  GOLDENTOOTH_PROVISIONER_SSH_KNOWN_HOSTS="$known" \
  GOLDENTOOTH_PROVISIONER_SSH_BOOTSTRAP_ARTIFACT="$(agent_deb)" \
  GOLDENTOOTH_PROVISIONER_SSH_BOOTSTRAP_AGENT_DIR=/var/cache/goldentooth \
  GOLDENTOOTH_PROVISIONER_PLAYBOOKS_DIR="$GOLDENTOOTH_HOME/deploy/ansible" \
    "$GOLDENTOOTH_HOME/deploy/local/up.sh" "${up_args[@]}"
  say "Cluster: ${#ALL_NAMES[@]} machines on $BRIDGE ($SUBNET.0/24), inventory $INVENTORY$($secure && echo ", secure bus")."
  say "Join them: ./goldentooth bootstrap all    Stop: ./goldentooth cluster down"
}

agent_deb() {
  local deb
  deb=$(ls -t "$GOLDENTOOTH_HOME"/deploy/node-agent-deb/target/goldentooth-agent_*_all.deb 2>/dev/null | head -n 1 || true)
  if [[ -z "$deb" ]]; then
    say "Building the agent's package (first run only)..." >&2
    (cd "$GOLDENTOOTH_HOME" && ./mvnw -q -B -DskipTests package -pl deploy/node-agent-deb -am) >&2 || fail "the package build failed"
    deb=$(ls -t "$GOLDENTOOTH_HOME"/deploy/node-agent-deb/target/goldentooth-agent_*_all.deb | head -n 1)
  fi
  printf '%s' "$deb"
}

write_inventory() {
  {
    cat <<YAML
# Generated by ./goldentooth cluster up from the seed inventory's hostnames; do not edit.
all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: $SSH_DIR/id_ed25519
    ansible_ssh_common_args: -o UserKnownHostsFile=$SSH_DIR/known_hosts -o StrictHostKeyChecking=yes
    ansible_python_interpreter: /usr/bin/python3
  children:
    cluster:
      hosts:
YAML
    local i=0 name
    for name in "${ALL_NAMES[@]}"; do
      printf '        %s: {ansible_host: %s}\n' "$name" "$(machine_ip "$i")"; i=$((i + 1))
    done
    seed_groups
  } >"$INVENTORY"
}

# The seed inventory's groups (slurm_controller, haproxy, nfs_server, ...) with only the machines
# booted, each host's own variables kept (nfs_export): `goldentooth setup_slurm` and the agent's
# service checks follow the groups as on the real cluster. The hardware groups (those that give
# hosts an ansible_host) are left out: the addresses are the bridge's, above.
seed_groups() {
  python3 - "$GOLDENTOOTH_HOME/deploy/inventory/goldentooth.yaml" "${ALL_NAMES[@]}" <<'PY' \
    || say "the seed inventory's groups were not copied (python3-yaml missing?); machines are only in 'cluster'" >&2
import sys, yaml
seed, names = sys.argv[1], set(sys.argv[2:])
with open(seed) as f:
    children = (yaml.safe_load(f).get('all') or {}).get('children') or {}

def group(body):
    body = body or {}
    if any(isinstance(v, dict) and 'ansible_host' in v for v in (body.get('hosts') or {}).values()):
        return None
    out = {}
    hosts = {h: ({k: v for k, v in (hv or {}).items() if k != 'ansible_host'} or None)
             for h, hv in (body.get('hosts') or {}).items() if h in names}
    if hosts:
        out['hosts'] = hosts
    kids = {}
    for name, child in (body.get('children') or {}).items():
        g = group(child)
        if g:
            kids[name] = g
    if kids:
        out['children'] = kids
    return out or None

groups = {n: g for n, g in ((n, group(b)) for n, b in children.items()) if g}
if groups:
    text = yaml.safe_dump(groups, default_flow_style=False, sort_keys=False)
    sys.stdout.write(''.join('    ' + line + '\n' for line in text.splitlines()).replace(': null\n', ':\n'))
PY
}

cmd_down() {
  (( EUID == 0 )) || fail "cluster needs root (systemd-nspawn, overlay mounts, a network bridge)"
  if [[ -f "$CLUSTER/control-plane" ]]; then
    "$GOLDENTOOTH_HOME/deploy/local/down.sh" || true
    rm -f "$CLUSTER/control-plane"
  fi
  local name dir pid
  # Every machine is asked to power off at once (nspawn turns SIGTERM into an orderly shutdown of
  # the machine's systemd); then each is waited for in turn.
  for dir in "$MACHINES"/*/; do
    [[ -d "$dir" ]] || continue
    touch "$dir/stopping"
    pid=$(cat "$dir/nspawn.pid" 2>/dev/null || true)
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  for dir in "$MACHINES"/*/; do
    [[ -d "$dir" ]] || continue
    name=$(basename "$dir")
    stop_machine "$name"
    if mountpoint -q "$dir/root"; then umount "$dir/root" || umount -l "$dir/root"; fi
    rm -rf "$dir"
    say "$(printf '%-10s' "$name") removed"
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; say "bridge $BRIDGE removed"; fi
  rm -f "$CLUSTER/nodes" "$INVENTORY"
}

cmd_status() {
  local names name i=0
  mapfile -t names < <(known_names || true)
  (( ${#names[@]} )) || { say "no cluster (./goldentooth cluster up)"; return 0; }
  mapfile -t ALL_NAMES < <(seed_names)
  for name in "${names[@]}"; do
    local ip state agent="-" leader
    ip=$(machine_ip "$(index_of "$name")")
    if leader=$(leader_pid "$name"); then
      state=$(nsenter -t "$leader" -m -u -i -n -p -- systemctl is-system-running 2>/dev/null || true)
      agent=$(nsenter -t "$leader" -m -u -i -n -p -- systemctl is-active goldentooth-agent 2>/dev/null || true)
    else
      state=off
    fi
    printf '%-10s %-12s system %-12s agent %s\n' "$name" "$ip" "${state:-unknown}" "${agent:-unknown}"
  done
}

index_of() {
  local i=0 n
  for n in "${ALL_NAMES[@]}"; do [[ "$n" == "$1" ]] && { printf '%d' "$i"; return 0; }; i=$((i + 1)); done
  fail "no machine named $1"
}

machine_known() { known_names | grep -qx -- "$1" || fail "no machine named '$1' in this cluster (cluster status)"; }

cmd_exec() {
  (( $# >= 2 )) || fail "usage: cluster exec NODE COMMAND..."
  local name=$1 leader; shift
  machine_known "$name"
  leader=$(leader_pid "$name") || fail "$name is not running"
  exec nsenter -t "$leader" -m -u -i -n -p -- "$@"
}

cmd_poweroff() {
  (( $# == 1 )) || fail "usage: cluster poweroff NODE"
  local name=$1 dir leader
  machine_known "$name"
  dir=$(machine_dir "$name")
  leader=$(leader_pid "$name") || fail "$name is not running"
  touch "$dir/stopping"
  # SIGKILL to the machine's PID 1 ends its PID namespace at once: every process dies, nothing is
  # flushed or stopped in order; the disk (upper directory) keeps what was written.
  kill -KILL "$leader"
  for ((i = 0; i < 100; i++)); do kill -0 "$(cat "$dir/supervisor.pid")" 2>/dev/null || break; sleep 0.1; done
  say "$name powered off"
}

cmd_start() {
  (( $# == 1 )) || fail "usage: cluster start NODE"
  local name=$1
  machine_known "$name"
  mapfile -t ALL_NAMES < <(seed_names)
  local ip
  ip=$(machine_ip "$(index_of "$name")")
  start_machine "$name" "$ip"
  say "$name up after $(wait_machine "$name" "$ip" 180)s"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  exec) shift; require_root_tools; cmd_exec "$@" ;;
  poweroff) shift; require_root_tools; cmd_poweroff "$@" ;;
  start) shift; require_root_tools; cmd_start "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
