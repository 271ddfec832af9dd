#!/usr/bin/env bash
# Leader memory per million frontier URLs: `warcpairs crawl` (one rank: the leader) seeded
# with a generated frontier of N URLs over H origins, stopped (SIGTERM) once the frontier is
# in RUN/crawl/state.sqlite; peak RSS (GNU time) minus that of the same command with one seed.
# Runs in a network namespace without a route (unshare -n), so no request leaves the machine.
#
#   bench/crawl/frontier_memory.sh [--urls N] [--origins H] [--bin PATH]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
N=10000000 H=10000 BIN=$root/build/warcpairs
while (($#)); do
  case $1 in
    --urls) N=$2; shift 2 ;; --origins) H=$2; shift 2 ;; --bin) BIN=$2; shift 2 ;;
    *) echo "usage: $0 [--urls N] [--origins H] [--bin PATH]" >&2; exit 2 ;;
  esac
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d /tmp/warcpairs-frontier.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
python3 - "$N" "$H" > big.txt <<'PY'
import sys
n, h = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
for i in range(n):
    out.write(f"http://host{i % h}.example/section/{i // h % 97}/page-{i}.html?ref={i * 7919 % 100003}\n")
PY
head -1 big.txt > one.txt
measure() {  # measure SEEDS → peak RSS in KB, seconds to seed
  rm -rf run
  # (MPI's singleton start needs loopback up.)
  unshare -n bash -c 'ip link set lo up && exec /usr/bin/time -f "%M" -o rss.txt "$@"' _ \
    "$BIN" crawl --out run --seeds "$1" -q --connect-timeout 1 > crawl.out 2>&1 &
  local pid=$! t0; t0=$(date +%s.%N)
  until grep -q "seed(s)" run/logs/crawl.rank0.log 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "crawl ended early: $(tail -5 crawl.out)" >&2; exit 1; }
    sleep 0.2
  done
  local t1; t1=$(date +%s.%N)
  sleep 1
  local child; child=$(pgrep -P "$pid" || true)  # unshare execs time, time forks warcpairs
  kill -TERM ${child:-$pid} 2>/dev/null || true  # (a one-seed crawl may be done already)
  wait "$pid" || true
  echo "$(tail -1 rss.txt) $(echo "$t1 - $t0" | bc)"
}
read -r base _ < <(measure one.txt)
read -r big secs < <(measure big.txt)
db=$(du -k run/crawl/state.sqlite | cut -f1)
per_million=$(echo "($big - $base) / 1024 / ($N / 1000000)" | bc -l)
echo "frontier: $N URLs over $H origins seeded in ${secs} s; state.sqlite $((db / 1024)) MB"
printf '| %-34s | %10s |\n' "leader peak RSS" "MB"
printf '| %-34s | %10.0f |\n' "1 seed (start-up)" "$(echo "$base / 1024" | bc -l)"
printf '| %-34s | %10.0f |\n' "$N seeds" "$(echo "$big / 1024" | bc -l)"
printf '| %-34s | %10.1f |\n' "per million frontier URLs" "$per_million"
