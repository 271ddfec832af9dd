#!/usr/bin/env bash
# render end to end, inside a network namespace with only loopback (nothing can leave the
# machine): generated pages (text, a stylesheet and a font-size rule the archive serves, an
# image it lacks, a page whose script never lets it load) and 4 real pages of
# ../shared/data/warc-real, under mpirun -np 2. Checks: every request the browser made was
# answered from the archive or failed (counts), the hanging page counted as timeout and the
# browser restarted, crops are PNGs of the recorded size, token boxes lie in their crop, token
# ids equal `warcpairs tokenize` of the page text, a rerun does nothing, merge folds the shards
# into render_* tables, `analyze` draws the first crops with their boxes (one <rect> per token
# row) and counts renders as SQL does, and a run killed with SIGKILL and rerun gives the same rows.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
links=$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')
[ "$links" = "lo " ] || fail "not in a loopback-only network namespace: $links"
command -v chromium >/dev/null || fail "chromium is not installed (bash env/install-debian.sh)"

$PY "$WARCPAIRS_SRC/tests/e2e/render_pages.py" gen.warc --pages 5 --hang \
  --real "$WARCPAIRS_SHARED/data/warc-real/trafilatura-000.warc.gz" real.warc.gz

# --- one run of two ranks -------------------------------------------------------------------
expect_exit 0 mpirun_np 2 "$BIN" render --out run --vocab "$VOCAB" --page-timeout 4 --part-pages 2 gen.warc real.warc.gz
expect_contains "$OUT" "render: 2 files"
expect_contains "$OUT" "timeout=1"
expect_contains "$OUT" "browser closed after timeout on http://gen.example/hang.html"
$PY - <<'PY' || fail "render-stats.json"
import json
s = json.load(open("run/render-stats.json"))
assert s["pages"] == 10, s                      # 6 generated + 4 real
assert s["rendered"] == 9, s                    # all but the hanging page
assert s["failures"] == {"timeout": 1}, s
assert s["requests"] == s["fulfilled"] + s["failed_requests"], s
assert s["failed_requests"] >= 5, s             # the 5 missing images at least
assert s["browser_starts"] >= 2, s              # one per rank (the hung one is closed)
assert s["crops"] >= 5, s
PY

# --- a rerun does nothing; merge ------------------------------------------------------------
before=$(ls run/shards | sort)
expect_exit 0 "$BIN" render --out run --vocab "$VOCAB" gen.warc real.warc.gz
expect_contains "$OUT" "2 already done"
[ "$before" = "$(ls run/shards | sort)" ] || fail "a rerun of a finished run wrote shards"
expect_exit 0 "$BIN" merge --out run
expect_exit 0 "$BIN" merge --out run   # again: nothing twice

$PY - "$BIN" "$VOCAB" <<'PY' || fail "database rows"
import io, json, sqlite3, subprocess, sys
from PIL import Image
db = sqlite3.connect("run/warcpairs.sqlite")
q = lambda sql: db.execute(sql).fetchall()
assert q("PRAGMA user_version")[0][0] >= 8
assert q("SELECT count(*) FROM render_files")[0][0] == 2
assert q("SELECT count(*) FROM render_pages")[0][0] == 9
assert q("SELECT reason, count(*) FROM render_failures GROUP BY reason") == [("timeout", 1)]
assert q("SELECT count(*) FROM render_pages WHERE requests != fulfilled + failed")[0][0] == 0
gen = q("SELECT url, fulfilled, failed FROM render_pages WHERE url LIKE 'http://gen.example/p%' ORDER BY url")
assert len(gen) == 5 and all(f == 2 for _, f, _ in gen), gen   # the page and its stylesheet
crops = q("SELECT render_id, width, height, png, device_scale_factor, viewport_width, fonts, visible_tokens FROM renders")
assert len(crops) >= 5, len(crops)
for rid, w, h, png, dsf, vw, fonts, vis in crops:
    im = Image.open(io.BytesIO(png))
    assert im.format == "PNG" and im.size == (round(w * dsf), round(h * dsf)), (im.size, w, h)
    assert 100 <= h <= 256 and w <= 512 and vis >= 50 and vw == 1280, (w, h, vis)
    assert json.loads(fonts), fonts
bad = q("""SELECT count(*) FROM render_tokens t JOIN renders r USING(render_id)
           WHERE t.visible AND (t.x < -0.5 OR t.y < -0.5 OR t.x + t.width > r.width + 0.5 OR t.y + t.height > r.height + 0.5)""")
