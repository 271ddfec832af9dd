#!/usr/bin/env bash
# Parquet export speed against the CSV and JSON-lines exports of the same pairs: the real pairs of
# ../shared/data/warc-real (extract + merge once into SCRATCH/run, alt texts as descriptions),
# copied to COPIES x, written by each format's writer in one process (export_bench).
# Usage: bench/export/run.sh [BUILD_DIR] [SCRATCH_DIR] [COPIES=20] [ROUNDS=5]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
scratch="${2:-${TMPDIR:-/tmp}/warcpairs_export_bench}"
copies="${3:-20}"
rounds="${4:-5}"
cmake -S "$root" -B "$build" -G Ninja -DWARCPAIRS_BENCH=ON >/dev/null
cmake --build "$build" --target warcpairs export_bench -j2 >/dev/null
if [ ! -f "$scratch/run/warcpairs.sqlite" ]; then
  rm -rf "$scratch/run"
  mkdir -p "$scratch"
  "$build/warcpairs" extract -q --out "$scratch/run" "$root/../shared/data/warc-real" >/dev/null
  "$build/warcpairs" merge -q --out "$scratch/run" >/dev/null
fi
"$build/bench/export/export_bench" "$scratch/run" "$copies" "$rounds"
