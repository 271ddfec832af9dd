# jobs/slurm/ on a real single-node Slurm (munged, slurmctld, slurmd started here, stopped on exit):
#  1. pipeline.sh (extract on 2 ranks via srun --mpi=pmix, then merge after afterok) gives the
#     same database as plain extract + merge;
#  2. extract.sh --launcher mpirun --scratch DIR (shards copied back from node-local disk) too;
#  2b. crawl.sh (2 ranks via srun) on a small generated site on loopback (the crawl test's
#     tests/net/crawl_site.py), and extract.sh after it (--dependency=afterok) on its WARC
#     files: the stored URLs are the site's list (crawl_check.py), every WARC file has its CDXJ
#     index, and extract + merge find the site's pages and every one of its images;
#  2c. render.sh (2 ranks via srun, one headless Chromium each; submitted with 2b, afterok on
#     the crawl) on the crawl's WARC files and 3 generated text pages, USR1 midway (exit 75,
#     requeue, resume), merge.sh afterok: render_pages holds extract's pages and the generated
#     ones, none failed, and the generated pages' crops and boxes equal a plain render's (1 px);
#  3. USR1 to a running extract.sh: the ranks stop with exit 75, the job requeues itself and
#     finishes; the database equals an uninterrupted run's;
#  4. model.sh train (2 ranks via srun) then model.sh predict, merge: one prediction per image;
#  5. pipeline.sh, every stage (extract -> merge -> train -> predict -> merge -> score -> merge ->
#     analyze -> export) on a small generated crawl whose images a slow loopback server holds,
#     with USR1 to the score job midway (exit 75, requeue, resume): the final dataset holds
#     every image; then --stages score,merge,export --model DIR on the same run does no new work.
# Needs root and Debian's slurm-wlm, munge (env/install-debian.sh).
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
JOBS=$WARCPAIRS_SRC/jobs/slurm
GEN="$PY $WARCPAIRS_SRC/tools/gen_sample_warc.py"
T0=$SECONDS

