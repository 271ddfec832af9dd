#!/bin/bash
# Slurm batch job: `warcpairs extract` on many nodes, one MPI rank per core; requeues itself on USR1.
#
#   sbatch --nodes=8 --time=12:00:00 [--partition P] [--account A] [--ntasks-per-node N] \
#     jobs/slurm/extract.sh --run RUN --warc-list FILE [--bin PATH] [--launcher srun|mpirun] \
#     [--scratch DIR] [INPUT...] [-- EXTRACT_OPTION...]
#
# Resources: whole nodes (--exclusive, --mem=0: all their memory); ranks per node = the
# job's --ntasks-per-node if given, else every CPU Slurm gives the node (SLURM_CPUS_ON_NODE).
# extract is I/O and CPU bound; memory per rank is bounded (a few hundred MB at the default
# caps), so one rank per core is right unless the WARC files sit on a slow shared disk:
# then ask for fewer (--ntasks-per-node). Set --time to your cluster's limit (see below).
#
# Stopping and resuming: 120 s before the time limit Slurm sends USR1 to this script
# (--signal=B:USR1@120), which forwards it to the ranks; each finishes its current record,
# closes its shard, and exits 75. The script then requeues the job (--requeue), which runs
# the same command again: finished files are not redone (their shards exist). Send the same
# by hand with `scancel --signal=USR1 --batch JOBID`. A plain scancel (SIGTERM) also stops
# the ranks cleanly (exit 75) but is not requeued. Give the job a --time well over 120 s.
#
# Launcher: `srun --mpi=pmix` by default (check `srun --mpi=list` on your cluster; use
# --launcher mpirun where Slurm was built without PMIx; Open MPI's mpirun reads the
# allocation from Slurm itself).
#
# --scratch DIR: shards are written to DIR/warcpairs-JOBID on each node's local disk (for
# parallel file systems that dislike many small writes) and copied to RUN/shards when the
# ranks stop, under a temporary name then renamed, so merge never sees half a copy. The
# already finished shards are linked into the local folder first so they are not redone.
#
# Adapt: add site lines below (#SBATCH --qos, --constraint; `module load` before the
# launch). --bin is one executable: for a container, pass a two-line wrapper script that runs
# `apptainer exec warcpairs.sif warcpairs "$@"`. Output: warcpairs-extract-JOBID.out in the
# submit folder, appended to across requeues.
#SBATCH --job-name=warcpairs-extract
#SBATCH --nodes=1
#SBATCH --exclusive
#SBATCH --mem=0
#SBATCH --requeue
#SBATCH --signal=B:USR1@120
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-extract-%j.out
set -uo pipefail

usage() { sed -n '3,5p' "${BASH_SOURCE[0]}" >&2; echo "extract.sh: $*" >&2; exit 2; }

RUN="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun SCRATCH="" INPUTS=() EXTRA=()
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --warc-list) INPUTS+=("@${2:?}"); shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --launcher) LAUNCHER=${2:?}; shift 2 ;;
    --scratch) SCRATCH=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -*) usage "unknown option $1" ;;
    *) INPUTS+=("$1"); shift ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
