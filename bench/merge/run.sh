#!/usr/bin/env bash
# Builds and runs the merge benchmark: ours (shards → merge_shard) vs sqlite3 .import of the same rows.
# Usage: bench/merge/run.sh [BUILD_DIR] [SCRATCH_DIR] [SCALE]   (SCALE 1 = 300k + 1.2M rows)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
scratch="${2:-${TMPDIR:-/tmp}/warcpairs_merge_bench}"
scale="${3:-1}"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target merge_bench -j2
sqlite3 --version | cut -d' ' -f1 | sed 's/^/sqlite3 CLI /'
"$build/bench/merge/merge_bench" "$scratch" "$scale"
