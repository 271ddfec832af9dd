#!/usr/bin/env bash
# e2e.warc_writer: WARC/1.1 files written by warc::RollingWarcWriter (tests/e2e/
# warc_write_site.cc: a two-host site, chunked and gzip-coded pages, images, revisits) are
#  - read by warcio.js with every block and payload digest recomputed (warc_verify_digests.mjs),
#  - read by `warcpairs extract`, which finds every page and image the generator wrote,
#  - indexed by `warcpairs index`, whose CDXJ equals, line for line, that of an independent
#    indexer on warcio.js (cdxj_reference.mjs), as does its index of shared/data/warc;
# and `warcpairs index` reruns only what changed, counts a truncated file's bad tail.
source "$(dirname "$0")/lib.sh"
: "${WARC_WRITE_SITE:?run through ctest}"
WARCIO="$WARCPAIRS_SRC/bench/peers/node_modules/warcio/dist/index.js"
E2E="$WARCPAIRS_SRC/tests/e2e"
command -v node >/dev/null || fail "node is missing (env/install-debian.sh installs nodejs)"
[ -f "$WARCIO" ] || (cd "$WARCPAIRS_SRC/bench/peers" && npm ci --no-audit --no-fund >/dev/null) ||
  fail "npm ci in $WARCPAIRS_SRC/bench/peers failed (warcio.js)"