((${#INPUTS[@]})) || usage "give --warc-list FILE or input files"
[[ $LAUNCHER == srun || $LAUNCHER == mpirun ]] || usage "--launcher is srun or mpirun, not $LAUNCHER"
[ -n "${SLURM_JOB_ID:-}" ] || usage "submit with sbatch (or run inside salloc)"
mkdir -p "$RUN/shards" || exit 1
RUN=$(cd "$RUN" && pwd)

PER_NODE=${SLURM_NTASKS_PER_NODE:-${SLURM_CPUS_ON_NODE:-1}}
PER_NODE=${PER_NODE%%(*}   # "4(x2)" forms: the first count
NODES=${SLURM_JOB_NUM_NODES:-1}
NTASKS=$((PER_NODE * NODES))
echo "extract.sh: job $SLURM_JOB_ID (restart ${SLURM_RESTART_COUNT:-0}) on $NODES node(s) x $PER_NODE ranks, launcher $LAUNCHER, run $RUN"

# The launcher runs in the background so this shell can take USR1 and pass it on: srun and
# mpirun both forward USR1 to every rank.
GOT_USR1=0
STEP_PID=""
on_usr1() {
  GOT_USR1=1
  echo "extract.sh: USR1 received: asking the ranks to stop after their current record"
  [ -z "$STEP_PID" ] || kill -USR1 "$STEP_PID" 2>/dev/null
}
trap on_usr1 USR1

# per_node CMD...: one task on every node of the job (scratch set-up and copy-back).
per_node() { srun --ntasks-per-node=1 --ntasks="$NODES" --kill-on-bad-exit=1 "$@"; }

# Scratch: the local run folder, with links to the shards already done (extract skips them).
OUT=$RUN
if [ -n "$SCRATCH" ]; then
  OUT="$SCRATCH/warcpairs-$SLURM_JOB_ID"
  # The run's records go along: the options check and the totals over all attempts need them.
  per_node bash -c 'mkdir -p "$1/shards" "$1/logs" && for f in "$2"/shards/*.h5; do
      [ -e "$f" ] && ln -sfn "$f" "$1/shards/${f##*/}"; done
    for f in extract-options.json extract-file-options.jsonl logs/extract-attempts.jsonl; do
      [ ! -f "$2/$f" ] || cp -- "$2/$f" "$1/$f"; done; exit 0' _ "$OUT" "$RUN" || exit 1
fi

# Copies the shards this job wrote on each node's scratch to RUN/shards: a temporary name,
# fsync, rename (atomic on one file system), then removes the local folder.
copy_back() {
  per_node bash -c 'set -e; cd "$1"
    for f in shards/*.h5; do
      [ -f "$f" ] && [ ! -L "$f" ] || continue
      tmp="$2/shards/${f#shards/}.copy-$3.tmp"
      cp -- "$f" "$tmp" && sync -- "$tmp" && mv -f -- "$tmp" "$2/${f}"
    done
    sync -- "$2/shards"
    if [ -f extract-stats.json ]; then  # on the node of rank 0: the records of the run
      mkdir -p "$2/logs"
      for f in extract-stats.json extract-options.json extract-file-options.jsonl logs/extract-attempts.jsonl; do
        [ ! -f "$f" ] || cp -- "$f" "$2/$f"; done
    fi
    [ ! -f extract.stopped ] || cp -- extract.stopped "$2/extract.stopped"
    if [ -d logs ]; then mkdir -p "$2/logs" && cp -- logs/*.log "$2/logs/"; fi
    cd / && rm -rf -- "$1"' _ "$OUT" "$RUN" "$SLURM_JOB_ID"
}

case $LAUNCHER in
  # --kill-on-bad-exit=1: a rank that dies takes the step down instead of leaving the others
  # waiting on it forever. Ranks stopped by USR1 leave together after extract's last
  # collective call, so a rank exiting 75 cannot cut another's work short.
  srun) LAUNCH=(srun --mpi=pmix --ntasks="$NTASKS" --ntasks-per-node="$PER_NODE" --kill-on-bad-exit=1) ;;
  # odls_base_sigkill_timeout: on SIGTERM (scancel) mpirun waits this long, sends the ranks
  # SIGTERM (Slurm sends them one too), and waits as long again (not 1 s) before SIGKILL: time
  # to commit their part, within Slurm's KillWait (default 30 s).
  mpirun) LAUNCH=(mpirun -np "$NTASKS" --map-by "ppr:$PER_NODE:node" --mca odls_base_sigkill_timeout 10) ;;
esac

# RUN/extract.stopped: written by the ranks when a stop signal reaches them (README, "Stopping
# and resuming"); one from an earlier job is stale.
rm -f -- "$RUN/extract.stopped"
if ((GOT_USR1)); then
  rc=75   # USR1 came during the scratch set-up: nothing started, requeue straight away
else
  "${LAUNCH[@]}" "$BIN" extract --out "$OUT" "${INPUTS[@]}" "${EXTRA[@]}" &
  STEP_PID=$!
  # wait returns early (status > 128) whenever a trapped signal arrives; wait again until
  # the launcher itself has ended.
  while :; do
    wait "$STEP_PID"; rc=$?
    ((rc > 128)) && kill -0 "$STEP_PID" 2>/dev/null && continue
    break
  done
fi
echo "extract.sh: launcher exited $rc"

if [ -n "$SCRATCH" ]; then
  copy_back || { echo "extract.sh: copying shards from $SCRATCH to $RUN/shards failed" >&2; exit 1; }
fi

# mpirun exits 1 after SIGTERM/SIGINT even when every rank stopped cleanly with 75: the
# marker tells the stop from a failure.
if ((rc != 0 && rc != 75)) && [ -e "$RUN/extract.stopped" ]; then
  echo "extract.sh: the ranks were stopped by a signal ($RUN/extract.stopped): exit 75, not $rc"
  rc=75
fi

if ((rc == 75)) && ((GOT_USR1)); then
  echo "extract.sh: stopped by USR1 after saving progress: requeueing job $SLURM_JOB_ID"
  scontrol requeue "$SLURM_JOB_ID" || { echo "extract.sh: scontrol requeue failed" >&2; exit 75; }
  exit 75
fi
exit "$rc"
