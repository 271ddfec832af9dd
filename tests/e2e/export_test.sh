#!/usr/bin/env bash
# export end to end: a run built the real way (a WARC whose pages point at a local HTTP server
# inside a loopback-only network namespace, extract, merge, score, merge) with exact duplicate
# images, a re-encoded near duplicate, tiny and stretched images, one-word descriptions, a noai
# opt-out and a German page; then every format, read back with Python's tarfile, json and csv
# and checked against the documented layouts; counts per cleaner; the split across two exports;
# a second rank; refusals (non-empty dest, no images).
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN

mkdir files
$PY - <<'PY'
from PIL import Image, ImageDraw
import random
def picture(seed, size=(320, 240)):
    r = random.Random(seed)
    im = Image.new("RGB", size, tuple(r.randrange(256) for _ in range(3)))
    d = ImageDraw.Draw(im)
    for _ in range(6):  # big shapes: low frequencies, what pHash looks at
        x, y = r.randrange(size[0]), r.randrange(size[1])
        d.rectangle([x, y, x + r.randrange(40, 160), y + r.randrange(40, 120)], fill=tuple(r.randrange(256) for _ in range(3)))
    return im
for i in range(10):
    picture(i).save(f"files/u{i}.jpg", quality=90)
picture(100).save("files/same.jpg", quality=90)
near = picture(100); ImageDraw.Draw(near).rectangle([150, 100, 162, 110], fill=(255, 255, 255))
near.save("files/near.jpg", quality=60)   # the same picture touched up, re-encoded: pHash close
picture(7, (24, 24)).save("files/tiny.jpg", quality=90)
picture(8, (480, 60)).save("files/wide.jpg", quality=90)
picture(200).save("files/de.jpg", quality=90)
picture(201).save("files/few.jpg", quality=90)
PY
serve_files files

# Pages: (lang, [(image path, alt)]). same.jpg three times under three URLs (the same bytes:
# exact duplicates), near.jpg once.
PYTHONPATH="$WARCPAIRS_SRC/tests/e2e" $PY - "$B" <<'PY'
import sys
from warc_records import response_record
b = sys.argv[1]
pages = [("en", [(f"/img/u{i}.jpg", f"a unique picture number {i}") for i in range(p * 2, p * 2 + 2)]) for p in range(5)]
pages += [
    ("en", [("/img/same.jpg", "the shared picture first"), ("/img/same.jpg?copy=1", "the shared picture again")]),
    ("en", [("/img/same.jpg?copy=2", "the shared picture third"), ("/img/near.jpg", "the shared picture recompressed")]),
    ("en", [("/img/tiny.jpg", "a tiny little icon"), ("/img/wide.jpg", "a very wide banner image")]),
    ("en", [("/noai", "an opted out picture"), ("/img/few.jpg", "word")]),
    ("de", [("/img/de.jpg", "ein deutsches Bild hier")]),
]
out = []
for n, (lang, imgs) in enumerate(pages):
    # few.jpg says it is an icon (class): the one pair --image-kinds content leaves out.
    # The German page's text is German: the languages cleaner reads the detected language.
    before, after = (("Der Stadtrat hat am Dienstag beschlossen, die Straßenbahn bis zum Flughafen zu verlängern.",
                      "Die neue Linie soll im nächsten Sommer fertig sein.") if lang == "de"
                     else ("Some text before the image.", "After it."))
    body = "".join(f'<p>{before}</p><img src="{b}{src}" alt="{alt}"'
                   + (' class="icon"' if src == "/img/few.jpg" else '') + f'><p>{after}</p>' for src, alt in imgs)
    html = f'<html lang="{lang}"><head><title>page {n}</title></head><body>{body}</body></html>'.encode()
    out.append(response_record(n, f"http://site{n}.test/page{n}", html))
open("pages.warc", "wb").write(b"".join(out))
PY
"$BIN" extract -q --out run pages.warc > /dev/null
"$BIN" merge -q --out run > /dev/null
PAIRS=19
[ "$(sqlite3 run/warcpairs.sqlite "SELECT count(*) FROM images WHERE alt <> ''")" = $PAIRS ] || fail "expected $PAIRS pairs"

echo "== before score: csv and jsonl work, image formats are refused"
expect_exit 0 "$BIN" export --out run --image-kinds all --dest pre.csv --format csv
[ "$(($(wc -l < pre.csv/pairs.csv) - 1))" = $PAIRS ] || fail "pre-score csv rows"
expect_exit 2 "$BIN" export --out run --image-kinds all --dest pre.wds --format webdataset
expect_contains "$OUT" "warcpairs score"
[ -e pre.wds ] && fail "a refused export left its folder"

