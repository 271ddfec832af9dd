#!/usr/bin/env bash
# Data added to a run is covered by a rerun of predict and score, exactly once: extract one
# WARC file, merge, predict, score; extract a second one into the same run, merge, predict and
# score again: the reruns do exactly the new image ids (stats), every image ends with one
# prediction and one score, a third run does nothing and says so, and the database equals
# that of a run that got both files at once. Shards named before the id-range ledger
# ("-cNNNNNN") still count as done. Runs in a loopback-only network namespace like score_test.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
[ -f "$VOCAB" ] || fail "missing $VOCAB (../shared beside the project)"

mkdir files
$PY - <<'PY'
from PIL import Image
for name in ("a", "b"):
    for i in range(6):
        Image.new("RGB", (64 + 8 * i, 48), (40 * i, 90, 120)).save(f"files/{name}{i}.jpg", quality=90)
PY
serve_files files
hits() { curl -s "$B/_hits?path=$1"; }
# a.warc and b.warc: 2 pages of 3 images each, every image its own URL on the server.
PYTHONPATH="$WARCPAIRS_SRC/tests/e2e" $PY - "$B" <<'PY'
import sys
from warc_records import response_record
base = sys.argv[1]
for name in ("a", "b"):
    records = []
    for p in range(2):
        imgs = "".join(f'<p>Some text before the picture of a {name} thing.</p>'
                       f'<img src="{base}/img/{name}{p * 3 + k}.jpg" alt="photo {name} {p}-{k}">'
                       f'<p>The text after it.</p>' for k in range(3))
        html = f"<html><head><title>{name} {p}</title></head><body>{imgs}</body></html>".encode()
        records.append(response_record(p, f"http://{name}.test/page{p}", html))
    open(f"{name}.warc", "wb").write(b"".join(records))
PY
"$BIN" checkpoint distilbert --out tiny --vocab "$VOCAB" > /dev/null
stat() { $PY -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
stat2() { $PY -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])" "$@"; }
sql() { sqlite3 run/warcpairs.sqlite "$1"; }
predict() { mpirun_np 2 "$BIN" predict --out "$1" --model tiny --rows-per-shard 4 --pool 8 --threads 1; }
score() { mpirun_np 2 "$BIN" score --out "$1" --allow-loopback --rows-per-shard 4; }

echo "== the first file: extract, merge, predict, score"
"$BIN" extract -q --out run a.warc
"$BIN" merge -q --out run > /dev/null
first=$(sql "SELECT max(image_id) FROM images")
[ "$first" = 6 ] || fail "a.warc: expected 6 images, got $first"
predict run > p1.log 2>&1 || fail "predict: $(cat p1.log)"
"$BIN" merge -q --out run > /dev/null
score run > s1.log 2>&1 || fail "score: $(cat s1.log)"
"$BIN" merge -q --out run > /dev/null
[ "$(sql "SELECT count(*) FROM scores")" = 6 ] || fail "first score: expected 6 scores"
for i in 0 1 2 3 4 5; do [ "$(hits /img/a$i.jpg)" = 1 ] || fail "a$i.jpg fetched $(hits /img/a$i.jpg) times"; done
cp -r run old   # for the old shard names, below

echo "== the second file into the same run: the reruns do exactly the new ids"
"$BIN" extract -q --out run a.warc b.warc
"$BIN" merge -q --out run > /dev/null
total=$(sql "SELECT max(image_id) FROM images")
[ "$total" = 12 ] || fail "a.warc + b.warc: expected 12 images, got $total"
predict run > p2.log 2>&1 || fail "predict: $(cat p2.log)"
"$BIN" merge -q --out run > /dev/null
[ "$(sql "SELECT count(*) FROM images i WHERE context <> '' AND
          (SELECT count(*) FROM predictions p WHERE p.image_id = i.image_id) = 1")" = 12 ] \
  || fail "expected every image with exactly one prediction: $(sql "SELECT image_id, count(p.model) FROM images LEFT JOIN predictions p USING(image_id) GROUP BY image_id")"
[ "$(stat run/predict-stats.json ids_planned)" = 6 ] || fail "second predict: expected the 6 new ids, stats: $(cat run/predict-stats.json)"
[ "$(stat run/predict-stats.json ids_already_covered)" = 6 ] || fail "second predict: expected 6 ids covered before"
[ "$(stat2 run/predict-stats.json last_attempt images)" = 6 ] || fail "second predict: expected 6 contexts predicted"
[ "$(stat run/predict-stats.json images)" = 12 ] || fail "predict-stats.json: expected 12 contexts over both attempts"
[ "$(stat run/predict-stats.json ids_covered)" = 12 ] || fail "predict-stats.json: expected 12 ids covered"
score run > s2.log 2>&1 || fail "score: $(cat s2.log)"
"$BIN" merge -q --out run > /dev/null
[ "$(sql "SELECT count(*) FROM images i WHERE
          (SELECT count(*) FROM scores s WHERE s.image_id = i.image_id) = 1")" = 12 ] \
  || fail "expected every image scored exactly once: $(sql "SELECT image_id, count(s.outcome) FROM images LEFT JOIN scores s USING(image_id) GROUP BY image_id")"