# 1. The writer: several files (rolled at 30 kB), nothing left under a temporary name.
"$WARC_WRITE_SITE" site 40 30000 > site.json
cat site.json
files=$(ls site/*.warc.gz | wc -l)
[ "$files" -ge 3 ] || fail "expected the writer to roll to 3 files or more, got $files"
[ -z "$(ls site | grep -v '\.warc\.gz$' || true)" ] || fail "files other than *.warc.gz left: $(ls site)"

# 2. warcio.js reads every record; every digest is recomputed and equal.
node "$E2E/warc_verify_digests.mjs" "$WARCIO" site/*.warc.gz > verify.json ||
  fail "warcio.js digest check failed: $(cat verify.json)"
$PY - <<'PY' || fail "warcio.js did not see every record written: $(cat verify.json)"
import json
site, seen = json.load(open("site.json")), json.load(open("verify.json"))
types = ["warcinfo", "request", "response", "revisit", "resource", "metadata"]
written = sum(site[t] for t in types)
assert seen["records"] == written, (seen["records"], written)
assert all(seen["by_type"].get(t, 0) == site[t] for t in types), seen["by_type"]
assert seen["block_checked"] == written
# every record but warcinfo and metadata carries a payload digest, each checked
assert seen["payload_checked"] == written - site["warcinfo"] - site["metadata"], seen
assert seen["mismatches"] == []
print("warcio.js:", seen["records"], "records,", seen["block_checked"], "block and",
      seen["payload_checked"], "payload digests verified")
PY
# The checker can fail: warcio's own test file with a deliberately wrong payload digest.
expect_exit 1 node "$E2E/warc_verify_digests.mjs" "$WARCIO" "$WARCPAIRS_SHARED/data/warc/wio-example-digest.warc"
expect_contains "$OUT" "payload digest sha1:1112H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"

# 3. extract finds every page and every image of the site.
pages=$($PY -c 'import json; print(json.load(open("site.json"))["pages"])')
images=$($PY -c 'import json; print(json.load(open("site.json"))["images"])')
mpirun_np 2 "$WARCPAIRS_BIN" extract --out run site > extract.out 2>&1 || fail "extract failed: $(cat extract.out)"
expect_contains "$(cat extract.out)" "$pages pages, $images images"
expect_contains "$(cat extract.out)" "skipped: none"

# 4. index of the written files = the independent index, line for line.
mpirun_np 2 "$WARCPAIRS_BIN" index --out ix site > index.out 2>&1 || fail "index failed: $(cat index.out)"
node "$E2E/cdxj_reference.mjs" "$WARCIO" site/*.warc.gz > reference-site.cdxj
diff ix/index.cdxj reference-site.cdxj > site.diff || fail "CDXJ differs from the reference: $(head -20 site.diff)"
want=$($PY -c 'import json; s=json.load(open("site.json")); print(s["response"]+s["revisit"]+s["resource"])')
[ "$(wc -l < ix/index.cdxj)" -eq "$want" ] || fail "expected $want index lines, got $(wc -l < ix/index.cdxj)"
[ "$(cat ix/index/*.cdxj | wc -l)" -eq "$want" ] || fail "per-file indexes do not add up to $want lines"
grep -q '"mime": "warc/revisit"' ix/index.cdxj || fail "no revisit line"
echo "index of the written site: $want lines equal to the reference"

# 5. index of shared/data/warc (files of other projects) against the same reference. Two files
# are compared separately, for faults of warcio.js's offsets (checked from the bytes instead):
#  - wio-example-bad-non-chunked.warc.gz is one gzip member holding 6 records: no record has
#    an offset of its own; we give the member's start and length, warcio.js its end;
#  - wac-link-extraction-test.warc: warcio.js loses its place after poor_html5.html's record
#    and reports fb-video.html at 2807, where poor_html5.html starts (fb-video.html is at 3595).
SHARED_WARC="$WARCPAIRS_SHARED/data/warc"
mpirun_np 2 "$WARCPAIRS_BIN" index --out ixs "$SHARED_WARC" > index-shared.out 2>&1 ||
  fail "index of shared data failed: $(cat index-shared.out)"
node "$E2E/cdxj_reference.mjs" "$WARCIO" "$SHARED_WARC"/*.warc* > reference-shared.cdxj
apart='"filename": "(wio-example-bad-non-chunked.warc.gz|wac-link-extraction-test.warc)"'
diff <(grep -Ev "$apart" ixs/index.cdxj) <(grep -Ev "$apart" reference-shared.cdxj) > shared.diff ||
  fail "CDXJ of shared data differs from the reference: $(head -20 shared.diff)"
[ "$(grep -Evc "$apart" ixs/index.cdxj)" -ge 200 ] || fail "too few lines compared"
$PY - "$SHARED_WARC" <<'PY' || fail "offsets of the two files set apart are not record starts"
import json, sys, zlib
root = sys.argv[1]
for line in open("ixs/index.cdxj"):
    key, ts, js = line.split(" ", 2)
    e = json.loads(js)
    if e["filename"] not in ("wio-example-bad-non-chunked.warc.gz", "wac-link-extraction-test.warc"):
        continue
    data = open(f"{root}/{e['filename']}", "rb").read()
    rec = data[int(e["offset"]):int(e["offset"]) + int(e["length"])]
    head = 600  # the record's own header names its URL...
    if e["filename"].endswith(".gz"):
        rec = zlib.decompressobj(31).decompress(rec)
        head = len(rec)  # ...or, in a whole-file member, one of the member's records does
    assert rec.startswith(b"WARC/1."), (e, rec[:20])
    assert e.get("url", "").encode() in rec[:head], (e["url"], rec[:300])
print("offsets of the files set apart point at their records")
PY
echo "index of shared/data/warc: $(grep -Evc "$apart" ixs/index.cdxj) lines equal to the reference"

# 5b. The 990 real pages of shared/data/warc-real: the same, every line.
mpirun_np 2 "$WARCPAIRS_BIN" index --out ixr "$WARCPAIRS_SHARED/data/warc-real" > index-real.out 2>&1 ||
  fail "index of warc-real failed: $(cat index-real.out)"
node "$E2E/cdxj_reference.mjs" "$WARCIO" "$WARCPAIRS_SHARED"/data/warc-real/*.warc.gz > reference-real.cdxj
diff ixr/index.cdxj reference-real.cdxj > real.diff || fail "CDXJ of warc-real differs: $(head -20 real.diff)"
[ "$(wc -l < ixr/index.cdxj)" -ge 990 ] || fail "expected the 990 pages of warc-real, got $(wc -l < ixr/index.cdxj)"
echo "index of warc-real: $(wc -l < ixr/index.cdxj) lines equal to the reference"

# 5c. More files than the merge opens at once (256): a file per record, merged in two rounds.
"$WARC_WRITE_SITE" many 100 1 > many.json
many=$(ls many/*.warc.gz | wc -l)
[ "$many" -gt 256 ] || fail "expected more than 256 files, got $many"
mpirun_np 2 "$WARCPAIRS_BIN" index --out ixm many > index-many.out 2>&1 || fail "index of $many files failed: $(cat index-many.out)"
node "$E2E/cdxj_reference.mjs" "$WARCIO" many/*.warc.gz > reference-many.cdxj
diff ixm/index.cdxj reference-many.cdxj > many.diff || fail "CDXJ of $many files differs: $(head -5 many.diff)"
[ -z "$(ls ixm/index | grep tmp || true)" ] || fail "merge temporaries left: $(ls ixm/index | grep tmp)"
echo "index of $many one-record files: $(wc -l < ixm/index.cdxj) lines equal to the reference"

# 6. Reruns: nothing changed → nothing redone; a touched file and a new file → those only.
expect_exit 0 "$WARCPAIRS_BIN" index --out ix site
expect_contains "$OUT" "0 files indexed ($files unchanged"
expect_contains "$OUT" "index.cdxj: unchanged"
before=$(sha256sum < ix/index.cdxj)
touch site/site-00001.warc.gz
cp "$SHARED_WARC/wio-post-test.warc.gz" site/
expect_exit 0 "$WARCPAIRS_BIN" index --out ix site
expect_contains "$OUT" "2 files indexed ($((files - 1)) unchanged"
grep -q 'org,httpbin)/post ' ix/index.cdxj || fail "the new file's lines are not in index.cdxj"
[ "$(grep -vc httpbin ix/index.cdxj)" -eq "$want" ] || fail "lines of the unchanged files changed"
[ "$(grep -v httpbin ix/index.cdxj | sha256sum)" = "$before" ] || fail "index.cdxj of the old files differs"

# 6b. Killed (SIGKILL at crash points) between a file's CDXJ and its stamp, and before the
# merged index's rename: nothing half-made is visible, the rerun ends with the same index.
expect_exit 137 env WARCPAIRS_CRASH_AT=index_after_cdxj:2 "$WARCPAIRS_BIN" index --out ixk site
[ ! -e ixk/index.cdxj ] || fail "index.cdxj visible after a kill mid-run"
expect_exit 137 env WARCPAIRS_CRASH_AT=index_merge_before_rename "$WARCPAIRS_BIN" index --out ixk site
[ ! -e ixk/index.cdxj ] || fail "index.cdxj visible before its rename"
expect_exit 0 "$WARCPAIRS_BIN" index --out ixk site
expect_contains "$OUT" "0 files indexed ($((files + 1)) unchanged"
cmp ixk/index.cdxj ix/index.cdxj || fail "index after kills differs from the uninterrupted one"

# 6c. SIGTERM while indexing warc-real (0.7 s in, past the ~0.5 s start-up): exit 75 and
# RUN/index.stopped, no index.cdxj, then the rerun ends with warc-real's full index. Timing on a
# loaded machine decides which case happens; each is checked (finished first: exit 0; signal
# before the handlers were installed: 143), and the rerun's index in all of them.
set +e
timeout --preserve-status -s TERM 0.7 "$WARCPAIRS_BIN" index --out ixt "$WARCPAIRS_SHARED/data/warc-real" > stop.out 2>&1
rc=$?
set -e
case $rc in
  75) [ -e ixt/index.stopped ] || fail "no RUN/index.stopped after exit 75"
      [ ! -e ixt/index.cdxj ] || fail "index.cdxj written by a stopped run"
      expect_contains "$(cat stop.out)" "run the same command again"
      expect_exit 0 "$WARCPAIRS_BIN" index --out ixt "$WARCPAIRS_SHARED/data/warc-real"
      [ ! -e ixt/index.stopped ] || fail "RUN/index.stopped left after the finished rerun"
      echo "stopped by SIGTERM (exit 75), resumed" ;;
  0) echo "index finished before SIGTERM; its result is checked" ;;
  143) expect_exit 0 "$WARCPAIRS_BIN" index --out ixt "$WARCPAIRS_SHARED/data/warc-real"
       echo "SIGTERM came before the stop handlers: killed, rerun checked" ;;
  *) fail "index under SIGTERM exited $rc: $(cat stop.out)" ;;
esac
cmp ixt/index.cdxj ixr/index.cdxj || fail "index after a stop differs from warc-real's"

# 7. A truncated file: its bad tail is counted and logged with the offset, the rest indexed.
mkdir -p cut
size=$(stat -c %s site/site-00002.warc.gz)
head -c $((size / 2)) site/site-00002.warc.gz > cut/half.warc.gz
expect_exit 0 "$WARCPAIRS_BIN" index --out ixc cut
expect_contains "$OUT" "index: skipped gzip_truncated in"
expect_contains "$OUT" "half.warc.gz at offset"
grep -q "skipped: none" <<<"$OUT" && fail "a truncated file reported no skip: $OUT"
[ "$(wc -l < ixc/index.cdxj)" -ge 1 ] || fail "nothing indexed from the first half"

# 8. Two inputs with the same base name need --dir-root (exit 2, saying so).
mkdir -p a b && cp site/site-00000.warc.gz a/ && cp site/site-00000.warc.gz b/
expect_exit 2 "$WARCPAIRS_BIN" index --out ixd a b
expect_contains "$OUT" "--dir-root"
expect_exit 0 "$WARCPAIRS_BIN" index --out ixd --dir-root . a b
grep -q '"filename": "a/site-00000.warc.gz"' ixd/index.cdxj || fail "--dir-root not used in filename"
echo "PASS"
