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
# serve_files DIR: a loopback HTTP server of DIR (tests/net/http_test_server.py: slow, failing,
# redirecting routes too) in the background; sets B (its base URL) and SERVER (its pid, killed
# when the script exits).
serve_files() {
  $PY "$WARCPAIRS_SRC/tests/net/http_test_server.py" "$1" --port 0 > server.out 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null' EXIT
  for _ in $(seq 50); do grep -q PORT server.out && break; sleep 0.1; done
  grep -q PORT server.out || fail "the test HTTP server did not start: $(cat server.out)"
  B=http://127.0.0.1:$(sed -n 's/^PORT //p' server.out)
}
