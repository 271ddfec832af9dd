#!/usr/bin/env bash
# review: how fast the page answers on a large run, next to the database work it needs.
# Builds a run of ~PAIRS pairs (a generated WARC, extract, merge, then rows copied in SQL up to
# PAIRS, random CLIP scores, 10 % decided), starts `warcpairs review` pinned to one core and
# times, from the other core: pages of 24 pairs (filters and orders) and decisions, against the
# same SQL run directly on the same database by Python's sqlite3 (the same SQLite library), and
# fsync'd single-row transactions (the floor of a durable decision).
# Usage: bench/review/run.sh [BUILD_DIR]   (env: PAIRS=200000, RUNS=3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${1:-${BUILD_DIR:-$root/build}}")
cmake --build "$build" --target warcpairs >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/warcpairs-review-bench-XXXXXX")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
/usr/bin/python3 "$root/tools/gen_sample_warc.py" --out warcs --files 1 --size-mb 4 >/dev/null
"$build/warcpairs" extract -q --out run warcs/*.warc.gz >/dev/null
"$build/warcpairs" merge -q --out run >/dev/null
/usr/bin/python3 "$root/bench/review/bench.py" grow run/warcpairs.sqlite "${PAIRS:-200000}"
taskset -c 0 "$build/warcpairs" review -q --out run --url-file url.txt >review.log 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s url.txt ] && break; sleep 0.1; done
[ -s url.txt ] || { cat review.log; exit 1; }
taskset -c 1 /usr/bin/python3 "$root/bench/review/bench.py" measure run/warcpairs.sqlite "$(cat url.txt)" "${RUNS:-3}"
