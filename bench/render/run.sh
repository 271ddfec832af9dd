#!/usr/bin/env bash
# `warcpairs render` on real pages (shared/data/warc-real) with the default checks and crops:
# pages/s per core (pages over the CPU seconds of warcpairs and its Chromium together), against
# the goal of issue 19 (2 pages/s per core) and the reference design (about 10 pages in 3
# minutes on a laptop with its full checks); the share of page time spent outside Chromium
# (our tokenizer, JSON, PNG decode, shards) next to the time waiting on Chromium, both measured
# in the same run; peak memory of a rank (warcpairs alone) and of its Chromium (all processes).
# Usage: bench/render/run.sh [NP [WARC...]]   (default: 1 rank, trafilatura-000.warc.gz: 100 pages)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
np=${1:-1}
shift || true
[ $# -gt 0 ] || set -- "$root/../shared/data/warc-real/trafilatura-000.warc.gz"
vocab=$root/../shared/data/vocab/bert-base-uncased-vocab.txt
[ -x "$build/warcpairs" ] || { echo "build warcpairs first ($build/warcpairs)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -z "${sampler:-}" ] || kill "$sampler" 2>/dev/null' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Peak resident memory of all chromium processes, sampled every 0.2 s (KB).
( peak=0; while :; do
    kb=$(ps -C chromium -o rss= 2>/dev/null | awk '{s += $1} END {print s + 0}')
    [ "$kb" -gt "$peak" ] && peak=$kb && echo "$peak" > "$work/chromium_peak"
    sleep 0.2
  done ) &
sampler=$!
/usr/bin/time -f "%e %U %S" -o "$work/time" mpirun -np "$np" --oversubscribe "$build/warcpairs" render \
  --out "$work/run" --vocab "$vocab" --quiet "$@" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
kill "$sampler"; sampler=""
read -r wall user sys < "$work/time"
chromium_peak=$(cat "$work/chromium_peak" 2>/dev/null || echo 0)
python3 - "$work/run/render-stats.json" "$wall" "$user" "$sys" "$chromium_peak" "$np" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall, user, sys_t, chrome_kb, np = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
cpu = user + sys_t
pages = s["pages"]
per_core = pages / cpu
outside = s["page_seconds"] - s["browser_seconds"]
print(f"pages {pages} (rendered {s['rendered']}, failed {s['failures']}), crops {s['crops']}, tokens {s['tokens']} "
      f"({s['visible_tokens']} visible), requests {s['requests']} = {s['fulfilled']} archived + {s['failed_requests']} failed")
print(f"{np} rank(s): wall {wall:.1f} s, CPU {cpu:.1f} s (warcpairs + chromium), index {s['index_seconds']:.2f} s")
print()
print("| measure | ours | peer or limit | ratio |")
print("|---|---|---|---|")
print(f"| pages/s per core | {per_core:.2f} | goal 2.00 | {per_core / 2:.2f} |")
print(f"| pages/s per core | {per_core:.2f} | reference design 0.056 (10 pages / 180 s) | {per_core / (10 / 180):.0f} |")
print(f"| pages/s (wall, {np} rank(s)) | {pages / wall:.2f} | | |")
print(f"| page time outside Chromium | {outside:.1f} s | waiting on Chromium {s['browser_seconds']:.1f} s | "
      f"{outside / s['page_seconds']:.1%} of page time |")
print(f"| peak memory per rank | warcpairs {s['peak_rss_kb'] / 1024:.0f} MB | its Chromium {chrome_kb / 1024 / np:.0f} MB | |")
PY
