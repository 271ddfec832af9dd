#!/bin/bash
# Slurm batch job: `warcpairs export`, the dataset (WebDataset tars by default) from the
# database and the stored images.
#
#   sbatch [--ntasks N] [--time 02:00:00] [--partition P] [--account A] \
#     [--dependency afterok:JOBID] jobs/slurm/export.sh --run RUN --dest DIR [--bin PATH] \
#     [--launcher srun|mpirun] [-- EXPORT_OPTION...]     (default: --format webdataset)
#
# Resources: one node; export's ranks share the pairs (--ntasks N, default 1), each reading
# image tars and writing its own shards, so it is bound by the file system: a few ranks are
# plenty. The dataset appears in DIR atomically (written beside it, renamed when complete),
# so a requeued or rerun job starts the export again from the database: --overwrite is passed
# so that the rerun replaces what an earlier attempt finished.
#SBATCH --job-name=warcpairs-export
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-export-%j.out
set -uo pipefail

usage() { sed -n '5,7p' "${BASH_SOURCE[0]}" >&2; echo "export.sh: $*" >&2; exit 2; }

RUN="" DEST="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun EXTRA=()
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --dest) DEST=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --launcher) LAUNCHER=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) usage "unknown argument $1" ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
[ -n "$DEST" ] || usage "--dest DIR is required"
[[ $LAUNCHER == srun || $LAUNCHER == mpirun ]] || usage "--launcher is srun or mpirun, not $LAUNCHER"
[ -f "$RUN/warcpairs.sqlite" ] || { echo "export.sh: $RUN/warcpairs.sqlite missing: run the stages before" >&2; exit 1; }
[[ " ${EXTRA[*]} " == *" --format "* ]] || EXTRA+=(--format webdataset)

NTASKS=${SLURM_NTASKS:-1}
echo "export.sh: job ${SLURM_JOB_ID:-none} (restart ${SLURM_RESTART_COUNT:-0}), $NTASKS ranks, run $RUN -> $DEST"
LAUNCH=()
if ((NTASKS > 1)); then
  case $LAUNCHER in
    srun) LAUNCH=(srun --mpi=pmix --ntasks="$NTASKS" --kill-on-bad-exit=1) ;;
    mpirun) LAUNCH=(mpirun -np "$NTASKS") ;;
  esac
fi
"${LAUNCH[@]}" "$BIN" export --out "$RUN" --dest "$DEST" --overwrite "${EXTRA[@]}"
