# Input formats beyond plain WARC/1.x with identity or gzip bodies: HTML responses with
# Content-Encoding br, zstd and a stacked "gzip, br", made with the real `brotli` and `zstd`
# tools, yield their pages and images; a corrupt brotli body is counted, never a crash.
# Then the older formats' real files (tests/data/warc-old: WARC/0.17, 0.18, ARC v1 plain and
# gzip) under mpirun: pages and images as tools/reference_scan.py finds them in the same
# records rewritten as WARC/1.0 by a few lines of Python here, malformed ARC lines counted.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
for tool in brotli zstd gzip; do
  command -v $tool >/dev/null || fail "$tool is missing: env/install-debian.sh installs it"
done

mkdir -p in
$PY - <<'PYEOF'
import json, subprocess, sys
sys.path.insert(0, __import__("os").environ["WARCPAIRS_SRC"] + "/tests/e2e")

def page(name, n):
    imgs = "".join(f'<p>Photo {i} of the {name} page.<img src="/img/{name}-{i}.jpg" '
                   f'alt="{name} picture {i}" width="400" height="300"></p>' for i in range(n))
    return (f"<!DOCTYPE html><html><head><title>{name}</title></head><body>"
            f"<h1>The {name} page</h1>{imgs}</body></html>").encode()

def run(cmd, data):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout

codings = {  # name: (Content-Encoding, encoder)
    "plain": (None, lambda b: b),
    "brotli": ("br", lambda b: run(["brotli", "-c", "-q", "9"], b)),
    "zstd": ("zstd", lambda b: run(["zstd", "-c", "-q", "-19"], b[:300]) +
                               run(["zstd", "-c", "-q", "-1"], b[300:])),  # two frames
    "stacked": ("gzip, br", lambda b: run(["brotli", "-c"], run(["gzip", "-c"], b))),
    "corrupt": ("br", lambda b: b"\xff" * 8 + run(["brotli", "-c"], b)[8:]),
}
expect = {}
with open("in/codings.warc", "wb") as out:
    for n, (name, (coding, encode)) in enumerate(codings.items()):
        html = page(name, n + 2)
        body = encode(html)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        if coding:
            head += f"Content-Encoding: {coding}\r\n".encode()
        http = head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        uri = f"http://codings.example/{name}.html"
        offset = out.tell()
        out.write((f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{n:08d}-0000-0000-0000-000000000000>\r\n"
                   f"WARC-Date: 2026-12-07T00:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
                   f"Content-Type: application/http; msgtype=response\r\n"
                   f"Content-Length: {len(http)}\r\n\r\n").encode() + http + b"\r\n\r\n")
        expect[uri] = {"images": html.count(b"<img "), "offset": offset, "corrupt": name == "corrupt"}
json.dump(expect, open("codings.json", "w"))
PYEOF

expect_exit 0 mpirun_np 2 "$W" extract --out run in
expect_exit 0 "$W" merge --out run
$PY - run/warcpairs.sqlite codings.json run/extract-stats.json <<'PYEOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
expect = json.load(open(sys.argv[2]))
stats = json.load(open(sys.argv[3]))
got = dict(db.execute("SELECT p.url, count(i.page_id) FROM pages p LEFT JOIN images i "
                      "USING(page_id) GROUP BY p.url").fetchall())
for uri, e in expect.items():
    if e["corrupt"]:
        assert uri not in got, f"{uri}: a corrupt body made a page"
    else:
        assert got.get(uri) == e["images"], f"{uri}: {got.get(uri)} images, {e['images']} in the page"
assert len(got) == sum(not e["corrupt"] for e in expect.values()), got
assert stats["notes"].get("http_content_encoding_failed") == 1, stats["notes"]
# The body kept encoded is then no HTML: skipped as binary at the record's offset.
corrupt = next(e["offset"] for e in expect.values() if e["corrupt"])
skips = db.execute("SELECT warc_offset, reason FROM skips").fetchall()
assert skips == [(corrupt, "binary_as_html")], skips
print(f"codings: {len(got)} pages, {sum(got.values())} images as encoded")
PYEOF
# The corrupt body is logged with its file and offset, in the log of whichever rank read the
# file (an info line: only rank 0's reach the terminal).
CORRUPT=$($PY -c "import json; print(next(e['offset'] for e in json.load(open('codings.json')).values() if e['corrupt']))")
expect_contains "$(cat run/logs/extract.rank*.log)" "content_encoding_failed: $SCRATCH/in/codings.warc at byte $CORRUPT"

# Older formats. The reference scanner reads WARC/1.x only: each file is rewritten as plain
# WARC/1.0 (version lines replaced; ARC records framed by their Archive-length and wrapped in
# WARC headers), scanned, and its pages compared by URL with what extract stored.
OLD="$WARCPAIRS_SRC/tests/data/warc-old"
expect_exit 0 mpirun_np 2 "$W" extract --out old "$OLD"
expect_contains "$OUT" "7 files"
expect_exit 0 "$W" merge --out old
$PY - old/warcpairs.sqlite "$OLD" <<'PYEOF'
import gzip, importlib.util, os, re, sqlite3, sys
src = os.environ["WARCPAIRS_SRC"]
spec = importlib.util.spec_from_file_location("reference_scan", src + "/tools/reference_scan.py")
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
db = sqlite3.connect(sys.argv[1])

