#!/usr/bin/env bash
# Language identification speed on the 990 real pages of shared/data/warc-real: lang_bench
# (CLD2 alone and inside HtmlExtractor, one core, CPU time), then the whole extract stage
# (one rank) with and without --no-language-id, RUNS (5) runs each, alternately; CPU seconds
# (user + system) compared as best of each, median of each, and each adjacent on/off pair
# (wall time on this shared machine is noise).
# Usage: [RUNS=N] bench/lang/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
seconds="${2:-3}"
data="$root/../shared/data/warc-real"
cmake --build "$build" --target lang_bench warcpairs -j2 >/dev/null
echo "== lang_bench on $data/*.warc.gz"
"$build/bench/lang/lang_bench" --seconds "$seconds" "$data"/*.warc.gz

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
runs="${RUNS:-5}"
ons=() offs=()
for ((i = 1; i <= runs; ++i)); do
  for mode in on off; do
    rm -rf "$tmp/run"
    flag=(); [[ $mode == off ]] && flag=(--no-language-id)
    s=$( { /usr/bin/time -f '%U %S' "$build/warcpairs" extract --quiet --out "$tmp/run" "${flag[@]}" \
           "$data"/*.warc.gz >/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    if [[ $mode == on ]]; then ons+=("$s"); else offs+=("$s"); fi
  done
done
echo
echo "== warcpairs extract (1 rank, 990 pages), $runs runs each, on and off alternately, CPU seconds (user + system)"
echo "| measure | language id on | off (--no-language-id) | share of on |"
echo "|---|---|---|---|"
python3 - "${ons[*]}" "${offs[*]}" <<'PY'
import statistics, sys
on = [float(x) for x in sys.argv[1].split()]
off = [float(x) for x in sys.argv[2].split()]
share = lambda a, b: 100 * (a - b) / a
print(f"| extract CPU s, best of {len(on)} | {min(on):.2f} | {min(off):.2f} | {share(min(on), min(off)):.1f} % |")
print(f"| extract CPU s, median | {statistics.median(on):.2f} | {statistics.median(off):.2f} | "
      f"{share(statistics.median(on), statistics.median(off)):.1f} % |")
pairs = sorted(share(a, b) for a, b in zip(on, off))
print(f"| share in each on/off pair (sorted) | - | - | {', '.join(f'{x:.1f}' for x in pairs)} % |")
PY

# The same share from inside single runs, robust to the machine's load (the on/off difference
# above subtracts two noisy totals): perf's samples of extract with language id on; per run,
# the share in CLD2's library (self); in one run with call graphs, CLD2's calls with all they
# call (malloc, the kernel), the share language identification costs.
if command -v perf >/dev/null && perf record -q -o "$tmp/probe" true >/dev/null 2>&1; then
  echo
  echo "== perf: share of extract's CPU samples in CLD2 (language id on)"
  echo "| run | samples | in libcld2 (self) | CLD2 calls incl. what they call |"
  echo "|---|---|---|---|"
  for ((i = 1; i <= 4; ++i)); do
    rm -rf "$tmp/run"
    graph=(); [[ $i == 4 ]] && graph=(--call-graph dwarf,16384)
    perf record -q -F 4000 "${graph[@]}" -o "$tmp/perf.data" "$build/warcpairs" extract \
      --quiet --out "$tmp/run" "$data"/*.warc.gz >/dev/null 2>&1 || true
    report=$(perf report -i "$tmp/perf.data" --stdio --no-children -g none --sort dso 2>/dev/null || true)
    samples=$(awk '/^# Samples:/ {print $3}' <<<"$report")
    self=$(awk '/libcld2/ {print $1}' <<<"$report")
    incl=-
    [[ $i == 4 ]] && incl=$(perf report -i "$tmp/perf.data" --stdio --children -g none --sort sym \
                            2>/dev/null | awk '/ExtDetectLanguageSummary/ && !n++ {print $1}' || true)
    echo "| $i | $samples | ${self:-0%} | ${incl:-0%} |"
  done
fi
