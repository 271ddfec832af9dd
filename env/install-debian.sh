#!/usr/bin/env bash
# Installs every Debian package that warcpairs' build, tests and benchmarks need
# (`--runtime`: only what building and running extract/merge needs).
# Idempotent: when everything is present it only checks (a second or two) and exits.
set -euo pipefail

# What building and running every stage needs (the quick start installs only this).
RUNTIME=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libopenmpi-dev openmpi-bin           # MPI
  libhdf5-dev                          # shards
  libdeflate-dev zlib1g-dev            # gzip members
  libbrotli-dev libzstd-dev            # Content-Encoding br and zstd
  libsnappy-dev                        # parquet: snappy pages in Parquet files others wrote
  libxml2-dev                          # HTML SAX parser
  libsqlite3-dev sqlite3               # canonical database (the CLI shows the quick start's pairs)
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev                  # --config files: a full TOML v1.0 parser (toml++)
  libcurl4-openssl-dev                 # score: downloads (curl multi)
  libpsl-dev                           # crawl: --scope same-domain (registrable domain, Public Suffix List)
  libcpp-httplib-dev                   # review: the local web page (cpp-httplib)
  libjpeg62-turbo-dev libpng-dev libwebp-dev  # score: image decoding and JPEG re-encoding
  libgif-dev                           # score: GIF decoding (giflib)
  libcld2-dev                          # text: language identification (CLD2)
  libssl-dev                           # core: SHA-1/SHA-256 digests (OpenSSL's libcrypto)
  libidn2-dev                          # warc: IDNA host names of SURT keys (CDXJ indexes)
  python3                              # sample generator, the quick start's image server
  libtorch-dev                         # LibTorch 1.13 (CPU): train, predict, score --clip (src/model)
  libopenblas0-pthread                 # BLAS for LibTorch: the default reference libblas3 is ~4x slower (BENCHMARKS.md)
  gnuplot-nox                          # analyze draws its report's plots (SVG) with gnuplot
  openssl                              # the quick start's image server: a certificate for the sample's hosts
)
# Everything else the full build, the tests and the benchmarks need.
FULL=(
  clang-14 libclang-rt-14-dev          # libFuzzer targets
  libgtest-dev libgmock-dev libbenchmark-dev
  hdf5-tools python3-h5py              # h5dump and h5py read shards in the tests
  libdeflate-tools isal                # bare-decompression peers in the reader benchmark
  brotli zstd                          # the e2e test's brotli- and zstd-coded responses
  time procps
  aria2                                # download peer in the score benchmark
  wget                                 # peer in the crawl benchmark (wget --recursive --warc-file)
  libarchive-dev                       # peer in tests/unit/io/tar_bench (why the tar code is ours)
  python3-pil                          # reference for image resizing/CLIP preprocessing tests
  python3-numpy                        # the numpy CLIP and DistilBERT references (tests/unit/model, tests/parity)
  iproute2 util-linux                  # `unshare -n` + `ip link set lo up`: SSRF and score tests without a network
  curl                                 # the score test asks the test server for hit counts
  chromium chromium-driver             # the analyze test opens the report in headless Chromium (tests/browser)
  fonts-dejavu-core                    # render: chromium (above) draws pages; its layout tests need DejaVu Sans Mono
  # real single-node Slurm in tests/e2e/slurm_test.sh. srun --mpi=pmix: the plugin
  # (slurm-wlm-basic-plugins' mpi_pmix_v4.so) dlopens pmix2/lib/libpmix.so, which only
  # libpmix-dev ships (libpmix2 has libpmix.so.2 alone)
  slurm-wlm slurm-wlm-basic-plugins munge libpmix2 libpmix-dev
)

# --runtime: only RUNTIME (tools/quickstart.sh); default: everything.
PACKAGES=("${RUNTIME[@]}")
[ "${1:-}" = --runtime ] || PACKAGES+=("${FULL[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# warcio.js (the WARC-reading peer), the tokenizer reference and the Parquet peers (hyparquet,
# hyparquet-writer: tests/parquet_peers, `npm ci` there by e2e.parquet_peers) need node and npm; a machine
# may already have a newer Node.js than Debian's, whose npm package then conflicts, so only
# install them when absent.
[ "${1:-}" = --runtime ] || command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "env: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "env: all ${#PACKAGES[@]} Debian packages present"
fi
