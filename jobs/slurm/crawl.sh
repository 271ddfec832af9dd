#!/bin/bash
# Slurm batch job: `warcpairs crawl` on one or more nodes; requeues itself on USR1.
#
#   sbatch --nodes=2 --time=12:00:00 [--partition P] [--account A] [--ntasks-per-node N] \
#     jobs/slurm/crawl.sh --run RUN --seeds FILE [--bin PATH] [--launcher srun|mpirun] \
#     [-- CRAWL_OPTION...]
#
# Resources: rank 0 leads (frontier in RUN/crawl/state.sqlite, leases, robots.txt) and
# fetches too; every other rank fetches. A rank is network-bound, not CPU-bound: a few per
# node are plenty (default 4: --ntasks-per-node overrides). RUN must be on a file system all
# nodes see (workers write their WARC parts into RUN/crawl/staging, the leader moves them
# into RUN/warc after committing them).
#
# Stopping and resuming: 120 s before the time limit Slurm sends USR1 to this script
# (--signal=B:USR1@120), which forwards it to the ranks; each commits the pages it has
# fetched and exits 75, and the script requeues the job, which goes on where it stopped.
# A rank killed outright (node failure, SIGKILL) loses only its uncommitted part: the rerun
# fetches those URLs again, each stored once. Output: warcpairs-crawl-JOBID.out.
#SBATCH --job-name=warcpairs-crawl
#SBATCH --nodes=1
#SBATCH --requeue
#SBATCH --signal=B:USR1@120
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-crawl-%j.out
set -uo pipefail

usage() { sed -n '4,6p' "${BASH_SOURCE[0]}" >&2; echo "crawl.sh: $*" >&2; exit 2; }

RUN="" SEEDS="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun EXTRA=()
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --seeds) SEEDS=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --launcher) LAUNCHER=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) usage "unknown argument $1" ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
[ -n "$SEEDS" ] || usage "--seeds FILE is required"
[[ $LAUNCHER == srun || $LAUNCHER == mpirun ]] || usage "--launcher is srun or mpirun, not $LAUNCHER"
[ -n "${SLURM_JOB_ID:-}" ] || usage "submit with sbatch (or run inside salloc)"
mkdir -p "$RUN" || exit 1
RUN=$(cd "$RUN" && pwd)

PER_NODE=${SLURM_NTASKS_PER_NODE:-4}
PER_NODE=${PER_NODE%%(*}
NODES=${SLURM_JOB_NUM_NODES:-1}
NTASKS=$((PER_NODE * NODES))
echo "crawl.sh: job $SLURM_JOB_ID (restart ${SLURM_RESTART_COUNT:-0}) on $NODES node(s) x $PER_NODE ranks, launcher $LAUNCHER, run $RUN"

GOT_USR1=0
STEP_PID=""
on_usr1() {
  GOT_USR1=1
  echo "crawl.sh: USR1 received: asking the ranks to commit and stop"
  [ -z "$STEP_PID" ] || kill -USR1 "$STEP_PID" 2>/dev/null
}
trap on_usr1 USR1

case $LAUNCHER in
  srun) LAUNCH=(srun --mpi=pmix --ntasks="$NTASKS" --ntasks-per-node="$PER_NODE" --kill-on-bad-exit=1) ;;
  mpirun) LAUNCH=(mpirun -np "$NTASKS" --map-by "ppr:$PER_NODE:node" --mca odls_base_sigkill_timeout 10) ;;
esac

rm -f -- "$RUN/crawl.stopped"
"${LAUNCH[@]}" "$BIN" crawl --out "$RUN" --seeds "$SEEDS" "${EXTRA[@]}" &
STEP_PID=$!
while :; do
  wait "$STEP_PID"; rc=$?
  ((rc > 128)) && kill -0 "$STEP_PID" 2>/dev/null && continue
  break
done
echo "crawl.sh: launcher exited $rc"
# mpirun exits 1 after a signal even when every rank stopped cleanly with 75.
if ((rc != 0 && rc != 75)) && [ -e "$RUN/crawl.stopped" ]; then
  echo "crawl.sh: the ranks were stopped by a signal ($RUN/crawl.stopped): exit 75, not $rc"
  rc=75
fi
if ((rc == 75)) && ((GOT_USR1)); then
  echo "crawl.sh: stopped by USR1 after committing: requeueing job $SLURM_JOB_ID"
  scontrol requeue "$SLURM_JOB_ID" || { echo "crawl.sh: scontrol requeue failed" >&2; exit 75; }
  exit 75
fi
exit "$rc"