assert bad[0][0] == 0, bad
# Token ids: the same as `warcpairs tokenize` of the page text, at the same positions.
for page_id, text in q("SELECT render_page_id, text FROM render_pages WHERE crops > 0 LIMIT 3"):
    out = subprocess.run([sys.argv[1], "tokenize", "--vocab", sys.argv[2]], input=text.replace("\n", " ") + "\n",
                         capture_output=True, text=True, check=True).stdout
    ids = json.loads(out.splitlines()[0])["ids"]
    if ids and ids[0] == 101: ids = ids[1:-1]   # [CLS] ... [SEP]
    rows = q(f"""SELECT DISTINCT position, token_id FROM render_tokens JOIN renders USING(render_id)
                 WHERE render_page_id = {page_id}""")
    assert rows, page_id
    for pos, tid in rows:
        assert ids[pos] == tid, (page_id, pos, ids[pos], tid)
print("crops", len(crops), "token boxes", q("SELECT count(*) FROM render_tokens")[0][0])
PY

# --- export --what renders: webdataset, imagefolder, csv ----------------------------------------
for fmt in webdataset imagefolder csv; do
  expect_exit 0 "$BIN" export --out run --what renders --format $fmt --dest "ds-$fmt"
  expect_contains "$OUT" "crops of rendered pages"
done
expect_exit 2 "$BIN" export --out run --what renders --format jsonl --dest ds-jsonl
$PY <<'PY' || fail "exported renders"
import csv, glob, io, json, sqlite3, tarfile
from PIL import Image
db = sqlite3.connect("run/warcpairs.sqlite")
n = db.execute("SELECT count(*) FROM renders").fetchone()[0]
boxes = dict(db.execute("SELECT render_id, count(*) FROM render_tokens GROUP BY render_id").fetchall())
# WebDataset: <key>.png + <key>.json per crop, the json's tokens = the crop's boxes.
members = {}
for t in sorted(glob.glob("ds-webdataset/renders-*.tar")):
    with tarfile.open(t) as tar:
        for m in tar.getmembers():
            members[m.name] = tar.extractfile(m).read()
keys = sorted({k.split(".")[0] for k in members})
assert len(keys) == n, (len(keys), n)
for k in keys:
    meta = json.loads(members[k + ".json"])
    assert Image.open(io.BytesIO(members[k + ".png"])).size == (round(meta["region"]["width"]), round(meta["region"]["height"]))
    assert len(meta["tokens"]) == boxes.get(int(k), 0), k
    assert all(set(t) >= {"token", "token_id", "x", "y", "width", "height", "visible"} for t in meta["tokens"])
# imagefolder: train/metadata.jsonl names every PNG.
lines = [json.loads(l) for l in open("ds-imagefolder/train/metadata.jsonl")]
assert len(lines) == n and all(Image.open("ds-imagefolder/train/" + l["file_name"]).format == "PNG" for l in lines)
# csv: one PNG and one token table per crop, listed in renders.csv.
listing = list(csv.DictReader(open("ds-csv/renders.csv", newline="")))
assert len(listing) == n
for row in listing:
    toks = list(csv.DictReader(open(f"ds-csv/{row['key']}.csv", newline="")))
    assert list(toks[0].keys()) == ["token", "token_id", "x", "y", "width", "height", "visible"]
    assert len(toks) == boxes[int(row["key"])]
    Image.open(f"ds-csv/{row['key']}.png").verify()
print("exported", n, "crops three ways")
PY

# --- analyze: the first crops with their token boxes drawn, render counts = SQL ----------------
expect_exit 0 "$BIN" analyze --out run --renders 3
expect_contains "$OUT" "3 render crops"
$PY <<'PY' || fail "analyze's render section"
import base64, json, sqlite3
from html.parser import HTMLParser
db = sqlite3.connect("run/warcpairs.sqlite")
q = lambda sql: db.execute(sql).fetchall()
one = lambda sql: q(sql)[0][0]
# The report: per crop figure its PNG (data: URI) and one <rect> per render_tokens row, titled.
class Crops(HTMLParser):
    def __init__(self):
        super().__init__(); self.crops = {}; self.cur = None; self.rect = None; self.depth = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and "data-render-id" in a:
            self.cur = int(a["data-render-id"]); self.crops[self.cur] = {"rects": [], "image": None}
        elif self.cur is not None and tag == "image":
            self.crops[self.cur]["image"] = a["href"]
        elif self.cur is not None and tag == "rect":
            self.rect = {"class": a["class"], "x": float(a["x"]), "y": float(a["y"]), "title": ""}
            self.crops[self.cur]["rects"].append(self.rect)
    def handle_endtag(self, tag):
        if tag == "figure": self.cur = None
        if tag == "rect": self.rect = None
    def handle_data(self, data):
        if self.rect is not None: self.rect["title"] += data
