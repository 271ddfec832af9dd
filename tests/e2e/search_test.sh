#!/usr/bin/env bash
# warcpairs search on a generated embeddings store (3,201 float16 rows over the 3,200 images of
# 40 generated pages, in 3 parts, one row superseded): the top-k equals numpy's brute force,
# under mpirun -np 1, 2 and 3, with ties broken by image_id (byte-identical lists); --where,
# --min-similarity, --match (FTS5) alone and as a filter; bad inputs get clear errors.
source "$(dirname "$0")/lib.sh"
BIN="$WARCPAIRS_BIN"
GEN="$WARCPAIRS_SRC/tests/e2e/search_store.py"

$PY "$GEN" pages pages.warc
"$BIN" extract -q --out run pages.warc > /dev/null
"$BIN" merge -q --out run > /dev/null
$PY "$GEN" store run 7 64

# Exact top-k, any number of ranks, the same list.
for np in 1 2 3; do
  mpirun_np $np "$BIN" search -q --out run --query-vector run/q.npy --top 60 --dest top$np.jsonl > /dev/null
  $PY "$GEN" check run 60 top$np.jsonl
done
cmp top1.jsonl top2.jsonl || fail "-np 1 and -np 2 differ"
cmp top1.jsonl top3.jsonl || fail "-np 1 and -np 3 differ"
# The tie (images 4..9 carry one vector) is broken by image_id.
[ "$(head -6 top1.jsonl | $PY -c 'import sys,json; print([json.loads(l)["image_id"] for l in sys.stdin])')" = "[4, 5, 6, 7, 8, 9]" ] \
  || fail "tie not broken by image_id: $(head -6 top1.jsonl)"
# The superseded row of image 100 equals the query: it must not be found.
! grep -q '"similarity":1' top1.jsonl || fail "a superseded embedding was returned"

# --where (SQL on images/pages/scores), --min-similarity; the whole store as top.
mpirun_np 2 "$BIN" search -q --out run --query-vector run/q.npy --top 40 \
  --where "images.alt LIKE '%bike%' AND pages.url LIKE '%page1%'" --dest where.jsonl > /dev/null
$PY "$GEN" check run 40 where.jsonl \
  "SELECT image_id FROM images JOIN pages USING (page_id) WHERE images.alt LIKE '%bike%' AND pages.url LIKE '%page1%'"
mpirun_np 3 "$BIN" search -q --out run --query-vector run/q.npy --top 5000 --min-similarity 0.2 \
  --dest min.jsonl > /dev/null
$PY "$GEN" check run 5000 min.jsonl "" 0.2

# CSV output: same ids as JSON lines.
"$BIN" search -q --out run --query-vector run/q.npy --top 60 --dest top.csv > /dev/null
[ "$(tail -n +2 top.csv | cut -d, -f1)" = "$($PY -c 'import json; [print(json.loads(l)["image_id"]) for l in open("top1.jsonl")]')" ] \
  || fail "CSV ids differ from JSON lines"

# --match alone: FTS5 over alt/title/figcaption/context, bm25 order; every result has both words.
"$BIN" search -q --out run --match 'alt:bike AND alt:race' --top 10000 --dest match.jsonl > /dev/null
want=$(sqlite3 run/warcpairs.sqlite "SELECT count(*) FROM images WHERE alt LIKE '%bike race%'")
[ "$(wc -l < match.jsonl)" -eq "$want" ] || fail "--match found $(wc -l < match.jsonl) images, alt has $want"
! grep -q -v '"bm25":-' match.jsonl || fail "--match results without a bm25 rank"
# A later merge adds images: the full-text index catches up (and only with the new ones).
"$PY" - <<'PY'
import sys; sys.path.insert(0, __import__("os").environ["WARCPAIRS_SRC"] + "/tests/e2e")
from warc_records import response_record
html = b'<html><body><main><p>A bike race in the rain.</p><img src="/x.jpg" alt="late bike race photo"></main></body></html>'
open("more.warc", "wb").write(response_record(99, "http://example.org/late.html", html))
PY
"$BIN" extract -q --out run more.warc > /dev/null
"$BIN" merge -q --out run > /dev/null
expect_exit 0 "$BIN" search --out run --match 'alt:bike AND alt:race' --dest match2.jsonl
expect_contains "$OUT" "search: 1 images added to the full-text index"
[ "$(wc -l < match2.jsonl)" -eq $((want + 1)) ] || fail "the index did not catch up with the new image"
# --match with a CLIP query: filter, then rank by similarity.
mpirun_np 2 "$BIN" search -q --out run --query-vector run/q.npy --match 'alt:bike AND alt:race' --top 30 \
  --dest both.jsonl > /dev/null
