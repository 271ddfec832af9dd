#!/usr/bin/env bash
# Download benchmark: our Downloader against aria2c on the same URL list, same server, same run.
# N generated image-like files (sizes 4 KiB..256 KiB, log-uniform) are served over loopback by a
# server that keeps up (bench_static_server, C++; SERVER=python uses tests/net/http_test_server.py);
# both clients write every file to a tmpfs folder. Rounds alternate the two; best of RUNS each.
# Usage: bench/download/run.sh   (env: BUILD_DIR, N=2000, JOBS=16, RUNS=3, SERVER=cpp|python)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-net}
n=${N:-2000}
jobs=${JOBS:-16}
runs=${RUNS:-3}
server_kind=${SERVER:-cpp}

[ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target download_bench bench_static_server >/dev/null
work=$(mktemp -d "${TMPDIR_BENCH:-/dev/shm}/warcpairs-dl-XXXXXX")
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/files" "$work/ours" "$work/aria2c"
/usr/bin/python3 - "$work/files" "$n" <<'PY'
import math, os, random, sys
d, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
for i in range(n):
    size = int(math.exp(rng.uniform(math.log(4096), math.log(262144))))
    with open(os.path.join(d, "img%05d.jpg" % i), "wb") as f:
        f.write(b"\xff\xd8\xff\xe0" + rng.randbytes(size - 6) + b"\xff\xd9")
PY
total_bytes=$(du -sb "$work/files" | cut -f1)

if [ "$server_kind" = python ]; then
  coproc SRV { exec /usr/bin/python3 "$root/tests/net/http_test_server.py" "$work/files"; }
else
  coproc SRV { exec "$build/bench/download/bench_static_server" "$work/files"; }
fi
server_pid=$SRV_PID
read -r _ port <&"${SRV[0]}"
for i in $(seq 0 $((n - 1))); do printf 'http://127.0.0.1:%s/img/img%05d.jpg\n' "$port" "$i"; done > "$work/list"

elapsed() {  # wall seconds of a command
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
check() {  # every file arrived whole
  local got; got=$(du -sb "$1" | cut -f1)
  [ "$(ls "$1" | wc -l)" -eq "$n" ] && [ "$got" -eq "$total_bytes" ] || { echo "incomplete download in $1" >&2; exit 1; }
}

ours="" aria=""
for _ in $(seq "$runs"); do
  rm -rf "$work/ours"/* "$work/aria2c"/*
  ours=$(min "$ours" "$(elapsed "$build/bench/download/download_bench" "$work/list" "$work/ours" "$jobs")")
  check "$work/ours"
  aria=$(min "$aria" "$(elapsed aria2c -i "$work/list" -j "$jobs" --dir "$work/aria2c" -q \
    --file-allocation=none --allow-overwrite=true --auto-file-renaming=false)")
  check "$work/aria2c"
done

mb=$(awk -v b="$total_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "download: $n files, $mb MB over loopback, $jobs connections, server=$server_kind, best of $runs"
printf '%-22s %9s %9s %9s\n' "client" "seconds" "files/s" "MB/s"
row() { awk -v name="$1" -v s="$2" -v n="$n" -v b="$total_bytes" \
  'BEGIN { printf "%-22s %9.3f %9.0f %9.1f\n", name, s, n / s, b / 1e6 / s }'; }
row "warcpairs Downloader" "$ours"
row "aria2c -j $jobs" "$aria"
awk -v a="$aria" -v o="$ours" 'BEGIN { printf "ratio (ours speed / aria2c speed): %.2fx\n", a / o }'
