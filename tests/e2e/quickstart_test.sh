#!/usr/bin/env bash
# tools/quickstart.sh as README tells a newcomer to run it (without its package install and
# build: this build's binary), twice, inside a loopback-only network namespace: the first run
# takes the generated sample through every stage to a report and a WebDataset dataset, every
# sample image served by the script's own server; the second run does no work.
source "$(dirname "$0")/in_netns.sh"  # loopback only: the quick start downloads nothing
source "$(dirname "$0")/lib.sh"
qs() { bash "$WARCPAIRS_SRC/tools/quickstart.sh" --no-setup --bin "$WARCPAIRS_BIN" --work "$SCRATCH/qs"; }
start=$(date +%s)
qs > first.log 2>&1 || { cat first.log; fail "the quick start failed"; }
echo "first run: $(($(date +%s) - start)) s"
cat first.log
DB=qs/run-quickstart/warcpairs.sqlite
q() { sqlite3 "$DB" "$1"; }
for s in sample extract merge train predict score analyze export; do
  grep -q "^$s " first.log || fail "the table lists no $s stage"
done
[ "$(q 'SELECT count(*) FROM pages')" -gt 100 ] || fail "too few pages"
# predict reads contexts: every image with one (extract --context-from main, the default, gives
# images outside the main content none) has a prediction.
[ "$(q "SELECT count(*) FROM images WHERE context <> ''")" -gt 1000 ] || fail "too few images with a context"
[ "$(q 'SELECT count(*) FROM predictions')" = "$(q "SELECT count(*) FROM images WHERE context <> ''")" ] \
  || fail "not every image with a context has a prediction"
# The default --image-kinds content keeps the sample's article and gallery images (2874 of 5914).
[ "$(q "SELECT count(*) FROM image_kinds WHERE kind = 'content'")" -gt 2000 ] \
  || fail "image kinds: $(q "SELECT kind, count(*) FROM image_kinds GROUP BY kind")"
# Every image the pages point to is served: nothing may fail to download or decode.
[ "$(q "SELECT count(*) FROM scores WHERE outcome <> 'ok'")" = 0 ] \
  || fail "failed downloads: $(q "SELECT outcome, count(*), min(url) FROM scores WHERE outcome <> 'ok' GROUP BY outcome")"
ok=$(q "SELECT count(*) FROM scores WHERE outcome = 'ok' AND clip_caption IS NOT NULL")
[ "$ok" -gt 1000 ] || fail "only $ok CLIP-scored images"
[ -s qs/run-quickstart/report/index.html ] || fail "no report"
$PY - qs/run-quickstart/dataset "$(q "SELECT count(*) FROM scores WHERE outcome = 'ok'")" <<'PY' || fail "the dataset"
import glob, json, sys, tarfile
n = 0
for path in glob.glob(sys.argv[1] + "/*.tar"):
    with tarfile.open(path) as t:
        for m in t:
            if m.name.endswith(".json"):
                j = json.load(t.extractfile(m))
                assert t.extractfile(m.name[:-5] + ".jpg").read(2) == b"\xff\xd8", m.name
                assert -1 <= j["clip_caption"] <= 1, j
                n += 1
assert 0 < n <= int(sys.argv[2]), (n, sys.argv[2])
print(n, "samples in the WebDataset")
PY
expect_contains "$(cat first.log)" "they mean nothing"
expect_contains "$(cat first.log)" "--clip models/clip-vit-base-patch32"
expect_contains "$(cat first.log)" "predicted:"

echo "== the second run does no work"
before=$(q "SELECT (SELECT count(*) FROM images), (SELECT count(*) FROM predictions), (SELECT count(*) FROM scores)")
# Now, not a minute ago: a first run whose train ended less than a minute before this line
# (a fast machine: 55 s for the whole first run) would look like a second training.
touch stamp
sleep 1  # file systems with one-second timestamps
qs > second.log 2>&1 || { cat second.log; fail "the second quick start failed"; }
cat second.log
log=qs/run-quickstart/logs
grep -q "0 files to do\|files (2 already done" "$log/quickstart-extract.log" || fail "extract did work again: $(cat "$log/quickstart-extract.log")"
grep -q "^predict: nothing new" "$log/quickstart-predict.log" || fail "predict did work again"
grep -q "^score: nothing new" "$log/quickstart-score.log" || fail "score did work again"
grep -q "^merge: 0 shards merged" "$log/quickstart-merge.log" || fail "merge found new shards"
expect_contains "$(cat second.log)" "analyze: the report is up to date"
expect_contains "$(cat second.log)" "export: the dataset is up to date"
[ "$(q "SELECT (SELECT count(*) FROM images), (SELECT count(*) FROM predictions), (SELECT count(*) FROM scores)")" = "$before" ] \
  || fail "the second run changed the database"
[ -z "$(find qs/run-quickstart/model -newer stamp -name model.safetensors)" ] || fail "train wrote a model again"
echo "quickstart: ok"
