#!/usr/bin/env bash
# e2e.crawl: `mpirun -np 2..3 warcpairs crawl` on a generated multi-host site on loopback
# (tests/net/crawl_site.py: robots.txt rules of every kind, redirects and a loop, 404/500/429,
# slow and stalled responses, a calendar trap, duplicates, non-UTF-8 pages), in a network
# namespace with nothing but loopback. Asserts:
#  - the URLs stored (responses and revisits in RUN/warc, read by Python's gzip) == the site's
#    own list of in-scope allowed URLs, each once (crawl_check.py); the two URLs with the same
#    content are one response and one revisit referring to it (WARC-Refers-To-Target-URI and
#    -Date, the payload digest), also after the chaos rounds; none of the forbidden ones requested
#    (the site's access log); Crawl-delay kept;
#  - the records are the bytes on the wire: a chunked page with odd header case and order equals
#    byte for byte what the site wrote, its request record what the site read;
#  - warcio.js reads every record with every block and payload digest verified;
#  - `warcpairs extract` finds every image of the stored pages;
#  - every RUN/warc/*.warc.gz has its CDXJ index beside it, equal line for line to the
#    independent indexer on warcio.js (cdxj_reference.mjs), also after the chaos rounds; a
#    rerun writes an index that is missing (as a kill between the part's move and its index
#    would leave it);
#  - a rerun does nothing new (exit 0, nothing fetched);
#  - chaos: SIGKILL of a random rank (leader or worker) at random moments, three times, then
#    reruns until done: the same URL set, no record twice, and the same records (type, URI,
#    refers-to) as the uninterrupted crawl: each payload's response at its smallest URL;
#  - a finalize interrupted after rewriting the parts is redone by a rerun to the same records;
#  - robots.txt redirects (RFC 9309 §2.3.1.2): followed up to five, the rules reached are the
#    origin's (a path they disallow never requested), more = allow all; --robots-max-age;
#  - a rerun fetches again the URLs that failed without a response (--retry-failed).
# warcio.js (bench/peers) is installed here, before the loopback-only namespace has no route
# to npm; a fresh checkout has none (ctest's RESOURCE_LOCK keeps two installs apart).
[ -f "$(dirname "$0")/../../bench/peers/node_modules/warcio/dist/index.js" ] ||
  (cd "$(dirname "$0")/../../bench/peers" && npm ci --no-audit --no-fund >/dev/null) ||
  { echo "FAIL: npm ci in bench/peers failed" >&2; exit 1; }
source "$(dirname "$0")/in_netns.sh"
source "$(dirname "$0")/lib.sh"
WARCIO="$WARCPAIRS_SRC/bench/peers/node_modules/warcio/dist/index.js"
E2E="$WARCPAIRS_SRC/tests/e2e"
command -v node >/dev/null || fail "node is missing (env/install-debian.sh installs nodejs)"
[ -f "$WARCIO" ] || fail "warcio.js is missing: run 'npm ci' in $WARCPAIRS_SRC/bench/peers"

$PY "$WARCPAIRS_SRC/tests/net/crawl_site.py" site --pages 600 --b-pages 80 --max-depth 12 \
  --stall-s 30 --access-log > site.out 2>&1 &
SITE=$!
trap 'kill $SITE 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q READY site.out && break; sleep 0.1; done
grep -q READY site.out || fail "the site did not start: $(cat site.out)"
mapfile -t RESOLVE < site/resolve.txt
crawl() {  # crawl NP RUN [more options]
  local np=$1 run=$2; shift 2
  mpirun_np "$np" "$WARCPAIRS_BIN" crawl --out "$run" --seeds site/seeds.txt --allow-loopback \
    "${RESOLVE[@]}" --timeout 3 --retries 1 --backoff 0.2 --max-depth 12 "$@"
}

# 1. A clean crawl with 2 ranks: the exact URL set, robots.txt kept (access log), Crawl-delay.
crawl 2 run > crawl.out 2>&1 || fail "crawl failed: $(tail -20 crawl.out)"
tail -1 crawl.out
$PY "$E2E/crawl_check.py" run site --access-log --signature sig-run.txt || fail "the crawl's URLs differ from the site's list"
[ -z "$(ls run/crawl/staging)" ] || fail "parts left in staging: $(ls run/crawl/staging)"
$PY - <<'PY' || fail "crawl-stats.json: $(cat run/crawl-stats.json)"
import json
s = json.load(open("run/crawl-stats.json"))
expected = len(open("site/expected.txt").read().split())
assert s["fetched"] == expected, (s["fetched"], expected)
assert s["outcomes"].get("timeout") == 1, s["outcomes"]   # /stall
assert s["disallowed"] > 0 and s["capped"] > 0 and s["stopped"] is False, s
assert s["revisits"] >= 1, s
PY

