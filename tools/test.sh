#!/usr/bin/env bash
# The whole test suite: install, build, run every unit and end-to-end test with CTest
# (MPI tests under a real mpirun, the libFuzzer smoke run included).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

bash env/install-debian.sh
# Every option the suite relies on, set here: build/ may hold a configuration of the quick
# start (-DWARCPAIRS_TESTS=OFF -DWARCPAIRS_BENCH=OFF), which CMake's cache would otherwise keep.
bash tools/build.sh -DWARCPAIRS_TESTS=ON -DWARCPAIRS_MODEL=ON -DWARCPAIRS_BENCH=ON

# A suite that lost a part (an option off, a package missing) fails here, naming what is gone,
# instead of passing with fewer tests.
registered=$(ctest --test-dir build -N)
for t in e2e.span_model e2e.score e2e.readme e2e.quickstart e2e.slurm parity.wordpiece parity.clip_bpe parity.distilbert fuzz.smoke; do
  grep -q " $t\$" <<<"$registered" || {
    echo "tools/test.sh: the test $t is not registered in build/: the suite would run without it" >&2
    exit 1
  }
done
ctest --test-dir build --output-on-failure -j2 --timeout 1500 "$@"
