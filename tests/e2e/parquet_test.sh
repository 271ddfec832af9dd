#!/usr/bin/env bash
# Parquet in and out, end to end:
#   a list written by hyparquet-writer (npm; columns URL and TEXT, nulls, non-ASCII) scored with
#   `score --pairs list.parquet --url-col URL --caption-col TEXT`, then `export --format parquet
#   --embed-images` read back with hyparquet: the same rows as the JSON-lines export of the run,
#   the image bytes those of RUN/images, the layout Hugging Face's parquet loader splits by name;
#   the list run reviewed (its pairs listed as -row, images served, an edit and a reject over the
#   API) and exported again with those decisions applied;
#   a WARC run before scoring exported as Parquet; refusals (--embed-images with csv, on an
#   unscored run, a malformed or column-less list) with exit 2 and a message naming the file.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
PEERS=$WARCPAIRS_SRC/tests/parquet_peers
command -v node >/dev/null || fail "node not found (bash env/install-debian.sh installs nodejs and npm)"
[ -d "$PEERS/node_modules/hyparquet-writer" ] || (cd "$PEERS" && npm ci --no-audit --no-fund) || fail "npm ci in tests/parquet_peers failed"

mkdir files
$PY - <<'PY'
from PIL import Image
for i in range(6):
    Image.new("RGB", (64 + 8 * i, 48), (40 * i, 255 - 40 * i, 90)).save(f"files/p{i}.jpg", quality=90)
PY
serve_files files

echo "== a Parquet list from hyparquet-writer, scored with --url-col / --caption-col"
node "$PEERS/crosscheck.mjs" list list.parquet "$B" || fail "hyparquet-writer could not write the list"
expect_exit 2 "$BIN" score -q --out nocol --pairs list.parquet --allow-loopback
expect_contains "$OUT" "list.parquet: no \`url\` column (it has URL, TEXT, similarity); name it with --url-col"
"$BIN" score -q --out run --pairs list.parquet --url-col URL --caption-col TEXT --allow-loopback --retries 0 --timeout 5 > /dev/null
"$BIN" merge -q --out run > /dev/null
[ "$(sqlite3 run/warcpairs.sqlite "SELECT group_concat(outcome) FROM (SELECT outcome FROM scores ORDER BY list_row)")" = "ok,ok,ok,ok,ok,http_error" ] \
  || fail "list outcomes: $(sqlite3 run/warcpairs.sqlite 'SELECT list_row, outcome FROM scores')"
[ "$(sqlite3 run/warcpairs.sqlite "SELECT caption FROM scores WHERE list_row = 2")" = "Straße im Schnee – 雪" ] || fail "non-ASCII caption"
# A rerun naming other columns is another list: refused, saying why.
expect_exit 2 "$BIN" score -q --out run --pairs list.parquet --url-col URL --caption-col URL --allow-loopback
expect_contains "$OUT" "--caption-col was TEXT in the earlier run, URL now"
# A column of numbers is no caption column.
expect_exit 2 "$BIN" score -q --out run --pairs list.parquet --url-col URL --caption-col similarity --allow-loopback
expect_contains "$OUT" "column similarity holds DOUBLE values, not strings"

