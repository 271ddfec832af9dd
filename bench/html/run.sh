#!/usr/bin/env bash
# Builds and runs html_extract_bench on the real WARC files in shared/data/warc and, when
# tools/gen_sample_warc.py exists, on generated pages of realistic size (50-100 KB).
# Usage: bench/html/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-html}"
seconds="${2:-3}"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target html_extract_bench -j2 >/dev/null
bench="$build/bench/html/html_extract_bench"

if compgen -G "$root/../shared/data/warc/*.warc*" >/dev/null; then
  echo "== real pages: $root/../shared/data/warc/*.warc*"
  "$bench" --seconds "$seconds" "$root"/../shared/data/warc/*.warc*
fi

if [[ -f "$root/tools/gen_sample_warc.py" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  /usr/bin/python3 "$root/tools/gen_sample_warc.py" --out "$tmp" --files 1 --size-mb 8 \
    --compression none --jobs 1 >/dev/null 2>&1
  echo
  echo "== generated pages: tools/gen_sample_warc.py --size-mb 8 --compression none (plain bodies only)"
  "$bench" --seconds "$seconds" "$tmp"/*.warc
fi
