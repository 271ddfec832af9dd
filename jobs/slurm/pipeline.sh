#!/bin/bash
# Submits the warcpairs stages as a chain of Slurm jobs (each starts when the previous succeeded):
# extract -> merge -> train -> predict -> merge -> score -> merge -> analyze -> export.
#
#   bash jobs/slurm/pipeline.sh --run DIR [--warc-list FILE] [--stages LIST] [--model DIR]
#     [--train-opts "..."] [--predict-opts "..."] [--score-opts "..."] [--export-opts "..."]
#     [--dest DIR] [--nodes N] [--gpus-per-node G] [--time HH:MM:SS] [--model-time HH:MM:SS]
#     [--merge-time HH:MM:SS] [--partition P] [--account A] [--ntasks-per-node N]
#     [--scratch DIR] [--bin PATH] [--launcher srun|mpirun] [--dry-run]
#   (or sbatch jobs/slurm/pipeline.sh ...: a one-minute job that does the submitting)
#
# --stages: the stages to submit, comma-separated, among extract, merge, train, predict, score,
# analyze, export (default: all); they run in the order above whatever the order given. A merge
# follows each of extract, predict and score that is submitted, or, when none of them is, runs
# first. E.g. `--stages score,merge,export` on a run that has predictions: score -> merge -> export.
# --model DIR: predict with this span model (config.json + model.safetensors + vocab.txt) and
# skip train; without it predict uses RUN/model/best, which train writes. train needs
# --train-opts (`--init models/distilbert-base-uncased`, or `--model-config F --vocab V`); the
# --*-opts strings are split at spaces and passed to that stage (score: e.g. `--clip DIR`).
# --warc-list is needed when extract is submitted; export writes --dest (default RUN/dataset).
#
# Prints one line per job, "STAGE JOBID", and nothing else on stdout, so scripts can read the
# ids (merge may appear up to three times); --dry-run prints the sbatch commands instead. Job
# logs go to RUN/logs/<job name>-<job id>.out. Resources (each script's header explains them):
# extract.sh: --nodes whole nodes, one rank per core (--time); model.sh (train, predict, score):
# --nodes nodes, one rank per GPU with --gpus-per-node G, else one rank per node using every core
# (--model-time, default --time); merge.sh (analyze too: merge.sh --analyze), export.sh: one
# task (--merge-time, default --time). extract, train, predict and score stop on USR1 120 s before their limit,
# exit 75 and requeue themselves; the requeued job resumes, and the chain waits (afterok).
#
# Adding a stage: write jobs/slurm/<stage>.sh taking --run and --bin, then add it to the chain
# at the end below; `submit` chains it after the previous one with afterok.
#SBATCH --job-name=warcpairs-pipeline
#SBATCH --ntasks=1
#SBATCH --time=00:05:00
#SBATCH --output=warcpairs-pipeline-%j.out
set -euo pipefail

usage() { sed -n '5,10p' "${BASH_SOURCE[0]}" >&2; echo "pipeline.sh: $*" >&2; exit 2; }

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

WARC_LIST="" RUN="" NODES=1 TIME="" MERGE_TIME="" MODEL_TIME="" PARTITION="" ACCOUNT="" PER_NODE=""
SCRATCH="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun DRY_RUN=0 GPUS="" MODEL="" DEST=""
STAGES_ARG=extract,merge,train,predict,score,analyze,export
TRAIN_OPTS="" PREDICT_OPTS="" SCORE_OPTS="" EXPORT_OPTS=""
while (($#)); do
  case $1 in
    --warc-list) WARC_LIST=${2:?}; shift 2 ;;
    --run) RUN=${2:?}; shift 2 ;;
    --stages) STAGES_ARG=${2:?}; shift 2 ;;
    --model) MODEL=${2:?}; shift 2 ;;
    --dest) DEST=${2:?}; shift 2 ;;
    --train-opts) TRAIN_OPTS=$2; shift 2 ;;
    --predict-opts) PREDICT_OPTS=$2; shift 2 ;;
    --score-opts) SCORE_OPTS=$2; shift 2 ;;
    --export-opts) EXPORT_OPTS=$2; shift 2 ;;
    --nodes) NODES=${2:?}; shift 2 ;;
    --gpus-per-node) GPUS=${2:?}; shift 2 ;;
    --time) TIME=${2:?}; shift 2 ;;
    --model-time) MODEL_TIME=${2:?}; shift 2 ;;
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
declare -A WANT=()
IFS=, read -ra listed <<<"$STAGES_ARG"
for s in "${listed[@]}"; do
  case $s in
    extract | merge | train | predict | score | analyze | export) WANT[$s]=1 ;;
    *) usage "--stages: '$s' is not one of extract, merge, train, predict, score, analyze, export" ;;
  esac
