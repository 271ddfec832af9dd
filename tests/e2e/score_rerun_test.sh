#!/usr/bin/env bash
# score reruns (issue 14, part 3), in a loopback-only network namespace as score_test.sh: failed
# downloads are retried by a rerun (transient ones up to --max-attempts, the rest with
# --retry-failed), CLIP scores are added to a scored run from its stored images without a
# download, merge keeps one row per image (the latest), and the reasons of failures are on
# screen and in score-stats.json.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN

mkdir files
$PY - <<'PY'
from PIL import Image
for i in range(4):
    for prefix in ("a", "b"):
        Image.new("RGB", (200 + 30 * i, 150), (40 * i, 90, 180)).save(f"files/{prefix}{i}.jpg", quality=90)
PY
serve_files files
hits() { curl -s "$B/_hits?path=$1"; }
"$BIN" checkpoint clip --out clip --bpe "$WARCPAIRS_SHARED/data/vocab/clip-bpe_simple_vocab_16e6.txt.gz" > /dev/null
# make_run RUN URL...: a WARC with one page holding an image (with alt text) per URL, extracted
# and merged into RUN.
make_run() {
  local run=$1; shift
  PYTHONPATH="$WARCPAIRS_SRC/tests/e2e" $PY - "$run.warc" "$@" <<'PY'
import sys
from warc_records import response_record
imgs = "".join(f'<p>Text.</p><img src="{u}" alt="photo {k}"><p>After.</p>' for k, u in enumerate(sys.argv[2:]))
open(sys.argv[1], "wb").write(response_record(0, "http://site.test/p", f"<html><body>{imgs}</body></html>".encode()))
PY
  "$BIN" extract -q --out "$run" "$run.warc" > /dev/null
  "$BIN" merge -q --out "$run" > /dev/null
}
q() { sqlite3 "$1/warcpairs.sqlite" "$2"; }
stat_of() { $PY -c 'import json,sys; d=json.load(open(sys.argv[1]+"/score-stats.json")); print(eval(sys.argv[2]))' "$@"; }
one_row_per_image() {
  [ "$(q "$1" "SELECT count(*) = count(DISTINCT image_id) AND count(*) = $2 FROM scores")" = 1 ] \
    || fail "$1: expected $2 score rows, one per image: $(q "$1" "SELECT image_id, outcome, tries, revision FROM scores")"
}

echo "== (a) blocked without --allow-loopback: permanent; --retry-failed retries them"
make_run a "$B/img/a0.jpg" "$B/img/a1.jpg" "$B/img/a2.jpg" "$B/img/a3.jpg"
expect_exit 0 "$BIN" score --out a --retries 0 --rows-per-shard 2
expect_contains "$OUT" "4 blocked_address (permanent: a rerun with --retry-failed retries them)"
[ "$(stat_of a 'd["outcomes"]["blocked_address"]')" = 4 ] || fail "score-stats.json: $(cat a/score-stats.json)"
"$BIN" merge -q --out a > /dev/null
expect_exit 0 "$BIN" score --out a --retries 0 --rows-per-shard 2 --allow-loopback
expect_contains "$OUT" "4 permanent failures"
[ "$(hits /img/a0.jpg)" = 0 ] || fail "a permanent failure was retried without --retry-failed"
expect_exit 0 "$BIN" score --out a --retries 0 --rows-per-shard 2 --allow-loopback --retry-failed
expect_contains "$OUT" "4 failed downloads retried"
"$BIN" merge -q --out a > /dev/null
one_row_per_image a 4
[ "$(q a "SELECT group_concat(outcome || ':' || tries || ':' || revision, ' ') FROM scores")" = "ok:2:2 ok:2:2 ok:2:2 ok:2:2" ] \
  || fail "after --retry-failed: $(q a "SELECT image_id, outcome, tries, revision FROM scores")"
for i in 0 1 2 3; do [ "$(hits /img/a$i.jpg)" = 1 ] || fail "a$i.jpg fetched $(hits /img/a$i.jpg) times"; done

