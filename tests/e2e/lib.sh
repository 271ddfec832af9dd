# Shared by the end-to-end scripts: strict mode, a scratch folder per test, assertions.
set -euo pipefail
: "${WARCPAIRS_BIN:?run through ctest}" "${WARCPAIRS_SRC:?}" "${WARCPAIRS_SHARED:?}"
PY=/usr/bin/python3   # Debian's python3: it has h5py (env/install-debian.sh)
SCRATCH="${E2E_SCRATCH:-/tmp/warcpairs-e2e}/$(basename "$0" .sh)"
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
cd "$SCRATCH"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE CMD...: runs CMD, checks its exit code, keeps its output in $OUT.
expect_exit() {
  local want=$1; shift
  set +e; OUT=$("$@" 2>&1); local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got from: $*
$OUT"
}
expect_contains() { grep -qF -- "$2" <<<"$1" || fail "expected output to contain '$2', got:
$1"; }
mpirun_np() { local np=$1; shift; mpirun -np "$np" --oversubscribe "$@"; }
