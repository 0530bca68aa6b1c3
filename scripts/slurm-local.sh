#!/usr/bin/env bash
# Start a single-node Slurm on this machine: munged, slurmctld and slurmd on localhost.
#
# For CI and for trying the examples in examples/slurm/ without a cluster. Debian or
# Ubuntu, as root (or with sudo). Idempotent: run it again and it only starts what is not
# running; it ends when `sinfo` shows the node idle.
#
#   scripts/slurm-local.sh            # set up and start; exit 1 if it cannot
#   ALLOW_NO_SLURM=1 scripts/slurm-local.sh   # same, but exit 0 (with a message) if it cannot
#   scripts/slurm-local.sh --stop     # stop the three daemons it started
#
# It installs the Debian packages `slurm-wlm` and `munge` if `sbatch`/`slurmctld`/`slurmd`/
# `munged` are missing, writes /etc/slurm/slurm.conf (only if there is none, or the one
# there was written by this script), and keeps state under /var/lib/slurm-local and logs
# under /var/log/slurm-local. It uses no cgroups and no systemd (proctrack/linuxproc,
# task/none), so it also works in a container. Nothing is installed or started on a machine
# that already has a Slurm configuration of its own: the script says so and stops.
#
# Environment:
#   ALLOW_NO_SLURM=1      exit 0 instead of 1 when Slurm cannot be set up (the message stays)
#   SLURM_LOCAL_TIMEOUT   seconds to wait for the node to become idle (default 60)
set -uo pipefail

MARK="# written by blockade scripts/slurm-local.sh"
CONF=/etc/slurm/slurm.conf
STATE=/var/lib/slurm-local
LOGS=/var/log/slurm-local
TIMEOUT="${SLURM_LOCAL_TIMEOUT:-60}"
T0=$(date +%s)

say() { echo "slurm-local: $*"; }

# Stop with a clear message: exit 1, or 0 with ALLOW_NO_SLURM=1.
give_up() {
    echo "slurm-local: cannot set up a local Slurm: $*" >&2
    if [ "${ALLOW_NO_SLURM:-0}" = "1" ]; then
        echo "slurm-local: ALLOW_NO_SLURM=1, so this is not an error (exit 0); the Slurm test is skipped" >&2
        exit 0
    fi
    echo "slurm-local: set ALLOW_NO_SLURM=1 to skip instead of failing" >&2
    exit 1
}

# The node is up when it is idle or running jobs.
node_state() { sinfo -h -N -o '%T' 2>/dev/null | head -n1; }
node_up() { case "$(node_state)" in idle | mixed | allocated | completing) return 0 ;; *) return 1 ;; esac; }

# Already up? Then there is nothing to do.
if [ "${1:-}" != "--stop" ] && command -v sinfo >/dev/null 2>&1 && node_up; then
    say "Slurm is already running: $(sinfo -h -N -o '%N %T %c CPUs %m MB' | head -n1)"
    exit 0
fi

# Run as root, or through sudo when that works without a password.
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        give_up "this needs root (or password-less sudo) to install packages and start daemons"
    fi
fi

if [ "${1:-}" = "--stop" ]; then
    grep -qsF "$MARK" "$CONF" || { say "no Slurm started by this script here ($CONF is not ours)"; exit 0; }
    for pidfile in /run/slurm-local/slurmd.pid /run/slurm-local/slurmctld.pid /run/munge/munged.pid; do
        pid=$(cat "$pidfile" 2>/dev/null || true)
        if [ -n "$pid" ] && $SUDO kill "$pid" 2>/dev/null; then
            say "stopped $(basename "$pidfile" .pid) (pid $pid)"
        fi
    done
    exit 0
fi

# 1. Packages.
need_install=0
for cmd in sbatch slurmctld slurmd munged; do
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || need_install=1
done
if [ "$need_install" = "1" ]; then
    command -v apt-get >/dev/null 2>&1 || give_up "Slurm is not installed and there is no apt-get to install it (Debian or Ubuntu is needed)"
    say "installing slurm-wlm and munge (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    install() { $SUDO apt-get install -y -q --no-install-recommends slurm-wlm munge >"$1" 2>&1; }
    tmp_log=$(mktemp)
    if ! install "$tmp_log"; then
        say "apt-get install failed; running apt-get update and trying again"
        $SUDO apt-get update -q >>"$tmp_log" 2>&1
        install "$tmp_log" || { tail -n 20 "$tmp_log" >&2; give_up "apt-get install slurm-wlm munge failed (log above)"; }
    fi
    rm -f "$tmp_log"
