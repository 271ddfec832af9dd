#!/usr/bin/env bash
# Measures the parameters of the scaling model in SCALING.md on this machine:
#   - extract wall and CPU time at 1, 2 and 4 ranks on the same files (4 ranks are
#     oversubscribed on a 2-core machine), parallel efficiency T1 / (n * Tn);
#   - the fixed cost of one input file (many tiny files vs one file of the same pages);
#   - merge time per row and per shard.
# Prints a table; SCALING.md explains how the numbers enter the formula.
#   tools/scaling.sh [--bin PATH] [--work DIR] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BIN=$root/build/warcpairs WORK=/tmp/warcpairs-scaling RUNS=3
while (($#)); do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: $0 [--bin PATH] [--work DIR] [--runs N]" >&2; exit 2 ;;
  esac
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mkdir -p "$WORK" && cd "$WORK"
gen="python3 $root/tools/gen_sample_warc.py --manifest pages --html-kb-min 15 --html-kb-max 40"
[ -d files ] || $gen --out files --files 8 --size-mb 20 --seed 51 > /dev/null 2>&1
[ -d tiny ] || $gen --out tiny --files 400 --pages 4 --seed 52 > /dev/null 2>&1
[ -d one ] || $gen --out one --files 1 --pages 1600 --seed 52 > /dev/null 2>&1

# best WALL CPU for "extract -np N DIR" over RUNS runs (fresh run folder each time)
measure() {
  local np=$1 dir=$2 best=999999 cpu=0
  for ((r = 0; r < RUNS; r++)); do
    rm -rf run
    /usr/bin/time -f "%e %U %S" -o t.txt mpirun -np "$np" "$BIN" extract -q --out run "$dir" > /dev/null 2>&1
    read -r wall user sys < t.txt
    if awk "BEGIN{exit !($wall < $best)}"; then best=$wall; cpu=$(awk "BEGIN{print $user + $sys}"); fi
  done
  echo "$best $cpu"
}

# The launcher's own start-up, paid once per run whatever the input.
launch() {
  local best=999999
  for ((r = 0; r < RUNS; r++)); do
    /usr/bin/time -f "%e" -o t.txt mpirun -np "$1" "$BIN" --version > /dev/null 2>&1
    best=$(awk "BEGIN{w=$(cat t.txt); print (w < $best) ? w : $best}")
  done
  echo "$best"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
declare -A L
for np in 1 2 4; do L[$np]=$(launch $np); done
echo "mpirun start-up: ${L[1]} s (1 rank), ${L[2]} s (2), ${L[4]} s (4)"
printf '%-34s %10s %10s %12s %12s\n' "measure" "wall s" "CPU s" "efficiency" "net of start"
read -r t1 c1 < <(measure 1 files)
pages=$(sqlite3 -version >/dev/null; rm -rf run; "$BIN" extract -q --out run files | grep -oE '[0-9]+ pages' | head -1 | cut -d' ' -f1)
printf '%-34s %10.2f %10.2f %12s %12s\n' "extract 8 files, 1 rank" "$t1" "$c1" "1.00" "1.00"
for np in 2 4; do
  read -r tn cn < <(measure "$np" files)
  printf '%-34s %10.2f %10.2f %12.2f %12.2f\n' "extract 8 files, $np ranks" "$tn" "$cn" \
    "$(awk "BEGIN{print $t1 / ($np * $tn)}")" "$(awk "BEGIN{print ($t1 - ${L[1]}) / ($np * ($tn - ${L[$np]}))}")"
done
echo "pages in the 8 files: $pages; 1 rank: $(awk "BEGIN{printf \"%.0f\", $pages / $t1}") pages/s"

read -r ttiny _ < <(measure 1 tiny)
read -r tone _ < <(measure 1 one)
printf '%-34s %10.2f\n' "extract 400 tiny files (1,600 pages)" "$ttiny"
printf '%-34s %10.2f\n' "extract 1 file of 1,600 pages" "$tone"
echo "fixed cost per input file: $(awk "BEGIN{printf \"%.1f\", ($ttiny - $tone) / 399 * 1000}") ms"

# Merge: rows of the 8-file run, and the 400 small shards.
rm -rf run && "$BIN" extract -q --out run files > /dev/null
/usr/bin/time -f "%e" -o t.txt "$BIN" merge -q --out run > /dev/null
rows=$(sqlite3 run/warcpairs.sqlite "SELECT (SELECT count(*) FROM pages) + (SELECT count(*) FROM images)")
tm=$(cat t.txt)
printf '%-34s %10.2f   %s rows, %.0f rows/s\n' "merge 8 files" "$tm" "$rows" "$(awk "BEGIN{print $rows / $tm}")"
rm -rf run && "$BIN" extract -q --out run tiny > /dev/null
/usr/bin/time -f "%e" -o t.txt "$BIN" merge -q --out run > /dev/null
rows_tiny=$(sqlite3 run/warcpairs.sqlite "SELECT (SELECT count(*) FROM pages) + (SELECT count(*) FROM images)")
tmt=$(cat t.txt)
printf '%-34s %10.2f   %s rows\n' "merge 400 small shards" "$tmt" "$rows_tiny"
echo "merge cost per shard (beyond its rows): $(awk "BEGIN{printf \"%.1f\", ($tmt - $rows_tiny * $tm / $rows) / 400 * 1000}") ms"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
