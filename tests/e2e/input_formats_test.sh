# Input formats beyond plain WARC/1.x with identity or gzip bodies: HTML responses with
# Content-Encoding br, zstd and a stacked "gzip, br", made with the real `brotli` and `zstd`
# tools, yield their pages and images; a corrupt brotli body is counted, never a crash.
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
print(f"codings: {len(got)} pages, {sum(got.values())} images as encoded")
PYEOF
# The corrupt body is logged with its file and offset.
CORRUPT=$($PY -c "import json; print(next(e['offset'] for e in json.load(open('codings.json')).values() if e['corrupt']))")
expect_contains "$OUT" "content_encoding_failed: $SCRATCH/in/codings.warc at byte $CORRUPT"

echo "input formats: ok"