$PY "$GEN" check run 30 both.jsonl "SELECT image_id FROM images WHERE alt LIKE '%bike race%'"

# export --ids and review --ids take the list (JSON lines or CSV) as a filter.
"$BIN" export -q --out run --ids top1.jsonl --image-kinds all --format jsonl --dest ds > /dev/null
"$BIN" export -q --out run --ids top.csv --image-kinds all --format csv --dest ds-csv > /dev/null
$PY - <<'PY' || fail "export --ids"
import csv, json
want = {json.loads(l)["image_id"] for l in open("top1.jsonl")}
got = {json.loads(l)["image_id"] for l in open("ds/pairs.jsonl")}
assert got == want, (len(got), len(want), sorted(got ^ want)[:10])
got_csv = {int(r["image_id"]) for r in csv.DictReader(open("ds-csv/pairs.csv", newline=""))}
assert got_csv == want, (len(got_csv), len(want))
print(f"export --ids: the {len(want)} listed images, no other")
PY
"$BIN" review --out run --ids top1.jsonl --image-kinds all --url-file url.txt > review.log 2>&1 &
REVIEW=$!
trap 'kill $REVIEW 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s url.txt ] && break; sleep 0.1; done
[ -s url.txt ] || fail "review did not start: $(cat review.log)"
URL=$(cat url.txt)
COOKIE="warcpairs_review_$(sed 's#^http://127.0.0.1:\([0-9]*\)/.*#\1#' <<<"$URL")=${URL#*token=}"
shown=$(curl -s -b "$COOKIE" "${URL%%/?token=*}/api/pairs?limit=100" | $PY -c '
import json, sys
j = json.load(sys.stdin)
want = {json.loads(l)["image_id"] for l in open("top1.jsonl")}
ids = {p["image_id"] for p in j["pairs"]}
assert ids <= want, sorted(ids - want)[:5]
print(j["total"])')
kill $REVIEW
[ "$shown" = 60 ] || fail "review --ids showed $shown pairs, the list has 60"
expect_exit 2 "$BIN" export --out run --ids no-such-file --format jsonl --dest ds2
echo "x,y" > bad-ids.csv
expect_exit 2 "$BIN" export --out run --ids bad-ids.csv --format jsonl --dest ds3
expect_contains "$OUT" "bad-ids.csv line 1"

# Bad inputs: exit 2 with what to change; a damaged store file: exit 1 naming it.
expect_exit 2 "$BIN" search --out run --dest x.jsonl
expect_contains "$OUT" "nothing to search for"
expect_exit 2 "$BIN" search --out run --text "  " --dest x.jsonl
expect_contains "$OUT" "--text is empty"
expect_exit 2 "$BIN" search --out run --query-vector run/q.npy --where "no_such_column = 1" --dest x.jsonl
expect_contains "$OUT" "no such column"
expect_exit 2 "$BIN" search --out run --match 'bike AND' --dest x.jsonl
expect_contains "$OUT" "--match"
$PY -c "import numpy as np; np.save('q32.npy', np.ones(32, np.float32))"
expect_exit 2 mpirun_np 2 "$BIN" search --out run --query-vector q32.npy --dest x.jsonl
expect_contains "$OUT" "dimension mismatch"
"$BIN" extract -q --out empty "$WARCPAIRS_SRC/tests/e2e/data/sample-7-00000.warc.gz" > /dev/null
"$BIN" merge -q --out empty > /dev/null
expect_exit 2 "$BIN" search --out empty --query-vector run/q.npy --dest x.jsonl
expect_contains "$OUT" "no embeddings"
expect_exit 2 "$BIN" search --out nowhere --query-vector run/q.npy --dest x.jsonl
expect_contains "$OUT" "no database"
cp run/embeddings/part-1.npy part-1.keep
head -c 100000 part-1.keep > run/embeddings/part-1.npy
expect_exit 1 mpirun_np 3 "$BIN" search --out run --query-vector run/q.npy --dest x.jsonl
expect_contains "$OUT" "part-1.npy"
expect_contains "$OUT" "damaged .npy"
printf 'garbage' > run/embeddings/part-1.npy
expect_exit 1 "$BIN" search --out run --query-vector run/q.npy --dest x.jsonl
expect_contains "$OUT" "not a .npy file"
cp part-1.keep run/embeddings/part-1.npy
echo "search: OK"
