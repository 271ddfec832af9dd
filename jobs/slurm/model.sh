#!/bin/bash
# Slurm batch job: the model stages, `warcpairs train`, `predict` or `score` (CLIP), one MPI
# rank per GPU (or per node on CPU); requeues itself on USR1.
#
#   sbatch --nodes=2 --gpus-per-node=4 --time=12:00:00 [--partition P] [--account A] \
#     jobs/slurm/model.sh train|predict|score --run RUN [--bin PATH] [--launcher srun|mpirun] \
#     [-- STAGE_OPTION...]
#   e.g. sbatch --nodes=2 --gpus-per-node=4 jobs/slurm/model.sh train --run run1 -- \
#          --init models/distilbert-base-uncased --epochs 2 --batch-size 256
#        sbatch --nodes=4 --gpus-per-node=4 jobs/slurm/model.sh predict --run run1 -- \
#          --model run1/model/best             (then jobs/slurm/merge.sh)
#        sbatch --nodes=4 --gpus-per-node=4 --ntasks-per-node=8 jobs/slurm/model.sh score \
#          --run run1 -- --clip models/clip-vit-base-patch32   (then jobs/slurm/merge.sh)
#   score downloads too: give it more ranks than GPUs if downloads, not CLIP, are the limit.
#
# Ranks per node: the job's --ntasks-per-node if given, else its GPUs per node
# (SLURM_GPUS_ON_NODE), else 1 (a CPU node: one rank with every core as LibTorch threads,
# which beats several ranks sharing the cores for a transformer). Each rank takes its
# node-local GPU (--device auto; SLURM_LOCALID). train's --batch-size is the global batch: it
# does not change with the number of ranks, so results do not either.
#
# Stopping and resuming, as extract.sh: USR1 120 s before the time limit → the ranks save
# (train: RUN/model/last; predict, score: drop the unfinished shard) and exit 75 → requeue → the
# same command resumes. Output: warcpairs-model-JOBID.out in the submit folder.
#SBATCH --job-name=warcpairs-model
#SBATCH --nodes=1
#SBATCH --exclusive
#SBATCH --mem=0
#SBATCH --requeue
#SBATCH --signal=B:USR1@120
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-model-%j.out
set -uo pipefail

usage() { sed -n '5,7p' "${BASH_SOURCE[0]}" >&2; echo "model.sh: $*" >&2; exit 2; }

STAGE=${1:-}
[[ $STAGE == train || $STAGE == predict || $STAGE == score ]] || usage "the first argument is train, predict or score"
shift
RUN="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun EXTRA=()
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --launcher) LAUNCHER=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) usage "unknown option $1" ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
[[ $LAUNCHER == srun || $LAUNCHER == mpirun ]] || usage "--launcher is srun or mpirun, not $LAUNCHER"
[ -n "${SLURM_JOB_ID:-}" ] || usage "submit with sbatch (or run inside salloc)"
[ -f "$RUN/warcpairs.sqlite" ] || usage "$RUN/warcpairs.sqlite missing: extract and merge first"

GPUS=${SLURM_GPUS_ON_NODE:-0}
PER_NODE=${SLURM_NTASKS_PER_NODE:-$((GPUS > 0 ? GPUS : 1))}
PER_NODE=${PER_NODE%%(*}
NODES=${SLURM_JOB_NUM_NODES:-1}
NTASKS=$((PER_NODE * NODES))
echo "model.sh: $STAGE, job $SLURM_JOB_ID (restart ${SLURM_RESTART_COUNT:-0}) on $NODES node(s) x $PER_NODE ranks ($GPUS GPUs per node), run $RUN"

GOT_USR1=0 STEP_PID=""
on_usr1() {
  GOT_USR1=1
  echo "model.sh: USR1 received: asking the ranks to save and stop"
  [ -z "$STEP_PID" ] || kill -USR1 "$STEP_PID" 2>/dev/null
}
trap on_usr1 USR1

case $LAUNCHER in
  srun) LAUNCH=(srun --mpi=pmix --ntasks="$NTASKS" --ntasks-per-node="$PER_NODE" --kill-on-bad-exit=1) ;;
  # odls_base_sigkill_timeout: on SIGTERM (scancel) mpirun waits this long, sends the ranks
  # SIGTERM (Slurm sends them one too), and waits as long again (not 1 s) before SIGKILL: time
  # to save, within Slurm's KillWait (default 30 s).
  mpirun) LAUNCH=(mpirun -np "$NTASKS" --map-by "ppr:$PER_NODE:node" --mca odls_base_sigkill_timeout 10) ;;
esac
"${LAUNCH[@]}" "$BIN" "$STAGE" --out "$RUN" "${EXTRA[@]}" &
STEP_PID=$!
while :; do
  wait "$STEP_PID"; rc=$?
  ((rc > 128)) && kill -0 "$STEP_PID" 2>/dev/null && continue
  break
done
echo "model.sh: launcher exited $rc"
# mpirun exits 1 after SIGTERM/SIGINT even when every rank stopped cleanly with 75: the
# marker RUN/STAGE.stopped (README, "Stopping and resuming") tells the stop from a failure.
if ((rc != 0 && rc != 75)) && [ -e "$RUN/$STAGE.stopped" ]; then
  echo "model.sh: the ranks were stopped by a signal ($RUN/$STAGE.stopped): exit 75, not $rc"
  rc=75
fi
if ((rc == 75)) && ((GOT_USR1)); then
  echo "model.sh: stopped by USR1 after saving: requeueing job $SLURM_JOB_ID"
  scontrol requeue "$SLURM_JOB_ID" || { echo "model.sh: scontrol requeue failed" >&2; exit 75; }
  exit 75
fi
exit "$rc"
