#!/usr/bin/env bash
# Crawl benchmark: pages/s of `mpirun -np 2 warcpairs crawl` against `wget --recursive
# --warc-file` (Debian's wget) on the same generated loopback site (tests/net/crawl_site.py
# --bench: a binary tree of PAGES pages, each with an image on a second host, a stylesheet and
# a script; robots.txt allows all; no delays), in the same run, alternating, REPEAT times. Both
# must store the same URL set (checked). Prints a table: median seconds, pages/s, ratio.
#
#   bench/crawl/run.sh [--pages N] [--repeat R] [--np N] [--bin PATH]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
PAGES=3000 REPEAT=3 NP=2 BIN=$root/build/warcpairs
while (($#)); do
  case $1 in
    --pages) PAGES=$2; shift 2 ;; --repeat) REPEAT=$2; shift 2 ;;
    --np) NP=$2; shift 2 ;; --bin) BIN=$2; shift 2 ;;
    *) echo "usage: $0 [--pages N] [--repeat R] [--np N] [--bin PATH]" >&2; exit 2 ;;
  esac
done
command -v wget >/dev/null || { echo "wget is missing (apt-get install wget)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
work=$(mktemp -d /tmp/warcpairs-crawl-bench.XXXXXX)
cd "$work"
set -m  # the site (a process per host and its forks) in a process group of its own
python3 "$root/tests/net/crawl_site.py" site --bench --pages "$PAGES" > site.out 2>&1 &
site=$!
set +m
trap 'kill -- -$site 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q READY site.out && break; sleep 0.1; done
seed=$(cat site/seeds.txt)
urls=$(wc -l < site/expected.txt)
responses() {  # the URIs stored (response or revisit records) of WARC files, sorted
  python3 - "$@" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import crawl_check
for f in sys.argv[2:]:
    for fields, _ in crawl_check.records(f):
        if fields.get("warc-type") in ("response", "revisit"):
            print(fields["warc-target-uri"].strip("<>"))
PY
}
now() { date +%s.%N; }
ours=() theirs=()
for r in $(seq "$REPEAT"); do
  rm -rf w run && mkdir w
  t0=$(now)
  wget -q -r -l inf -H --domains=127.0.0.1 --warc-file=w/wget -P w/files "$seed"
  t1=$(now)
  mpirun -np "$NP" "$BIN" crawl --out run --seeds site/seeds.txt --allow-loopback --per-host 16 \
    --max-depth 1000 --delay 0 -q > crawl.out 2>&1
  t2=$(now)
  theirs+=("$(echo "$t1 - $t0" | bc)") ours+=("$(echo "$t2 - $t1" | bc)")
  diff <(responses "$root/tests/e2e" w/*.warc.gz | sort) site/expected.txt > /dev/null ||
    { echo "wget's URL set differs from the site's" >&2; exit 1; }
  diff <(responses "$root/tests/e2e" run/warc/*.warc.gz | sort) site/expected.txt > /dev/null ||
    { echo "the crawl's URL set differs from the site's" >&2; exit 1; }
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${ours[@]}") mt=$(median "${theirs[@]}")
echo "crawl bench: $urls URLs ($PAGES pages, images, robots.txt, CSS, JS), $REPEAT runs each, alternating; wall seconds incl. start-up"
printf '| %-40s | %8s | %9s | %6s |\n' "crawler" "median s" "URLs/s" "ratio"
printf '| %-40s | %8.2f | %9.0f | %6s |\n' "warcpairs crawl, mpirun -np $NP" "$mo" "$(echo "$urls / $mo" | bc -l)" "$(printf '%.2f' "$(echo "$mt / $mo" | bc -l)")"
printf '| %-40s | %8.2f | %9.0f | %6s |\n' "wget -r --warc-file (1 connection)" "$mt" "$(echo "$urls / $mt" | bc -l)" "1.00"
echo "all runs (ours): ${ours[*]}; (wget): ${theirs[*]}"
