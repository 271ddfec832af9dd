# Main-content text of the 990 real pages of ../shared/data/warc-real (extract --page-text
# main, under mpirun -np 2) scored with SOURCES.md's rule by tools/main_content_score.py:
# F must stay at or above MIN_F (just under what the detector reaches today, so a regression
# fails). The same run with --page-text all must score near the published "all visible text"
# row (0.694): a check of the scorer itself.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
DATA="$WARCPAIRS_SHARED/data/warc-real"
TRUTH="$DATA/main-content.jsonl"
MIN_F=0.92
[ -d "$DATA" ] || fail "$DATA is missing: the end-to-end tests need ../shared beside the project"
[ -f "$TRUTH" ] || fail "$TRUTH is missing"
ls "$DATA"/*.warc.gz >/dev/null 2>&1 || fail "no WARC files in $DATA"
SCORE="$WARCPAIRS_SRC/tools/main_content_score.py"

expect_exit 0 mpirun_np 2 "$W" extract -q --page-text main --out main "$DATA"
expect_exit 0 "$W" merge -q --out main
expect_exit 0 $PY "$SCORE" main/warcpairs.sqlite --truth "$TRUTH" --min-f "$MIN_F"
echo "$OUT"

# Every image has a region; only "main" images have a context (--context-from main, the default).
sqlite3 main/warcpairs.sqlite "SELECT region, count(*), sum(context <> '') FROM images GROUP BY region" > regions.txt
cat regions.txt
$PY - main/warcpairs.sqlite <<'PYEOF' || fail "image regions or contexts are off (regions.txt)"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = {r: (n, c) for r, n, c in db.execute("SELECT region, count(*), sum(context <> '') FROM images GROUP BY region")}
assert set(rows) <= {"main", "nav", "header", "footer", "aside", "other"}, rows
assert all(c == 0 for r, (n, c) in rows.items() if r != "main"), rows
assert rows["main"][0] > 1000 and rows["main"][1] > 0.9 * rows["main"][0], rows
assert db.execute("SELECT count(*) FROM pages WHERE text = ''").fetchone()[0] < 50
PYEOF
# The context source shapes the rows: a rerun into the same folder with another one is refused.
expect_exit 2 "$W" extract -q --context-from all --out main "$DATA"
expect_contains "$OUT" "--context-from was main in the earlier run, all now"

expect_exit 0 "$W" extract -q --page-text all --out all "$DATA"
expect_exit 0 "$W" merge -q --out all
expect_exit 0 $PY "$SCORE" all/warcpairs.sqlite --truth "$TRUTH" --label "warcpairs, all text"
echo "$OUT"
f_all=$(sed -n 's/^| warcpairs, all text | \([0-9.]*\) |.*/\1/p' <<<"$OUT")
[ -n "$f_all" ] || fail "no F in the scorer's output"
$PY -c "import sys; f=float('$f_all'); sys.exit(0 if 0.64 <= f <= 0.75 else 1)" ||
  fail "all visible text scored F $f_all, far from the published 0.694: the scorer is off"

# Nothing stored without --page-text: the scorer refuses, loudly.
expect_exit 0 "$W" extract -q --out none "$DATA/trafilatura-000.warc.gz"
expect_exit 0 "$W" merge -q --out none
expect_exit 2 $PY "$SCORE" none/warcpairs.sqlite --truth "$TRUTH"
expect_contains "$OUT" "every pages.text is empty"
echo "main-content: ok"