# 1b. Records hold the messages as on the wire: /chunked.html (odd header case and order, uneven
# chunks, a chunk extension, a trailer) byte for byte as the site wrote it, and its request as
# the site read it (section 2 verifies its payload digest over the de-chunked body; section 3
# finds its image, so extract de-chunks it).
$PY - "$E2E" <<'PY' || fail "the chunked page's records differ from the bytes on the wire"
import glob, sys
sys.path.insert(0, sys.argv[1])
from crawl_check import records
port = dict(l.split() for l in open("site/ports.txt"))["www.site-a.test"]
uri = f"http://www.site-a.test:{port}/chunked.html"
got = {}
for f in glob.glob("run/warc/*.warc.gz"):
    for fields, block in records(f):
        if fields.get("warc-target-uri") == uri:
            got[fields["warc-type"]] = block
wire = open("site/wire/chunked.response", "rb").read()
assert got.get("response") == wire, (got.get("response", b"")[:300], wire[:300])
assert b"\r\n11;ext=v\r\n" in wire and b"X-Checksum" in wire
assert got.get("request") == open("site/wire/chunked.request", "rb").read(), got.get("request")
print(f"wire: {uri} response ({len(wire)} bytes, chunked) and request stored byte for byte")
PY

# 2. warcio.js reads every record; every digest is recomputed and equal.
node "$E2E/warc_verify_digests.mjs" "$WARCIO" run/warc/*.warc.gz > verify.json ||
  fail "warcio.js digest check failed: $(head -c 2000 verify.json)"
$PY - <<'PY' || fail "warcio.js: $(cat verify.json)"
import json
v = json.load(open("verify.json"))
n = len(open("site/expected.txt").read().split())
t = v["by_type"]
assert t["response"] + t.get("revisit", 0) == n and t["request"] == n and t.get("revisit", 0) >= 1, t
assert v["mismatches"] == [] and v["payload_checked"] >= 2 * n, v
print("warcio.js:", v["records"], "records,", t.get("revisit", 0), "revisits,", v["block_checked"], "block and",
      v["payload_checked"], "payload digests verified")
PY

# 2b. The CDXJ index beside each WARC file = the independent indexer's lines for that file.
check_cdxj() {  # check_cdxj RUN
  local n=0 w
  for w in "$1"/warc/*.warc.gz; do
    [ -f "${w%.warc.gz}.cdxj" ] || fail "no CDXJ index beside $w"
    [ -s "${w%.warc.gz}.cdxj" ] || fail "the CDXJ index beside $w is empty"
    LC_ALL=C sort -c "${w%.warc.gz}.cdxj" || fail "the CDXJ index beside $w is not sorted"
    n=$((n + 1))
  done
  ((n > 0)) || fail "no WARC files in $1/warc"
  # One reference run over every file (it prints the sorted lines of all of them; each line
  # names its file): equal to our indexes' lines together.
  node "$E2E/cdxj_reference.mjs" "$WARCIO" "$1"/warc/*.warc.gz > reference.cdxj || fail "reference indexer failed on $1"
  cat "$1"/warc/*.cdxj | LC_ALL=C sort -u > ours.cdxj
  LC_ALL=C sort -u reference.cdxj | diff ours.cdxj - > cdxj.diff ||
    fail "the CDXJ indexes in $1/warc differ from the reference: $(head -10 cdxj.diff)"
  [ "$(ls "$1"/warc | grep -vc -e '\.warc\.gz$' -e '\.cdxj$')" -eq 0 ] || fail "other files in $1/warc: $(ls "$1"/warc)"
  echo "CDXJ: $n index(es) in $1/warc equal to the reference"
}
check_cdxj run

# 3. extract finds every image of the stored pages.
mpirun_np 2 "$WARCPAIRS_BIN" extract --out run run/warc > extract.out 2>&1 || fail "extract failed: $(cat extract.out)"
"$WARCPAIRS_BIN" merge --out run > merge.out 2>&1 || fail "merge failed: $(cat merge.out)"
sqlite3 run/warcpairs.sqlite "SELECT DISTINCT url FROM images" | sort > extracted-images.txt
diff site/images.txt extracted-images.txt > images.diff ||
  fail "extract's images differ from the site's: $(head -20 images.diff)"
echo "extract: all $(wc -l < site/images.txt) images of the site found"

# 4. A rerun has nothing to do but the index a kill between a part's move and its index left
# missing (removed here by hand).
# Globs, not `ls | head -1`: under pipefail head's early exit can SIGPIPE ls when the listing
# is long (CI's slower crawl wrote 156 parts) and end the script without a message.
indexes=(run/warc/*.cdxj)
first=${indexes[0]}
cp "$first" removed.cdxj && rm "$first"
crawl 2 run > rerun.out 2>&1 || fail "rerun failed: $(tail -20 rerun.out)"
expect_contains "$(cat rerun.out)" "0 URLs fetched"
expect_contains "$(cat rerun.out)" "1 WARC file(s) without their CDXJ index indexed"
cmp "$first" removed.cdxj || fail "the rewritten index differs from the first one"
$PY "$E2E/crawl_check.py" run site > /dev/null || fail "the rerun changed the WARC set"

# 4b. Finalize after a kill between rewriting the parts and recording it in the state (as left
# by hand here: the revisits marked as responses again, a temporary rewrite file left in
# RUN/warc): the rerun redoes it, finds the records already revisits, ends with the same set.
sqlite3 run/crawl/state.sqlite "UPDATE urls SET record = 1 WHERE record = 2"
parts=(run/warc/*.warc.gz)
cp "${parts[0]}" "${parts[0]}.open"
crawl 2 run > refinal.out 2>&1 || fail "rerun after an interrupted finalize failed: $(tail -20 refinal.out)"
expect_contains "$(cat refinal.out)" "0 converted now"
expect_contains "$(cat refinal.out)" "1 temporary file(s) of an interrupted rewrite deleted"
$PY "$E2E/crawl_check.py" run site --signature sig-refinal.txt > /dev/null || fail "the redone finalize changed the WARC set"
diff sig-run.txt sig-refinal.txt > sig.diff || fail "records differ after the redone finalize: $(head sig.diff)"
check_cdxj run

# 5. Chaos: SIGKILL a random rank at a random moment, three times, then finish.
RANDOM=18
landed=0
for round in 1 2 3; do
  crawl 3 chaos > chaos-$round.out 2>&1 &
  runner=$!
  sleep "$((1 + RANDOM % 3)).$((RANDOM % 10))"
  rank=$((RANDOM % 3))
  victim=""
  for p in $(pgrep -f -- "warcpairs crawl --out chaos" || true); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = warcpairs ] || continue
    tr '\0' '\n' < /proc/$p/environ 2>/dev/null | grep -x "OMPI_COMM_WORLD_RANK=$rank" > /dev/null && victim=$p
  done
  if [ -n "$victim" ] && kill -9 "$victim" 2>/dev/null; then
    landed=$((landed + 1)); echo "chaos round $round: killed rank $rank (pid $victim)"
  else
    echo "chaos round $round: rank $rank had finished"
  fi
  wait "$runner" || true
done
((landed >= 2)) || fail "only $landed kills landed on a running crawl"
for _ in 1 2 3; do crawl 2 chaos > chaos-final.out 2>&1 && break; done
tail -1 chaos-final.out
$PY "$E2E/crawl_check.py" chaos site --signature sig-chaos.txt ||
  fail "after the kills the URL set differs or a URL is stored twice"
# Revisits are decided whatever the timing: the same (type, URI, refers-to) records as the
# uninterrupted crawl.
diff sig-run.txt sig-chaos.txt > sig.diff || fail "chaos and uninterrupted crawls differ in records: $(head sig.diff)"
echo "records: the chaos crawl's $(wc -l < sig-chaos.txt) (type, URI, refers-to) equal the uninterrupted crawl's"
check_cdxj chaos
# 6. RFC 9309 §2.4: a robots.txt is used --robots-max-age at most (24 h by default). With 1 s, a
# crawl of the Crawl-delay host (six pages 0.5 s apart) fetches its robots.txt again, and
# still keeps the delay (checked with the whole access log below).
before=$(grep -c " delay.site-d.test /robots.txt$" site/access.log)
grep delay.site-d site/seeds.txt > delay-seeds.txt
mpirun_np 2 "$WARCPAIRS_BIN" crawl --out maxage --seeds delay-seeds.txt --allow-loopback "${RESOLVE[@]}" \
  --timeout 3 --retries 1 --robots-max-age 1 > maxage.out 2>&1 || fail "crawl with --robots-max-age 1 failed: $(tail maxage.out)"
expect_contains "$(cat maxage.out)" "(--robots-max-age 1): fetched again"
refetched=$(($(grep -c " delay.site-d.test /robots.txt$" site/access.log) - before))
((refetched >= 2)) || fail "robots.txt requested $refetched time(s) in a 3 s crawl with --robots-max-age 1"
echo "robots max age: delay.site-d.test/robots.txt requested $refetched times in one crawl"
# 6b. A part is a commit, and a rank commits every --commit-every or when the leader waits on
# its results, not whenever it idles: between a polite host's requests it idles too, and the
# Crawl-delay host's 9 URLs (robots.txt, the hub, its five pages, stylesheet and script) made 9
# parts. Now 4: the robots.txt, the hub, the level's URLs fetched while its last one was in
# flight (the leader then has nothing but leased URLs: it asks for them), the last one. One
# rank, so that no URL of the level goes to another rank's part (with two, up to 5 parts).
sleep 5.1  # crawl_check.py --access-log tells crawls apart by a gap over 5 s in the host's log
mpirun_np 1 "$WARCPAIRS_BIN" crawl --out polite --seeds delay-seeds.txt --allow-loopback "${RESOLVE[@]}" \
  --timeout 3 --retries 1 --commit-every 60 > polite.out 2>&1 || fail "crawl of the Crawl-delay host failed: $(tail polite.out)"
expect_contains "$(cat polite.out)" "9 URLs fetched"
polite_parts=(polite/warc/*.warc.gz)
((${#polite_parts[@]} <= 4)) || fail "the Crawl-delay host's 9 URLs in ${#polite_parts[@]} WARC parts, not 4: ${polite_parts[*]}"
echo "polite host: 9 URLs in ${#polite_parts[@]} WARC parts"
# 7. A rerun fetches again what failed without a response (--retry-failed): a host that refuses
# connections on the first run (robots.txt unreachable: nothing else fetched) and serves on the
# second; the output then covers the input, and a third run has nothing to do.
lport=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p late-site && echo '<a href="/a.html">a</a>' > late-site/index.html && echo '<p>a</p>' > late-site/a.html
echo "http://late.site-g.test:$lport/" > late-seeds.txt
late() { mpirun_np 2 "$WARCPAIRS_BIN" crawl --out late --seeds late-seeds.txt --allow-loopback \
  --resolve "late.site-g.test:$lport:127.0.0.1" --timeout 3 --retries 1 --backoff 0.2 "$@"; }
late > late-1.out 2>&1 || fail "crawl of an unreachable host failed: $(tail late-1.out)"
expect_contains "$(cat late-1.out)" "0 URLs fetched (1 failed without a response)"
(cd late-site && exec $PY -m http.server --bind 127.0.0.1 "$lport") > late-server.out 2>&1 &
LATE=$!
trap 'kill $SITE $LATE 2>/dev/null' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$lport") 2>/dev/null && break; sleep 0.1; done
late > late-2.out 2>&1 || fail "rerun failed: $(tail late-2.out)"
expect_contains "$(cat late-2.out)" "1 URL(s) whose fetch failed without a response queued again"
expect_contains "$(cat late-2.out)" "3 URLs fetched"
$PY - "$E2E" "$lport" <<'PY' || fail "the rerun's records do not cover the late host"
import glob, sys
sys.path.insert(0, sys.argv[1])
from crawl_check import records
base = f"http://late.site-g.test:{sys.argv[2]}"
got = sorted(f["warc-target-uri"] for w in glob.glob("late/warc/*.warc.gz") for f, _ in records(w)
             if f.get("warc-type") == "response")
assert got == [base + "/", base + "/a.html", base + "/robots.txt"], got
PY
late > late-3.out 2>&1 || fail "third run failed: $(tail late-3.out)"
expect_contains "$(cat late-3.out)" "0 URLs fetched (0 failed"
kill $LATE 2>/dev/null
echo "retry-failed: a host down on the first run is crawled by the rerun"
$PY "$E2E/crawl_check.py" run site --access-log > /dev/null || fail "forbidden URLs requested during the chaos rounds"
echo "PASS crawl"
