#!/usr/bin/env bash
# Stops the Slurm that start_slurm.sh DIR started: its jobs, then slurmd, slurmctld and munged.
#
#   bash tests/e2e/slurm/stop_slurm.sh DIR [--keep]   # --keep leaves DIR (logs) in place
#
# Safe to call at any point, even when start_slurm.sh failed halfway or was never run: it only
# kills processes named in DIR's pid files, and processes whose environment carries this
# cluster's SLURM_CONF (slurmstepd and job tasks that outlived slurmd); never by name.
set -uo pipefail
DIR=${1:?usage: stop_slurm.sh DIR [--keep]}
KEEP=${2:-}
[ -d "$DIR" ] || exit 0
DIR=$(cd "$DIR" && pwd)
CONF="$DIR/slurm.conf"

# Cancel the jobs first so slurmd tears their steps down the normal way.
if [ -f "$CONF" ] && [ -f "$DIR/slurmctld.pid" ]; then
  ids=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %i 2>/dev/null || true)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    SLURM_CONF=$CONF timeout 10 scancel $ids 2>/dev/null || true
    for _ in $(seq 20); do
      [ -z "$(SLURM_CONF=$CONF timeout 5 squeue -h -t R,CG -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
fi

# stop_pid PIDFILE: TERM, then KILL after 10 s.
stop_pid() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null) || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
stop_pid "$DIR/slurmd.pid"
stop_pid "$DIR/slurmctld.pid"

# Leftovers of this cluster: processes whose environment names its slurm.conf.
for env in /proc/[0-9]*/environ; do
  pid=${env#/proc/}; pid=${pid%/environ}
  [ "$pid" = $$ ] && continue
  if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -xF "SLURM_CONF=$CONF" > /dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
done

stop_pid "$DIR/munge/munged.pid"
[ "$KEEP" = --keep ] || rm -rf "$DIR"
exit 0
