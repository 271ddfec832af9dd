#!/usr/bin/env bash
# Starts a throwaway single-node Slurm (munged, slurmctld, slurmd) under one temporary folder.
#
#   bash tests/e2e/slurm/start_slurm.sh DIR     # DIR: a new or empty folder, short path (see below)
#   export SLURM_CONF=DIR/slurm.conf            # every Slurm command then talks to this cluster
#   ...
#   bash tests/e2e/slurm/stop_slurm.sh DIR      # kills what this started (pid files), always
#
# Nothing outside DIR is written or changed: the configuration is DIR/slurm.conf (found
# through SLURM_CONF, never /etc/slurm), munge has its own key, socket, pid and log in DIR/munge
# (slurm is pointed at that socket with AuthInfo=socket=...), and both daemons use their own
# free ports. Needs Debian's slurm-wlm, munge and slurm-wlm-basic-plugins (mpi/pmix) and root:
# slurmd launches jobs, and munged runs as the user munge as it insists on.
# DIR should be short (e.g. mktemp -d /tmp/wp-slurm.XXXXXX): the munge socket path must fit
# in a Unix socket address (108 bytes).
set -euo pipefail
DIR=${1:?usage: start_slurm.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "start_slurm.sh: needs root (slurmd starts jobs as their user)" >&2; exit 1; }
for cmd in munged mungekey slurmctld slurmd sinfo; do
  command -v "$cmd" >/dev/null || { echo "start_slurm.sh: $cmd not found: run env/install-debian.sh" >&2; exit 1; }
done

# The munge user must reach its folder: DIR itself is 0755 and owned by root.
chmod 0755 "$DIR"
mkdir -p "$DIR/munge" "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/tmp"
chown munge:munge "$DIR/munge"
chmod 0755 "$DIR/munge"   # clients need x on the socket's folder; the key itself is 0600
MSOCK="$DIR/munge/munge.socket"
mungekey -c -f -k "$DIR/munge/munge.key"
chown munge:munge "$DIR/munge/munge.key"
chmod 0600 "$DIR/munge/munge.key"
runuser -u munge -- munged --socket="$MSOCK" --key-file="$DIR/munge/munge.key" \
  --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" \
  --seed-file="$DIR/munge/munged.seed"
for _ in $(seq 50); do [ -S "$MSOCK" ] && break; sleep 0.1; done
munge --socket="$MSOCK" -n </dev/null | unmunge --socket="$MSOCK" >/dev/null \
  || { cat "$DIR/munge/munged.log" >&2; echo "start_slurm.sh: munge does not work" >&2; exit 1; }

# Two free TCP ports, chosen by the kernel.
read -r CTLD_PORT SLURMD_PORT < <(/usr/bin/python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)

# The node as slurmd sees it (real CPU count, sockets, cores, memory): slurmd refuses to
# serve (node DRAIN) when the configuration promises more than the machine has.
NODE_LINE=$(slurmd -C | sed -n 1p)
NODE=$(hostname -s)
NODE_LINE=${NODE_LINE/NodeName=* CPUs=/NodeName=$NODE NodeAddr=127.0.0.1 CPUs=}

cat > "$DIR/slurm.conf" <<EOF
# Written by tests/e2e/slurm/start_slurm.sh: a throwaway single-node cluster.
ClusterName=warcpairs-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire: a requeued job waits this long before it may start again (default 120 s).
AuthInfo=socket=$MSOCK,cred_expire=10
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
# Job-private temporaries (the PMIx plugin's spmix_appdir_UID_JOB.STEP) go here, not /tmp,
# and job ids start at a random number: two test clusters on one machine never collide.
TmpFS=$DIR/tmp
FirstJobId=$((1000 + RANDOM % 50000))
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$DIR/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
MpiDefault=none
SwitchType=switch/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
JobRequeue=1
MinJobAge=600
KillWait=30
$NODE_LINE State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
: > "$DIR/plugstack.conf"
export SLURM_CONF="$DIR/slurm.conf"

slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

# Ready when the node is idle (slurmd registered, nothing drained).
state=""
for _ in $(seq 120); do
  state=$(sinfo -h -N -n "$NODE" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "$state" != idle ]; then
  echo "start_slurm.sh: node $NODE is '${state:-unknown}', not idle, after 60 s" >&2
  tail -n 30 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 || true
  exit 1
fi
echo "slurm: node $NODE idle (${NODE_LINE#* CPUs=}); SLURM_CONF=$SLURM_CONF"