# A short path: the munge socket lives in it (Unix socket paths are limited to 108 bytes).
SLURM_DIR=$(mktemp -d /tmp/wp-slurm.XXXXXX)
on_exit() {
  local rc=$?
  if ((rc != 0)); then
    echo "--- slurm logs ($SLURM_DIR/log)" >&2
    tail -n 25 "$SLURM_DIR"/log/*.log >&2 2>/dev/null || true
  fi
  bash "$WARCPAIRS_SRC/tests/e2e/slurm/stop_slurm.sh" "$SLURM_DIR"
  echo "slurm_test: $((SECONDS - T0)) s in all" >&2
}
trap on_exit EXIT
bash "$WARCPAIRS_SRC/tests/e2e/slurm/start_slurm.sh" "$SLURM_DIR"
export SLURM_CONF=$SLURM_DIR/slurm.conf
echo "slurm_test: slurm up after $((SECONDS - T0)) s"

job_field() { scontrol show job "$1" -o | grep -o "$2=[^ ]*" | cut -d= -f2; }
# wait_job ID SECONDS: waits until the job has ended; prints its final state.
wait_job() {
  local id=$1 limit=$2 state=""
  for ((i = 0; i < limit * 2; i++)); do
    state=$(job_field "$id" JobState)
    case $state in
      COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
        echo "$state"; return ;;
    esac
    sleep 0.5
  done
  echo "STILL-$state"
}
# expect_completed ID SECONDS LOG: the job must end COMPLETED, else its log is shown.
expect_completed() {
  local state
  state=$(wait_job "$1" "$2")
  [ "$state" = COMPLETED ] || { cat "$3" >&2 || true; fail "job $1 ended $state ($(job_field "$1" ExitCode)), log $3"; }
}
# reference RUN LIST: plain extract + merge, outside Slurm, one rank.
reference() {
  "$W" extract -q --out "$1" "@$2" "${@:3}" > "$1.log" 2>&1 || { cat "$1.log"; fail "plain extract $1"; }
  "$W" merge -q --out "$1" >> "$1.log" 2>&1 || { cat "$1.log"; fail "plain merge $1"; }
  sqlite3 "$1/warcpairs.sqlite" .dump > "$1.sql"
}
# A stop signal cuts a file's shard parts at other places than an uninterrupted run does, so
# after one the `shards` ledger differs; the content must not: compare ordered dumps.
same_content() {
  local order="$WARCPAIRS_SRC/tools/ordered_dump.sql"
  sqlite3 -readonly "$1/warcpairs.sqlite" < "$order" > "$1.ordered"
  sqlite3 -readonly "$2/warcpairs.sqlite" < "$order" > "$2.ordered"
  cmp -s "$1.ordered" "$2.ordered" || fail "$1/warcpairs.sqlite holds other rows than $2 (ordered dumps differ)"
  [ "$(sqlite3 "$1/warcpairs.sqlite" 'PRAGMA integrity_check')" = ok ] || fail "$1: integrity_check"
}
same_db() {
  sqlite3 "$1/warcpairs.sqlite" .dump | cmp -s - "$2.sql" || fail "$1/warcpairs.sqlite differs from $2 (plain extract + merge)"
  grep -q "INSERT INTO images" "$2.sql" || fail "no images in $2"
}

# --- 1. pipeline.sh: extract (srun --mpi=pmix, 2 ranks) then merge, chained by afterok
$GEN --out gen --files 3 --size-mb 2 --seed 21 > /dev/null
(cd gen && ls -- *.warc.gz) > gen/warcs.txt
reference plain gen/warcs.txt
ids=$(bash "$JOBS/pipeline.sh" --warc-list gen/warcs.txt --run run-pipeline --bin "$W" --time 00:10:00 \
  --stages extract,merge)
extract_id=$(awk '$1 == "extract" {print $2}' <<<"$ids")
merge_id=$(awk '$1 == "merge" {print $2}' <<<"$ids")
[[ $extract_id =~ ^[0-9]+$ && $merge_id =~ ^[0-9]+$ ]] || fail "pipeline.sh printed no job ids: $ids"
[ "$(job_field "$merge_id" Dependency)" != "(null)" ] || [ "$(job_field "$merge_id" JobState)" != PENDING ] \
  || fail "merge job $merge_id has no dependency"
expect_completed "$extract_id" 300 "run-pipeline/logs/warcpairs-extract-$extract_id.out"
expect_completed "$merge_id" 300 "run-pipeline/logs/warcpairs-merge-$merge_id.out"
log=run-pipeline/logs/warcpairs-extract-$extract_id.out
grep -qF "2 ranks" "$log" || { cat "$log"; fail "extract did not run on 2 ranks"; }
# Each rank keeps its own log; rank 1's shows it ran under this job and took part.
grep -qF "[rank 1]" run-pipeline/logs/extract.rank1.log \
  || fail "srun --mpi=pmix ran one rank only (no run-pipeline/logs/extract.rank1.log)"
same_db run-pipeline plain
echo "slurm_test: 1. pipeline (srun --mpi=pmix, afterok merge) ok after $((SECONDS - T0)) s"

# --- 2. extract.sh with mpirun and node-local scratch; merge.sh alone
id=$(sbatch --parsable --output=scratch-%j.out "$JOBS/extract.sh" --run run-scratch \
  --warc-list gen/warcs.txt --bin "$W" --launcher mpirun --scratch "$SCRATCH/node-local")
expect_completed "$id" 300 "scratch-$id.out"
[ -z "$(ls -A node-local)" ] || fail "scratch folder not cleaned: $(ls -A node-local)"
ls run-scratch/shards/*.tmp 2>/dev/null && fail "temporary copies left in run-scratch/shards"
grep -qF "2 ranks" "scratch-$id.out" || fail "mpirun ran one rank only"
mid=$(sbatch --parsable --output=merge-%j.out "$JOBS/merge.sh" --run run-scratch --bin "$W")
expect_completed "$mid" 300 "merge-$mid.out"
same_db run-scratch plain
# The run's records come back from the scratch folder: options, attempts, totals.
[ -s run-scratch/extract-options.json ] && [ -s run-scratch/logs/extract-attempts.jsonl ] \
  || fail "scratch: extract-options.json or extract-attempts.jsonl not copied back"
[ "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"])' run-scratch/extract-stats.json)" \
  = "$(sqlite3 -readonly run-scratch/warcpairs.sqlite 'SELECT count(*) FROM pages')" ] \
  || fail "scratch: extract-stats.json pages differ from the database"
echo "slurm_test: 2. mpirun + scratch ok after $((SECONDS - T0)) s"

# --- 2b. crawl.sh on a loopback site, extract.sh chained after it with afterok
$PY "$WARCPAIRS_SRC/tests/net/crawl_site.py" crawl-site --pages 60 --b-pages 10 --max-depth 6 \
  --stall-s 30 > crawl-site.out 2>&1 &
CSITE=$!
trap 'rc=$?; kill $CSITE 2>/dev/null; (exit $rc); on_exit' EXIT
for ((i = 0; i < 100; i++)); do grep -q READY crawl-site.out && break; sleep 0.1; done
grep -q READY crawl-site.out || fail "the crawl site did not start: $(cat crawl-site.out)"
mapfile -t RESOLVE < crawl-site/resolve.txt
cid=$(sbatch --parsable --ntasks-per-node=2 --output=crawl-%j.out "$JOBS/crawl.sh" --run run-crawl \
  --seeds crawl-site/seeds.txt --bin "$W" -- --allow-loopback "${RESOLVE[@]}" --timeout 3 --retries 1 \
  --backoff 0.2 --max-depth 6 -q)
[[ $cid =~ ^[0-9]+$ ]] || fail "sbatch crawl.sh printed no job id: $cid"
xid=$(sbatch --parsable --dependency=afterok:"$cid" --ntasks-per-node=2 --output=crawl-extract-%j.out \
  "$JOBS/extract.sh" --run run-crawl --bin "$W" "$PWD/run-crawl/warc")
[[ $xid =~ ^[0-9]+$ ]] || fail "sbatch extract.sh printed no job id: $xid"
[ "$(job_field "$xid" Dependency)" != "(null)" ] || [ "$(job_field "$xid" JobState)" != PENDING ] \
  || fail "extract job $xid has no dependency"
# 2c's render job, chained after the crawl as well; held until 2c releases it (its USR1 must
# land while it runs, whatever the order Slurm starts the two in).
VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
$PY "$WARCPAIRS_SRC/tests/e2e/render_pages.py" render-pages.warc --pages 3
rid=$(sbatch --parsable --hold --dependency=afterok:"$cid" --ntasks-per-node=2 --output=render-%j.out \
  "$JOBS/render.sh" --run run-render --vocab "$VOCAB" --bin "$W" "$PWD/run-crawl/warc" "$PWD/render-pages.warc" \
  -- --part-pages 2 -q)
[[ $rid =~ ^[0-9]+$ ]] || fail "sbatch render.sh printed no job id: $rid"
expect_completed "$cid" 120 "crawl-$cid.out"
grep -qF "x 2 ranks" "crawl-$cid.out" || { cat "crawl-$cid.out"; fail "crawl.sh did not run 2 ranks"; }
expect_completed "$xid" 120 "crawl-extract-$xid.out"
kill $CSITE 2>/dev/null
trap on_exit EXIT
$PY "$WARCPAIRS_SRC/tests/e2e/crawl_check.py" run-crawl crawl-site || fail "crawl.sh: the stored URLs differ from the site's list"
for w in run-crawl/warc/*.warc.gz; do [ -s "${w%.warc.gz}.cdxj" ] || fail "crawl.sh: no CDXJ index beside $w"; done
"$W" merge -q --out run-crawl > merge-crawl.log 2>&1 || { cat merge-crawl.log; fail "merge run-crawl"; }
sqlite3 run-crawl/warcpairs.sqlite "SELECT DISTINCT url FROM images" | sort > crawl-images.txt
diff crawl-site/images.txt crawl-images.txt > crawl-images.diff || fail "extract after crawl.sh: images differ from the site's: $(head crawl-images.diff)"
# Every stored 2xx HTML page of the site is a page of extract's (the pages table's URLs are a
# subset of the stored URLs, and at least the site's pages on www.site-a.test are there).
sqlite3 run-crawl/warcpairs.sqlite "SELECT url FROM pages" | sort > crawl-pages.txt
comm -23 crawl-pages.txt <(sort crawl-site/expected.txt) > crawl-pages.extra
[ ! -s crawl-pages.extra ] || fail "extract after crawl.sh: pages the site does not have: $(head crawl-pages.extra)"
npages=$(wc -l < crawl-pages.txt)
((npages >= 60)) || fail "extract after crawl.sh: only $npages pages"
echo "slurm_test: 2b. crawl.sh (2 ranks) -> afterok extract.sh: $(ls run-crawl/warc/*.warc.gz | wc -l) WARC file(s), $npages pages, $(wc -l < crawl-images.txt) images ok after $((SECONDS - T0)) s"

# --- 2c. render.sh (2 ranks via srun, one headless Chromium each) on the crawl's WARC files and
# 3 generated text pages: released, USR1 once a part is committed (exit 75, requeue, resume),
# merge.sh after it (afterok). The render tables hold every page extract found in the crawl and
# the generated pages, none failed, and the generated pages' crops and token boxes equal (1 px)
# those of a plain one-rank render outside Slurm.
mrid=$(sbatch --parsable --dependency=afterok:"$rid" --output=render-merge-%j.out "$JOBS/merge.sh" \
  --run run-render --bin "$W")
scontrol release "$rid"
log=render-$rid.out
# Once a first part (not a file's last) is committed: the ranks are in the middle of files.
first_part() { compgen -G "run-render/shards/render-*[0-9].h5" > /dev/null; }
SECONDS_BEFORE=$SECONDS
until first_part || ((SECONDS - SECONDS_BEFORE > 120)); do sleep 0.2; done
first_part || { cat "$log" >&2 || true; fail "render job $rid committed no part in 120 s"; }
scancel --signal=USR1 --batch "$rid"
expect_completed "$rid" 300 "$log"
first=$(grep -m1 "launcher exited" "$log" || true)
[ "$first" = "render.sh: launcher exited 75" ] || { cat "$log" >&2; fail "USR1 did not stop render with exit 75 (${first:-none})"; }
grep -qF "requeueing job $rid" "$log" || fail "render.sh did not requeue job $rid after exit 75"
[ "$(job_field "$rid" Restarts)" = 1 ] || fail "render job $rid restarted $(job_field "$rid" Restarts) times, expected 1"
resumed=$(grep -oE 'render: [0-9]+ files \([0-9]+ already done, [0-9]+ resumed' "$log" | tail -1)
[[ $resumed =~ ([0-9]+)\ files\ \(([0-9]+)\ already\ done,\ ([0-9]+) ]] || { cat "$log"; fail "no render summary in $log"; }
((BASH_REMATCH[2] + BASH_REMATCH[3] > 0)) || fail "the requeued render found nothing done: $resumed"
((BASH_REMATCH[1] > 0)) || fail "USR1 came after render had done every file: $resumed"
grep -q "^\[.*begin \[" run-render/logs/render.rank1.log 2>/dev/null || fail "render.sh ran one rank only (rank 1 began no file)"
expect_completed "$mrid" 120 "render-merge-$mrid.out"
db=run-render/warcpairs.sqlite
sqlite3 "$db" "SELECT url FROM render_pages" | sort > render-pages.txt
sort crawl-pages.txt <(printf 'http://gen.example/p%d.html\n' 0 1 2) | diff - render-pages.txt > render-pages.diff \
  || fail "render under Slurm: its pages differ from extract's and the generated ones: $(head render-pages.diff)"
# A page the stop cut short is neither rendered nor failed, and not counted as a page either.
$PY -c 'import json, sys; s = json.load(open(sys.argv[1])); sys.exit(s["pages"] != s["rendered"] + sum(s["failures"].values()))' \
  run-render/render-stats.json || fail "render-stats.json: pages != rendered + failures: $(cat run-render/render-stats.json)"
[ "$(sqlite3 "$db" "SELECT count(*) FROM render_failures")" = 0 ] || fail "render under Slurm: failed pages: $(sqlite3 "$db" "SELECT reason, detail FROM render_failures LIMIT 3")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM render_pages WHERE url LIKE 'http://www.site-a.test%' AND (tokens = 0 OR fulfilled < 1)")" = 0 ] \
  || fail "render under Slurm: site pages without tokens or not served from the archive"
"$W" render -q --out render-plain --vocab "$VOCAB" render-pages.warc > render-plain.log 2>&1 || { cat render-plain.log; fail "plain render"; }
"$W" merge -q --out render-plain >> render-plain.log 2>&1 || { cat render-plain.log; fail "plain merge of render"; }
$PY - run-render/warcpairs.sqlite render-plain/warcpairs.sqlite <<'PY' || fail "render under Slurm: the generated pages' crops or boxes differ from a plain render"
import sqlite3, sys
def rows(path):
    db = sqlite3.connect(path)
    crops = db.execute("""SELECT p.url, r.crop, r.x, r.y, r.width, r.height, r.tokens, r.visible_tokens FROM renders r
                          JOIN render_pages p USING (render_page_id) WHERE p.url LIKE 'http://gen.example/%'
                          ORDER BY p.url, r.crop""").fetchall()
    toks = db.execute("""SELECT p.url, r.crop, t.position, t.box, t.token_id, t.visible, t.x, t.y, t.width, t.height
                         FROM render_tokens t JOIN renders r USING (render_id) JOIN render_pages p USING (render_page_id)
                         WHERE p.url LIKE 'http://gen.example/%' ORDER BY p.url, r.crop, t.position, t.box""").fetchall()
    return crops, toks
(sc, st), (pc, pt) = rows(sys.argv[1]), rows(sys.argv[2])
assert len(sc) == len(pc) >= 3 and len(st) == len(pt) >= 150, (len(sc), len(pc), len(st), len(pt))
close = lambda a, b: a[:2] == b[:2] and a[6:] == b[6:] and all(abs(x - y) <= 1 for x, y in zip(a[2:6], b[2:6]))
assert all(close(a, b) for a, b in zip(sc, pc)), [(a, b) for a, b in zip(sc, pc) if not close(a, b)][:3]
same = lambda a, b: a[:6] == b[:6] and all(abs(x - y) <= 1 for x, y in zip(a[6:], b[6:]))
assert all(same(a, b) for a, b in zip(st, pt)), [(a, b) for a, b in zip(st, pt) if not same(a, b)][:3]
print(f"{len(sc)} crops, {len(st)} token boxes as a plain render")
PY
echo "slurm_test: 2c. render.sh (2 ranks, USR1 -> 75 -> requeue -> $resumed) -> afterok merge.sh: $(wc -l < render-pages.txt) pages ok after $((SECONDS - T0)) s"

# --- 3. USR1 while extract runs: exit 75, requeue, resume, same database
$GEN --out big --files 10 --size-mb 8 --seed 22 > /dev/null
(cd big && ls -- *.warc.gz) > big/warcs.txt
reference plain-big big/warcs.txt --part-pages 40
# Small parts, so the signal also lands in the middle of files that then resume.
id=$(sbatch --parsable --output=usr1-%j.out "$JOBS/extract.sh" --run run-usr1 --warc-list big/warcs.txt \
  --bin "$W" -- --part-pages 40)
log=usr1-$id.out
# Signal once the first file is done (its last part exists), so the first attempt leaves
# both done and undone files.
for ((i = 0; i < 600; i++)); do
  compgen -G "run-usr1/shards/*.last.h5" > /dev/null && break
  sleep 0.2
done
compgen -G "run-usr1/shards/*.last.h5" > /dev/null || { cat "$log" >&2 || true; fail "extract job $id did not get going in 120 s"; }
scancel --signal=USR1 --batch "$id"
for ((i = 0; i < 600; i++)); do grep -q "launcher exited" "$log" && break; sleep 0.2; done
first=$(grep -m1 "launcher exited" "$log" || true)
if [ "$first" != "extract.sh: launcher exited 75" ]; then
  cat "$log" >&2
  fail "USR1 did not stop extract with exit 75 (${first:-no exit within 120 s}): the binary must catch SIGUSR1, finish the current record, close its shard and exit 75 (see the ranks' lines above)"
fi
grep -qF "requeueing job $id" "$log" || fail "extract.sh did not requeue job $id after exit 75"
expect_completed "$id" 300 "$log"
[ "$(job_field "$id" Restarts)" = 1 ] || fail "job $id restarted $(job_field "$id" Restarts) times, expected 1"
grep -qF "restart 1" "$log" || fail "no second attempt in $log"
# The second attempt resumed: it found finished shards and did the rest.
resumed=$(grep -oE '[0-9]+ files \([0-9]+ already done' "$log" | tail -1)
[[ $resumed =~ ^([0-9]+)\ files\ \(([0-9]+) ]] || fail "no extract summary in $log"
((BASH_REMATCH[2] > 0)) || fail "second attempt found no finished shard: $resumed"
((BASH_REMATCH[1] > 0)) || fail "USR1 came after all files were done (nothing left to resume): $resumed"
ls run-usr1/shards/*.tmp 2>/dev/null && fail "temporary shards left in run-usr1/shards"
"$W" merge -q --out run-usr1 > merge-usr1.log 2>&1 || { cat merge-usr1.log; fail "merge run-usr1"; }
same_content run-usr1 plain-big
echo "slurm_test: 3. USR1 -> exit 75 -> requeue -> resumed ($resumed) ok after $((SECONDS - T0)) s"
# --- 4. model.sh: train on 2 ranks (srun --mpi=pmix), then predict; skipped only in a build
# without the model layer (-DWARCPAIRS_MODEL=OFF), which says so.
if "$W" train --out run-usr1 2>&1 | grep "built without the span model" > /dev/null; then
  echo "slurm_test: 4. skipped: this build has no span model (WARCPAIRS_MODEL=OFF)"
else
  cat > tiny.json <<'JSON'
{"model_type": "distilbert", "vocab_size": 30522, "max_position_embeddings": 64, "n_layers": 1,
 "n_heads": 2, "dim": 32, "hidden_dim": 64}
JSON
  id=$(sbatch --parsable --ntasks-per-node=2 --output=train-%j.out "$JOBS/model.sh" train --run run-usr1 \
    --bin "$W" -- --model-config "$PWD/tiny.json" --vocab "$VOCAB" --max-length 64 --stride 16 --max-steps 5 \
    --batch-size 8 --threads 1 -q)
  expect_completed "$id" 300 "train-$id.out"
  grep -qF "2 ranks" "train-$id.out" || { cat "train-$id.out"; fail "model.sh train did not run 2 ranks"; }
  [ -f run-usr1/model/best/model.safetensors ] || fail "model.sh train wrote no checkpoint"
  id=$(sbatch --parsable --ntasks-per-node=2 --output=predict-%j.out "$JOBS/model.sh" predict --run run-usr1 \
    --bin "$W" -- --model "$PWD/run-usr1/model/best" --threads 1 -q)
  expect_completed "$id" 300 "predict-$id.out"
  "$W" merge -q --out run-usr1 > merge-predict.log 2>&1 || { cat merge-predict.log; fail "merge predictions"; }
  n=$(sqlite3 run-usr1/warcpairs.sqlite "SELECT count(*) FROM predictions")
  want=$(sqlite3 run-usr1/warcpairs.sqlite "SELECT count(*) FROM images WHERE context <> ''")
  [ "$n" = "$want" ] || fail "model.sh predict: $n predictions for $want images"
  echo "slurm_test: 4. model.sh train (2 ranks) + predict ($n predictions) ok after $((SECONDS - T0)) s"

  # --- 5. the whole chain in one submission, one requeue (score) in the middle
  $GEN --out chain --files 2 --size-mb 1 --pages 25 --seed 23 > /dev/null
  (cd chain && ls -- *.warc.gz) > chain/warcs.txt
  $PY "$WARCPAIRS_SRC/tools/gen_sample_images.py" --warc-dir chain --out chain-images \
    --vocab chain-vocab.txt --bpe chain-merges.txt > /dev/null
  "$W" checkpoint clip --dest chain-clip --bpe chain-merges.txt > /dev/null
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=chain \
    -addext "subjectAltName=$(ls chain-images | sed 's/^/DNS:/' | paste -sd,)" -keyout key.pem -out cert.pem 2> /dev/null
  # 40 ms per image: score takes long enough for a signal to land in the middle.
  $PY "$WARCPAIRS_SRC/tools/serve_sample_images.py" chain-images --cert cert.pem --key key.pem \
    --port-file ports --delay-ms 40 > /dev/null 2> server.log &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null; on_exit' EXIT
  for ((i = 0; i < 100; i++)); do [ -f ports ] && break; sleep 0.1; done
  [ -f ports ] || fail "the image server did not start: $(cat server.log)"
  cat > chain.json <<JSON
{"model_type": "distilbert", "vocab_size": $(wc -l < chain-vocab.txt), "max_position_embeddings": 64,
 "n_layers": 1, "n_heads": 2, "dim": 32, "hidden_dim": 64}
JSON
  ids=$(bash "$JOBS/pipeline.sh" --warc-list chain/warcs.txt --run run-chain --bin "$W" --time 00:10:00 \
    --ntasks-per-node 2 \
    --train-opts "--model-config $PWD/chain.json --vocab $PWD/chain-vocab.txt --max-length 64 --stride 16 --max-steps 8 --batch-size 8 --threads 1 -q" \
    --predict-opts "--threads 1 -q" \
    --score-opts "--clip $PWD/chain-clip --threads 1 --allow-loopback --ca-file $PWD/cert.pem --connect-to :443:127.0.0.1:$(sed -n 's/^HTTPS //p' ports) --connect-to :80:127.0.0.1:$(sed -n 's/^HTTP //p' ports) --rows-per-shard 100 --connections 2 -q")
  echo "$ids"
  [ "$(awk '{print $1}' <<<"$ids" | paste -sd' ')" = "extract merge train predict merge score merge analyze export" ] \
    || fail "pipeline.sh submitted: $ids"
  score_id=$(awk '$1 == "score" {print $2}' <<<"$ids")
  # USR1 once score has committed its first shard.
  for ((i = 0; i < 1500; i++)); do
    compgen -G "run-chain/shards/score-*.h5" > /dev/null && break
    [ "$(job_field "$score_id" JobState)" = PENDING ] || [ "$(job_field "$score_id" JobState)" = RUNNING ] || break
    sleep 0.2
  done
  compgen -G "run-chain/shards/score-*.h5" > /dev/null \
    || { cat run-chain/logs/*.out >&2; fail "score job $score_id wrote no shard (state $(job_field "$score_id" JobState))"; }
  scancel --signal=USR1 --batch "$score_id"
  # The job's log: pipeline.sh names it after the job (model.sh runs train, predict and score).
  chain_log() { case $1 in train | predict | score) echo "run-chain/logs/warcpairs-model-$2.out" ;;
                *) echo "run-chain/logs/warcpairs-$1-$2.out" ;; esac; }
  while read -r stage id; do expect_completed "$id" 400 "$(chain_log "$stage" "$id")"; done <<<"$ids"
  log=$(chain_log score "$score_id")
  grep -qF "model.sh: launcher exited 75" "$log" || { cat "$log"; fail "USR1 did not stop score with exit 75"; }
  grep -qF "requeueing job $score_id" "$log" || fail "model.sh did not requeue score job $score_id"
  [ "$(job_field "$score_id" Restarts)" = 1 ] || fail "score job restarted $(job_field "$score_id" Restarts) times, expected 1"
  grep -qE "score: [0-9]+ shards written \([1-9][0-9]* already done" "$log" || { cat "$log"; fail "the requeued score did not resume"; }
  db=run-chain/warcpairs.sqlite
  # predict reads contexts (extract --context-from main gives images outside the main content
  # none); score takes the pairs (a prediction or an alt) of content images (--image-kinds).
  contexts=$(sqlite3 "$db" "SELECT count(*) FROM images WHERE context <> ''")
  [ "$contexts" -gt 0 ] || fail "chain: no image has a context"
  [ "$(sqlite3 "$db" "SELECT count(*) FROM predictions")" = "$contexts" ] || fail "chain: not every image with a context has a prediction"
  pairs=$(sqlite3 "$db" "SELECT count(*) FROM image_kinds k JOIN images i USING (image_id) LEFT JOIN predictions p
                         USING (image_id) WHERE k.kind = 'content' AND (COALESCE(p.text, '') <> '' OR i.alt <> '')")
  [ "$pairs" -gt 0 ] || fail "chain: no content pair"
  [ "$(sqlite3 "$db" "SELECT count(*) FROM scores")" = "$pairs" ] || fail "chain: $(sqlite3 "$db" "SELECT count(*) FROM scores") scores for $pairs content pairs"
  [ "$(sqlite3 "$db" "SELECT count(*) FROM scores WHERE outcome <> 'ok' OR clip_caption IS NULL")" = 0 ] \
    || fail "chain: failed or unscored images: $(sqlite3 "$db" "SELECT outcome, count(*) FROM scores GROUP BY outcome")"
  [ -s run-chain/report/index.html ] || fail "chain: no report"
  samples=$(cat run-chain/dataset/*.tar | tar -t --ignore-zeros | grep -c '\.jpg$')
  want=$(sqlite3 "$db" "SELECT count(DISTINCT s.image_id) FROM scores s WHERE outcome = 'ok'")
  ((samples > 0 && samples <= want)) || fail "chain: $samples samples in the dataset for $want stored images"
  echo "slurm_test: 5. whole chain ($contexts images with a context, $pairs content pairs, $samples dataset samples, score requeued once) ok after $((SECONDS - T0)) s"
  ids=$(bash "$JOBS/pipeline.sh" --run run-chain --bin "$W" --stages score,merge,export --model run-chain/model/best \
    --ntasks-per-node 2 --score-opts "--clip $PWD/chain-clip --threads 1 --allow-loopback -q")
  [ "$(awk '{print $1}' <<<"$ids" | paste -sd' ')" = "score merge export" ] || fail "--stages score,merge,export submitted: $ids"
  while read -r stage id; do expect_completed "$id" 300 "$(chain_log "$stage" "$id")"; done <<<"$ids"
  grep -q "score: nothing new" "$(chain_log score "$(awk '$1 == "score" {print $2}' <<<"$ids")")" \
    || fail "the second score did work again"
  echo "slurm_test: 5b. --stages score,merge,export --model: nothing new to score ok after $((SECONDS - T0)) s"
fi
echo "slurm_test: ok"