"$BIN" score -q --out run --allow-loopback --rows-per-shard 8 --image-kinds all > /dev/null
"$BIN" merge -q --out run > /dev/null
[ "$(sqlite3 run/warcpairs.sqlite "SELECT outcome, count(*) FROM scores GROUP BY outcome ORDER BY outcome" | tr '\n' ' ')" = "noai|1 ok|18 " ] \
  || fail "scores: $(sqlite3 run/warcpairs.sqlite "SELECT outcome, count(*) FROM scores GROUP BY outcome")"
# The near duplicate really is near (and the unique pictures are not): checked on the stored pHashes.
$PY - run/warcpairs.sqlite <<'PY' || fail "test images: pHash distances not as designed"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
h = {u: p & (2**64 - 1) for u, p in db.execute("SELECT url, phash FROM scores WHERE outcome = 'ok'")}
same = [p for u, p in h.items() if "/same.jpg" in u][0]
near = [p for u, p in h.items() if "/near.jpg" in u][0]
d = bin(same ^ near).count("1")
assert d <= 6, d
others = [p for u, p in h.items() if "/u" in u and "?" not in u]
worst = min(bin(a ^ b).count("1") for i, a in enumerate(others) for b in others[i + 1:])
assert worst > 8, worst
print("near", d, "closest distinct", worst)
PY

cat > cleaners.toml <<'TOML'
# the chain, in order
[cleaners]
min_width = 50
max_aspect_ratio = 4.0
min_words = 2
exact_duplicates = true
near_duplicates = 6
languages = ["en"]
TOML
export_run() { "$BIN" export --out run --image-kinds all --cleaners cleaners.toml --validation-fraction 0.5 --shard-size 4 "$@"; }

echo "== webdataset"
export_run --dest wds --format webdataset > wds.log
cat wds.log
# noai 1, min_width 1 (tiny), max_aspect_ratio 1 (wide), min_words 1 ("word"), exact 2
# (same.jpg copies 1 and 2), near 1 (near.jpg), languages 1 (de): 19 - 8 = 11 kept.
for want in "noai .* dropped 1" "no_image .* dropped 0" "min_width .* dropped 1" "max_aspect_ratio .* dropped 1" \
            "min_words .* dropped 1" "exact_duplicates .* dropped 2" "near_duplicates .* dropped 1" "languages .* dropped 1" \
            "19 pairs read, 11 kept"; do
  grep -q -- "$want" wds.log || fail "webdataset summary lacks '$want'"
done
$PY - wds <<'PY' || fail "webdataset layout"
import glob, json, os, sys, tarfile
d = sys.argv[1]
shards = sorted(os.path.basename(p) for p in glob.glob(d + "/*.tar"))
assert shards and all(s.startswith(("train-", "validation-")) for s in shards), shards
keys = {}
for s in shards:
    with tarfile.open(os.path.join(d, s)) as t:
        members = t.getmembers()
        assert len(members) % 3 == 0
        n = 0
        # WebDataset groups consecutive members by the name before the first dot.
        for i in range(0, len(members), 3):
            group = members[i:i + 3]
            prefix = {m.name.split(".", 1)[0] for m in group}
            assert len(prefix) == 1, [m.name for m in group]
            key = prefix.pop()
            assert key not in keys, key
            data = {m.name.split(".", 1)[1]: t.extractfile(m).read() for m in group}
            assert set(data) == {"jpg", "txt", "json"}, data.keys()
            assert data["jpg"][:2] == b"\xff\xd8", key
            meta = json.loads(data["json"])
            assert meta["key"] == key and meta["text"] == data["txt"].decode()
            assert meta["split"] == s.split("-")[0], (meta["split"], s)
            assert len(meta["sha256"]) == 64 and meta["language"] == "en" and meta["width"] >= 50
            keys[key] = meta
            n += 1
        assert n <= 4, (s, n)  # --shard-size 4
assert len(keys) == 11, len(keys)
texts = [m["text"] for m in keys.values()]
assert sum("shared picture" in t for t in texts) == 1, texts   # one of four copies/near copies
assert not any(t in ("word", "a tiny little icon", "a very wide banner image", "an opted out picture") for t in texts)
by_page = {}
for m in keys.values(): by_page.setdefault(m["page_url"], set()).add(m["split"])
assert all(len(s) == 1 for s in by_page.values()), by_page   # a page is in one split
print(len(keys), "samples in", len(shards), "shards")
PY
grep -q "| kept | 11 |" wds/README.md || fail "card: kept count"
grep -q "| near_duplicates | phash hamming <= 6 | 1 |" wds/README.md || fail "card: near_duplicates row"
grep -q "noai" wds/README.md || fail "card: licence notes on noai"
ls -d wds.tmp-* 2>/dev/null && fail "temporary folder left"

