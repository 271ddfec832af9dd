#!/usr/bin/env bash
# analyze end to end, as a person uses it: a real run (a generated sample WARC plus pages whose
# alt texts and context carry XSS strings, extract, merge, then score against a local HTTP
# server inside a loopback-only network namespace), `warcpairs analyze`, its summary.json
# checked against SQL counts, and index.html opened in headless Chromium through chromedriver
# (tests/browser/check_report.py): plots drawn, no console error, injected markup shown as
# text, screenshots saved under the scratch folder. Three states of the run: before scoring,
# scored without CLIP (clip_caption NULL), and with CLIP values and training metrics.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
BROWSER="$PY $WARCPAIRS_SRC/tests/browser/check_report.py"
# Required, not optional: a missing tool fails the test (env/install-debian.sh installs them).
for tool in gnuplot chromium chromedriver sqlite3; do
  command -v $tool > /dev/null || fail "$tool is missing (apt-get install -y gnuplot-nox chromium chromium-driver sqlite3)"
done
XSS1='<script>alert(1)</script>'
XSS2='"><img src=x onerror=alert(1)>'

mkdir files
$PY "$WARCPAIRS_SRC/tests/e2e/xss_pages.py" images files
serve_files files
# Pages pointing at the server; page 0 carries the XSS strings in alt text and context.
$PY "$WARCPAIRS_SRC/tests/e2e/xss_pages.py" warc "$B" pages.warc --garbage
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out warcs --files 1 --size-mb 1 > /dev/null
DB=run/warcpairs.sqlite
q() { sqlite3 "$DB" "$1"; }

