#!/usr/bin/env bash
# search with the tiny generated CLIP, end to end on a loopback server (a loopback-only network
# namespace, as score_test.sh): extract → merge → score --clip (2 ranks) keeps each image's
# embedding in its shard → merge writes RUN/embeddings (numpy and h5py read them; a second merge
# adds nothing; a merge killed between the files and its commit leaves nothing half) → search --text / --image (2 ranks) → export --ids. The similarity search reports
# for an image and its own caption equals the clip_caption score computed it (same towers).
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN

mkdir files
$PY - <<'PY'
from PIL import Image
import random
random.seed(3)
for i in range(10):
    im = Image.new("RGB", (96 + 8 * i, 80), (25 * i, 200 - 15 * i, (60 * i) % 256))
    for k in range(400):
        im.putpixel((random.randrange(im.width), random.randrange(im.height)), (255, 255, 255))
    im.save(f"files/a{i}.jpg", quality=92)
PY
serve_files files
$PY - "$B" <<'PY'
import sys
sys.path.insert(0, __import__("os").environ["WARCPAIRS_SRC"] + "/tests/e2e")
from warc_records import response_record
b = sys.argv[1]
words = ["red bike race", "blue river boat", "green forest path", "old stone bridge", "yellow taxi cab",
         "black cat sleeping", "white mountain peak", "orange sunset sky", "brown horse field", "grey city street"]
with open("pages.warc", "wb") as f:
    for p in range(2):
        body = "".join(f'<p>Story {p}-{i}: a long paragraph about the {words[5 * p + i]} seen today.</p>'
                       f'<img src="{b}/img/a{5 * p + i}.jpg" alt="a photo of a {words[5 * p + i]}">' for i in range(5))
        html = f"<html><head><title>Page {p}</title></head><body><main>{body}</main></body></html>"
        f.write(response_record(p + 1, f"http://example.org/p{p}.html", html.encode()))
PY
"$BIN" extract -q --out run pages.warc > /dev/null
"$BIN" merge -q --out run > /dev/null
"$BIN" checkpoint clip --out clip --bpe "$WARCPAIRS_SHARED/data/vocab/clip-bpe_simple_vocab_16e6.txt.gz" > /dev/null
mpirun_np 2 "$BIN" score -q --out run --allow-loopback --retries 0 --timeout 10 --clip clip \
  --rows-per-shard 4 --image-kinds all > /dev/null
