#!/usr/bin/env bash
# Configures and builds warcpairs into build/ (Release, Ninja). Used by quickstart.sh and test.sh.
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$(nproc)"
