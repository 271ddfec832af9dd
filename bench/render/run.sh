#!/usr/bin/env bash
# `warcpairs render` on real pages (shared/data/warc-real) with the default checks and crops:
# pages/s per core (pages over the CPU seconds of warcpairs and its Chromium together: the ranks
# reap every Chromium process, so RUSAGE_CHILDREN holds the browsers' CPU), against
# the goal of issue 19 (2 pages/s per core) and the reference design (about 10 pages in 3
# minutes on a laptop with its full checks); the share of page time spent outside Chromium
# (our tokenizer, JSON, PNG decode, shards) next to the time waiting on Chromium, both measured
# in the same run; peak memory of a rank (warcpairs alone, max RSS) and of its Chromium (PSS of
# all its processes). Right after, the same pages with --isolate-pages (a new tab per page and a
# renderer process per site, as render worked before): the ratio of the two, measured under the
# same load, and whether both gave the same counts.
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

# Peak memory of this run's Chromium processes (each browser leads its own process group,
# started by a rank of this run) as PSS (shared pages divided among the processes that share
# them; a plain RSS sum counts them once per process), sampled every 0.2 s, in KB, all ranks'
# browsers together.
( peak=0; while :; do
    groups=$(for r in $(pgrep -f "render --out $work/run" || true); do pgrep -x -P "$r" chromium || true; done)
    kb=0
    if [ -n "$groups" ]; then
      pids=$(ps -e -o pgid=,pid= | awk -v g=" $(echo $groups) " 'index(g, " " $1 " ") {print $2}')
      kb=$(for p in $pids; do cat /proc/$p/smaps_rollup 2>/dev/null || true; done | awk '$1 == "Pss:" {s += $2} END {print s + 0}')
    fi
    if [ "$kb" -gt "$peak" ]; then peak=$kb; echo "$peak" > "$work/chromium_peak"; fi
    sleep 0.2
  done ) &
sampler=$!
/usr/bin/time -f "%e %U %S" -o "$work/time" mpirun -np "$np" --oversubscribe "$build/warcpairs" render \
  --out "$work/run" --vocab "$vocab" --quiet "$@" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
kill "$sampler" 2>/dev/null || true; sampler=""
# In-run reference, right after on the same pages and ranks: --isolate-pages (a new tab per
# page, a renderer process per site: how render worked before one kept tab and one renderer).
mpirun -np "$np" --oversubscribe "$build/warcpairs" render --out "$work/ref" --vocab "$vocab" --quiet \
  --isolate-pages "$@" > "$work/ref.out" 2>&1 || { cat "$work/ref.out"; exit 1; }
read -r wall user sys < "$work/time"
chromium_peak=$(cat "$work/chromium_peak" 2>/dev/null || echo 0)
python3 - "$work/run/render-stats.json" "$wall" "$user" "$sys" "$chromium_peak" "$np" "$work/ref/render-stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[7]))
ref_per_core = ref["pages"] / (ref["cpu_seconds"] + ref["browser_cpu_seconds"])
wall, user, sys_t, chrome_kb, np = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
cpu = s["cpu_seconds"] + s["browser_cpu_seconds"]   # ranks + the browsers they reaped
pages = s["pages"]
per_core = pages / cpu
outside = s["page_seconds"] - s["browser_seconds"]
print(f"pages {pages} (rendered {s['rendered']}, failed {s['failures']}), crops {s['crops']}, tokens {s['tokens']} "
      f"({s['visible_tokens']} visible), requests {s['requests']} = {s['fulfilled']} archived + {s['failed_requests']} failed")
print(f"{np} rank(s): wall {wall:.1f} s, CPU {cpu:.1f} s (warcpairs {s['cpu_seconds']:.1f} s + chromium "
      f"{s['browser_cpu_seconds']:.1f} s; /usr/bin/time of mpirun: {user + sys_t:.1f} s), index {s['index_seconds']:.2f} s")
print()
print("| measure | ours | peer or limit | ratio |")
print("|---|---|---|---|")
print(f"| pages/s per core | {per_core:.2f} | goal 2.00 | {per_core / 2:.2f} |")
print(f"| pages/s per core | {per_core:.2f} | --isolate-pages {ref_per_core:.2f} (same pages, run right after) | {per_core / ref_per_core:.2f} |")
same = all(s[k] == ref[k] for k in ("pages", "rendered", "crops", "tokens", "visible_tokens", "token_boxes"))
print(f"| same output as --isolate-pages | {'yes' if same else 'NO'}: pages, crops, tokens, visible tokens, token boxes | "
      f"{ref['pages']}, {ref['crops']}, {ref['tokens']}, {ref['visible_tokens']}, {ref['token_boxes']} | |")
print(f"| pages/s per core | {per_core:.2f} | reference design 0.056 (10 pages / 180 s) | {per_core / (10 / 180):.0f} |")
print(f"| pages/s (wall, {np} rank(s)) | {pages / wall:.2f} | | |")
print(f"| page time outside Chromium | {outside:.1f} s | waiting on Chromium {s['browser_seconds']:.1f} s | "
      f"{outside / s['page_seconds']:.1%} of page time |")
print(f"| CPU outside Chromium | warcpairs {s['cpu_seconds']:.1f} s | chromium {s['browser_cpu_seconds']:.1f} s | "
      f"{s['cpu_seconds'] / cpu:.1%} of CPU |")
print("| browser wait by phase | " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(s["phase_seconds"].items(), key=lambda kv: -kv[1])) + " | | |")
print(f"| peak memory per rank | warcpairs {s['peak_rss_kb'] / 1024:.0f} MB (max RSS) | its Chromium {chrome_kb / 1024 / np:.0f} MB (PSS, all processes) | |")
PY
