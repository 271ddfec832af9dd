# Bad input never crashes and loses nothing silently: each known defect of the generated
# bad-inputs files is counted under its reason at its byte offset, every good page around
# the defects is kept, unreadable and missing inputs are recorded, and the exit code is 0.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out in --files 0 --bad --huge-mb 9 >/dev/null
head -c 20000 /dev/urandom > in/random-bytes.warc.gz   # not gzip, not WARC
: > in/empty.warc
ln -s /nonexistent/target in/dangling.warc.gz
expect_exit 0 mpirun_np 2 "$W" extract --out run in "$SCRATCH/in/missing.warc.gz"
expect_contains "$OUT" "2 unreadable"
expect_exit 0 "$W" merge --out run
DB=run/warcpairs.sqlite

# Every good page next to a defect survives, with its images (manifest = expectation).
$PY "$WARCPAIRS_SRC/tests/e2e/check_manifest.py" $DB in/bad-inputs.warc.gz.manifest.json in/bad-inputs.warc.manifest.json

# Each defect shows up in the skips table under the reason its category maps to, at the
# defect's byte offset (or the offset of the record it damaged).
$PY - "$DB" in/bad-inputs.warc.gz.manifest.json in/bad-inputs.warc.manifest.json <<'PYEOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
reasons = {"gzip": {"gzip_corrupt", "gzip_truncated"}, "garbage": {"warc_garbage", "gzip_garbage"},
           "content-length": {"content_length_mismatch"}, "binary": {"binary_as_html"},
           "huge": {"html_truncated"}, "utf8": {"invalid_utf8_replaced"},
           "truncated": {"record_truncated"}}
missing = []
for path in sys.argv[2:]:
    m = json.load(open(path))
    rows = db.execute("SELECT s.warc_offset, s.reason FROM skips s JOIN files f USING(file_id) "
                      "WHERE f.path LIKE ?", ("%/" + m["warc"],)).fetchall()
    for d in m["defects"]:
        # Plain files: the defect offset is where the damage starts; a reader reports the
        # record it was in, which starts at or before it, or resyncs a little after it.
        hit = [r for r in rows if r[1] in reasons[d["category"]] and abs(r[0] - d["offset"]) < 20000]
        if not hit:
            missing.append(f"{m['warc']}: {d['category']} at {d['offset']} not reported ({rows})")
for line in missing:
    print(line)
assert not missing, "defects not reported"
print("every injected defect is reported at its offset")
PYEOF

status() { sqlite3 $DB "SELECT status FROM files WHERE path LIKE '%/$1'"; }
[ "$(status missing.warc.gz)" = unreadable ] || fail "missing file not recorded as unreadable"
[ "$(status dangling.warc.gz)" = unreadable ] || fail "dangling link not recorded as unreadable"
[ "$(status random-bytes.warc.gz)" = partial ] || fail "random bytes not recorded as partial"
[ "$(status empty.warc)" = ok ] || fail "empty file"
grep -q '"file_unreadable": 2' run/extract-stats.json || fail "stats JSON lacks the unreadable count"
grep -q '"binary_as_html": 2' run/extract-stats.json || fail "stats JSON lacks binary_as_html"
echo "bad input: ok"
