#!/usr/bin/env bash
# Builds every libFuzzer target under tests/fuzz/*/ with clang-14 + ASan (all code compiled
# with -fsanitize=fuzzer-no-link,address) in build-fuzz, then runs each for N seconds.
# Usage: tools/fuzz.sh [SECONDS=60]   (env: BUILD_DIR=build-fuzz, JOBS=2)
# Seeds: the real WARC files, the older formats' (WARC/0.17, 0.18, ARC) in tests/data/warc-old
# (and their gunzipped variants), plus tests/fuzz/<target>/seeds/
# when present. The corpus grows in BUILD_DIR/fuzz-corpus/<target>; crashes are written to
# BUILD_DIR/fuzz-artifacts/<target>/ and make the script exit 1.
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
flags="-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer"

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWARCPAIRS_FUZZ=ON -DWARCPAIRS_TESTS=OFF -DWARCPAIRS_BENCH=OFF \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null

targets=()
for dir in "$root"/tests/fuzz/*/; do
  [ -f "$dir/CMakeLists.txt" ] && targets+=("$(basename "$dir")")
done
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets under tests/fuzz/" >&2; exit 1; }
cmake --build "$build" --target "${targets[@]}" -j "${JOBS:-2}"

seeds=$build/fuzz-seeds/warc
if [ ! -d "$seeds" ]; then
  mkdir -p "$seeds.tmp"
  for f in "$root"/../shared/data/warc/*.warc* "$root"/tests/data/warc-old/*.*arc*; do
    cp "$f" "$seeds.tmp/"
    case "$f" in *.gz) gzip -dc "$f" > "$seeds.tmp/$(basename "${f%.gz}")" || true ;; esac
  done
  mv "$seeds.tmp" "$seeds"
fi

status=0
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  extra=()
  [ -d "$root/tests/fuzz/$t/seeds" ] && extra+=("$root/tests/fuzz/$t/seeds")
  echo "== $t: ${secs}s"
  if ! "$build/tests/fuzz/$t/$t" "$corpus" "$seeds" "${extra[@]}" -max_total_time="$secs" \
      -max_len=131072 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" 2> "$build/fuzz-$t.log"; then
    echo "!! $t found a problem: see $build/fuzz-$t.log and $artifacts/" >&2
    tail -40 "$build/fuzz-$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/fuzz-$t.log" | tail -2
  fi
done
exit $status