[ "$(stat run/score-stats.json ids_planned)" = 6 ] || fail "second score: expected the 6 new ids, stats: $(cat run/score-stats.json)"
[ "$(stat2 run/score-stats.json last_attempt pairs)" = 6 ] || fail "second score: expected 6 pairs"
[ "$(stat run/score-stats.json pairs)" = 12 ] || fail "score-stats.json: expected 12 pairs over both attempts"
for f in a0 a1 a2 a3 a4 a5 b0 b1 b2 b3 b4 b5; do
  [ "$(hits /img/$f.jpg)" = 1 ] || fail "$f.jpg fetched $(hits /img/$f.jpg) times, expected once"
done
[ "$(sql "SELECT count(*) FROM scores WHERE outcome = 'ok'")" = 12 ] || fail "expected 12 images stored"

echo "== a third run: nothing new, nothing done, and it says so"
expect_exit 0 predict run
expect_contains "$OUT" "nothing new: all 12 image ids are covered"
expect_contains "$OUT" "0 shards written"
expect_exit 0 score run
expect_contains "$OUT" "nothing new: all 12 ids are covered"
expect_contains "$OUT" "0 shards written"
for f in a0 b5; do [ "$(hits /img/$f.jpg)" = 1 ] || fail "a run with nothing new fetched $f.jpg"; done
# The stats describe the run, all its attempts: a no-op rerun adds nothing and zeroes nothing.
for stage in predict score; do
  [ "$(stat run/$stage-stats.json attempts)" = 3 ] || fail "$stage-stats.json: expected 3 attempts: $(cat run/$stage-stats.json)"
  [ "$(stat2 run/$stage-stats.json last_attempt shards_written)" = 0 ] || fail "$stage-stats.json: the no-op attempt wrote shards"
  [ "$(wc -l < run/logs/$stage-attempts.jsonl)" = 3 ] || fail "expected 3 lines in logs/$stage-attempts.jsonl"
done
[ "$(stat run/predict-stats.json images)" = 12 ] || fail "a no-op predict changed the totals: $(cat run/predict-stats.json)"
[ "$(stat run/score-stats.json pairs)" = 12 ] || fail "a no-op score changed the totals: $(cat run/score-stats.json)"

echo "== options that shape the output: recorded by the first run, a rerun with others refused"
max_length=$($PY -c "import json; print(json.load(open('run/predict-$(ls run/shards | sed -n 's/^predict-\([0-9a-f]*\)-.*/\1/p' | sed -n 1p)-options.json'))['max-length'])")
[ "$max_length" -gt 64 ] || fail "predict-<model>-options.json: max-length $max_length"
expect_exit 2 "$BIN" predict --out run --model tiny --threads 1 --max-length 64
expect_contains "$OUT" "--max-length was $max_length in the earlier run, 64 now"
expect_contains "$OUT" "--allow-mixed-options"
expect_exit 2 "$BIN" score --out run --allow-loopback --image-size 128
expect_contains "$OUT" "--image-size was 256 in the earlier run, 128 now"
expect_exit 2 "$BIN" score --out run --allow-loopback --span-model none
expect_contains "$OUT" "--span-model was fnv1a64:"
# The same options again (and ones that do not shape the output) are fine.
expect_exit 0 "$BIN" score --out run --allow-loopback --rows-per-shard 3 --connections 2
cp -r run mixed
rm mixed/shards/predict-*-000000009-000000012.h5
expect_exit 0 "$BIN" predict --out mixed --model tiny --threads 1 --max-length 64 --allow-mixed-options
expect_contains "$OUT" "1 shards written"
$PY - mixed/predict-*-range-options.jsonl <<'PY' || fail "the mixed range is not recorded: $(cat mixed/predict-*-range-options.jsonl)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines == [{"first": 9, "last": 12, "options": lines[0]["options"]}], lines
assert lines[0]["options"]["max-length"] == 64, lines
PY

echo "== both files at once: the same predictions and scores"
"$BIN" extract -q --out once a.warc b.warc
"$BIN" merge -q --out once > /dev/null
predict once > /dev/null 2>&1 || fail "predict once"
"$BIN" merge -q --out once > /dev/null
score once > /dev/null 2>&1 || fail "score once"
"$BIN" merge -q --out once > /dev/null
dump() {
  sqlite3 "$1/warcpairs.sqlite" "SELECT image_id, url, alt FROM images ORDER BY image_id;
    SELECT image_id, model, span_start, span_end, text FROM predictions ORDER BY image_id, model;
    SELECT image_id, url, caption, alt, outcome, width, height, sha256, phash, key FROM scores ORDER BY image_id"
}
diff <(dump run) <(dump once) || fail "the run that got its data in two goes differs from the one that got it at once"

echo "== shards named before the id-range ledger (-cNNNNNN) count as done"
(cd old/shards && for f in predict-*-0000000??-0000000??.h5 score-0000000??-0000000??.h5; do
   stem=${f%-*-*.h5}; first=${f#"$stem"-}; first=$((10#${first%%-*}))
   mv "$f" "$stem-c$(printf %06d $(( (first - 1) / 4 ))).h5"
 done)
ls old/shards/predict-*-c000001.h5 old/shards/score-c000001.h5 > /dev/null || fail "no old-style names made: $(ls old/shards)"
expect_exit 0 predict old
expect_contains "$OUT" "nothing new: all 6 image ids are covered"
expect_exit 0 score old
expect_contains "$OUT" "nothing new: all 6 ids are covered"
echo "PASS"