def as_warc10(path):
    raw = open(path, "rb").read()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    if b".arc" not in path.encode():
        return re.sub(rb"(?m)^WARC/0\.1[78](?=\r?\n)", b"WARC/1.0", data), None
    out, pos, records = [], 0, 0
    while pos < len(data):
        if data[pos:pos + 1] in (b"\r", b"\n"):
            pos += 1
            continue
        eol = data.find(b"\n", pos)
        words = data[pos:eol].split()
        if len(words) < 5 or not words[-1].isdigit() or not words[-3].isdigit():
            pos = eol + 1  # a malformed header line: the reader counts these
            continue
        n = int(words[-1])
        block, url = data[eol + 1:eol + 1 + n], b" ".join(words[:-4])
        pos = eol + 1 + n
        records += 1  # a header line read, as the reader counts (even when cut short)
        if len(block) < n:
            break
        http = block.startswith(b"HTTP/")
        out.append(b"WARC/1.0\r\nWARC-Type: " + (b"response" if http else b"resource") +
                   b"\r\nWARC-Target-URI: " + url + b"\r\nContent-Type: " +
                   (b"application/http; msgtype=response" if http else words[-2]) +
                   b"\r\nContent-Length: " + str(n).encode() + b"\r\n\r\n" + block + b"\r\n\r\n")
    return b"".join(out), records

problems, pages, images = [], 0, 0
for name in sorted(os.listdir(sys.argv[2])):
    if name.endswith(".md"):
        continue
    converted, arc_records = as_warc10(os.path.join(sys.argv[2], name))
    tmp = "converted-" + name.replace(".gz", "")
    open(tmp, "wb").write(converted)
    scan = ref.scan(tmp)
    want = {p["uri"]: p for p in scan["html"] if p["type"] == "resource" or 200 <= (p.get("status") or 0) <= 299}
    file_id, records = db.execute("SELECT file_id, records FROM files WHERE path LIKE ?", ("%/" + name,)).fetchone()
    # ARC files: the reader also counts the version block (filedesc://) as a record.
    expect_records = scan["records"] if arc_records is None else arc_records
    if records != expect_records:
        problems.append(f"{name}: {records} records, the rewritten file has {expect_records}")
    stored = dict(db.execute("SELECT url, image_count FROM pages WHERE file_id=?", (file_id,)))
    if set(stored) != set(want):
        problems.append(f"{name}: pages {sorted(stored)}, reference {sorted(want)}")
    for uri, p in want.items():
        most = p["imgs"] - p["img_hidden"] - p["img_no_url"]
        least = most - p["img_data_uri"] - p["img_1x1"]
        if uri in stored and not least <= stored[uri] <= most:
            problems.append(f"{name}: {uri}: {stored[uri]} images, reference {least}..{most}")
    pages += len(stored)
    images += sum(stored.values())
for line in problems:
    print("  " + line)
assert not problems, "older formats differ from the reference scan"
# Independent of the scanner: the two real pages with images in both 2008 crawls (the ARC
# and the WARC/0.17 file hold the same captures), by their <img> tags counted here.
n = dict(db.execute("SELECT p.url || ' ' || f.path, p.image_count FROM pages p JOIN files f USING(file_id)"))
index = [v for k, v in n.items() if k.startswith("http://www.archive.org/index.php ")]
assert len(index) == 2 and index[0] == index[1] and index[0] > 0, n
print(f"older formats: {pages} pages, {images} images agree with the reference scan")
PYEOF
# warcio's bad.arc: two runs of malformed header lines, counted at their offsets; the file
# is partial, not lost.
DB=old/warcpairs.sqlite
[ "$(sqlite3 $DB "SELECT group_concat(s.warc_offset) FROM skips s JOIN files f USING(file_id) WHERE f.path LIKE '%/wio-bad.arc' AND s.reason='arc_header_malformed'")" = "0,262" ] \
  || fail "bad.arc: malformed ARC headers not reported at 0 and 262"
[ "$(sqlite3 $DB "SELECT status FROM files WHERE path LIKE '%/wio-bad.arc'")" = partial ] || fail "bad.arc not partial"
# The file cut inside its last record: reported, the record before it kept.
[ "$(sqlite3 $DB "SELECT count(*) FROM skips s JOIN files f USING(file_id) WHERE f.path LIKE '%/wio-example-space-in-url.arc' AND s.reason='record_truncated' AND s.warc_offset=151")" = 1 ] \
  || fail "space-in-url.arc: truncated record not reported"
echo "input formats: ok"