DB=run/warcpairs.sqlite
# Killed after a shard's .npy files are in place, before its merge commits: no part names them,
# and the rerun writes them again; every embedding ends up in the store once.
WARCPAIRS_CRASH_AT=merge_embeddings_written expect_exit 137 "$BIN" merge --out run
ls run/embeddings/*.npy > /dev/null || fail "the killed merge wrote no .npy file"
[ "$(sqlite3 $DB "SELECT count(*) FROM embedding_parts")" = 0 ] || fail "a part of an uncommitted merge is listed"
$PY -c "import numpy as np; np.save('q.npy', np.ones(16, np.float32))"
expect_exit 2 "$BIN" search --out run --query-vector q.npy --dest x.jsonl
expect_contains "$OUT" "no embeddings"
expect_exit 0 "$BIN" merge --out run
expect_contains "$OUT" "10 CLIP embeddings into"

[ "$(sqlite3 $DB "SELECT count(*) FROM scores WHERE clip_caption IS NOT NULL")" = 10 ] || fail "not every image was CLIP-scored"
$PY - <<'PY' || fail "the embeddings store"
import glob, sqlite3
import h5py, numpy as np
db = sqlite3.connect("run/warcpairs.sqlite")
parts = db.execute("SELECT part_id, file, rows, dim FROM embedding_parts ORDER BY part_id").fetchall()
assert sum(p[2] for p in parts) == 10, parts
seen = set()
for part_id, file, rows, dim in parts:
    v = np.load(f"run/embeddings/{file}")            # one line, as docs/storage.md says
    ids = np.load(f"run/embeddings/{file[:-4]}.ids.npy")
    assert v.dtype == np.float16 and v.shape == (rows, dim) and ids.dtype == np.int64 and ids.shape == (rows,)
    n = np.linalg.norm(v.astype(np.float32), axis=1)
    assert np.all(np.abs(n - 1) < 3e-3), n
    for r, i in enumerate(ids):
        assert db.execute("SELECT part_id, row FROM image_embeddings WHERE image_id = ?", (int(i),)).fetchone() == (part_id, r)
        seen.add(int(i))
assert seen == {r[0] for r in db.execute("SELECT image_id FROM scores WHERE clip_caption IS NOT NULL")}
shards = [s for s in glob.glob("run/shards/score-*.h5")]
for s in shards:
    with h5py.File(s) as f:
        if "embeddings" in f:
            assert f["embeddings/vector"].dtype == np.float16 and f["embeddings/vector"].shape[0] == f["embeddings/image"].shape[0]
print(f"{len(parts)} parts, 10 embeddings, unit length, h5py reads the shards' float16")
PY
ls run/embeddings/*.tmp 2>/dev/null && fail "temporary files left"
expect_exit 0 "$BIN" merge --out run
[ "$(sqlite3 $DB "SELECT count(*) FROM image_embeddings")" = 10 ] || fail "a second merge changed the store"

# A text query: the image whose caption it is scores its clip_caption.
caption=$(sqlite3 $DB "SELECT caption FROM scores WHERE image_id = 4")
want=$(sqlite3 $DB "SELECT clip_caption FROM scores WHERE image_id = 4")
mpirun_np 2 "$BIN" search -q --out run --clip clip --text "$caption" --top 100 --dest text.jsonl > /dev/null
[ "$(wc -l < text.jsonl)" = 10 ] || fail "search found $(wc -l < text.jsonl) of 10 images"
$PY - "$want" <<'PY' || fail "--text similarity"
import json, sys
rows = [json.loads(l) for l in open("text.jsonl")]
sim = {r["image_id"]: r["similarity"] for r in rows}
assert abs(sim[4] - float(sys.argv[1])) < 5e-3, (sim[4], sys.argv[1])
keys = [(-r["similarity"], r["image_id"]) for r in rows]
assert keys == sorted(keys), keys
print(f"image 4: similarity {sim[4]:.5f}, its clip_caption {float(sys.argv[1]):.5f}")
PY
# An image query: the image itself is the nearest.
url3=$(sqlite3 $DB "SELECT image_id FROM images WHERE url LIKE '%/a3.jpg'")
mpirun_np 2 "$BIN" search -q --out run --clip clip --image files/a3.jpg --top 3 --dest image.jsonl > /dev/null
$PY - "$url3" <<'PY' || fail "--image"
import json, sys
rows = [json.loads(l) for l in open("image.jsonl")]
assert rows[0]["image_id"] == int(sys.argv[1]) and rows[0]["similarity"] > 0.99, rows[0]
print("the query image is found first:", rows[0])
PY
# Texts and an image together, --match as a filter; then export --ids turns the list into a dataset.
"$BIN" search -q --out run --clip clip --text "a bike" --text "a boat" --image files/a1.jpg \
  --match "photo" --min-similarity -1 --dest mixed.csv > /dev/null
[ "$(tail -n +2 mixed.csv | wc -l)" = 10 ] || fail "mixed query: $(cat mixed.csv)"
"$BIN" export -q --out run --ids text.jsonl --image-kinds all --format webdataset --dest ds > /dev/null
$PY - <<'PY' || fail "export --ids"
import glob, json, tarfile
got = set()
for p in glob.glob("ds/*.tar"):
    with tarfile.open(p) as t:
        got |= {json.load(t.extractfile(m))["image_id"] for m in t if m.name.endswith(".json")}
want = {json.loads(l)["image_id"] for l in open("text.jsonl")}
assert got == want, (got, want)
print(f"export --ids: {len(got)} samples with images")
PY
expect_exit 2 "$BIN" search --out run --text "bike" --dest x.jsonl
expect_contains "$OUT" "--clip"
echo "search with CLIP: OK"
