# Bad input never crashes and loses nothing silently: each known defect of the generated
# bad-inputs files is counted under its reason at its byte offset (a repaired page under its
# repair), every good page around the defects is kept, unreadable and missing inputs are
# counted (and not marked done), and the exit code is 0.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out in --files 0 --bad --huge-mb 9 >/dev/null
head -c 20000 /dev/urandom > in/random-bytes.warc.gz   # not gzip, not WARC
: > in/empty.warc
ln -s /nonexistent/target in/dangling.warc.gz
echo "$SCRATCH/in/missing.warc.gz" > missing-list.txt
# --context-from all: the manifests' labels are about the page's visible text.
expect_exit 0 mpirun_np 2 "$W" extract --context-from all --out run in @missing-list.txt
expect_contains "$OUT" "1 unreadable, 1 missing"
expect_contains "$OUT" "missing.warc.gz' does not exist"
expect_contains "$OUT" "in/empty.warc: empty WARC file"
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
           "huge": {"html_truncated"}, "truncated": {"record_truncated"}}
missing = []
repairs = 0
for path in sys.argv[2:]:
    m = json.load(open(path))
    rows = db.execute("SELECT s.warc_offset, s.reason FROM skips s JOIN files f USING(file_id) "
                      "WHERE f.path LIKE ?", ("%/" + m["warc"],)).fetchall()
    for d in m["defects"]:
        if d["category"] == "utf8":  # a repair, not a skip: counted in extract-stats.json
            repairs += 1
            continue
        # Plain files: the defect offset is where the damage starts; a reader reports the
        # record it was in, which starts at or before it, or resyncs a little after it.
        hit = [r for r in rows if r[1] in reasons[d["category"]] and abs(r[0] - d["offset"]) < 20000]
        if not hit:
            missing.append(f"{m['warc']}: {d['category']} at {d['offset']} not reported ({rows})")
for line in missing:
    print(line)
assert not missing, "defects not reported"
stats = json.load(open("run/extract-stats.json"))
assert stats["repairs"].get("invalid_utf8_replaced") == repairs, (stats["repairs"], repairs)
assert "invalid_utf8_replaced" not in stats["skips"], stats["skips"]
print("every injected defect is reported at its offset")
PYEOF

status() { sqlite3 $DB "SELECT status FROM files WHERE path LIKE '%/$1'"; }
# Not read is not done: no `files` row (the next run tries them again), counted in the stats.
[ -z "$(status missing.warc.gz)" ] || fail "a missing file was recorded as done"
[ -z "$(status dangling.warc.gz)" ] || fail "a dangling link was recorded as done"
[ "$(status random-bytes.warc.gz)" = partial ] || fail "random bytes not recorded as partial"
[ "$(sqlite3 $DB "SELECT count(*) FROM skips s JOIN files f USING(file_id) WHERE f.path LIKE '%/random-bytes.warc.gz' AND s.reason='not_warc'")" = 1 ] \
  || fail "random bytes not reported as not_warc"
[ "$(status empty.warc)" = ok ] || fail "empty file"
grep -q '"file_unreadable": 1' run/extract-stats.json || fail "stats JSON lacks the unreadable count"
grep -q '"files_missing": 1' run/extract-stats.json || fail "stats JSON lacks the missing count"
grep -q '"binary_as_html": 2' run/extract-stats.json || fail "stats JSON lacks binary_as_html"
echo "bad input: ok"