echo "== the split is the same in a second export, and with 2 ranks"
mpirun_np 2 "$BIN" export --out run --image-kinds all --cleaners cleaners.toml --validation-fraction 0.5 --shard-size 4 -q --dest wds2 --format webdataset
list() { for t in "$1"/*.tar; do $PY -c 'import sys, tarfile; print("\n".join(sys.argv[2] + " " + n for n in tarfile.open(sys.argv[1]).getnames()))' "$t" "$(basename "$t")"; done; }
diff <(list wds) <(list wds2) || fail "two exports (1 and 2 ranks) differ in their shards"
diff <(grep -v "^- command:" wds/README.md) <(grep -v "^- command:" wds2/README.md) || fail "the cards of the two exports differ"

echo "== imagefolder"
export_run --dest hf --format imagefolder -q
$PY - hf <<'PY' || fail "imagefolder layout"
import json, os, sys
d = sys.argv[1]
assert sorted(x for x in os.listdir(d)) == ["README.md", "train", "validation"], os.listdir(d)
total = 0
for split in ("train", "validation"):
    rows = [json.loads(l) for l in open(os.path.join(d, split, "metadata.jsonl"))]
    files = {os.path.relpath(os.path.join(r, f), os.path.join(d, split))
             for r, _, fs in os.walk(os.path.join(d, split)) for f in fs if f.endswith(".jpg")}
    names = [r["file_name"] for r in rows]
    assert set(names) == files and len(names) == len(files), (names, files)  # file_name relative to metadata.jsonl
    for r in rows:
        assert r["split"] == split and r["text"] and r["page_url"]
        assert open(os.path.join(d, split, r["file_name"]), "rb").read(2) == b"\xff\xd8"
    total += len(rows)
assert total == 11, total
PY

mpirun_np 2 "$BIN" export --out run --image-kinds all --cleaners cleaners.toml --validation-fraction 0.5 --shard-size 4 -q --dest hf2 --format imagefolder
diff -r hf hf2 | grep -v "^diff -r\|^[<>] - command:\|^---\|^[0-9c,]*$" && fail "imagefolder from 2 ranks differs from 1 rank"

echo "== csv and jsonl, the same pairs and splits"
export_run --dest csv --format csv -q
export_run --dest jsonl --format jsonl -q
$PY - csv/pairs.csv jsonl/pairs.jsonl wds <<'PY' || fail "csv / jsonl"
import csv, glob, json, os, sys, tarfile
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
lines = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == len(lines) == 11
# Every format's card lists the CSV header's columns in its table, and every JSON form has them.
def card_columns(path):
    card = open(path, encoding="utf-8").read()
    table = card.split("| column | meaning |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    return [line.split(" | ", 1)[0][2:] for line in table.splitlines()]
header = list(rows[0])
for d in ("csv", "jsonl", "wds", "hf"):
    assert card_columns(os.path.join(d, "README.md")) == header, (d, card_columns(os.path.join(d, "README.md")), header)
assert set(lines[0]) == set(header), set(lines[0]) ^ set(header)
meta = json.loads(open("hf/train/metadata.jsonl").readline())
assert set(meta) == set(header) | {"file_name"}, set(meta) ^ set(header)
for want in ("crawl_date", "description_source", "machine_text"):
    assert want in header, want
# No span model, no review in this run: every description is the alt text.
assert {r["description_source"] for r in rows} == {"alt"}, {r["description_source"] for r in rows}
assert all(r["crawl_date"] for r in rows)
wds = {}
for p in glob.glob(sys.argv[3] + "/*.tar"):
    for m in tarfile.open(p):
        if m.name.endswith(".json"):
            j = json.load(tarfile.open(p).extractfile(m)); wds[j["key"]] = j["split"]
for r, j in zip(rows, lines):
    assert r["key"] == j["key"] and r["text"] == j["text"] and r["split"] == j["split"] == wds[r["key"]]
    assert len(r["phash"]) == 16 and int(r["width"]) == j["width"]
PY

echo "== command line cleaners, noai kept on request, refusals"
expect_exit 0 "$BIN" export --out run --image-kinds all --dest cli --format jsonl --min-words 3 --include-noai
[ "$(wc -l < cli/pairs.jsonl)" = 17 ] || fail "--include-noai --min-words 3: expected 17 (the noai pair has no image; 'word' dropped)"
expect_contains "$OUT" "min_words"
expect_exit 2 "$BIN" export --out run --image-kinds all --dest cli --format jsonl
expect_contains "$OUT" "not empty"
expect_exit 0 "$BIN" export --out run --image-kinds all --dest cli --format jsonl --overwrite --min-words 5
[ "$(wc -l < cli/pairs.jsonl)" = 11 ] || fail "--overwrite --min-words 5: expected 11 (7 descriptions of 1-4 words, 1 noai)"
# The near-duplicate threshold: the pair is dropped at its measured distance, kept one below.
d=$($PY -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); h = dict(db.execute("SELECT url LIKE \"%/near.jpg\", phash FROM scores WHERE url LIKE \"%/same.jpg\" OR url LIKE \"%/near.jpg\""))
print(bin((h[0] ^ h[1]) & (2**64 - 1)).count("1"))' run/warcpairs.sqlite)
if [ "$d" -gt 0 ]; then
  expect_exit 0 "$BIN" export --out run --image-kinds all --dest near-below --format jsonl --exact-duplicates true --near-duplicates $((d - 1))
  expect_contains "$OUT" "19 pairs read, 16 kept"   # noai, the two exact copies
fi
expect_exit 0 "$BIN" export --out run --image-kinds all --dest near-at --format jsonl --exact-duplicates true --near-duplicates "$d"
expect_contains "$OUT" "19 pairs read, 15 kept"     # ... and near.jpg
# No CLIP scores in this run: an unknown similarity cannot pass --min-clip.
expect_exit 0 "$BIN" export --out run --image-kinds all --dest clip --format csv --min-clip 0.1
[ "$(wc -l < clip/pairs.csv)" = 1 ] || fail "--min-clip without CLIP scores should keep no pair"
# Killed before the finished folder is renamed into place: no DEST, only the temporary.
set +e
WARCPAIRS_CRASH_AT=export_before_publish "$BIN" export --out run --image-kinds all --dest killed --format webdataset > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 137 ] || fail "the crash point should SIGKILL export (137), got $rc"
[ -e killed ] && fail "a killed export left a half dataset at its destination"
ls -d killed.tmp-* > /dev/null || fail "expected the killed export's temporary folder"
echo "== image kinds: by default only content; few.jpg's class calls it an icon"
expect_exit 0 "$BIN" export --out run --dest kinds-default --format csv
expect_contains "$OUT" "image-kinds"
expect_contains "$OUT" "skipped icon 1"
expect_exit 0 "$BIN" export --out run --dest kinds-all --format csv --image-kinds content,icon
[ "$(wc -l < kinds-all/pairs.csv)" = "$(($(wc -l < kinds-default/pairs.csv) + 1))" ] \
  || fail "--image-kinds content,icon should keep exactly the one icon pair more"
grep -q "image-kinds | content (skipped: icon) | 1" kinds-default/README.md || fail "dataset card lacks the kind count"
expect_exit 2 "$BIN" export --out run --dest bad --format csv --image-kinds content,photo
expect_contains "$OUT" "no kind 'photo'"
echo "== image kinds: score skips non-content pairs by default, counts them, records the choice"
"$BIN" extract -q --out kinds pages.warc > /dev/null
"$BIN" merge -q --out kinds > /dev/null
expect_exit 0 "$BIN" score --out kinds --allow-loopback --rows-per-shard 8
expect_contains "$OUT" "pairs skipped by image kind (--image-kinds content): icon 1"
"$BIN" merge -q --out kinds > /dev/null
[ "$(sqlite3 kinds/warcpairs.sqlite 'SELECT count(*) FROM scores')" = $((PAIRS - 1)) ] || fail "score should skip the icon pair"
$PY -c 'import json, sys; assert json.load(open(sys.argv[1]))["skipped_kinds"] == {"icon": 1}' kinds/score-stats.json \
  || fail "score-stats.json: skipped_kinds"
expect_exit 2 "$BIN" score --out kinds --allow-loopback --image-kinds all  # the ids are covered: refused
expect_contains "$OUT" "image-kinds"
printf '[cleaners]\nbogus = 1\n' > bad.toml
expect_exit 2 "$BIN" export --out run --image-kinds all --dest bad --format csv --cleaners bad.toml
expect_contains "$OUT" "unknown cleaner"
expect_exit 2 "$BIN" export --out run --image-kinds all --dest bad --format csv --near-duplicates -1
[ -e bad ] && fail "a refused export left its folder"
echo "PASS"
