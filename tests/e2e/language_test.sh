# Language identification (CLD2) on the 990 real pages of ../shared/data/warc-real under
# mpirun -np 2: the detected language of each page's visible text against the language the
# page declares (<html lang>), with the agreement rate printed and held to a floor; contexts,
# analyze's distribution and disagreement count, and export's --languages on the detection.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
DATA="$WARCPAIRS_SHARED/data/warc-real"
[ -d "$DATA" ] || fail "$DATA is missing: the end-to-end tests need ../shared beside the project"
expect_exit 0 mpirun_np 2 "$W" extract -q --out run "$DATA"
expect_exit 0 "$W" merge -q --out run
expect_exit 0 "$W" analyze --out run --report report
expect_exit 0 "$W" export --out run --dest pl --format jsonl --languages pl
$PY "$WARCPAIRS_SRC/tests/e2e/check_languages.py" run report pl
echo "language: ok"
