#!/usr/bin/env bash
# The benchmark suite in one command: builds, installs the npm peers if needed, runs the extract,
# WARC-reader, HTML and merge benchmarks and prints one table of every goal (see BENCHMARKS.md).
# Usage: tools/bench.sh [--quick|--full]   (also the span model, CLIP, score, download and review benchmarks)   --quick: a few minutes, no 2 GB WARC, smaller inputs.
#   env: BUILD_DIR (build there, Release, instead of tools/build.sh's build/), BENCH_DATA (generated
#        WARCs, kept and reused; default build/bench-data), RUNS (best of, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=full
case "${1:-}" in
  --quick) mode=quick ;;
  --full | "") mode=full ;;
  *) echo "usage: tools/bench.sh [--quick|--full]" >&2; exit 2 ;;
esac
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # harmless when not root
runs=${RUNS:-3}

if [ -n "${BUILD_DIR:-}" ]; then
  build=$(realpath -m "$BUILD_DIR")
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARCPAIRS_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target warcpairs warc_read_bench html_extract_bench bare_parse_bench merge_bench >/dev/null
else
  build=$root/build
  bash tools/build.sh -DWARCPAIRS_BENCH=ON >/dev/null
fi
data=$(realpath -m "${BENCH_DATA:-$root/build/bench-data}")
mkdir -p "$data"
if [ ! -d bench/peers/node_modules/warcio ]; then
  (cd bench/peers && npm ci --no-audit --no-fund >/dev/null)
fi
logs=$data/logs/$(date +%Y%m%d-%H%M%S)-$mode
mkdir -p "$logs"

echo "== machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== tree: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' + local changes'), build $build, mode $mode, best of $runs"

stage() {  # stage NAME CMD...: runs one benchmark, its output shown and kept in $logs/NAME.log
  local name=$1; shift
  echo; echo "== $name: $*"
  "$@" 2>&1 | tee "$logs/$name.log"
}
export BUILD_DIR=$build BENCH_DATA=$data RUNS=$runs
stage extract bench/extract/run.sh "--$mode"
if [ -d ../shared/data/warc ]; then
  stage warc-real bench/warc/run.sh  # the real WARC files of shared/data/warc, concatenated
fi
if [ "$mode" = full ] || [ ! -d ../shared/data/warc ]; then
  WARCIO_RUNS=1 stage warc-generated bench/warc/run.sh "$data"/rss-200mb/sample-*.warc.gz
fi
if [ "$mode" = quick ]; then html_s=1 merge_scale=0.25; else html_s=3 merge_scale=1; fi
stage html bench/html/run.sh "$build" "$html_s"
stage merge bench/merge/run.sh "$build" "$data/merge-scratch" "$merge_scale"
rm -rf "$data/merge-scratch"
if [ -f "$build/CMakeCache.txt" ] && grep -q "WARCPAIRS_MODEL:BOOL=ON" "$build/CMakeCache.txt"; then
  stage model bench/model/run.sh "$build" "$data/model"
  stage clip bench/clip/run.sh "$build" "$data/clip" 1 16 "$([ "$mode" = quick ] && echo 3 || echo 10)"
fi
stage score bench/score/run.sh "$build"
BUILD_DIR=$build stage download bench/download/run.sh
PAIRS=$([ "$mode" = quick ] && echo 50000 || echo 200000) stage review bench/review/run.sh "$build"
# index: warcpairs index vs warcio.js on shared/data/warc-real (BENCHMARKS.md, "Index").
if [ -d ../shared/data/warc-real ]; then
  stage index bench/index/run.sh
fi
# Parquet export vs CSV and JSON lines (issue 20): warc-real's pairs copied 5x (quick) or 20x.
stage export bench/export/run.sh "$build" "$data/export" "$([ "$mode" = quick ] && echo 5 || echo 20)" 5

# ---- one table: every goal, from the logs above ----------------------------------------------
echo
echo "== summary ($mode; load now $(cut -d' ' -f1-3 /proc/loadavg); logs in $logs)"
echo "| stage | measure | ours | peer or limit | ratio | goal | holds |"
echo "|---|---|---:|---:|---:|---|---|"
yes_no() { awk -v c="$1" 'BEGIN { print (c) ? "yes" : "NO" }'; }
for log in "$logs"/warc-*.log; do
  [ -f "$log" ] || continue
  name=$(basename "$log" .log)
  t() { awk -F'|' -v p="$1" 'index($2, p) { match($2, /[0-9.]+s *$/); print substr($2, RSTART, RLENGTH - 1) + 0; exit }' "$log"; }
  ours=$(awk -F'|' '/^read all records [0-9]/ { match($1, /[0-9.]+s/); print substr($1, RSTART, RLENGTH - 1); exit }' "$log")
  lib=$(t libdeflate-gunzip); igz=$(t igzip); wio=$(t warcio.js)
  fast=$(awk -v a="$lib" -v b="$igz" 'BEGIN { print (a < b) ? a : b }')
  fname=$(awk -v a="$lib" -v b="$igz" 'BEGIN { print (a < b) ? "libdeflate-gunzip" : "igzip" }')
  r=$(awk -v a="$ours" -v b="$fast" 'BEGIN { printf "%.3f", a / b }')
  echo "| $name | read every record, s | $ours | $fname $fast | $r | ≤ 1.1× fastest decompressor | $(yes_no "$r <= 1.1") |"
  x=$(awk -v a="$ours" -v b="$wio" 'BEGIN { printf "%.1f", b / a }')
  echo "| $name | read every record vs warcio.js (records + payloads), s | $ours | $wio | ${x}× faster | ≥ 5× faster | $(yes_no "$x >= 5") |"
