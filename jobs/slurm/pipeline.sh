#!/bin/bash
# Submits the warcpairs stages as a chain of Slurm jobs (each starts when the previous succeeded).
#
#   bash jobs/slurm/pipeline.sh --warc-list FILE --run DIR [--nodes N] [--time HH:MM:SS]
#     [--partition P] [--account A] [--ntasks-per-node N] [--scratch DIR] [--bin PATH]
#     [--launcher srun|mpirun] [--merge-time HH:MM:SS] [--dry-run]
#   (or sbatch jobs/slurm/pipeline.sh ...: a one-minute job that does the submitting)
#
# Prints one line per stage, "STAGE JOBID" (extract, merge), and nothing else on stdout, so
# scripts can read the ids; --dry-run prints the sbatch commands instead. Job logs go to
# RUN/logs/<job name>-<job id>.out. Resources of each stage are described in its script
# (extract.sh: whole nodes, one rank per core; merge.sh: one task). --time is extract's
# limit (default: the partition's); merge gets --merge-time (default: the same).
#
# Adding a stage: write jobs/slurm/<stage>.sh taking --run and --bin, then add one `submit`
# line at the end below; `submit` chains it after the previous one with afterok.
#SBATCH --job-name=warcpairs-pipeline
#SBATCH --ntasks=1
#SBATCH --time=00:05:00
#SBATCH --output=warcpairs-pipeline-%j.out
set -euo pipefail

usage() { sed -n '3,7p' "${BASH_SOURCE[0]}" >&2; echo "pipeline.sh: $*" >&2; exit 2; }

# The folder holding the stage scripts. Under sbatch this file runs from Slurm's spool, so
# ask Slurm where the submitted script was.
scripts_dir() {
  if [ -n "${SLURM_JOB_ID:-}" ] && [ ! -f "$(dirname "${BASH_SOURCE[0]}")/extract.sh" ]; then
    local cmd
    cmd=$(scontrol show job "$SLURM_JOB_ID" | sed -n 's/^ *Command=\([^ ]*\).*/\1/p')
    dirname "$cmd"
  else
    cd "$(dirname "${BASH_SOURCE[0]}")" && pwd
  fi
}
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

WARC_LIST="" RUN="" NODES=1 TIME="" MERGE_TIME="" PARTITION="" ACCOUNT="" PER_NODE=""
SCRATCH="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun DRY_RUN=0
while (($#)); do
  case $1 in
    --warc-list) WARC_LIST=${2:?}; shift 2 ;;
    --run) RUN=${2:?}; shift 2 ;;
    --nodes) NODES=${2:?}; shift 2 ;;
    --time) TIME=${2:?}; shift 2 ;;
    --merge-time) MERGE_TIME=${2:?}; shift 2 ;;
    --partition) PARTITION=${2:?}; shift 2 ;;
    --account) ACCOUNT=${2:?}; shift 2 ;;
    --ntasks-per-node) PER_NODE=${2:?}; shift 2 ;;
    --scratch) SCRATCH=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --launcher) LAUNCHER=${2:?}; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    *) usage "unknown argument $1" ;;
  esac
done
[ -n "$WARC_LIST" ] || usage "--warc-list FILE is required"
[ -n "$RUN" ] || usage "--run DIR is required"
[ -f "$WARC_LIST" ] || usage "--warc-list $WARC_LIST: no such file"
[[ $NODES =~ ^[1-9][0-9]*$ ]] || usage "--nodes takes a positive number, not $NODES"
[ -z "$PER_NODE" ] || [[ $PER_NODE =~ ^[1-9][0-9]*$ ]] || usage "--ntasks-per-node takes a positive number"
[[ $BIN == */* ]] && BIN=$(abspath "$BIN")
WARC_LIST=$(abspath "$WARC_LIST") RUN=$(abspath "$RUN")
MERGE_TIME=${MERGE_TIME:-$TIME}
DIR=$(scripts_dir)
mkdir -p "$RUN/logs"

# Options every stage shares.
COMMON=(--parsable "--output=$RUN/logs/%x-%j.out")
[ -z "$PARTITION" ] || COMMON+=("--partition=$PARTITION")
[ -z "$ACCOUNT" ] || COMMON+=("--account=$ACCOUNT")

# submit STAGE SBATCH_OPTION... SCRIPT SCRIPT_ARG...: submits after the previous stage
# (afterok), prints "STAGE JOBID", leaves the id in LAST.
LAST=""
submit() {
  local stage=$1; shift
  local cmd=(sbatch "${COMMON[@]}" ${LAST:+"--dependency=afterok:$LAST"} "$@")
  if ((DRY_RUN)); then
    printf '%q ' "${cmd[@]}"; echo
    LAST="<$stage>"
    return
  fi
  local out
  out=$("${cmd[@]}") || { echo "pipeline.sh: sbatch failed for $stage" >&2; exit 1; }
  LAST=${out%%;*}   # --parsable prints "id" or "id;cluster"
  echo "$stage $LAST"
}

EXTRACT_OPTS=("--nodes=$NODES")
[ -z "$TIME" ] || EXTRACT_OPTS+=("--time=$TIME")
[ -z "$PER_NODE" ] || EXTRACT_OPTS+=("--ntasks-per-node=$PER_NODE")
EXTRACT_ARGS=(--run "$RUN" --warc-list "$WARC_LIST" --bin "$BIN" --launcher "$LAUNCHER")
[ -z "$SCRATCH" ] || EXTRACT_ARGS+=(--scratch "$SCRATCH")
MERGE_OPTS=()
[ -z "$MERGE_TIME" ] || MERGE_OPTS+=("--time=$MERGE_TIME")

# The stages, in order.
submit extract "${EXTRACT_OPTS[@]}" "$DIR/extract.sh" "${EXTRACT_ARGS[@]}"
submit merge "${MERGE_OPTS[@]}" "$DIR/merge.sh" --run "$RUN" --bin "$BIN"
