#!/usr/bin/env bash
# search's scan on one core (pinned) against a plain sequential read of the same bytes (the
# memory bandwidth one core gets), measured in the same run, interleaved, best of ROUNDS.
# Usage: bench/search/run.sh [BUILD_DIR] [ROWS] [DIM] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
rows="${2:-1000000}"
dim="${3:-512}"
rounds="${4:-5}"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target search_bench -j2 >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 0 "$build/bench/search/search_bench" "$tmp" "$rows" "$dim" "$rounds"
