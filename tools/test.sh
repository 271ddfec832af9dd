#!/usr/bin/env bash
# The whole test suite: install, build, run every unit and end-to-end test with CTest
# (MPI tests under a real mpirun, the libFuzzer smoke run included).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

bash env/install-debian.sh
bash tools/build.sh -DWARCPAIRS_TESTS=ON
ctest --test-dir build --output-on-failure -j2 --timeout 1500 "$@"