done
awk -F'|' -v OFS='|' '/^\| .* \| .* \| .* \| .* \|$/ && !/^\| measure/ && !/---/ {
    for (i = 2; i <= 5; i++) gsub(/^ +| +$/, "", $i)
    goal = "(limit, for scale)"; holds = "-"
    if ($2 ~ /rate ratio to the bare parse/) { want = ($2 ~ /warc-real/) ? 0.85 : 0.8
      goal = "≥ " want "× bare parse (CPU s)"; holds = ($5 + 0 >= want) ? "yes" : "NO" }
    else if ($2 ~ /bare libxml2 SAX parse of the same pages|MB per CPU-second vs bare/) { goal = "(limit, for scale)" }
    else if ($2 ~ /peak RSS of extract/) { goal = "(report)" }
    else if ($2 ~ /pages\/s \(wall\)|pages per CPU-second/) { goal = "≥ 2300 pages/s per core"; holds = ($3 + 0 >= 2300) ? "yes" : "NO" }
    else if ($2 ~ /^two independent/) { goal = "(limit: what the machine allowed)" }
    else if ($2 ~ /vs two independent|CPU s, user/) { goal = "≈ 1 (report)" }
    else if ($2 ~ /mpirun/) { goal = "speed-up, ideal 2 (report)" }
    else if ($2 ~ /fixed cost/) { goal = "-" }
    else if ($2 ~ /peak RSS one rank/) { goal = "< 1024 MiB"; holds = ($3 + 0 < 1024) ? "yes" : "NO" }
    else if ($2 ~ /peak RSS growth/) { goal = "flat (≤ 1.2×)"; holds = ($5 + 0 <= 1.2) ? "yes" : "NO" }
    print "| extract | " $2 " | " $3 " | " $4 " | " $5 " | " goal " | " holds " |"
  }' "$logs/extract.log"
awk '/^== generated pages/ { g = 1 } g && /bare SAX push.*pages\/s/ {
    split($0, f, "|"); print "| html | HtmlExtractor alone vs bare libxml2 SAX, 50-100 KB pages, pages/s |" f[3] "|" f[4] "|" f[5] "| (limit, for scale) | - |" }' "$logs/html.log"
awk -F'|' '/^\| variant/ {  # columns by name: the merge table has grown columns before
    for (i = 2; i < NF; i++) { h = $i; gsub(/^ +| +$/, "", h); col[h] = i }
    next }
  /^\| (realistic|small) / && ("ours rows/s" in col) {
    v = $2; gsub(/ /, "", v); ours = $(col["ours rows/s"]) + 0; imp = $(col["sqlite3 .import rows/s"]) + 0
    printf "| merge | %s rows, rows/s vs sqlite3 .import | %d | %d | %.2f | ≥ sqlite3 .import | %s |\n", v, ours, imp, ours / imp, (ours >= imp) ? "yes" : "NO"
    printf "| merge | %s rows, rows/s (wall) | %d | 500000 | %.3f | ≥ 500,000 rows/s | %s |\n", v, ours, ours / 500000, (ours >= 500000) ? "yes" : "NO"
    if ("ours rows per CPU-s" in col) { c = $(col["ours rows per CPU-s"]) + 0
      printf "| merge | %s rows, rows per CPU-second | %d | 500000 | %.3f | (report) | - |\n", v, c, c / 500000 }
    for (h in col) if (h ~ /^disk rows/) { d = $(col[h]); gsub(/^ +| +$/, "", d)
      printf "| merge | %s rows, rows/s vs writing the same bytes + fdatasync | %d | %s | %.2f | (limit, for scale) | - |\n", v, ours, d, ours / (d + 0) }
  }' "$logs/merge.log"
[ -f "$logs/model.log" ] && awk -F'|' '
  /^\| (DistilBERT|tiny)/ { m = $2; gsub(/^ +| +$/, "", m)
    printf "| predict | %s, contexts/s on one core |%s|%s| | (report) | - |\n", m, $5, $6
    o = $7; gsub(/^ +| +$/, "", o); printf "| predict | %s, time outside the forward pass | %s | | | < 10 %% | %s |\n", m, o, $8 }
  /^\| 2 \|/ { printf "| train | 1 -> 2 ranks, data-parallel efficiency |%s| | | >= 0.90 |%s|\n", $5, $6 }' "$logs/model.log"
[ -f "$logs/score.log" ] && awk -F'|' '/^\| (score|pure)/ { m = $2; gsub(/^ +| +$/, "", m)
    printf "| score | %s, images/s |%s| | | %s |%s|\n", m, $4, $5, $6 }' "$logs/score.log"
[ -f "$logs/review.log" ] && awk -F'|' '/^\| (first|middle|undecided|accepted)/ { m = $2; gsub(/^ +| +$/, "", m)
    printf "| review | %s: page of 24 at 136k pairs, ms (vs the same SQL) |%s|%s|%s| <= 100 ms | %s |\n", m, $3, $4, $5, (($3 + 0) <= 100 ? "yes" : "NO") }
  /^\| decision/ { printf "| review | decision (POST), ms vs insert + fsync |%s|%s|%s| (report) | - |\n", $3, $4, $5 }' "$logs/review.log"
[ -f "$logs/download.log" ] && awk '/^ratio/ { print "| download | ours vs aria2c -j 16, files/s ratio | " $NF " | | | >= 1x | " (($NF + 0) >= 1 ? "yes" : "NO") " |" }' "$logs/download.log"
