# Generated crawl (gzip per record, plain, whole-file gzip) under mpirun -np 1, 2, 3:
# identical databases (full .dump), contents equal to the generator's manifests, merge and
# extract idempotent, shards readable by h5py and h5dump.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
GEN="$PY $WARCPAIRS_SRC/tools/gen_sample_warc.py"
$GEN --out gen --files 2 --size-mb 3 --seed 11 >/dev/null
$GEN --out gen/plain --files 1 --size-mb 2 --seed 12 --compression none >/dev/null
$GEN --out gen/whole --files 1 --size-mb 2 --seed 13 --compression file >/dev/null

# --context-from all: the generator's manifests say which alt texts occur in the page's visible
# text (main-content contexts are held against real pages by e2e.main_content).
for np in 1 2 3; do
  mpirun_np $np "$W" extract --context-from all --out run$np gen > extract$np.log 2>&1 || { cat extract$np.log; fail "extract -np $np"; }
  "$W" merge --out run$np > merge$np.log 2>&1 || { cat merge$np.log; fail "merge after -np $np"; }
  sqlite3 run$np/warcpairs.sqlite .dump > dump$np.sql
done
cmp dump1.sql dump2.sql || fail "-np 1 and -np 2 databases differ"
cmp dump1.sql dump3.sql || fail "-np 1 and -np 3 databases differ"
grep -q "INSERT INTO images" dump1.sql || fail "no images extracted"

$PY "$WARCPAIRS_SRC/tests/e2e/check_manifest.py" run1/warcpairs.sqlite gen/*.manifest.json gen/plain/*.manifest.json gen/whole/*.manifest.json

DB=run2/warcpairs.sqlite
[ "$(sqlite3 $DB 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ -z "$(sqlite3 $DB 'PRAGMA foreign_key_check')" ] || fail "foreign_key_check"
[ "$(sqlite3 $DB 'PRAGMA user_version')" = 11 ] || fail "user_version"

# Merge again: nothing taken twice. Extract again: nothing redone.
expect_exit 0 "$W" merge --out run2;  expect_contains "$OUT" "0 shards merged (4 already merged"
sqlite3 $DB .dump | cmp - dump2.sql || fail "second merge changed the database"
expect_exit 0 mpirun_np 2 "$W" extract --context-from all --out run2 gen; expect_contains "$OUT" "0 files (4 already done"

# The shards are plain HDF5: h5dump and h5py read them, and agree with the database.
shard=$(ls run1/shards/extract-sample-11-00000*.h5)
header=$(h5dump -H "$shard"); grep -qF "DATASET \"context.bytes\"" <<<"$header" || fail "h5dump does not show /images/context.bytes"
$PY - "$shard" "$DB" <<'PYEOF'
import sqlite3, sys, h5py
shard, db = sys.argv[1], sqlite3.connect(sys.argv[2])
with h5py.File(shard, "r") as f:
    def text(col):  # docs/storage.md: a text column is its bytes plus rows + 1 offsets
        buf = f[col + ".bytes"][:].tobytes(); off = f[col + ".offsets"][:]
        return [buf[off[i]:off[i + 1]].decode() for i in range(len(off) - 1)]
    urls = text("pages/url")
    contexts = text("images/context")
path = db.execute("SELECT path FROM files WHERE path LIKE '%sample-11-00000.warc.gz'").fetchone()[0]
want = [r[0] for r in db.execute("SELECT p.url FROM pages p JOIN files f USING(file_id) WHERE f.path=? ORDER BY page_id", (path,))]
assert urls == want, (len(urls), len(want))
want_ctx = [r[0] for r in db.execute("SELECT i.context FROM images i JOIN pages p USING(page_id) JOIN files f USING(file_id) WHERE f.path=? ORDER BY image_id", (path,))]
assert list(contexts) == want_ctx, "contexts differ between shard and database"
print(f"h5py: {len(urls)} pages, {len(contexts)} contexts equal to the database")
PYEOF
echo "determinism: ok"
