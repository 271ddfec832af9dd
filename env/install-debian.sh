#!/usr/bin/env bash
# Installs every Debian package that warcpairs' build, tests and benchmarks need.
# Idempotent: when everything is present it only checks (a second or two) and exits.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-14 libclang-rt-14-dev          # libFuzzer targets
  # libraries
  libopenmpi-dev openmpi-bin           # MPI
  libhdf5-dev hdf5-tools               # shards (h5dump for tests)
  libdeflate-dev zlib1g-dev            # gzip members
  libxml2-dev                          # HTML SAX parser
  libsqlite3-dev sqlite3               # canonical database (.import is the merge peer)
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libtorch-dev                         # LibTorch 1.13 (CPU): DistilBERT/CLIP models (src/model)
  libgtest-dev libgmock-dev libbenchmark-dev
  # tests, tools and benchmarks
  python3 python3-h5py                 # h5py reads shards in a test; sample generator
  libdeflate-tools isal                # bare-decompression peers in the reader benchmark
  time procps
  # real single-node Slurm in tests/e2e/slurm_test.sh. srun --mpi=pmix: the plugin
  # (slurm-wlm-basic-plugins' mpi_pmix_v4.so) dlopens pmix2/lib/libpmix.so, which only
  # libpmix-dev ships (libpmix2 has libpmix.so.2 alone)
  slurm-wlm slurm-wlm-basic-plugins munge libpmix2 libpmix-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# warcio.js (the WARC-reading peer) needs node and npm; a machine may already have a newer
# Node.js than Debian's, whose npm package then conflicts, so only install them when absent.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "env: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "env: all ${#PACKAGES[@]} Debian packages present"
fi
