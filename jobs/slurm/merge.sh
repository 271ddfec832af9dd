#!/bin/bash
# Slurm batch job: `warcpairs merge`, one task, folds RUN/shards into RUN/warcpairs.sqlite.
#
#   sbatch [--time 02:00:00] [--partition P] [--account A] [--dependency afterok:JOBID] \
#     jobs/slurm/merge.sh --run RUN [--bin PATH] [-- MERGE_OPTION...]
#
# Resources: one task on one node; merge has a single SQLite writer, so a few CPUs (readers)
# and modest memory are enough. The database is written in RUN, so RUN must be on a file
# system where SQLite's locking works (most parallel file systems do for one writer; if
# yours does not, merge into node-local disk and copy the database back).
# Safe to rerun and to requeue at any time: each shard is merged once, in one transaction
# (the `shards` table is the ledger), so an interrupted merge is simply run again.
# Adapt: add #SBATCH lines for your site (--qos, --constraint) and `module load` below.
#SBATCH --job-name=warcpairs-merge
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-merge-%j.out
set -uo pipefail

usage() { sed -n '3,4p' "${BASH_SOURCE[0]}" >&2; echo "merge.sh: $*" >&2; exit 2; }

RUN="" BIN=${WARCPAIRS_BIN:-warcpairs} EXTRA=()
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) usage "unknown argument $1" ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
[ -d "$RUN/shards" ] || { echo "merge.sh: $RUN/shards does not exist: did extract run?" >&2; exit 1; }

echo "merge.sh: job ${SLURM_JOB_ID:-none} merging $RUN"
"$BIN" merge --out "$RUN" "${EXTRA[@]}"
