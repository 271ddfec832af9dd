#!/usr/bin/env bash
# score end to end, inside a fresh network namespace that has only loopback (so no packet can
# leave the machine, even for the private-address rows, whatever the guard does): a real HTTP
# server on 127.0.0.1 serves generated JPEG/PNG/WebP/GIF files and failing, redirecting, noai,
# truncated, wrong-type and pixel-bomb responses. Checks: the outcome of every pair, the
# WebDataset tars (Python's tarfile and PIL read them), CLIP scores from a tiny generated CLIP,
# pairs from the database (extract + merge of a WARC whose pages point at the server), 2 ranks,
# and a SIGKILL between a tar and its shard: the rerun fetches no finished shard's URL again.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
links=$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')
[ "$links" = "lo " ] || fail "not in a loopback-only network namespace: $links"

mkdir files
$PY - <<'PY'
from PIL import Image
import random, struct, zlib
random.seed(1)
for i in range(8):
    im = Image.new("RGB", (320 + 40 * i, 240), (30 * i, 100, 200 - 20 * i))
    for k in range(300):
        im.putpixel((random.randrange(im.width), random.randrange(im.height)), (255, 255, 255))
    for prefix in ("p", "k", "c", "m", "s"):  # p: the list test; k, c, m: the kill tests, a clean twin; s: the stop test
        im.save(f"files/{prefix}{i}.jpg", quality=90)