fi
export PATH="$PATH:/usr/sbin:/sbin"
for cmd in sbatch sinfo scontrol slurmctld slurmd munged; do
    command -v "$cmd" >/dev/null 2>&1 || give_up "'$cmd' is still missing after installing the packages"
done
say "$(slurmctld -V), $(munged --version 2>&1 | awk '{print $1; exit}')"

# 2. Configuration.
if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    give_up "$CONF exists and was not written by this script: this machine has a Slurm of its own; use it directly"
fi
host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# Leave the system some memory; slurmd drains a node that claims more than it has.
real_mb=$((mem_mb * 9 / 10))
$SUDO mkdir -p /etc/slurm "$STATE/ctld" "$STATE/d" "$LOGS" /run/slurm-local
conf_new=$(mktemp)
cat >"$conf_new" <<EOF
$MARK
# A single-node cluster on localhost for tests and examples; not for production.
ClusterName=blockade-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=/run/slurm-local/slurmctld.pid
SlurmdPidFile=/run/slurm-local/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=10
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$real_mb State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
if ! cmp -s "$conf_new" "$CONF" 2>/dev/null; then
    $SUDO cp "$conf_new" "$CONF"
    $SUDO chmod 644 "$CONF"
    say "wrote $CONF (node $host: $cpus CPUs, $real_mb MB)"
fi
rm -f "$conf_new"
# No cgroups: an empty cgroup.conf keeps slurmd from looking for one elsewhere.
if [ ! -e /etc/slurm/cgroup.conf ]; then
    echo "$MARK" | $SUDO tee /etc/slurm/cgroup.conf >/dev/null
fi

# 3. munge: a key, then the daemon (as the munge user).
if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null 2>&1; then
        $SUDO mungekey --create --keyfile=/etc/munge/munge.key
    else
        $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
fi
$SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
$SUDO chown munge:munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge
$SUDO chmod 400 /etc/munge/munge.key
$SUDO chmod 755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "starting munged"
    $SUDO runuser -u munge -- /usr/sbin/munged --force \
        || give_up "munged did not start (see /var/log/munge/munged.log)"
    for _ in $(seq 1 20); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.5
    done
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 \
        || give_up "munged runs but a credential does not round-trip (see /var/log/munge/munged.log)"
fi

# 4. slurmctld, then slurmd.
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running /run/slurm-local/slurmctld.pid; then
    say "starting slurmctld"
    $SUDO slurmctld || give_up "slurmctld did not start (see $LOGS/slurmctld.log)"
fi
for _ in $(seq 1 "$TIMEOUT"); do
    scontrol ping 2>/dev/null | grep -q 'is UP' && break
    sleep 1
done
scontrol ping 2>/dev/null | grep -q 'is UP' \
    || { tail -n 20 "$LOGS/slurmctld.log" >&2; give_up "slurmctld does not answer (log above)"; }
if ! running /run/slurm-local/slurmd.pid; then
    say "starting slurmd"
    $SUDO slurmd || give_up "slurmd did not start (see $LOGS/slurmd.log)"
fi

# 5. Wait for the node to be up; resume it if an earlier run left it down or drained.
state=""
for i in $(seq 1 "$TIMEOUT"); do
    state=$(node_state)
    case "$state" in
        idle | mixed | allocated | completing) break ;;
        down* | drain* | fail*)
            [ "$i" -gt 3 ] && $SUDO scontrol update NodeName="$host" State=RESUME 2>/dev/null ;;
    esac
    sleep 1
done
if ! node_up; then
    tail -n 20 "$LOGS/slurmd.log" >&2
    give_up "node $host is '${state:-unknown}', not up, after ${TIMEOUT}s (slurmd log above; sinfo -R says why)"
fi
say "ready in $(($(date +%s) - T0)) s: $(sinfo -h -N -o '%N %T, %c CPUs, %m MB, partition %P' | head -n1)"
