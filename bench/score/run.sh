#!/usr/bin/env bash
# score without CLIP, on one core: download + decode + resize (256, border) + JPEG re-encode +
# sha256 + pHash + WebDataset tar + score shard, of N photo-like JPEGs (SIZE, generated with
# PIL) served over loopback by bench_static_server pinned to the other core.
# Reported: images/s on the wall clock and per CPU-second of the score process (goal >= 300 per
# core; img2dataset does ~100), next to what pure download of the same list takes (our
# Downloader and aria2c -j 16, the same run) — the limit the image work adds to.
# Usage: bench/score/run.sh [BUILD_DIR]   (env: N=1500, RUNS=3, SIZE=640x480)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${BUILD_DIR:-$root/build}}
n=${N:-1500}
runs=${RUNS:-3}
size=${SIZE:-640x480}
w=${size%x*} h=${size#*x}
cmake --build "$build" --target warcpairs download_bench bench_static_server >/dev/null
work=$(mktemp -d /dev/shm/warcpairs-score-bench-XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/files"
/usr/bin/python3 - "$work/files" "$n" "$w" "$h" <<'PY'
import random, sys
from PIL import Image, ImageDraw, ImageFilter
d, n, W, H = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(7)
base = []
for k in range(20):  # 20 distinct photo-like images, saved under n names
    im = Image.new("RGB", (W, H), tuple(rng.randrange(256) for _ in range(3)))
    dr = ImageDraw.Draw(im)
    for _ in range(60):
        x, y = rng.randrange(W), rng.randrange(H)
        dr.ellipse((x, y, x + rng.randrange(W // 32, W // 3), y + rng.randrange(H // 24, H // 2)),
                   fill=tuple(rng.randrange(256) for _ in range(3)))
    base.append(im.filter(ImageFilter.GaussianBlur(2)))
for i in range(n):
    base[i % 20].save(f"{d}/img{i:05d}.jpg", quality=85)
PY
total_bytes=$(du -sb "$work/files" | cut -f1)
coproc SRV { exec taskset -c 1 "$build/bench/download/bench_static_server" "$work/files"; }
server_pid=$SRV_PID
read -r _ port <&"${SRV[0]}"
{ printf 'url\tcaption\n'; for i in $(seq 0 $((n - 1))); do printf 'http://127.0.0.1:%s/img/img%05d.jpg\tphoto %s\n' "$port" "$i" "$i"; done; } > "$work/pairs.tsv"
sed 1d "$work/pairs.tsv" | cut -f1 > "$work/list"

best_score="" best_cpu="" best_ours="" best_aria=""
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
for _ in $(seq "$runs"); do
  rm -rf "$work/run" "$work/dl" "$work/aria" && mkdir -p "$work/dl" "$work/aria"
  /usr/bin/time -f "%e %U %S" -o "$work/time" taskset -c 0 "$build/warcpairs" score -q --out "$work/run" \
    --pairs "$work/pairs.tsv" --allow-loopback --rows-per-shard 500 --connections 16 > /dev/null
  read -r wall user sys < "$work/time"
  best_score=$(min "$best_score" "$wall")
  best_cpu=$(min "$best_cpu" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  [ "$(/usr/bin/python3 -c "import json; print(json.load(open('$work/run/score-stats.json'))['ok'])")" = "$n" ] \
    || { echo "score stored fewer than $n images" >&2; exit 1; }
  t0=$(date +%s.%N); taskset -c 0 "$build/bench/download/download_bench" "$work/list" "$work/dl" 16 > /dev/null; t1=$(date +%s.%N)
  best_ours=$(min "$best_ours" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  t0=$(date +%s.%N); taskset -c 0 aria2c -i "$work/list" -j 16 --dir "$work/aria" -q --file-allocation=none \
    --allow-overwrite=true --auto-file-renaming=false; t1=$(date +%s.%N)
  best_aria=$(min "$best_aria" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
done
echo "score (no CLIP), $n JPEGs $size ($(awk -v b="$total_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB), one core (taskset -c 0), server on the other; best of $runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| measure | seconds | images/s | goal | holds |"
echo "|---|---:|---:|---|---|"
awk -v n="$n" -v w="$best_score" -v c="$best_cpu" -v o="$best_ours" -v a="$best_aria" 'BEGIN {
  printf "| score: download+decode+resize+encode+hash+tar, wall | %.3f | %.0f | >= 300 per core | %s |\n", w, n / w, (n / w >= 300) ? "yes" : "NO"
  printf "| score: the same per CPU-second of the process | %.3f | %.0f | (report) | - |\n", c, n / c
  printf "| pure download, warcpairs Downloader | %.3f | %.0f | (limit) | - |\n", o, n / o
  printf "| pure download, aria2c -j 16 | %.3f | %.0f | ours >= aria2c | %s |\n", a, n / a, (o <= a) ? "yes" : "NO"
}'
