# Image kinds on the 990 real pages of ../shared/data/warc-real: extract + merge, then the
# hand-checked sample of 100 images (tests/data/image-kinds/sample.jsonl, how it was judged in
# the README beside it) against the database's kinds, precision and recall of `content`
# printed. Issue 16's goal is precision >= 0.9; measured 0.923 (12/13) on this held-out sample
# since the kinds read main content's region (0.800 before), so the bar here is the measured
# level (a regression guard): see the README.
# Every image has a kind and a reason; the share of each kind is printed.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
DATA="$WARCPAIRS_SHARED/data/warc-real"
SAMPLE="$WARCPAIRS_SRC/tests/data/image-kinds/sample.jsonl"
[ -d "$DATA" ] || fail "$DATA is missing: the end-to-end tests need ../shared beside the project"
[ -s "$SAMPLE" ] || fail "$SAMPLE is missing"
expect_exit 0 mpirun_np 2 "$W" extract -q --out run "$DATA"
expect_exit 0 "$W" merge -q --out run
out=$($PY "$WARCPAIRS_SRC/tools/image_kinds_sample.py" measure run "$SAMPLE" --min-precision 0.92) \
  || fail "image kinds below the bar: $out"
echo "$out"
n=$(sqlite3 run/warcpairs.sqlite "SELECT count(*) FROM images WHERE kind = '' OR kind_reason = ''")
[ "$n" = 0 ] || fail "$n images without a kind or a reason"
shares=$($PY "$WARCPAIRS_SRC/tools/image_kinds_sample.py" shares run)
echo "$shares"
for kind in content logo icon chrome; do
  expect_contains "$shares" "| $kind |"
done
echo "image kinds: ok"
