#!/usr/bin/env bash
# extract benchmark: `warcpairs extract` WARC → shards on one pinned core (pages/s, MB/s) against
# the bare libxml2 SAX parse of the same pages and bare decompression of the same file; the MPI
# speed-up of -np 2 over -np 1; peak RSS of one rank on a ~200 MB and (--full) a ~2 GB WARC.
# First, and alone with --cpu: extract's CPU seconds (its own `cpu_seconds`: getrusage around
# the work, process start and MPI init excluded) against bare_parse_bench (a libxml2 SAX push
# parse with empty callbacks of exactly the pages extract parses, thread CPU seconds) on the
# real pages of ../shared/data/warc-real and on the generated 26 KB pages, interleaved
# CPU_RUNS times; the ratio of rates of each pair, their median and range; peak RSS.
# Usage: bench/extract/run.sh [--quick|--full|--cpu]
#   env: BUILD_DIR (default build), BENCH_DATA (default build/bench-data, generated WARCs are kept
#        and reused there), RUNS (best of, default 3), CPU_RUNS (default 5), REAL_DIR (default
#        ../shared/data/warc-real), WARCPAIRS (the binary measured; default BUILD_DIR's), SIZE_MB (each speed-test file, default 40; 15 with --quick),
#        SAX_SECONDS (default 2), GEN_ONLY=1 (generate the data and stop),
#        BASELINE (with --cpu: a warcpairs built before main-content detection, e.g. from commit
#        a4e046c; extract's CPU seconds on warc-real with and without detection, interleaved)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mode=full
case "${1:-}" in
  --quick) mode=quick ;;
  --full | "") mode=full ;;
  --cpu) mode=cpu ;;
  *) echo "usage: bench/extract/run.sh [--quick|--full|--cpu]" >&2; exit 2 ;;
esac
build=${BUILD_DIR:-$root/build}
data=${BENCH_DATA:-$root/build/bench-data}
runs=${RUNS:-3}
if [ "$mode" = full ]; then size=${SIZE_MB:-40}; else size=${SIZE_MB:-15}; fi
cpu_runs=${CPU_RUNS:-5}
real_dir=${REAL_DIR:-$root/../shared/data/warc-real}
sax_seconds=${SAX_SECONDS:-2}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # harmless when not root

[ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target warcpairs html_extract_bench bare_parse_bench -j2 >/dev/null
wp=${WARCPAIRS:-$build/warcpairs}  # WARCPAIRS: another build's binary (e.g. before a change)
[ -x "$wp" ] || wp=$build/src/cli/warcpairs
sax_bench=$build/bench/html/html_extract_bench
bare_bench=$build/bench/extract/bare_parse_bench
for tool in igzip /usr/bin/time taskset mpirun; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (bash env/install-debian.sh)" >&2; exit 1; }
done

# gen NAME ARGS...: generated once into $data/NAME (a .done marker makes it reusable), then kept.
gen() {
  local name=$1; shift
  if [ ! -f "$data/$name/.done" ]; then
    echo "generating $data/$name (once; reused by later runs)" >&2
    rm -rf "$data/$name"; mkdir -p "$data/$name"
    /usr/bin/python3 "$root/tools/gen_sample_warc.py" --out "$data/$name" --manifest pages "$@" >/dev/null
    touch "$data/$name/.done"
  fi
}
gen "pages26k-${size}mb" --files 2 --size-mb "$size" --seed 26 --html-kb-min 15 --html-kb-max 40 --jobs 2
[ "$mode" = cpu ] || gen "pages75k-${size}mb" --files 1 --size-mb "$size" --seed 75 --html-kb-min 50 --html-kb-max 100 --jobs 1
[ "$mode" = cpu ] || gen "tiny" --files 1 --pages 1 --size-mb 1 --seed 1 --jobs 1
[ "$mode" = cpu ] || gen "rss-200mb" --files 1 --size-mb 200 --seed 200 --jobs 1
[ "$mode" = full ] && gen "rss-2000mb" --files 1 --size-mb 2000 --seed 2000 --jobs 1
[ "${GEN_ONLY:-0}" = 1 ] && exit 0

scratch=$(mktemp -d "${TMPDIR:-/tmp}/warcpairs_extract_bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
json() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }
# HTML bytes and page count of a WARC, from the generator's manifest (not from warcpairs).
html_stats() {
  /usr/bin/python3 -c "import json,sys; p=json.load(open(sys.argv[1]))['pages']
print(sum(x['html_bytes'] for x in p), len(p))" "$1.manifest.json"
}

# run_extract OUT TIMEFILE CMD...: wall/user/sys seconds and peak RSS (KiB) of one extract run.
run_extract() {
  local out=$1 tf=$2; shift 2
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" extract -q --out "$out" "${inputs[@]}" >"$out.log" 2>&1 ||
    { cat "$out.log" >&2; echo "extract failed: $*" >&2; exit 1; }
}

loadavg() { echo "load average before $1: $(cut -d' ' -f1-3 /proc/loadavg)" >&2; }

# --- CPU seconds of extract vs the bare parse of the same pages, one pinned core ---------------
# cpu_ratio LABEL FILES...: CPU_RUNS rounds, each one extract process (taskset -c 0, peak RSS
# from /usr/bin/time) then one bare parse of the same files; ratio = extract's pages per
# CPU-second / the bare parse's (both over the same pages and bytes) within each round.
cpu_ratio() {
  local label=$1; shift
  local ratios=() e_min="" b_min="" rss_max=0 e b pages bpages bytes line kib
  inputs=("$@")
  for _ in $(seq "$cpu_runs"); do
    rm -rf "$scratch/cpu"
    /usr/bin/time -f "%e %U %S %M" -o "$scratch/t" taskset -c 0 "$wp" extract -q --out "$scratch/cpu" \
      "${inputs[@]}" >"$scratch/cpu.log" 2>&1 || { cat "$scratch/cpu.log" >&2; exit 1; }
    kib=$(cut -d' ' -f4 "$scratch/t"); [ "$kib" -gt "$rss_max" ] && rss_max=$kib
    e=$(json "$scratch/cpu/extract-stats.json" cpu_seconds)
    pages=$(json "$scratch/cpu/extract-stats.json" pages)
    line=$(taskset -c 0 "$bare_bench" --rounds 1 "${inputs[@]}")
    bpages=$(echo "$line" | sed -n 's/.*pages=\([0-9]*\).*/\1/p')
    bytes=$(echo "$line" | sed -n 's/.*html_bytes=\([0-9]*\).*/\1/p')
    b=$(echo "$line" | sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p')
    ratios+=("$(div "$b" "$e")")
    e_min=$(min "$e_min" "$e"); b_min=$(min "$b_min" "$b")
  done
  local sorted med
  sorted=$(printf '%s\n' "${ratios[@]}" | sort -g)
  med=$(echo "$sorted" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  echo "| $label: pages per CPU-second vs bare libxml2 SAX parse of the same pages (fastest runs) | $(awk -v p="$pages" -v t="$e_min" 'BEGIN { printf "%.0f", p / t }') | $(awk -v p="$bpages" -v t="$b_min" 'BEGIN { printf "%.0f", p / t }') | $(div "$b_min" "$e_min") |"
  echo "| $label: HTML MB per CPU-second vs bare parse (fastest runs) | $(awk -v b="$bytes" -v t="$e_min" 'BEGIN { printf "%.1f", b / t / 1e6 }') | $(awk -v b="$bytes" -v t="$b_min" 'BEGIN { printf "%.1f", b / t / 1e6 }') | $(div "$b_min" "$e_min") |"
  echo "| $label: rate ratio to the bare parse, median of $cpu_runs interleaved pairs (range $(echo "$sorted" | head -1)-$(echo "$sorted" | tail -1)) | - | - | $(printf %.3f "$med") |"
  echo "| $label: peak RSS of extract (/usr/bin/time %M, largest of $cpu_runs): MiB | $(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }') | - | - |"
  echo "cpu: $label: extract pages $pages, bare parse pages $bpages, HTML $bytes bytes; extract cpu_seconds min $e_min s, bare parse min $b_min s; ratios ${ratios[*]}" >&2
  [ "$pages" = "$bpages" ] || echo "WARNING: $label: extract stored $pages pages, the bare parse parsed $bpages" >&2
}
loadavg "CPU-second runs"
printf '\n| measure (one core: taskset -c 0; CPU seconds, process start excluded) | ours | bare parse | ratio |\n|---|---:|---:|---:|\n'
real_files=("$real_dir"/*.warc.gz)
[ -f "${real_files[0]}" ] || { echo "missing: $real_dir/*.warc.gz (the real pages)" >&2; exit 1; }
cat "${real_files[@]}" >/dev/null
cpu_ratio "warc-real (990 real pages)" "${real_files[@]}"
cpu_ratio "$(html_stats "$data/pages26k-${size}mb/sample-26-00000.warc.gz" | awk '{ printf "%.1f", $1 / $2 / 1024 }') KB generated pages" \
  "$data/pages26k-${size}mb"/sample-*-00000.warc.gz

# --- main-content detection: extract (default --context-from main; and --page-text main) against
# BASELINE, a build without detection, on warc-real: CPU_RUNS interleaved rounds on one core;
# ratio = BASELINE's CPU seconds / ours (rates: 1 = detection costs nothing; goal >= 0.9).
main_content_cost() {
  local r_def=() r_txt=() c_def c_txt c_base
  cpu_of_extract() {  # BINARY ARGS...: extract's cpu_seconds on the real pages, one core
    local bin=$1; shift
    rm -rf "$scratch/mc"
    taskset -c 0 "$bin" extract -q "$@" --out "$scratch/mc" "${real_files[@]}" >"$scratch/mc.log" 2>&1 ||
      { cat "$scratch/mc.log" >&2; exit 1; }
    json "$scratch/mc/extract-stats.json" cpu_seconds
  }
  for _ in $(seq "$cpu_runs"); do
    c_base=$(cpu_of_extract "$BASELINE")
    c_def=$(cpu_of_extract "$wp")
    c_txt=$(cpu_of_extract "$wp" --page-text main)
    r_def+=("$(div "$c_base" "$c_def")"); r_txt+=("$(div "$c_base" "$c_txt")")
    echo "main-content cost: cpu_seconds baseline $c_base, default $c_def, --page-text main $c_txt" >&2
  done
  median_range() {
    local sorted; sorted=$(printf '%s\n' "$@" | sort -g)
    echo "$sorted" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f (range %s-%s)", m, v[1], v[NR] }'
  }
  echo "| warc-real: extract with main-content detection (default --context-from main) vs without (BASELINE), CPU-second rate, median of $cpu_runs | - | - | $(median_range "${r_def[@]}") |"
  echo "| warc-real: the same with --page-text main (main text stored) vs without detection | - | - | $(median_range "${r_txt[@]}") |"
}
if [ -n "${BASELINE:-}" ]; then
  [ -x "$BASELINE" ] || { echo "BASELINE=$BASELINE is not an executable" >&2; exit 1; }
  main_content_cost
fi
[ "$mode" = cpu ] && exit 0
loadavg "one-core runs"
# --- one pinned core, best of $runs, interleaved with bare decompression of the same file -----
declare -A wall cpu dec
sets=("pages26k-${size}mb" "pages75k-${size}mb")
for set in "${sets[@]}"; do cat "$data/$set"/*.warc.gz >/dev/null; done  # warm the page cache
for _ in $(seq "$runs"); do
  for set in "${sets[@]}"; do
    inputs=("$data/$set"/sample-*-00000.warc.gz)
    run_extract "$scratch/one" "$scratch/t" taskset -c 0 "$wp"
    read -r w u s _ <"$scratch/t"
    wall[$set]=$(min "${wall[$set]:-}" "$w")
    cpu[$set]=$(min "${cpu[$set]:-}" "$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
    /usr/bin/time -f "%e" -o "$scratch/t" taskset -c 0 igzip -d -c "${inputs[0]}" >/dev/null
    dec[$set]=$(min "${dec[$set]:-}" "$(cat "$scratch/t")")
  done
done

printf '\n| measure (one core: taskset -c 0, best of %s) | ours | peer or limit | ratio |\n|---|---:|---:|---:|\n' "$runs"
for set in "${sets[@]}"; do
  file=$(ls "$data/$set"/sample-*-00000.warc.gz)
  read -r html_bytes pages < <(html_stats "$file")
  bytes=$(stat -c %s "$file")
  kb=$(awk -v b="$html_bytes" -v n="$pages" 'BEGIN { printf "%.1f", b / n / 1024 }')
  label="${kb} KB avg pages"
  pps=$(div "$pages" "${wall[$set]}")
  ppc=$(div "$pages" "${cpu[$set]}")
  sax_line=$(taskset -c 0 "$sax_bench" --seconds "$sax_seconds" "$file")
  sax_pps=$(echo "$sax_line" | awk -F'|' '/bare SAX push.*pages\/s/ { gsub(/ /, "", $3); print $3 }')
  sax_mbs=$(echo "$sax_line" | awk -F'|' '/bare SAX push.*MB\/s/ { gsub(/ /, "", $3); print $3 }')
  sax_kb=$(echo "$sax_line" | sed -n 's/.*average size \([0-9.]*\) KB.*/\1/p')
  echo "| $label: pages/s (wall) | $(printf %.0f "$pps") | goal 2300 | $(div "$pps" 2300) |"
  echo "| $label: pages per CPU-second (user+sys) | $(printf %.0f "$ppc") | goal 2300 | $(div "$ppc" 2300) |"
  echo "| $label: HTML MB/s vs bare libxml2 SAX parse (${sax_kb} KB avg, identity-coded pages) | $(awk -v b="$html_bytes" -v t="${wall[$set]}" 'BEGIN { printf "%.1f", b / t / 1e6 }') | $sax_mbs | $(awk -v b="$html_bytes" -v t="${wall[$set]}" -v s="$sax_mbs" 'BEGIN { printf "%.3f", b / t / 1e6 / s }') |"
  echo "| $label: pages/s vs bare libxml2 SAX parse | $(printf %.0f "$pps") | $(printf %.0f "$sax_pps") | $(div "$pps" "$sax_pps") |"
  echo "| $label: WARC MB/s vs igzip -d of the same file | $(awk -v b="$bytes" -v t="${wall[$set]}" 'BEGIN { printf "%.1f", b / t / 1e6 }') | $(awk -v b="$bytes" -v t="${dec[$set]}" 'BEGIN { printf "%.1f", b / t / 1e6 }') | $(div "${dec[$set]}" "${wall[$set]}") |"
  echo "files: $set: $(basename "$file") $bytes bytes, $pages pages, HTML $html_bytes bytes; extract best wall ${wall[$set]} s, cpu ${cpu[$set]} s; igzip ${dec[$set]} s" >&2
done

# Fixed cost of one process (MPI singleton init, shard open/fsync/rename): a 1-page WARC.
inputs=("$data/tiny"/sample-*.warc.gz)
fixed=""
for _ in $(seq "$runs"); do
  run_extract "$scratch/tiny" "$scratch/t" taskset -c 0 "$wp"
  fixed=$(min "$fixed" "$(cut -d' ' -f1 "$scratch/t")")
done
echo "| fixed cost per process (1-page WARC): wall s, included in the rows above | $fixed | - | - |"

# --- MPI: -np 1 vs -np 2 over the two files of the 26 KB set, best of $runs, interleaved ------
# On a shared machine other load takes cores away, so each round also runs the same two files as
# two independent processes pinned to cores 0 and 1: the speed-up the machine allows right now.
inputs=("$data/pages26k-${size}mb"/sample-*.warc.gz)
pair_run() {  # two plain extract processes, one file each, wall time of both in $scratch/t
  rm -rf "$scratch/pair0" "$scratch/pair1"
  /usr/bin/time -f "%e %U %S" -o "$scratch/t" bash -c '
    taskset -c 0 "$0" extract -q --out "$1" "$2" >/dev/null 2>&1 & p=$!
    taskset -c 1 "$0" extract -q --out "$3" "$4" >/dev/null 2>&1 || exit 1
    wait $p' "$wp" "$scratch/pair0" "${inputs[0]}" "$scratch/pair1" "${inputs[1]}"
}
cpu_of() { awk '{ print $2 + $3 }' "$1"; }
loadavg "MPI runs"
t1="" t2="" tp="" c1="" c2=""
for _ in $(seq "$runs"); do
  run_extract "$scratch/np1" "$scratch/t" mpirun -np 1 --oversubscribe "$wp"
  t1=$(min "$t1" "$(cut -d' ' -f1 "$scratch/t")"); c1=$(min "$c1" "$(cpu_of "$scratch/t")")
  run_extract "$scratch/np2" "$scratch/t" mpirun -np 2 --oversubscribe "$wp"
  t2=$(min "$t2" "$(cut -d' ' -f1 "$scratch/t")"); c2=$(min "$c2" "$(cpu_of "$scratch/t")")
  if [ "$(nproc)" -ge 2 ]; then pair_run; tp=$(min "$tp" "$(cut -d' ' -f1 "$scratch/t")"); fi
done
pages=$(json "$scratch/np2/extract-stats.json" pages)
echo "| mpirun -np 2 vs -np 1, 2 files, $pages pages: wall s (ratio = speed-up; ideal 2 on $(nproc) cores) | $t2 | $t1 | $(div "$t1" "$t2") |"
if [ -n "$tp" ]; then
  echo "| two independent pinned processes vs mpirun -np 1, same files: wall s (speed-up the shared machine allowed) | $tp | $t1 | $(div "$t1" "$tp") |"
  echo "| mpirun -np 2 vs two independent pinned processes: wall s (1 = MPI costs nothing) | $t2 | $tp | $(div "$tp" "$t2") |"
fi
echo "| mpirun -np 2 vs -np 1: CPU s, user+sys of all processes (1 = no parallel overhead) | $c2 | $c1 | $(div "$c1" "$c2") |"

# --- peak RSS of one rank as the WARC grows -------------------------------------------------
rss_sets=(rss-200mb)
[ "$mode" = full ] && rss_sets+=(rss-2000mb)
first_rss=""
loadavg "RSS runs"
for set in "${rss_sets[@]}"; do
  inputs=("$data/$set"/sample-*.warc.gz)
  run_extract "$scratch/rss" "$scratch/t" "$wp"
  read -r w _ _ kib <"$scratch/t"
  mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
  mb=$(awk -v b="$(stat -c %s "${inputs[0]}")" 'BEGIN { printf "%.0f", b / 1e6 }')
  pages=$(json "$scratch/rss/extract-stats.json" pages)
  echo "| peak RSS one rank, $mb MB WARC ($pages pages, ${w} s): MiB | $mib | limit 1024 | $(div "$mib" 1024) |"
  if [ -z "$first_rss" ]; then first_rss=$mib; first_mb=$mb; else
    echo "| peak RSS growth, $mb MB vs $first_mb MB WARC | $mib | $first_rss | $(div "$mib" "$first_rss") (flat = 1) |"
  fi
done
