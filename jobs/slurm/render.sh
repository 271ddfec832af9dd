#!/bin/bash
# Slurm batch job: `warcpairs render` on many nodes, one rank (and one headless Chromium) per
# 2 cores by default; requeues itself on USR1.
#
#   sbatch --nodes=4 --time=12:00:00 [--partition P] [--account A] [--ntasks-per-node N] \
#     jobs/slurm/render.sh --run RUN --vocab VOCAB --warc-list FILE [--bin PATH] \
#     [--launcher srun|mpirun] [--index DIR] [INPUT...] [-- RENDER_OPTION...]
#
# Resources: whole nodes. Each rank drives one Chromium, whose renderer and GPU-less
# compositor take about one more core and ~710 MB (PSS after 100 real pages in its one kept
# renderer, BENCHMARKS.md; 300-600 MB with --isolate-pages), so ranks per node = the job's
# --ntasks-per-node if given, else half the CPUs Slurm gives the node. Every rank holds the
# CDXJ index of all inputs in memory (about 300 bytes a capture); for very large inputs build it
# once with `warcpairs index --out DIR` and pass --index DIR.
# Chromium must be installed on the compute nodes (Debian: chromium; env/install-debian.sh) or
# inside the container that --bin runs. Nothing is fetched from the network: every request is
# answered from the WARC files, so compute nodes without outside access are fine.
#
# Stopping and resuming as jobs/slurm/extract.sh: 120 s before the limit USR1 reaches the
# ranks, each finishes its current page, keeps its committed shard parts and exits 75; the
# job requeues itself and the same command goes on after the last committed part of each file.
# Under srun, Slurm signals every process of the step, so USR1 (and scancel's TERM) reaches each
# rank's Chromium too and ends it: the page then in flight is not recorded (its part is dropped)
# and is rendered again by the requeued job (tests/e2e/slurm_test.sh, section 2c).
#SBATCH --job-name=warcpairs-render
#SBATCH --nodes=1
#SBATCH --exclusive
#SBATCH --mem=0
#SBATCH --requeue
#SBATCH --signal=B:USR1@120
#SBATCH --open-mode=append
#SBATCH --output=warcpairs-render-%j.out
set -uo pipefail

usage() { sed -n '5,7p' "${BASH_SOURCE[0]}" >&2; echo "render.sh: $*" >&2; exit 2; }

RUN="" VOCAB="" INDEX="" BIN=${WARCPAIRS_BIN:-warcpairs} LAUNCHER=srun INPUTS=() EXTRA=()
while (($#)); do
  case $1 in
    --run) RUN=${2:?}; shift 2 ;;
    --vocab) VOCAB=${2:?}; shift 2 ;;
    --index) INDEX=${2:?}; shift 2 ;;
    --warc-list) INPUTS+=("@${2:?}"); shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    --launcher) LAUNCHER=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -*) usage "unknown option $1" ;;
    *) INPUTS+=("$1"); shift ;;
  esac
done
[ -n "$RUN" ] || usage "--run RUN is required"
[ -n "$VOCAB" ] || usage "--vocab VOCAB (a WordPiece vocab.txt) is required"
((${#INPUTS[@]})) || usage "give --warc-list FILE or input files"
[[ $LAUNCHER == srun || $LAUNCHER == mpirun ]] || usage "--launcher is srun or mpirun, not $LAUNCHER"
[ -n "${SLURM_JOB_ID:-}" ] || usage "submit with sbatch (or run inside salloc)"
mkdir -p "$RUN/shards" || exit 1
RUN=$(cd "$RUN" && pwd)
[ -z "$INDEX" ] || EXTRA=(--index "$INDEX" "${EXTRA[@]}")

CPUS=${SLURM_CPUS_ON_NODE:-2}
CPUS=${CPUS%%(*}
PER_NODE=${SLURM_NTASKS_PER_NODE:-$(( CPUS / 2 > 0 ? CPUS / 2 : 1 ))}
PER_NODE=${PER_NODE%%(*}
NODES=${SLURM_JOB_NUM_NODES:-1}
NTASKS=$((PER_NODE * NODES))
echo "render.sh: job $SLURM_JOB_ID (restart ${SLURM_RESTART_COUNT:-0}) on $NODES node(s) x $PER_NODE ranks, launcher $LAUNCHER, run $RUN"

GOT_USR1=0
STEP_PID=""
on_usr1() {
  GOT_USR1=1
  echo "render.sh: USR1 received: asking the ranks to stop after their current page"
  [ -z "$STEP_PID" ] || kill -USR1 "$STEP_PID" 2>/dev/null
}
trap on_usr1 USR1

case $LAUNCHER in
  srun) LAUNCH=(srun --mpi=pmix --ntasks="$NTASKS" --ntasks-per-node="$PER_NODE" --kill-on-bad-exit=1) ;;
  mpirun) LAUNCH=(mpirun -np "$NTASKS" --map-by "ppr:$PER_NODE:node" --mca odls_base_sigkill_timeout 10) ;;
esac

rm -f -- "$RUN/render.stopped"
"${LAUNCH[@]}" "$BIN" render --out "$RUN" --vocab "$VOCAB" "${INPUTS[@]}" "${EXTRA[@]}" &
STEP_PID=$!
while :; do
  wait "$STEP_PID"; rc=$?
  ((rc > 128)) && kill -0 "$STEP_PID" 2>/dev/null && continue
  break
done
echo "render.sh: launcher exited $rc"

if ((rc != 0 && rc != 75)) && [ -e "$RUN/render.stopped" ]; then
  echo "render.sh: the ranks were stopped by a signal ($RUN/render.stopped): exit 75, not $rc"
  rc=75
fi
if ((rc == 75)) && ((GOT_USR1)); then
  echo "render.sh: stopped by USR1 after saving progress: requeueing job $SLURM_JOB_ID"
  scontrol requeue "$SLURM_JOB_ID" || { echo "render.sh: scontrol requeue failed" >&2; exit 75; }
  exit 75
fi
exit "$rc"