echo "== (c) CLIP added to the scored run from its stored images, no download"
expect_exit 0 "$BIN" score --out a --retries 0 --rows-per-shard 2 --allow-loopback --clip clip
expect_contains "$OUT" "0 failed downloads retried, 4 stored images CLIP-scored without a download"
for i in 0 1 2 3; do [ "$(hits /img/a$i.jpg)" = 1 ] || fail "adding CLIP fetched a$i.jpg again"; done
"$BIN" merge -q --out a > /dev/null
one_row_per_image a 4
[ "$(q a "SELECT count(*) FROM scores WHERE outcome = 'ok' AND clip_caption BETWEEN -1 AND 1
          AND clip_alt BETWEEN -1 AND 1 AND clip_model IS NOT NULL AND tar IS NOT NULL AND tries = 2")" = 4 ] \
  || fail "CLIP scores not added: $(q a "SELECT image_id, clip_caption, clip_model, tar, tries FROM scores")"
expect_exit 0 "$BIN" score --out a --retries 0 --rows-per-shard 2 --allow-loopback --clip clip
expect_contains "$OUT" "0 shards written"

echo "== (b) 503s: a rerun retries transient failures, up to --max-attempts"
make_run b "$B/flaky_img/b0.jpg?fails=1" "$B/flaky_img/b1.jpg?fails=1" "$B/flaky_img/b2.jpg?fails=9" "$B/img/b3.jpg"
expect_exit 0 "$BIN" score --out b --retries 0 --rows-per-shard 2 --allow-loopback
expect_contains "$OUT" "3 http_error 503 (transient: a rerun retries them, up to --max-attempts 3 per image)"
[ "$(stat_of b 'd["outcomes"]["http_error 503"], d["outcomes"]["ok"]')" = "(3, 1)" ] || fail "score-stats.json: $(cat b/score-stats.json)"
"$BIN" merge -q --out b > /dev/null
expect_exit 0 "$BIN" score --out b --retries 0 --rows-per-shard 2 --allow-loopback
expect_contains "$OUT" "3 failed downloads retried"
expect_contains "$OUT" "1 http_error 503 (transient"
"$BIN" merge -q --out b > /dev/null
one_row_per_image b 4
[ "$(q b "SELECT group_concat(outcome || ':' || tries, ' ') FROM (SELECT * FROM scores ORDER BY image_id)")" = "ok:2 ok:2 http_error:2 ok:1" ] \
  || fail "after one retry: $(q b "SELECT image_id, outcome, tries, revision FROM scores")"
for run in 3 4; do
  expect_exit 0 "$BIN" score --out b --retries 0 --rows-per-shard 2 --allow-loopback
  "$BIN" merge -q --out b > /dev/null
done
expect_contains "$OUT" "1 transient failures tried --max-attempts times"
[ "$(hits /flaky_img/b2.jpg)" = 3 ] || fail "b2.jpg requested $(hits /flaky_img/b2.jpg) times; the limit is 3 runs"
[ "$(hits /flaky_img/b0.jpg)" = 2 ] || fail "b0.jpg requested $(hits /flaky_img/b0.jpg) times, not 2"
[ "$(hits /img/b3.jpg)" = 1 ] || fail "b3.jpg (ok at once) requested again"
one_row_per_image b 4
[ "$(q b "SELECT outcome || ':' || tries || ':' || http_status FROM scores WHERE url LIKE '%b2.jpg%'")" = "http_error:3:503" ] \
  || fail "b2 after the limit: $(q b "SELECT image_id, outcome, tries, revision FROM scores")"
[ "$(stat_of b 'd["retries_exhausted"]')" = 1 ] || fail "score-stats.json: $(cat b/score-stats.json)"
# --retry-failed goes past the limit.
expect_exit 0 "$BIN" score --out b --retries 0 --rows-per-shard 2 --allow-loopback --retry-failed
[ "$(hits /flaky_img/b2.jpg)" = 4 ] || fail "--retry-failed did not retry the exhausted b2.jpg"
echo "PASS"
