#!/usr/bin/env bash
# CLIP speed, one command: image embeddings/s (and text embeddings/s, 20-token texts) through
# ClipScorer on the CPU with one intra-op thread, for a random-weight checkpoint of
# openai/clip-vit-base-patch32's sizes (vision 12 × 768, patch 32, 224 px; text 12 × 512) and for
# the tiny test model. Weights are random: speed does not depend on them. Besides wall-clock
# rates it prints rates per second of the process's CPU time, which a loaded machine does not skew.
# Usage: bench/clip/run.sh [BUILD_DIR] [SCRATCH] [THREADS=1] [BATCH=16] [SECONDS=10]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
work="${2:-${BENCH_DATA:-$root/build/bench-data}/clip}"
mkdir -p "$work"
cmake --build "$build" --target clip_bench >/dev/null
# Debian's LibTorch multiplies matrices with OpenBLAS (pthreads), which keeps its own thread pool:
# pin it too, or "1 thread" is not one core. CPU-time columns show what the process really used.
threads="${3:-1}"
OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads \
  "$build/bench/clip/clip_bench" "$work" "$threads" "${4:-16}" "${5:-10}" 20