Image.new("RGB", (64, 48), (255, 0, 0)).save("files/red.png")
Image.new("RGBA", (50, 80), (0, 255, 0, 128)).save("files/green.webp")
Image.new("RGB", (30, 30), (0, 0, 255)).save("files/blue.gif")
data = open("files/p0.jpg", "rb").read()
open("files/trunc.jpg", "wb").write(data[: len(data) // 2])
open("files/text.jpg", "wb").write(b"<html>not an image</html>")
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open("files/bomb.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
                                  + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
PY
serve_files files
hits() { curl -s "$B/_hits?path=$1"; }
"$BIN" checkpoint clip --out clip --bpe "$WARCPAIRS_SHARED/data/vocab/clip-bpe_simple_vocab_16e6.txt.gz" > /dev/null

echo "== a URL list: every outcome"
{
  printf 'url\tcaption\talt\n'
  for f in p0.jpg p1.jpg red.png green.webp; do
    printf '%s\ta picture of %s\talt %s\n' "$B/img/$f" "$f" "$f"
  done
  printf '%s\tsame url again, same shard\t\n' "$B/img/p0.jpg"
  for f in blue.gif trunc.jpg text.jpg bomb.png; do
    printf '%s\ta picture of %s\talt %s\n' "$B/img/$f" "$f" "$f"
  done
  printf '%s\tmissing\t\n' "$B/status/404"
  printf '%s\topted out\t\n' "$B/noai"
  printf '%s\tredirected\t\n' "$B/redirect?to=$B/img/p2.jpg&n=2"
  printf '%s\tprivate\t\n' "http://10.0.0.1/x.jpg"
  printf '%s\tcloud metadata\t\n' "$B/redirect?to=http://169.254.169.254/latest/meta-data/&n=1"
  printf '%s\ttoo big\t\n' "$B/big?bytes=3000000"
  printf '%s\tnot a url\t\n' "notaurl"
} > pairs.tsv
mpirun_np 2 "$BIN" score -q --out list --pairs pairs.tsv --allow-loopback --retries 1 --timeout 5 \
  --max-mb 2 --rows-per-shard 5 --clip clip > score.log
"$BIN" merge -q --out list > /dev/null
got=$(sqlite3 list/warcpairs.sqlite "SELECT list_row || ' ' || outcome FROM scores ORDER BY list_row" | tr '\n' ',')
want="1 ok,2 ok,3 ok,4 ok,5 ok,6 ok,7 image_truncated,8 image_unsupported_format,9 image_too_many_pixels,10 http_error,11 noai,12 ok,13 blocked_address,14 blocked_address,15 too_large,16 bad_url,"
[ "$got" = "$want" ] || fail "outcomes: got $got
want $want"
[ "$(hits /img/p0.jpg)" = 1 ] || fail "p0.jpg fetched $(hits /img/p0.jpg) times: the same URL in one shard is fetched once"
[ "$(sqlite3 list/warcpairs.sqlite "SELECT count(*) FROM scores WHERE outcome = 'ok' AND
     (clip_caption IS NULL OR abs(clip_caption) > 1 OR clip_model IS NULL OR phash IS NULL OR length(sha256) <> 64)")" = 0 ] \
  || fail "stored images lack CLIP scores or hashes"
[ "$(sqlite3 list/warcpairs.sqlite "SELECT width || 'x' || height || ' ' || mime FROM scores WHERE list_row = 9")" = "100000x100000 image/png" ] \
  || fail "the pixel bomb's declared size is not recorded"
$PY - list/images "$(sqlite3 list/warcpairs.sqlite "SELECT count(*) FROM scores WHERE outcome = 'ok'")" <<'PY' || fail "WebDataset tars"
import glob, io, json, sys, tarfile
from PIL import Image
samples = {}
for path in sorted(glob.glob(sys.argv[1] + "/*.tar")):
    with tarfile.open(path) as t:
        for m in t:
            key, ext = m.name.split(".", 1)
            samples.setdefault(key, {})[ext] = t.extractfile(m).read()
assert len(samples) == int(sys.argv[2]), (len(samples), sys.argv[2])
for key, s in samples.items():
    assert set(s) == {"jpg", "txt", "json"}, (key, set(s))
    im = Image.open(io.BytesIO(s["jpg"]))
    assert im.size == (256, 256) and im.format == "JPEG", (key, im.size, im.format)  # border mode
    meta = json.loads(s["json"])
    assert meta["key"] == key and s["txt"].decode() == meta["caption"] and -1 <= meta["clip_caption"] <= 1
print(f"{len(samples)} samples read back")
PY
ls list/images/*.tmp list/shards/*.tmp 2>/dev/null && fail "temporary files left"

echo "== export of a list run (no images rows): every format, one row per stored pair"
ok=$(sqlite3 list/warcpairs.sqlite "SELECT count(*) FROM scores WHERE outcome = 'ok'")
[ "$(sqlite3 list/warcpairs.sqlite "SELECT count(*) FROM images")" = 0 ] || fail "the list run has images rows"
for format in webdataset imagefolder csv jsonl; do
  "$BIN" export -q --out list --dest "list-$format" --format "$format" --validation-fraction 0.5 > /dev/null \
    || fail "export --format $format of a score --pairs run failed"
done
$PY - "$ok" list/warcpairs.sqlite <<'PY' || fail "export of a score --pairs run"
import csv, glob, json, sqlite3, sys, tarfile
want = int(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
stored = {f"row{r:09d}": (c, u) for r, c, u in db.execute("SELECT list_row, caption, url FROM scores WHERE outcome = 'ok'")}
assert len(stored) == want
def check(rows, where):
    assert len(rows) == want, (where, len(rows), want)
    for r in rows:
        assert stored[r["key"]] == (r["text"], r["url"]), (where, r)
        assert r["description_source"] == "pairs-list" and int(r["list_row"]) == int(r["key"][3:]), (where, r)
        assert r["image_id"] in (None, ""), (where, r)
csv_rows = list(csv.DictReader(open("list-csv/pairs.csv", newline="", encoding="utf-8")))
check(csv_rows, "csv")
check([json.loads(l) for l in open("list-jsonl/pairs.jsonl")], "jsonl")
check([json.loads(l) for s in ("train", "validation") for l in open(f"list-imagefolder/{s}/metadata.jsonl")], "imagefolder")
wds = []
for p in glob.glob("list-webdataset/*.tar"):
    with tarfile.open(p) as t:
        names = t.getnames()
        for n in names:
            if n.endswith(".json"):
                j = json.load(t.extractfile(n)); wds.append(j)
                assert t.extractfile(n[:-5] + ".txt").read().decode() == j["text"]
                assert t.extractfile(n[:-5] + ".jpg").read(2) == b"\xff\xd8"
check(wds, "webdataset")
print(want, "pairs in every format")
PY

echo "== --resolve and --connect-to: the sample's host names reach a local mirror"
PORT=${B##*:}
printf 'url\tcaption\nhttp://images.mirror.test:%s/img/p1.jpg\tresolved\nhttp://cdn.mirror.test/img/p2.jpg\tconnected\n' "$PORT" > named.tsv
"$BIN" score -q --out named0 --pairs named.tsv --allow-loopback --retries 0 --timeout 5 > /dev/null
"$BIN" merge -q --out named0 > /dev/null
[ "$(sqlite3 named0/warcpairs.sqlite "SELECT group_concat(outcome) FROM (SELECT outcome FROM scores ORDER BY list_row)")" = "dns_failed,dns_failed" ] \
  || fail "without --resolve the names should not resolve here: $(sqlite3 named0/warcpairs.sqlite 'SELECT outcome, detail FROM scores')"
"$BIN" score -q --out named --pairs named.tsv --allow-loopback --retries 0 --timeout 5 \
  --resolve "images.mirror.test:$PORT:127.0.0.1" --connect-to "cdn.mirror.test:80:127.0.0.1:$PORT" > /dev/null
"$BIN" merge -q --out named > /dev/null
[ "$(sqlite3 named/warcpairs.sqlite "SELECT group_concat(outcome) FROM (SELECT outcome FROM scores ORDER BY list_row)")" = "ok,ok" ] \
  || fail "--resolve / --connect-to: $(sqlite3 named/warcpairs.sqlite 'SELECT url, outcome, detail FROM scores')"
# The address guard still judges the address connected to.
"$BIN" score -q --out named2 --pairs named.tsv --retries 0 --timeout 5 \
  --resolve "images.mirror.test:$PORT:127.0.0.1" --connect-to "cdn.mirror.test:80:127.0.0.1:$PORT" > /dev/null
"$BIN" merge -q --out named2 > /dev/null
[ "$(sqlite3 named2/warcpairs.sqlite "SELECT group_concat(outcome) FROM (SELECT outcome FROM scores ORDER BY list_row)")" = "blocked_address,blocked_address" ] \
  || fail "loopback through --resolve / --connect-to without --allow-loopback was not refused"
for bad in "--resolve images.mirror.test:127.0.0.1" "--resolve images.mirror.test:80:localhost" \
           "--connect-to :443:127.0.0.1" "--ca-file no-such.pem"; do
  # shellcheck disable=SC2086  # the option and its value
  expect_exit 2 "$BIN" score --out named3 --pairs named.tsv $bad
done
expect_contains "$OUT" "no-such.pem"
grep -qF -- "HOST:PORT:ADDRESS[,ADDRESS...], repeatable" <<<"$("$BIN" score --help)" || fail "score --help does not show --resolve"

echo "== SIGKILL between a tar and its shard: the rerun fetches nothing twice"
seq_list() { printf 'url\tcaption\n'; for i in 0 1 2 3 4 5 6 7; do printf '%s\t%s%s\n' "$B/img/$1$i.jpg" "$1" "$i"; done; }
seq_list k > kill.tsv
seq_list c > clean.tsv
set +e
WARCPAIRS_CRASH_AT=score_between_tar_and_shard:2 "$BIN" score -q --out killed --pairs kill.tsv --allow-loopback \
  --rows-per-shard 3 > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 137 ] || fail "the crash point should SIGKILL score (137), got $rc"
"$BIN" score -q --out killed --pairs kill.tsv --allow-loopback --rows-per-shard 3 > /dev/null
# Shard 0 (k0..k2) was done before the kill. Shard 1 (k3..k5) had its tar written but not its
# shard: redone from its fetch journal, without downloading. Shard 2 (k6, k7) by the rerun.
counts=$(for i in 0 1 2 3 4 5 6 7; do printf '%s ' "$(hits /img/k$i.jpg)"; done)
[ "$counts" = "1 1 1 1 1 1 1 1 " ] || fail "fetch counts per URL after kill + rerun: $counts (expected each once)"
ls killed/images/*.fetched 2>/dev/null && fail "fetch journals left after the shards were committed"
# Killed in the middle of a shard's downloads (after the 5th): the rerun replays the five.
seq_list m > mid.tsv
set +e
WARCPAIRS_CRASH_AT=score_fetched:5 "$BIN" score -q --out mid --pairs mid.tsv --allow-loopback --rows-per-shard 8 > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 137 ] || fail "the crash point should SIGKILL score mid-downloads (137), got $rc"
total_m() { local s=0; for i in 0 1 2 3 4 5 6 7; do s=$((s + $(hits /img/m$i.jpg))); done; echo $s; }
killed_requests=$(total_m)
"$BIN" score -q --out mid --pairs mid.tsv --allow-loopback --rows-per-shard 8 > /dev/null
# The five finished downloads were journaled and are not fetched again; only requests that were
# still in flight when the process died (no answer received) are made again.
again=$(( $(total_m) - 8 ))
[ "$again" = $((killed_requests - 5)) ] || fail "after a kill mid-downloads $again requests were repeated; only the $((killed_requests - 5)) in flight at the kill should be"
"$BIN" merge -q --out mid > /dev/null
[ "$(sqlite3 mid/warcpairs.sqlite "SELECT count(*) FROM scores WHERE outcome = 'ok'")" = 8 ] || fail "mid: 8 images expected"
"$BIN" score -q --out clean --pairs clean.tsv --allow-loopback --rows-per-shard 3 > /dev/null
"$BIN" merge -q --out killed > /dev/null
"$BIN" merge -q --out clean > /dev/null
dump() { sqlite3 "$1/warcpairs.sqlite" "SELECT list_row, outcome, width, height, sha256, phash, key FROM scores ORDER BY list_row"; }
diff <(dump killed) <(dump clean) || fail "killed + rerun differs from a clean run"
[ "$(sqlite3 killed/warcpairs.sqlite "SELECT count(*) FROM scores")" = 8 ] || fail "expected 8 scores after the rerun"

echo "== SIGTERM while a shard waits for a slow download: the summary counts only the shards written"
# Shard 0 (s0..s2) completes; shard 1 fetches s3, s4 at once and then waits on a slow URL when
# the stop arrives: it is dropped (its journal keeps s3, s4), so the summary says 3 pairs and 3
# images, not 5 (the dropped shard's downloads were counted before).
{ printf 'url\tcaption\n'; for i in 0 1 2 3 4; do printf '%s\ts%s\n' "$B/img/s$i.jpg" "$i"; done
  printf '%s\tslow\n' "$B/slow?ms=60000"; } > stop.tsv
"$BIN" score --out stopped --pairs stop.tsv --allow-loopback --rows-per-shard 3 --timeout 120 > stop.out 2>&1 &
pid=$!
for _ in $(seq 300); do
  [ "$(hits /slow)" -ge 1 ] 2>/dev/null && [ "$(hits /img/s4.jpg)" -ge 1 ] 2>/dev/null && break
  sleep 0.1
done
sleep 0.5
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ $rc -eq 75 ] || fail "a stopped score should exit 75 (resume), got $rc: $(cat stop.out)"
expect_contains "$(cat stop.out)" "3 pairs (3 URLs): 3 images stored"
expect_contains "$(cat stop.out)" "stopped by a signal"
"$BIN" score -q --out stopped --pairs stop.tsv --allow-loopback --rows-per-shard 3 --timeout 5 --retries 0 > stop2.out 2>&1 || true
expect_contains "$(cat stop2.out)" "3 pairs (1 URLs): 2 images stored"

echo "== pairs from the database: a WARC whose pages point at the server, extract, merge, score"
PYTHONPATH="$WARCPAIRS_SRC/tests/e2e" $PY - "$B" <<'PY'
import sys
from warc_records import response_record
base = sys.argv[1]
records = []
for p in range(3):
    imgs = "".join(f'<p>Text before.</p><img src="{base}/img/p{(p * 3 + k) % 8}.jpg" alt="photo {p}-{k}"><p>After.</p>'
                   for k in range(3))
    html = f"<html><head><title>page {p}</title></head><body>{imgs}<img src=\"{base}/img/red.png\"></body></html>".encode()
    records.append(response_record(p, f"http://site.test/page{p}", html))
open("pages.warc", "wb").write(b"".join(records))
PY
"$BIN" extract -q --out db pages.warc > /dev/null
"$BIN" merge -q --out db > /dev/null
mpirun_np 2 "$BIN" score -q --out db --allow-loopback --clip clip --rows-per-shard 4 > db-score.log
"$BIN" merge -q --out db > /dev/null
want=$(sqlite3 db/warcpairs.sqlite "SELECT count(*) FROM images WHERE alt <> ''")
[ "$want" = 9 ] || fail "expected 9 images with alt text in the database, got $want"
got=$(sqlite3 db/warcpairs.sqlite "SELECT count(*) FROM scores s JOIN images i USING(image_id)
       WHERE s.outcome = 'ok' AND s.url = i.url AND s.caption = i.alt AND s.clip_caption IS NOT NULL")
[ "$got" = 9 ] || fail "expected 9 scored pairs joined to their images, got $got"
# Again: everything is done, nothing is fetched.
before=$(hits /img/p1.jpg)
expect_exit 0 "$BIN" score --out db --allow-loopback --clip clip --rows-per-shard 4
expect_contains "$OUT" "0 shards written"
[ "$(hits /img/p1.jpg)" = "$before" ] || fail "a finished run fetched again"
echo "== opt-outs as img2dataset: X-Robots-Tag directives and user-agent tokens, reasons counted"
{ printf 'url\tcaption\n'
  printf '%s\tc1\n' "$B/robots?tag=noindex"
  printf '%s\tc2\n' "$B/robots?tag=otherbot:%20noindex"
  printf '%s\tc3\n' "$B/robots?tag=warcpairs:%20noimageindex"
  printf '%s\tc4\n' "$B/noai"
  printf '%s\tc5\n' "$B/img/p3.jpg"; } > optout.tsv
optouts() {  # RUN: "row outcome detail" per list row
  sqlite3 "$1/warcpairs.sqlite" "SELECT list_row || ' ' || outcome || ' ' || CASE WHEN outcome = 'noai' THEN detail ELSE '-' END FROM scores ORDER BY list_row" | tr '\n' ','
}
"$BIN" score -q --out opt1 --pairs optout.tsv --allow-loopback --retries 0 > /dev/null
"$BIN" merge -q --out opt1 > /dev/null
got=$(optouts opt1)
want="1 noai X-Robots-Tag: noindex,2 image_unsupported_format -,3 noai X-Robots-Tag: noimageindex,4 noai X-Robots-Tag: noai,5 ok -,"
[ "$got" = "$want" ] || fail "default opt-outs: got $got, want $want"
$PY - opt1/score-stats.json <<'PY' || fail "score-stats.json opt_outs"
import json, sys
s = json.load(open(sys.argv[1]))
last = s["last_attempt"]
want = {"X-Robots-Tag: noindex": 1, "X-Robots-Tag: noimageindex": 1, "X-Robots-Tag: noai": 1}
assert last["opt_outs"] == want, last["opt_outs"]
assert last["noai"] == 3, last["noai"]
PY
"$BIN" score -q --out opt2 --pairs optout.tsv --allow-loopback --retries 0 --disallowed-directives noai > /dev/null
"$BIN" merge -q --out opt2 > /dev/null
got=$(optouts opt2)
want="1 image_unsupported_format -,2 image_unsupported_format -,3 image_unsupported_format -,4 noai X-Robots-Tag: noai,5 ok -,"
[ "$got" = "$want" ] || fail "--disallowed-directives noai: got $got"
"$BIN" score -q --out opt3 --pairs optout.tsv --allow-loopback --retries 0 --user-agent-token OtherBot > /dev/null
"$BIN" merge -q --out opt3 > /dev/null
got=$(optouts opt3)
want="1 noai X-Robots-Tag: noindex,2 noai X-Robots-Tag: noindex,3 image_unsupported_format -,4 noai X-Robots-Tag: noai,5 ok -,"
[ "$got" = "$want" ] || fail "--user-agent-token OtherBot: got $got"

echo "== a page's <meta name=robots> noai: recorded by extract, honoured by score and export; unsafe scores"
PYTHONPATH="$WARCPAIRS_SRC/tests/e2e" $PY - "$B" <<'PY'
import sys
from warc_records import response_record
base = sys.argv[1]
def page(p, head):
    imgs = "".join(f'<p>Text before.</p><img src="{base}/img/p{(p * 3 + k) % 8}.jpg" alt="photo {p}-{k}"><p>After.</p>'
                   for k in range(3))
    return response_record(p, f"http://site.test/m{p}", f"<html><head>{head}</head><body>{imgs}</body></html>".encode())
open("meta.warc", "wb").write(page(0, '<meta name="robots" content="index, NoAI">') + page(1, "") +
                              page(2, '<meta name="robots" content="noimageai">'))
PY
"$BIN" extract -q --out meta meta.warc > /dev/null
"$BIN" merge -q --out meta > /dev/null
[ "$(sqlite3 meta/warcpairs.sqlite "SELECT group_concat(robots, '|') FROM (SELECT robots FROM pages ORDER BY url)")" = "index,noai||noimageai" ] \
  || fail "pages.robots: $(sqlite3 meta/warcpairs.sqlite 'SELECT url, robots FROM pages')"
"$BIN" score -q --out meta --allow-loopback --clip clip > meta-score.log
"$BIN" merge -q --out meta > /dev/null
[ "$(sqlite3 meta/warcpairs.sqlite "SELECT count(*) FROM scores s JOIN images i USING (image_id) JOIN pages p USING (page_id) WHERE p.robots <> ''")" = 0 ] \
  || fail "score fetched images of pages that opted out"
[ "$(sqlite3 meta/warcpairs.sqlite "SELECT count(*) FROM scores WHERE outcome = 'ok' AND unsafe BETWEEN 0 AND 1 AND clip_caption IS NOT NULL")" = 3 ] \
  || fail "expected 3 images with an unsafe score in [0, 1]: $(sqlite3 meta/warcpairs.sqlite 'SELECT outcome, unsafe FROM scores')"
$PY - meta/score-stats.json <<'PY' || fail "score-stats.json: page opt-outs and the prompt set"
import json, sys
s = json.load(open(sys.argv[1]))
last = s["last_attempt"]
assert last["opt_outs"] == {"meta robots: noai": 3, "meta robots: noimageai": 3}, last["opt_outs"]
assert last["unsafe_prompts"].startswith("built-in models/unsafe-prompts.tsv (fnv1a64:"), last["unsafe_prompts"]
assert last["unsafe_threshold"] == 0.5
PY
# Export: the opted-out pages' pairs are dropped and counted by reason; --max-unsafe between
# the second and third score keeps the two pairs at or below it, and the card names the threshold.
mid=$(sqlite3 meta/warcpairs.sqlite "SELECT printf('%.6f', (SELECT avg(u) FROM (SELECT unsafe AS u FROM scores ORDER BY unsafe LIMIT 2 OFFSET 1)))")
expect_exit 0 "$BIN" export --out meta --dest meta-out --format jsonl --max-unsafe "$mid"
$PY - meta-out "$mid" meta/warcpairs.sqlite <<'PY' || fail "export --max-unsafe / page_noai"
import glob, json, sqlite3, sys
rows = [json.loads(l) for f in glob.glob(sys.argv[1] + "/**/*.jsonl", recursive=True) for l in open(f)]
cut = float(sys.argv[2])
assert len(rows) == 2, rows
assert all(r["unsafe"] is not None and r["unsafe"] <= cut for r in rows), rows
assert all("/m1" in r["page_url"] for r in rows), rows
db = sqlite3.connect(sys.argv[3])
for r in rows:
    assert abs(r["unsafe"] - db.execute("SELECT unsafe FROM scores WHERE image_id = ?", (r["image_id"],)).fetchone()[0]) < 1e-12
card = open(sys.argv[1] + "/README.md").read()
assert "| page_noai |" in card and "| 6 |" in card.split("| page_noai |")[1].split("\n")[0], card
assert f"| max_unsafe | {sys.argv[2]} | 1 |" in card, card
assert "Unsafe-image score: pairs whose image scored above" in card
PY
expect_exit 0 "$BIN" analyze --out meta --report meta-report
$PY - meta-report/summary.json <<'PY' || fail "analyze: unsafe histogram"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["histograms"]["unsafe"]["total"] == 3, s["histograms"]["unsafe"]
assert s["plots"]["unsafe_histogram"]["drawn"], s["plots"]["unsafe_histogram"]
PY
echo "PASS"
