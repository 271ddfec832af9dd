#!/usr/bin/env bash
# Two warcpairs binaries (before, after) running extract on the 990 pages of warc-real with
# language id on and off, interleaved rounds, so both saw the same moments of a loaded machine;
# best CPU seconds (user + system) of each; share = (on - off) / on per binary.
# Usage: bench/lang/compare.sh OLD_WARCPAIRS NEW_WARCPAIRS [ROUNDS]
set -euo pipefail
old="$1" new="$2" rounds="${3:-5}"
data="$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/warc-real"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
declare -A best
for b in old new; do for m in on off; do best[$b$m]=1e9; done; done
for i in $(seq "$rounds"); do
  for b in old new; do
    bin=${!b}
    for m in on off; do
      rm -rf "$tmp/run"; flag=(); [[ $m == off ]] && flag=(--no-language-id)
      s=$( { /usr/bin/time -f '%U %S' "$bin" extract --quiet --out "$tmp/run" "${flag[@]}" "$data"/*.warc.gz >/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
      best[$b$m]=$(python3 -c "print(min(${best[$b$m]}, $s))")
    done
  done
done
for b in old new; do
  python3 -c "on,off=${best[${b}on]},${best[${b}off]}; print(f'$b: on {on:.2f} s, off {off:.2f} s, share {100*(on-off)/on:.1f} %')"
done
