#!/usr/bin/env bash
# WARC reading benchmark: our reader (every record, every block byte touched) against bare
# decompression of the same file (libdeflate-gunzip, igzip) and warcio.js, best of RUNS each.
# Usage: bench/warc/run.sh [FILE.warc.gz]   (env: BUILD_DIR, BENCH_DATA=BUILD_DIR/bench-data, RUNS=3,
#        WARCIO_RUNS=RUNS, COPIES=60)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-warc}
runs=${RUNS:-3}
file=${1:-}

if [ -z "$file" ]; then
  # Concatenated gzip WARC files are one valid multi-member WARC file.
  file=${BENCH_DATA:-$build/bench-data}/concat.warc.gz
  if [ ! -s "$file" ]; then
    mkdir -p "$(dirname "$file")"
    for _ in $(seq "${COPIES:-60}"); do cat "$root"/../shared/data/warc/*.warc.gz; done > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
fi
[ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target warc_read_bench >/dev/null
if [ ! -d "$root/bench/peers/node_modules/warcio" ]; then
  (cd "$root/bench/peers" && npm install --no-audit --no-fund >/dev/null)
fi

# Rounds interleave ours and the decompressors, so a load change on a shared machine hits
# all of them alike; each keeps its best time.
elapsed() {  # wall seconds of a shell command
  local t0 t1
  t0=$(date +%s.%N); bash -c "$1" >/dev/null; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

cat "$file" >/dev/null  # warm the page cache for everyone
size=$(stat -c %s "$file")
ours="" ours_http="" libdeflate="" igzip=""
for _ in $(seq "$runs"); do
  ours_line=$("$build/bench/warc/warc_read_bench" "$file" 1 --http)
  ours=$(min "$ours" "$(echo "$ours_line" | field best_s)")
  ours_http=$(min "$ours_http" "$(echo "$ours_line" | field http_s)")
  libdeflate=$(min "$libdeflate" "$(elapsed "libdeflate-gunzip -c '$file' > /dev/null")")
  igzip=$(min "$igzip" "$(elapsed "igzip -d -c '$file' > /dev/null")")
done
warcio_line=$(node "$root/bench/peers/warcio_read.mjs" "$file" "${WARCIO_RUNS:-$runs}")
warcio=$(echo "$warcio_line" | field best_s)

echo "file: $file ($size bytes); ours: $ours_line"
echo "warcio.js: $warcio_line"
printf '%-44s | %-34s | %s\n' "ours" "peer" "ratio (ours/peer)"
row() { printf '%-44s | %-34s | %.3f\n' "$1 ${2}s" "$3 ${4}s" "$(awk -v a="$2" -v b="$4" 'BEGIN { print a / b }')"; }
row "read all records" "$ours" "libdeflate-gunzip -c" "$libdeflate"
row "read all records" "$ours" "igzip -d -c" "$igzip"
row "read all records" "$ours" "warcio.js records+payloads" "$warcio"
row "read all records + HTTP parse/decode" "$ours_http" "warcio.js records+payloads" "$warcio"
