#!/usr/bin/env bash
# `warcpairs index` against warcio.js's `cdx-index` (its CLI, the same CDXJ fields) and an
# iterate-every-record indexer on warcio.js (tests/e2e/cdxj_reference.mjs), with bare gzip
# decompression of the same files (libdeflate-gunzip) as the limit; whole processes, wall time,
# best of RUNS, rounds interleaved so load changes hit all alike.
# Usage: bench/index/run.sh [FILE_OR_DIR...]   (default: shared/data/warc-real; env BUILD_DIR=build, RUNS=5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
runs=${RUNS:-5}
[ $# -gt 0 ] || set -- "$root/../shared/data/warc-real"
files=$(find "$@" -name '*.warc.gz' -o -name '*.warc' | sort | tr '\n' ' ')
[ -x "$build/warcpairs" ] || { echo "build warcpairs first ($build/warcpairs)" >&2; exit 1; }
if [ ! -d "$root/bench/peers/node_modules/warcio" ]; then
  (cd "$root/bench/peers" && npm ci --no-audit --no-fund >/dev/null)
fi
warcio="$root/bench/peers/node_modules/warcio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

elapsed() {  # wall seconds of a shell command
  local t0 t1
  t0=$(date +%s.%N); bash -c "$1" >/dev/null 2>&1; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

cat $files > /dev/null  # warm the page cache for everyone
bytes=$(cat $files | wc -c)
tiny="$root/../shared/data/warc/wio-post-test.warc.gz"  # 6 records: the start-up cost
ours="" cli="" iter="" gunzip="" start=""
for _ in $(seq "$runs"); do
  ours=$(min "$ours" "$(elapsed "rm -rf '$work/run' && '$build/warcpairs' index --out '$work/run' $files")")
  cli=$(min "$cli" "$(elapsed "node '$warcio/dist/cli.js' cdx-index $files > '$work/cli.cdxj'")")
  iter=$(min "$iter" "$(elapsed "node '$root/tests/e2e/cdxj_reference.mjs' '$warcio/dist/index.js' $files > '$work/ref.cdxj'")")
  gunzip=$(min "$gunzip" "$(elapsed "for f in $files; do libdeflate-gunzip -c \"\$f\"; done")")
  start=$(min "$start" "$(elapsed "rm -rf '$work/tiny' && '$build/warcpairs' index --out '$work/tiny' '$tiny'")")
done
records=$(sed -n 's/.*"records":\([0-9]*\).*/\1/p' "$work/run/index-stats.json")
lines=$(wc -l < "$work/run/index.cdxj")
same=$(cmp -s "$work/run/index.cdxj" "$work/ref.cdxj" && echo "identical" || echo "DIFFERENT")
echo "files: $(echo $files | wc -w), $bytes bytes, $records records, $lines index lines (ours vs the warcio.js indexer: $same)"
echo "start-up of warcpairs index (MPI init, run lock; one 6-record file): ${start}s, included in its times below"
printf '%-40s | %-44s | %s\n' "ours" "peer or limit" "ratio (peer time / ours)"
row() {
  printf '%-40s | %-44s | %.2f\n' \
    "$(awk -v t="$2" -v r="$records" -v b="$bytes" 'BEGIN { printf "%s %.3fs (%.0f rec/s, %.1f MB/s)", "'"$1"'", t, r / t, b / t / 1e6 }')" \
    "$(awk -v t="$4" -v r="$records" -v b="$bytes" 'BEGIN { printf "%s %.3fs (%.0f rec/s)", "'"$3"'", t, r / t }')" \
    "$(awk -v a="$2" -v b="$4" 'BEGIN { print b / a }')"
}
row "warcpairs index" "$ours" "warcio.js cdx-index" "$cli"
row "warcpairs index" "$ours" "warcio.js iterate + index (.mjs)" "$iter"
row "warcpairs index" "$ours" "libdeflate-gunzip (limit)" "$gunzip"
