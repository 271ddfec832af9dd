#!/usr/bin/env bash
# A/B of two warcpairs binaries on bench/crawl's generated loopback site (tests/net/crawl_site.py
# --bench), in the same run, alternating: wall seconds of `mpirun -np 2 warcpairs crawl
# --per-host 16 --delay 0` each round, and the finalize step's own time when the log has it.
#
#   bench/crawl/ab.sh --base OLD_BIN [--new NEW_BIN] [--pages N] [--rounds R]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BASE="" NEW=$root/build/warcpairs PAGES=3000 ROUNDS=5
while (($#)); do
  case $1 in
    --base) BASE=$2; shift 2 ;; --new) NEW=$2; shift 2 ;;
    --pages) PAGES=$2; shift 2 ;; --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "usage: $0 --base OLD_BIN [--new NEW_BIN] [--pages N] [--rounds R]" >&2; exit 2 ;;
  esac
done
[ -x "$BASE" ] || { echo "--base: not an executable: '$BASE'" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
work=$(mktemp -d /tmp/warcpairs-crawl-ab.XXXXXX)
cd "$work"
set -m
python3 "$root/tests/net/crawl_site.py" site --bench --pages "$PAGES" > site.out 2>&1 &
site=$!
set +m
trap 'kill -- -$site 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q READY site.out && break; sleep 0.1; done
now() { date +%s.%N; }
for _ in $(seq "$ROUNDS"); do
  for which in base new; do
    bin=$BASE
    [ "$which" = new ] && bin=$NEW
    rm -rf run
    t0=$(now)
    mpirun -np 2 "$bin" crawl --out run --seeds site/seeds.txt --allow-loopback --per-host 16 \
      --max-depth 1000 --delay 0 -q > crawl.out 2>&1
    t1=$(now)
    echo "$which $(echo "$t1 - $t0" | bc) s $(grep -o 'rewritten .* in [0-9.]* s' run/logs/crawl.rank0.log | grep -o 'in [0-9.]* s$' || true)"
  done
done