done
((${#WANT[@]})) || usage "--stages names no stage"
[ -z "$MODEL" ] || unset 'WANT[train]'  # --model: the span model exists, no training
[ -n "$RUN" ] || usage "--run DIR is required"
if [ -n "${WANT[extract]:-}" ]; then
  [ -n "$WARC_LIST" ] || usage "--warc-list FILE is required to extract"
  [ -f "$WARC_LIST" ] || usage "--warc-list $WARC_LIST: no such file"
  WARC_LIST=$(abspath "$WARC_LIST")
fi
[ -z "${WANT[train]:-}" ] || [ -n "$TRAIN_OPTS" ] \
  || usage "train needs --train-opts '--init models/distilbert-base-uncased' (or '--model-config F --vocab V'), or --model DIR to skip it"
[ -z "$MODEL" ] || [ -d "$MODEL" ] || usage "--model $MODEL: no such directory"
[[ $NODES =~ ^[1-9][0-9]*$ ]] || usage "--nodes takes a positive number, not $NODES"
[ -z "$GPUS" ] || [[ $GPUS =~ ^[0-9]+$ ]] || usage "--gpus-per-node takes a number, not $GPUS"
[ -z "$PER_NODE" ] || [[ $PER_NODE =~ ^[1-9][0-9]*$ ]] || usage "--ntasks-per-node takes a positive number"
[[ $LAUNCHER == srun || $LAUNCHER == mpirun ]] || usage "--launcher is srun or mpirun, not $LAUNCHER"
[[ $BIN == */* ]] && BIN=$(abspath "$BIN")
RUN=$(abspath "$RUN")
MODEL=${MODEL:+$(abspath "$MODEL")}
DEST=$(abspath "${DEST:-$RUN/dataset}")
MERGE_TIME=${MERGE_TIME:-$TIME} MODEL_TIME=${MODEL_TIME:-$TIME}
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
declare -A DONE=()   # stages submitted so far
# run_stage STAGE SBATCH_OPTION... SCRIPT SCRIPT_ARG...: submits STAGE when it was asked for.
run_stage() {
  [ -n "${WANT[$1]:-}" ] || return 0
  DONE[$1]=1
  submit "$@"
}
# merge_after PRODUCER: a merge when PRODUCER was just submitted (its shards are to be folded in).
merge_after() {
  [ -n "${WANT[merge]:-}" ] && [ -n "${DONE[$1]:-}" ] || return 0
  submit merge "${MERGE_OPTS[@]}" "$DIR/merge.sh" --run "$RUN" --bin "$BIN"
}

EXTRACT_OPTS=("--nodes=$NODES")
[ -z "$TIME" ] || EXTRACT_OPTS+=("--time=$TIME")
[ -z "$PER_NODE" ] || EXTRACT_OPTS+=("--ntasks-per-node=$PER_NODE")
EXTRACT_ARGS=(--run "$RUN" --warc-list "$WARC_LIST" --bin "$BIN" --launcher "$LAUNCHER")
[ -z "$SCRATCH" ] || EXTRACT_ARGS+=(--scratch "$SCRATCH")
ONE_TASK_OPTS=()
[ -z "$MERGE_TIME" ] || ONE_TASK_OPTS+=("--time=$MERGE_TIME")
MERGE_OPTS=("${ONE_TASK_OPTS[@]}")
# model.sh: --nodes nodes; one rank per GPU, or per node on CPU (its header).
MODEL_OPTS=("--nodes=$NODES")
[ -z "$MODEL_TIME" ] || MODEL_OPTS+=("--time=$MODEL_TIME")
[ -z "$GPUS" ] || ((GPUS == 0)) || MODEL_OPTS+=("--gpus-per-node=$GPUS")
[ -z "$PER_NODE" ] || MODEL_OPTS+=("--ntasks-per-node=$PER_NODE")
read -ra train_opts <<<"$TRAIN_OPTS"
read -ra predict_opts <<<"$PREDICT_OPTS"
read -ra score_opts <<<"$SCORE_OPTS"
read -ra export_opts <<<"$EXPORT_OPTS"
MODEL_ARGS=(--bin "$BIN" --launcher "$LAUNCHER")

# The stages, in order. A merge with no producer submitted runs first (e.g. --stages merge,analyze).
if [ -n "${WANT[merge]:-}" ] && [ -z "${WANT[extract]:-}${WANT[predict]:-}${WANT[score]:-}" ]; then
  run_stage merge "${MERGE_OPTS[@]}" "$DIR/merge.sh" --run "$RUN" --bin "$BIN"
fi
run_stage extract "${EXTRACT_OPTS[@]}" "$DIR/extract.sh" "${EXTRACT_ARGS[@]}"
merge_after extract
run_stage train "${MODEL_OPTS[@]}" "$DIR/model.sh" train --run "$RUN" "${MODEL_ARGS[@]}" -- "${train_opts[@]}"
run_stage predict "${MODEL_OPTS[@]}" "$DIR/model.sh" predict --run "$RUN" "${MODEL_ARGS[@]}" -- \
  --model "${MODEL:-$RUN/model/best}" "${predict_opts[@]}"
merge_after predict
run_stage score "${MODEL_OPTS[@]}" "$DIR/model.sh" score --run "$RUN" "${MODEL_ARGS[@]}" -- "${score_opts[@]}"
merge_after score
run_stage analyze "${ONE_TASK_OPTS[@]}" --job-name=warcpairs-analyze "$DIR/merge.sh" --run "$RUN" --bin "$BIN" --analyze
run_stage export "${ONE_TASK_OPTS[@]}" "$DIR/export.sh" --run "$RUN" --dest "$DEST" --bin "$BIN" \
  --launcher "$LAUNCHER" -- "${export_opts[@]}"
