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