echo "== export --format parquet --embed-images of the list run, read with hyparquet"
"$BIN" export -q --out run --dest pq --format parquet --embed-images --validation-fraction 0.5 --shard-size 2 > /dev/null
"$BIN" export -q --out run --dest js --format jsonl --validation-fraction 0.5 > /dev/null
ls pq/data > files.txt
grep -qv -E '^(train|validation)-[0-9]{6}\.parquet$' files.txt && fail "unexpected files in pq/data: $(cat files.txt)"
for f in pq/data/*.parquet; do node "$PEERS/crosscheck.mjs" read "$f" >> pq.jsonl || fail "hyparquet cannot read $f"; done
$PY - run <<'PY' || fail "the Parquet export differs from the JSON-lines export"
import glob, json, sys, tarfile
pq = [json.loads(l) for l in open("pq.jsonl")]
js = {r["key"]: r for r in map(json.loads, open("js/pairs.jsonl"))}
assert len(pq) == len(js) == 4, (len(pq), len(js))  # the null caption and the 404 are not pairs
images = {}  # (tar, member) -> bytes; a list run's members are named after the list row
for t in glob.glob(sys.argv[1] + "/images/*.tar"):
    with tarfile.open(t) as tar:
        for m in tar.getmembers():
            if m.name.endswith(".jpg"):
                images[(t.rsplit("/", 1)[1], m.name)] = tar.extractfile(m).read()
for r in pq:
    key = r["key"]
    want = js[key]
    for col, v in want.items():
        assert r[col] == v, (key, col, r[col], v)
    assert r["image.path"] == key + ".jpg", r["image.path"]
    assert bytes.fromhex(r["image.bytes"]["hex"]) == images[(r["tar"], "%09d.jpg" % r["list_row"])], key
    assert r["split"] in ("train", "validation")
print(len(pq), "rows equal to jsonl, images equal to RUN/images")
PY
grep -q 'load_dataset("parquet"' pq/README.md || fail "the card does not say how to load the Parquet files"
# Two ranks write the shards between them: the same files, byte for byte.
mpirun_np 2 "$BIN" export -q --out run --dest pq2 --format parquet --embed-images --validation-fraction 0.5 --shard-size 2 > /dev/null
diff -r pq/data pq2/data > /dev/null || fail "2 ranks wrote other Parquet files than 1"

echo "== review of the list run: list pairs listed (id -row), their images served, decisions exported"
"$BIN" review --out run --port 0 --reviewer e2e --url-file review.url > review.log 2>&1 &
REVIEW=$!
trap 'kill $SERVER $REVIEW 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s review.url ] && break; sleep 0.1; done
[ -s review.url ] || fail "review did not start: $(cat review.log)"
url=$(cat review.url)
base=${url%%/?token=*}
curl -s -c jar -b jar -o /dev/null "$url"
curl -s -b jar "$base/api/pairs?limit=50" > pairs.json
$PY - <<'PY' || fail "review lists: $(head -c 600 pairs.json)"
import json
page = json.load(open("pairs.json"))
ids = [p["image_id"] for p in page["pairs"]]
# Row 3's caption is null (no pair); row 6 (the 404) is a pair without an image, shown as the
# database's failed downloads are (export's no_image cleaner drops it).
assert ids == [-1, -2, -4, -5, -6], ids
assert page["pairs"][0]["image"] == "/image/-1" and page["pairs"][4]["image"] is None, page["pairs"]
PY
curl -s -b jar -o img.jpg "$base/image/-2"
[ "$(head -c 3 img.jpg | od -An -tx1 | tr -d ' ')" = ffd8ff ] || fail "review does not serve list row 2's JPEG"
post() { curl -s -b jar -H 'Content-Type: application/json' -d "$1" "$base/api/decisions"; }
post '{"image_id": -1, "action": "edit", "text": "a person wrote this", "expected": 0, "reviewer": "e2e"}' > d1.json
post '{"image_id": -2, "action": "reject", "expected": 0, "reviewer": "e2e"}' > d2.json
grep -q '"action":"edit"' d1.json || fail "edit of list row 1: $(cat d1.json)"
kill $REVIEW; wait $REVIEW 2>/dev/null || true
"$BIN" export -q --out run --dest reviewed --format parquet --validation-fraction 0 > /dev/null
node "$PEERS/crosscheck.mjs" read reviewed/data/train-000000.parquet > reviewed.jsonl
$PY - <<'PY' || fail "review decisions on list pairs not in the export: $(cat reviewed.jsonl)"
import json
rows = {r["list_row"]: r for r in map(json.loads, open("reviewed.jsonl"))}
assert 2 not in rows, "the rejected list pair was exported"
assert rows[1]["text"] == "a person wrote this" and rows[1]["description_source"] == "review", rows[1]
assert rows[1]["review"] == "edited" and rows[1]["machine_text"] == "a red square", rows[1]
assert sorted(rows) == [1, 4, 5], sorted(rows)
print("list pairs reviewed and exported:", sorted(rows))
PY

echo "== a WARC run before scoring: Parquet without images; refusals"
PYTHONPATH="$WARCPAIRS_SRC/tests/e2e" $PY - "$B" <<'PY'
import sys
from warc_records import response_record
b = sys.argv[1]
html = lambda n: (f'<html lang="de"><body><p>Text vor dem Bild.</p><img src="{b}/img/p{n}.jpg" alt="Bild Nummer {n} – schön">'
                  f'<p>Danach.</p></body></html>').encode()
open("pages.warc", "wb").write(b"".join(response_record(n, f"http://site{n}.test/", html(n)) for n in range(3)))
PY
"$BIN" extract -q --out wrun pages.warc > /dev/null
"$BIN" merge -q --out wrun > /dev/null
expect_exit 2 "$BIN" export --out wrun --dest wbad --format parquet --embed-images
expect_contains "$OUT" "no images to embed"
expect_exit 2 "$BIN" export --out run --dest cbad --format csv --embed-images
expect_contains "$OUT" "--embed-images is for --format parquet"
"$BIN" export -q --out wrun --dest wpq --format parquet --image-kinds all --validation-fraction 0 > /dev/null
"$BIN" export -q --out wrun --dest wjs --format jsonl --image-kinds all --validation-fraction 0 > /dev/null
node "$PEERS/crosscheck.mjs" read wpq/data/train-000000.parquet > wpq.jsonl
$PY - <<'PY' || fail "WARC run: Parquet differs from JSON lines"
import json
a = [json.loads(l) for l in open("wpq.jsonl")]
b = [json.loads(l) for l in open("wjs/pairs.jsonl")]
assert len(a) == len(b) == 3 and a == b, (a, b)
assert isinstance(a[0]["image_id"], int) and a[0]["width"] is None and "schön" in a[0]["text"]
print(len(a), "rows equal")
PY

echo "== a malformed list: exit 2 naming the file"
head -c 100 list.parquet > cut.parquet
expect_exit 2 "$BIN" score -q --out cut --pairs cut.parquet --allow-loopback
expect_contains "$OUT" "cut.parquet"
echo "parquet: ok"
