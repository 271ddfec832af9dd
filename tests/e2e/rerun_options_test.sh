# Reruns into one run folder: the first extract records the options that shape the output
# (RUN/extract-options.json); a rerun with other values is refused with exit 2 before any work,
# naming the option and both values, or with --allow-mixed-options accepted and recorded per
# file. RUN/extract-stats.json holds the run over all its attempts: a no-op rerun leaves its
# totals alone, and after a stop and a resume they equal what merge put into the database.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
DATA="$WARCPAIRS_SHARED/data/warc"
WARC="$DATA/jwarc-cc.warc.gz"
# stat FILE KEY [SUBKEY]: one number from a stats JSON.
stat() { $PY -c 'import json, sys
j = json.load(open(sys.argv[1]))
for k in sys.argv[2:]: j = j[k]
print(j)' "$@"; }
sql() { sqlite3 -readonly "$1/warcpairs.sqlite" "$2"; }

echo "== a rerun with another --context-chars is refused"
expect_exit 0 "$W" extract -q --out r1 --context-chars 300 "$WARC"
grep -q '"context-chars": 300' r1/extract-options.json || fail "no --context-chars in $(cat r1/extract-options.json)"
before=$(ls r1/shards)
expect_exit 2 "$W" extract -q --out r1 --context-chars 100 "$DATA"
expect_contains "$OUT" "--context-chars was 300 in the earlier run, 100 now"
expect_contains "$OUT" "--allow-mixed-options"
expect_contains "$OUT" "new --out"
[ "$(ls r1/shards)" = "$before" ] || fail "a refused rerun wrote shards"
expect_exit 2 "$W" extract -q --out r1 --max-html-mb 2 "$WARC"
expect_contains "$OUT" "--max-html-mb was 8 in the earlier run, 2 now"
mpirun_np 2 "$W" extract -q --out r1 --context-chars 100 "$DATA" > mpi.log 2>&1 && fail "2 ranks: a mixed rerun ran"
grep -q -- "--context-chars was 300" mpi.log || fail "2 ranks: no refusal message: $(cat mpi.log)"
# Options that do not shape the rows (part sizes, progress) do not count.
expect_exit 0 "$W" extract -q --out r1 --context-chars 300 --part-pages 7 "$WARC"
[ ! -e r1/extract-file-options.jsonl ] || fail "a rerun with the same options recorded a mix"

echo "== --allow-mixed-options: accepted and recorded per file"
expect_exit 0 "$W" extract -q --out r1 --context-chars 100 --allow-mixed-options "$DATA"
grep -q '"context-chars": 300' r1/extract-options.json || fail "the mix overwrote the run's options record"
nfiles=$(find "$DATA" -name '*.warc*' | wc -l)
[ "$(wc -l < r1/extract-file-options.jsonl)" = $((nfiles - 1)) ] || fail "not one line per file of the mixed run: $(cat r1/extract-file-options.jsonl)"
grep -q '"context-chars":100' r1/extract-file-options.jsonl || fail "per-file record lacks the options"
! grep -q "jwarc-cc.warc.gz" r1/extract-file-options.jsonl || fail "a file of the first run is recorded as mixed"
expect_exit 0 "$W" merge -q --out r1
$PY - r1 <<'PY' || fail "the per-file record does not match the contexts in the database"
import json, sqlite3, sys
run = sys.argv[1]
mixed = {json.loads(l)["file"] for l in open(f"{run}/extract-file-options.jsonl")}
db = sqlite3.connect(f"file:{run}/warcpairs.sqlite?mode=ro", uri=True)
for path, longest in db.execute("""SELECT f.path, max(length(i.context)) FROM files f
    JOIN pages p USING (file_id) JOIN images i USING (page_id) GROUP BY f.path"""):
    limit = 2 * 100 + 1 if path in mixed else 2 * 300 + 1
    assert longest <= limit, (path, longest, path in mixed)
assert any(l > 201 for p, l in db.execute("""SELECT f.path, max(length(i.context)) FROM files f
    JOIN pages p USING (file_id) JOIN images i USING (page_id) GROUP BY f.path""") if p not in mixed)
PY

echo "== a no-op rerun leaves the run's totals alone"
expect_exit 0 "$W" extract -q --out r2 "$DATA"
cp r2/extract-stats.json first.json
expect_exit 0 "$W" extract -q --out r2 "$DATA"
for key in files records pages images; do
  [ "$(stat r2/extract-stats.json $key)" = "$(stat first.json $key)" ] \
    || fail "no-op rerun changed $key: $(stat first.json $key) -> $(stat r2/extract-stats.json $key)"
done
[ "$(stat r2/extract-stats.json last_attempt pages)" = 0 ] || fail "the last attempt's own pages are not beside the totals"
[ "$(stat r2/extract-stats.json attempts)" = 2 ] || fail "attempts not counted"
expect_exit 0 "$W" merge -q --out r2
[ "$(stat r2/extract-stats.json pages)" = "$(sql r2 'SELECT count(*) FROM pages')" ] || fail "pages differ from the database"

echo "== stop and resume: the totals are the database's"
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out gen --files 4 --size-mb 4 --seed 14 >/dev/null 2>&1
"$W" extract --out r3 gen --part-pages 50 > stop.log 2>&1 &
pid=$!
for ((i = 0; i < 300; i++)); do compgen -G "r3/shards/*.p0000[0-9].h5" > /dev/null && break; sleep 0.05; done
kill -s TERM "$pid"
rc=0; wait "$pid" || rc=$?
((rc == 75)) || { cat stop.log; fail "SIGTERM: exit $rc, expected 75"; }
expect_exit 0 "$W" extract -q --out r3 gen --part-pages 50
expect_exit 0 "$W" merge -q --out r3
pages=$(sql r3 'SELECT count(*) FROM pages'); images=$(sql r3 'SELECT count(*) FROM images')
[ "$(stat r3/extract-stats.json pages)" = "$pages" ] || fail "stats pages $(stat r3/extract-stats.json pages), database $pages"
[ "$(stat r3/extract-stats.json images)" = "$images" ] || fail "stats images $(stat r3/extract-stats.json images), database $images"
[ "$(stat r3/extract-stats.json files)" = 4 ] || fail "stats files $(stat r3/extract-stats.json files)"
(( $(stat r3/extract-stats.json last_attempt pages) < pages )) || fail "the resume redid every page"
echo "rerun_options: ok"
