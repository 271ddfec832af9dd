#!/bin/bash
# Slurm batch job: `warcpairs analyze`, one task: the report (RUN/report/index.html, summary.json).
#
#   sbatch [--time 01:00:00] [--partition P] [--account A] [--dependency afterok:JOBID] \
#     jobs/slurm/analyze.sh --run RUN [--bin PATH] [-- ANALYZE_OPTION...]
#
# Resources: one task, 2 CPUs (SQLite queries and gnuplot, which must be on the node's PATH:
# Debian's gnuplot-nox, or `module load gnuplot` below). Minutes even for large runs; safe to
# rerun and to requeue (it rewrites the report).
#SBATCH --job-name=warcpairs-analyze
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-analyze-%j.out
set -uo pipefail

usage() { sed -n '4,5p' "${BASH_SOURCE[0]}" >&2; echo "analyze.sh: $*" >&2; exit 2; }

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
[ -f "$RUN/warcpairs.sqlite" ] || { echo "analyze.sh: $RUN/warcpairs.sqlite missing: extract and merge first" >&2; exit 1; }

echo "analyze.sh: job ${SLURM_JOB_ID:-none} (restart ${SLURM_RESTART_COUNT:-0}), run $RUN"
"$BIN" analyze --out "$RUN" "${EXTRA[@]}"
