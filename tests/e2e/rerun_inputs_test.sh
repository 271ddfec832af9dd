# Inputs as users get them wrong: a file named before it exists, a list entry still to come,
# an unreadable file, one file under two paths, a file that is not a WARC, an empty one, a
# file instead of a run folder. Nothing is "done" unless it was read; a command-line typo is
# refused before anything starts; everything else is reported, counted and read on a rerun.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
WARC=$(realpath "$WARCPAIRS_SHARED/data/warc/jwarc-cc.warc.gz")
shards() { find "$1/shards" -name '*.h5' 2>/dev/null | wc -l; }

# A path on the command line that does not exist: exit 2 on stderr naming it, nothing started.
set +e; "$W" extract --out run late/x.warc.gz > out.txt 2> err.txt; rc=$?; set -e
[ "$rc" = 2 ] || fail "missing input: exit $rc, want 2: $(cat out.txt err.txt)"
grep -q "late/x.warc.gz" err.txt || fail "the error does not name the path: $(cat err.txt)"
[ ! -s out.txt ] || fail "missing input: output on stdout: $(cat out.txt)"
[ "$(shards run)" = 0 ] || fail "a shard was written for a missing input"
# Once the file is there, the same command reads it (it was never recorded as done).
mkdir late && cp "$WARC" late/x.warc.gz
expect_exit 0 "$W" extract --out run late/x.warc.gz
expect_contains "$OUT" "extract: 1 files (0 already done"

# A @list entry that does not exist yet: a warning naming it, counted, not marked done.
mkdir in && cp "$WARC" in/a.warc.gz
printf 'a.warc.gz\nlater.warc.gz\n' > in/list.txt
expect_exit 0 "$W" extract --out listed @in/list.txt
expect_contains "$OUT" "later.warc.gz' does not exist"
expect_contains "$OUT" "1 missing)"
grep -q '"files_missing": 1' listed/extract-stats.json || fail "extract-stats.json lacks files_missing"
cp "$WARCPAIRS_SHARED/data/warc/pywb-iana.warc.gz" in/later.warc.gz
expect_exit 0 "$W" extract --out listed @in/list.txt
expect_contains "$OUT" "extract: 1 files (1 already done, 0 resumed, 0 unreadable, 0 missing)"

# A file that cannot be opened (a link to a file still to come, found in a folder): counted
# as unreadable, no shard; the rerun after it appears reads it.
mkdir dir && ln -s "$SCRATCH/target.warc.gz" dir/link.warc.gz
expect_exit 0 "$W" extract --out unread dir
expect_contains "$OUT" "1 unreadable"
[ "$(shards unread)" = 0 ] || fail "an unreadable file got a shard (it would count as done)"
grep -q '"files_unreadable": 1' unread/extract-stats.json || fail "stats lack files_unreadable"
cp "$WARC" target.warc.gz
expect_exit 0 "$W" extract --out unread dir
expect_contains "$OUT" "extract: 1 files (0 already done, 0 resumed, 0 unreadable"

# One file under two paths (a symlink beside its target): read once, the drop is logged.
ln -s "$WARC" twin.warc.gz
expect_exit 0 "$W" extract --out twins "$WARC" twin.warc.gz
expect_contains "$OUT" "extract: 1 files"
expect_contains "$OUT" "twin.warc.gz is the same file as $WARC: dropped"
[ "$(shards twins)" = 1 ] || fail "one file under two paths was extracted twice"

# Not a WARC file (a PNG renamed .warc.gz) and empty WARC files (0 bytes, gzip of nothing).
mkdir odd
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' > odd/picture.warc.gz
head -c 3000 /dev/urandom >> odd/picture.warc.gz
: > odd/zero.warc
printf '' | gzip > odd/nothing.warc.gz
expect_exit 0 "$W" extract --out odd-run odd
expect_contains "$OUT" "skip not_warc: $SCRATCH/odd/picture.warc.gz at byte 0"
expect_contains "$OUT" "not a WARC file"
! grep -q warc_garbage <<<"$OUT" || fail "a PNG was reported as warc_garbage: $OUT"
expect_contains "$OUT" "$SCRATCH/odd/zero.warc: empty WARC file"
expect_contains "$OUT" "$SCRATCH/odd/nothing.warc.gz: empty WARC file"
grep -q '"not_warc": 1' odd-run/extract-stats.json || fail "stats lack not_warc"

# Invalid UTF-8 in a page is repaired (U+FFFD), counted apart from skips; the file is `ok`.
$PY - <<'PYEOF'
body = (b"<html><body><p>caf\xe9 \xff\xfe text around</p><img src='a.png' alt='x'></body></html>")
http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://bad.example/\r\n"
        b"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(http)).encode() + b"\r\n\r\n")
open("utf8.warc", "wb").write(head + http + b"\r\n\r\n")
PYEOF
expect_exit 0 "$W" extract --out utf8 utf8.warc
expect_contains "$OUT" "repaired: invalid_utf8_replaced=1"
expect_contains "$OUT" "skipped: none"
expect_contains "$OUT" "repaired invalid_utf8_replaced: $SCRATCH/utf8.warc at byte 0"
$PY - utf8/extract-stats.json <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["repairs"] == {"invalid_utf8_replaced": 1}, s
assert "invalid_utf8_replaced" not in s["skips"], s
PYEOF
expect_exit 0 "$W" merge --out utf8
[ "$(sqlite3 utf8/warcpairs.sqlite "SELECT status || ' ' || skipped FROM files")" = "ok 0" ] \
  || fail "a file read to its end with a repaired page is not ok"

# --out naming a file: a usage error on stderr for every subcommand (one shared check).
touch afile
for cmd in extract merge train predict score analyze export review checkpoint; do
  arg=$WARC; [ $cmd = checkpoint ] && arg=clip
  set +e; "$W" $cmd --out afile "$arg" > out.txt 2> err.txt; rc=$?; set -e
  [ "$rc" = 2 ] || fail "$cmd --out FILE: exit $rc, want 2: $(cat out.txt err.txt)"
  grep -q -- "--out: must be a directory, but 'afile' is a file" err.txt \
    || fail "$cmd --out FILE: no usage message: $(cat err.txt)"
  [ ! -s out.txt ] || fail "$cmd --out FILE: output on stdout: $(cat out.txt)"
done
echo "rerun inputs: ok"
