# The 990 real pages of ../shared/data/warc-real under mpirun -np 2, held against the
# independent reference scanner image by image (tests/e2e/compare_warc_real.py); every
# difference is named, with its reason, in warc_real_expected.json.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
DATA="$WARCPAIRS_SHARED/data/warc-real"
[ -d "$DATA" ] || fail "$DATA is missing: the end-to-end tests need ../shared beside the project"
ls "$DATA"/*.warc.gz >/dev/null 2>&1 || fail "no WARC files in $DATA"
expect_exit 0 mpirun_np 2 "$W" extract -q --out run "$DATA"
expect_exit 0 "$W" merge -q --out run
$PY "$WARCPAIRS_SRC/tests/e2e/compare_warc_real.py" run \
  "$WARCPAIRS_SRC/tests/e2e/warc_real_expected.json" "$DATA"/*.warc.gz
echo "warc-real: ok"
