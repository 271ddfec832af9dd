#!/bin/bash
# Slurm batch job: `warcpairs merge`, one task, folds RUN/shards into RUN/warcpairs.sqlite;
# with --analyze, then `warcpairs analyze`: the report in RUN/report (pipeline.sh's analyze).
#
#   sbatch [--time 02:00:00] [--partition P] [--account A] [--dependency afterok:JOBID] \
#     jobs/slurm/merge.sh --run RUN [--bin PATH] [--analyze] [-- MERGE_OPTION...]
#
# Resources: one task on one node; merge has a single SQLite writer, so a few CPUs (readers)
# and modest memory are enough. The database is written in RUN, so RUN must be on a file
# system where SQLite's locking works (most parallel file systems do for one writer; if
# yours does not, merge into node-local disk and copy the database back).
# Safe to rerun and to requeue at any time: each shard is merged once, in one transaction
# (the `shards` table is the ledger), so an interrupted merge is simply run again.
# --analyze: one task, 2 CPUs are plenty too (SQLite queries and gnuplot, which must be on the
# node's PATH: Debian's gnuplot-nox, or a `module load` below); it rewrites the whole report, so
# a rerun or requeue is safe. A merge with nothing new takes a fraction of a second, so the
# report always shows everything merged.
# Adapt: add #SBATCH lines for your site (--qos, --constraint) and `module load` below.
#SBATCH --job-name=warcpairs-merge
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-merge-%j.out
set -uo pipefail

usage() { sed -n '4,5p' "${BASH_SOURCE[0]}" >&2; echo "merge.sh: $*" >&2; exit 2; }

RUN="" BIN=${WARCPAIRS_BIN:-warcpairs} EXTRA=() ANALYZE=0
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --analyze) ANALYZE=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) usage "unknown argument $1" ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
[ -d "$RUN/shards" ] || { echo "merge.sh: $RUN/shards does not exist: did extract run?" >&2; exit 1; }

echo "merge.sh: job ${SLURM_JOB_ID:-none} merging $RUN"
"$BIN" merge --out "$RUN" "${EXTRA[@]}" || exit
((ANALYZE)) || exit 0
echo "merge.sh: the report of $RUN"
"$BIN" analyze --out "$RUN"
