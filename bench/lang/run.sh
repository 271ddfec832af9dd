#!/usr/bin/env bash
# Language identification speed on the 990 real pages of shared/data/warc-real: lang_bench
# (CLD2 alone and inside HtmlExtractor, one core, CPU time), then the whole extract stage
# (one rank) with and without --no-language-id, 5 runs each, alternately; the best CPU
# seconds (user + system) of each compared (wall time on this shared machine is noise).
# Usage: bench/lang/run.sh [BUILD_DIR] [SECONDS]
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
best_on=1e9 best_off=1e9
for i in 1 2 3 4 5; do
  for mode in on off; do
    rm -rf "$tmp/run"
    flag=(); [[ $mode == off ]] && flag=(--no-language-id)
    s=$( { /usr/bin/time -f '%U %S' "$build/warcpairs" extract --quiet --out "$tmp/run" "${flag[@]}" \
           "$data"/*.warc.gz >/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    if [[ $mode == on ]]; then best_on=$(python3 -c "print(min($best_on, $s))"); else best_off=$(python3 -c "print(min($best_off, $s))"); fi
  done
done
echo
echo "== warcpairs extract (1 rank, 990 pages), best of 5 runs, CPU seconds (user + system)"
echo "| measure | language id on | off (--no-language-id) | share of on |"
echo "|---|---|---|---|"
python3 -c "on,off=$best_on,$best_off; print(f'| extract CPU s | {on:.2f} | {off:.2f} | {100*(on-off)/on:.1f} % |')"
