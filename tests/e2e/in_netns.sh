# Sourced first by the e2e tests that must reach nothing but loopback: re-runs the calling
# script in a network namespace of its own with only `lo` up (unshare -n: root, util-linux,
# iproute2), so no download can leave the machine whatever the code under test does.
if [ -z "${WARCPAIRS_IN_NETNS:-}" ]; then
  exec unshare -n env WARCPAIRS_IN_NETNS=1 bash -c 'ip link set lo up && exec bash "$0"' "$0" \
    || { echo "FAIL: unshare -n (needs root and util-linux, iproute2)" >&2; exit 1; }
fi