echo "== extract + merge: no scores, no model"
"$BIN" extract -q --out run warcs/*.warc.gz pages.warc > /dev/null
"$BIN" merge -q --out run > /dev/null
[ "$(q "SELECT count(*) FROM images WHERE alt = '$XSS1'")" = 1 ] || fail "the XSS alt text did not reach the database"
expect_exit 0 "$BIN" analyze --out run
expect_contains "$OUT" "report run/report/index.html"
# summary.json against SQL: counts per stage, skip reasons, languages, histograms' totals.
$PY - run/report/summary.json "$DB" <<'PY' || fail "summary.json disagrees with the database"
import json, sqlite3, sys
s = json.load(open(sys.argv[1])); db = sqlite3.connect(sys.argv[2])
one = lambda q: db.execute(q).fetchone()[0]
want = {"files": "files", "pages": "pages", "images": "images", "skips": "skips"}
for k, t in want.items():
    assert s["counts"][k] == one(f"SELECT count(*) FROM {t}"), (k, s["counts"][k])
assert s["counts"]["images_with_alt"] == one("SELECT count(*) FROM images WHERE alt <> ''")
assert s["counts"]["labelled"] == one("SELECT count(*) FROM images WHERE label_start IS NOT NULL")
assert s["counts"]["scores"] == 0 and s["counts"]["predictions"] == 0 and s["counts"]["skips"] > 0
assert s["skip_reasons"] == dict(db.execute("SELECT reason, count(*) FROM skips GROUP BY reason")), s["skip_reasons"]
assert s["files_by_status"] == dict(db.execute("SELECT status, count(*) FROM files GROUP BY status"))
assert sum(s["languages"].values()) == one("SELECT count(*) FROM pages")
assert sum(s["domains"].values()) == one("SELECT count(*) FROM pages")
assert s["domains"]["xss.test"] == 2, s["domains"]
assert s["histograms"]["alt_length"]["total"] == one("SELECT count(*) FROM images WHERE alt <> ''")
assert s["histograms"]["context_length"]["total"] == one("SELECT count(*) FROM images WHERE context <> ''")
assert s["duplicates"]["distinct_image_urls"] == one("SELECT count(DISTINCT url) FROM images")
assert s["histograms"]["clip_caption"]["total"] == 0 and s["clip"]["scored"] == 0
assert s["plots"]["alt_length"]["drawn"] and not s["plots"]["clip_histogram"]["drawn"]
assert "No scores yet" in s["plots"]["clip_histogram"]["why_not"]
assert not s["plots"]["training_loss"]["drawn"]
assert "extract" in s["stage_stats"] and "merge" in s["stage_stats"]
assert s["renders"] is None, s["renders"]   # no render merged: no render section either
assert 'id="renders"' not in open("run/report/index.html").read()
print("summary: counts match SQL")
PY
grep -qF "$XSS1" run/report/index.html && fail "raw <script> from the data in the page"
grep -qF 'No scores yet' run/report/index.html || fail "the page does not say that scores are missing"
$BROWSER run/report/index.html --out "$SCRATCH/browser-unscored" \
  --plots skip_reasons,domains,languages,alt_length,context_length \
  --missing clip_histogram,clip_vs_length,image_sizes,prediction_length,training_loss,validation \
  --text "No scores yet" || fail "browser check before scoring"

echo "== score (no --clip): images, clip_caption NULL"
"$BIN" score -q --out run --allow-loopback --retries 0 --timeout 3 --connect-timeout 2 --image-kinds all > /dev/null
"$BIN" merge -q --out run > /dev/null
[ "$(q "SELECT count(*) FROM scores WHERE outcome = 'ok'")" = 6 ] || fail "6 images expected from the test server: $(q "SELECT outcome, count(*) FROM scores GROUP BY 1")"
[ "$(q "SELECT count(clip_caption) FROM scores")" = 0 ] || fail "clip_caption should be NULL without --clip"
expect_exit 0 "$BIN" analyze --out run --min-clip 0.25
expect_contains "$OUT" "6 pair images"
$PY - run/report/summary.json "$DB" <<'PY' || fail "summary.json after score"
import json, sqlite3, sys
s = json.load(open(sys.argv[1])); db = sqlite3.connect(sys.argv[2])
one = lambda q: db.execute(q).fetchone()[0]
assert s["counts"]["scores"] == one("SELECT count(*) FROM scores") and s["counts"]["scores_ok"] == 6
assert s["counts"]["scores_clip"] == 0 and s["clip"]["at_or_above_min_clip"] is None
assert s["score_outcomes"] == dict(db.execute("SELECT outcome, count(*) FROM scores GROUP BY outcome"))
assert s["image_mime_types"] == dict(db.execute("SELECT coalesce(mime, '(unknown)'), count(*) FROM scores GROUP BY 1"))
assert "without --clip" in s["plots"]["clip_histogram"]["why_not"]
assert s["plots"]["image_sizes"]["drawn"] and s["plots"]["outcomes"]["drawn"]
assert s["grids"] == {"random": {"pairs": 6, "images": 6}}, s["grids"]
assert s["duplicates"]["distinct_sha256"] == 6
PY
grep -qF 'without --clip' run/report/index.html || fail "the page does not say CLIP scores are missing"
# The grid shows the alt texts: escaped in the file, no raw markup from the data.
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' run/report/index.html || fail "escaped XSS string not in the page"
grep -qF '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' run/report/index.html || fail "escaped attribute-breaking string not in the page"
grep -qF "$XSS1" run/report/index.html && fail "raw <script> from the data in the page"
grep -qF "$XSS2" run/report/index.html && fail "raw attribute-breaking string from the data in the page"

echo "== CLIP values (set by SQL) and training metrics: every plot"
q "UPDATE scores SET clip_caption = 0.05 * (image_id % 7), clip_model = 'test' WHERE outcome = 'ok'"
q "UPDATE scores SET unsafe = 0.1 * (image_id % 11) WHERE outcome = 'ok'"  # schema 8
mkdir -p run/model
for sl in 10:2.31 20:1.62 30:1.20 40:0.97; do
  echo "{\"type\":\"train\",\"step\":${sl%:*},\"loss\":${sl#*:},\"lr\":0.0001}"
done > run/model/metrics.jsonl
echo '{"type":"validation","step":20,"model":{"exact_match":0.4,"token_f1":0.6}}' >> run/model/metrics.jsonl
echo '{"type":"validation","step":40,"model":{"exact_match":0.5,"token_f1":0.7}}' >> run/model/metrics.jsonl
printf '{"type":"train","step":' >> run/model/metrics.jsonl  # a torn last line, as after a kill
expect_exit 0 "$BIN" analyze --out run --min-clip 0.12
$PY - run/report/summary.json "$DB" <<'PY' || fail "summary.json with CLIP values"
import json, sqlite3, sys
s = json.load(open(sys.argv[1])); db = sqlite3.connect(sys.argv[2])
one = lambda q: db.execute(q).fetchone()[0]
assert s["clip"]["scored"] == 6 == s["histograms"]["clip_caption"]["total"]
assert s["clip"]["at_or_above_min_clip"] == one("SELECT count(*) FROM scores WHERE clip_caption >= 0.12"), s["clip"]
assert s["clip"]["min_clip"] == 0.12
assert s["training"]["train_points"] == 4 and s["training"]["validation_points"] == 2
assert s["training"]["last_validation"]["token_f1"] == 0.7
not_drawn = sorted(k for k, v in s["plots"].items() if not v["drawn"])
assert not_drawn == ["prediction_length"], not_drawn
assert s["histograms"]["unsafe"]["total"] == 6, s["histograms"]["unsafe"]
assert s["histograms"]["unsafe"]["bins"] == [
    sum(1 for (u,) in db.execute("SELECT unsafe FROM scores WHERE unsafe IS NOT NULL") if min(int(u * 20), 19) == b)
    for b in range(20)], s["histograms"]["unsafe"]
assert s["grids"]["best"]["images"] == 6 and s["grids"]["worst"]["images"] == 6
PY
grep -qF 'min-clip 0.12' run/report/index.html || fail "the threshold is not marked on the CLIP histogram"
$BROWSER run/report/index.html --out "$SCRATCH/browser-scored" \
  --plots skip_reasons,domains,languages,alt_length,context_length,clip_histogram,clip_vs_length,image_sizes,outcomes,training_loss,validation,unsafe_histogram,detected_languages \
  --missing prediction_length --min-images 18 --text "$XSS1" --text "$XSS2" --text "a cat & a dog" \
  || fail "browser check with scores"
[ -s "$SCRATCH/browser-scored/report.png" ] && [ -s "$SCRATCH/browser-scored/pairs.png" ] || fail "screenshots not saved"

echo "== failures say what to do"
expect_exit 1 "$BIN" analyze --out run --gnuplot /nonexistent/gnuplot
expect_contains "$OUT" "gnuplot-nox"
expect_exit 1 "$BIN" analyze --out nowhere
expect_contains "$OUT" "run \`warcpairs merge\` first"
expect_exit 2 "$BIN" analyze --out run --min-clip 3
echo "PASS (screenshots in $SCRATCH/browser-*)"