p = Crops(); p.feed(open("run/report/index.html").read())
first = [r for (r,) in q("SELECT render_id FROM renders ORDER BY render_id LIMIT 3")]
assert sorted(p.crops) == first, (sorted(p.crops), first)
for rid, c in p.crops.items():
    png = one(f"SELECT png FROM renders WHERE render_id = {rid}")
    assert c["image"] == "data:image/png;base64," + base64.b64encode(png).decode(), rid
    toks = q(f"SELECT token, visible, x, y FROM render_tokens WHERE render_id = {rid} ORDER BY position, box")
    assert len(c["rects"]) == len(toks) > 0, (rid, len(c["rects"]), len(toks))
    for r, (tok, vis, x, y) in zip(c["rects"], toks):
        assert r["title"].startswith(tok + " (id "), (r["title"], tok)   # escaped, read back as the token
        assert r["class"] == ("tok visible" if vis else "tok hidden"), (r, vis)
        assert abs(r["x"] - x) < 0.01 and abs(r["y"] - y) < 0.01, (r, x, y)
# summary.json: the render counts are SQL's.
s = json.load(open("run/report/summary.json"))["renders"]
want = {"render_files": "SELECT count(*) FROM render_files", "render_pages": "SELECT count(*) FROM render_pages",
        "render_failures": "SELECT count(*) FROM render_failures", "crops": "SELECT count(*) FROM renders",
        "page_tokens": "SELECT sum(tokens) FROM render_pages",
        "page_visible_tokens": "SELECT sum(visible_tokens) FROM render_pages",
        "token_boxes": "SELECT count(*) FROM render_tokens",
        "visible_boxes": "SELECT count(*) FROM render_tokens WHERE visible"}
for k, sql in want.items():
    assert s[k] == one(sql), (k, s[k], one(sql))
assert s["page_tokens"] > 0 and abs(s["visible_share"] - s["page_visible_tokens"] / s["page_tokens"]) < 1e-12, s
assert s["failures_by_reason"] == dict(q("SELECT reason, count(*) FROM render_failures GROUP BY reason")) == {"timeout": 1}
assert [c["render_id"] for c in s["crops_shown"]] == first and all(c["image"] for c in s["crops_shown"])
print("analyze: crops", first, "rects", [len(p.crops[r]["rects"]) for r in first], "visible share", round(s["visible_share"], 3))
PY

# --- SIGKILL mid-run, rerun: the same rows as the uninterrupted run --------------------------
"$BIN" render --out killed --vocab "$VOCAB" --page-timeout 4 --part-pages 1 gen.warc real.warc.gz > killed1.out 2>&1 &
pid=$!
for _ in $(seq 600); do
  [ "$(ls killed/shards 2>/dev/null | grep -c '\.p.*\.h5$')" -ge 2 ] && break; sleep 0.1
done
kill -KILL $pid; wait $pid 2>/dev/null || true
[ "$(ls killed/shards | grep -c '\.last\.h5$')" -lt 2 ] || fail "the kill came too late to test a resume"
expect_exit 0 "$BIN" render --out killed --vocab "$VOCAB" --page-timeout 4 --part-pages 1 gen.warc real.warc.gz
expect_exit 0 "$BIN" merge --out killed
$PY <<'PY' || fail "the killed and rerun run differs from the uninterrupted one"
import sqlite3
def rows(path):
    db = sqlite3.connect(path)
    pages = sorted(db.execute("SELECT url, tokens, visible_tokens, crops FROM render_pages").fetchall())
    crops = sorted(db.execute("SELECT p.url, r.crop, r.x, r.y, r.tokens FROM renders r JOIN render_pages p USING(render_page_id)").fetchall())
    fails = sorted(db.execute("SELECT reason, detail FROM render_failures").fetchall())
    return pages, crops, fails
a, b = rows("run/warcpairs.sqlite"), rows("killed/warcpairs.sqlite")
assert a == b, (a, b)
PY
echo "render e2e: ok"
