#!/usr/bin/env bash
# The span model end to end, as a user runs it: extract + merge, train (1 rank and 2 ranks
# with the same global batch must end with the same parameters; a SIGKILL mid-training resumes
# to the bit-identical model), predict over MPI (deterministic, resumable after a kill), merge
# into `predictions`, and extract --model writing the same answers from inside extract.
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
[ -f "$VOCAB" ] || fail "missing $VOCAB (../shared beside the project)"
dump_predictions() {  # ordered, everything but nothing machine-specific
  sqlite3 "$1/warcpairs.sqlite" "SELECT image_id, model, span_start, span_end, text, printf('%.6f', score)
                                  FROM predictions ORDER BY image_id, model"
}

$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out warc --files 2 --size-mb 1 --seed 5 >/dev/null
$BIN extract -q --out run warc
$BIN merge -q --out run >/dev/null
# A tiny DistilBERT over the real uncased vocabulary (model sizes come from config.json).
tiny_config() {  # dropout
  cat <<JSON
{"architectures": ["DistilBertForQuestionAnswering"], "model_type": "distilbert",
 "vocab_size": 30522, "max_position_embeddings": 64, "n_layers": 2, "n_heads": 2, "dim": 32,
 "hidden_dim": 64, "dropout": $1, "attention_dropout": $1, "qa_dropout": $1, "activation": "gelu"}
JSON
}
tiny_config 0.0 > tiny0.json
tiny_config 0.1 > tiny.json

echo "== usage errors"
expect_exit 2 "$BIN" train --out run
expect_contains "$OUT" "--init"
expect_exit 2 "$BIN" train --out run --model-config tiny.json
expect_contains "$OUT" "--vocab"
expect_exit 2 "$BIN" predict --out run --model nowhere
expect_contains "$OUT" "config.json"
expect_exit 2 "$BIN" train --out run --model-config tiny.json --vocab "$VOCAB" --max-length 128
expect_contains "$OUT" "max_position_embeddings"

echo "== data parallel: 2 ranks x 4 windows == 1 rank x 8 windows"
common=(--model-config tiny0.json --vocab "$VOCAB" --max-length 64 --stride 16 --batch-size 8
        --max-steps 6 --lr 2e-3 --warmup-ratio 0.3 --float64 --threads 1 -q)
"$BIN" train --out run --model-out one "${common[@]}" > one.log
mpirun_np 2 "$BIN" train --out run --model-out two "${common[@]}" > two.log
$PY "$WARCPAIRS_SRC/tests/e2e/compare_safetensors.py" one/last/model.safetensors two/last/model.safetensors 1e-5 \
  || fail "2-rank training diverged from 1-rank training"
# The validation metrics (split over ranks, then summed) agree too.
f1() { $PY -c "import json,sys; print(round(json.load(open(sys.argv[1]))['model']['token_f1'], 9))" "$1"; }
[ "$(f1 one/quality.json)" = "$(f1 two/quality.json)" ] || fail "validation F1 differs between 1 and 2 ranks"
for f in config.json model.safetensors vocab.txt tokenizer_config.json; do
  [ -f one/best/$f ] || fail "checkpoint lacks $f"
done
grep -q '"type":"validation"' one/metrics.jsonl || fail "no validation line in metrics.jsonl"
# The windows' markers are recorded for predict: the image's and the line breaks'.
grep -q '"line_marker": "\[unused2\]"' one/best/config.json || fail "config.json records no line marker"
grep -q '"model_no_span"' one/quality.json || fail "quality.json lacks the no-span diagnostics"

echo "== --token-dropout: the same masks over 1 and 2 ranks, another model than without"
"$BIN" train --out run --model-out td1 "${common[@]}" --token-dropout 0.5 > /dev/null
mpirun_np 2 "$BIN" train --out run --model-out td2 "${common[@]}" --token-dropout 0.5 > /dev/null
$PY "$WARCPAIRS_SRC/tests/e2e/compare_safetensors.py" td1/last/model.safetensors td2/last/model.safetensors 1e-5 \
  || fail "--token-dropout: 2-rank training diverged from 1-rank training"
if $PY "$WARCPAIRS_SRC/tests/e2e/compare_safetensors.py" one/last/model.safetensors td1/last/model.safetensors 1e-5 \
  > /dev/null 2>&1; then fail "--token-dropout 0.5 trained the same model as without"; fi
expect_exit 2 "$BIN" train --out run --model-out td3 "${common[@]}" --token-dropout 1

echo "== SIGKILL mid-training, rerun: the same model as an uninterrupted run"
resume=(--model-config tiny.json --vocab "$VOCAB" --max-length 64 --stride 16 --batch-size 8
        --max-steps 12 --save-steps 4 --lr 2e-3 --threads 1 -q)
"$BIN" train --out run --model-out clean "${resume[@]}" > /dev/null
set +e
WARCPAIRS_CRASH_AT=train_step:7 "$BIN" train --out run --model-out killed "${resume[@]}" > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 137 ] || fail "expected the crash point to SIGKILL training (137), got $rc"
[ "$($PY -c "import json; print(json.load(open('killed/last/state.json'))['global_step'])")" = 4 ] \
  || fail "the last checkpoint before the kill should be step 4"
"$BIN" train --out run --model-out killed "${resume[@]}" > resumed.log
$PY "$WARCPAIRS_SRC/tests/e2e/compare_safetensors.py" clean/last/model.safetensors killed/last/model.safetensors 0 \
  || fail "resumed training differs from the uninterrupted run"
cut_rate() { sed 's/"windows_per_second":[^,}]*//' "$1"; }
diff <(cut_rate clean/metrics.jsonl) <(cut_rate killed/metrics.jsonl) || fail "metrics.jsonl differs after resume"
expect_exit 2 "$BIN" train --out run --model-out killed "${resume[@]}" --seed 7
expect_contains "$OUT" "different training run"

echo "== --dev-fraction: development pages pick the best epoch; the held-out pages stay the same"
"$BIN" train --out run --model-out dev --model-config tiny.json --vocab "$VOCAB" --max-length 64 \
  --stride 16 --batch-size 8 --max-steps 4 --lr 2e-3 --threads 1 -q --dev-fraction 0.3 --bucket-by-length > dev.log
expect_contains "$(cat dev.log)" "best dev token F1"
grep -q '"type":"dev"' dev/metrics.jsonl || fail "no dev line in metrics.jsonl"
$PY - dev/quality.json one/quality.json <<'PY' || fail "quality.json with --dev-fraction"
import json, sys
q, base = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert q["selected_by"] == "dev" and q["dev"]["images"] > 0, q
assert base["selected_by"] == "held-out", base
assert q["images"] == base["images"], (q["images"], base["images"])  # the same held-out images
PY
expect_exit 2 "$BIN" train --out run --model-out dev2 --model-config tiny.json --vocab "$VOCAB" --patience 1
expect_contains "$OUT" "--patience needs --dev-fraction"

echo "== --decoding lines: recorded for predict, validation reports every decoding"
"$BIN" train --out run --model-out lines --model-config tiny.json --vocab "$VOCAB" --max-length 64 \
  --stride 16 --batch-size 8 --max-steps 4 --lr 2e-3 --threads 1 -q --decoding lines > /dev/null
grep -q '"decoding": "lines"' lines/best/config.json || fail "config.json records no decoding"
$PY - lines/quality.json one/quality.json <<'PY' || fail "quality.json's decodings"
import json, sys
q, base = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for j in (q, base):
    assert set(j["model_decoded"]) == {"spans", "lines", "both"}, j["model_decoded"]
assert q["model"] == q["model_decoded"]["lines"], q
assert base["model"] == base["model_decoded"]["spans"], base
PY
cp -r run run_lines
cp -r run run_spans
"$BIN" predict --out run_lines --model lines/best -q > /dev/null
"$BIN" merge -q --out run_lines > /dev/null
"$BIN" predict --out run_spans --model one/best -q > /dev/null
"$BIN" merge -q --out run_spans > /dev/null
# No answer crosses a line break, and far more answers are whole lines (the context's text
# between two line breaks, the image or the context's ends) than with free spans (one/best). Not all: a window's edge cuts long lines (here windows of 64 tokens and CJK lines
# of 70 characters, one token each), and the cut piece is the line as that window sees it.
$PY - run_lines/warcpairs.sqlite run_spans/warcpairs.sqlite <<'PY' || fail "--decoding lines answered with parts of lines"
import sqlite3, sys
def whole(ctx, pos, s, e):
    b = max(ctx.rfind("\n", 0, s) + 1, pos if pos <= s else 0)
    f = ctx.find("\n", e)
    f = min(f if f >= 0 else len(ctx), pos if pos >= e else len(ctx))
    return not ctx[b:s].strip() and not ctx[e:f].strip()
share = []
for db in sys.argv[1:]:
    rows = sqlite3.connect(db).execute(
        "SELECT i.context, i.image_pos, p.span_start, p.span_end FROM predictions p "
        "JOIN images i USING(image_id) WHERE p.span_start IS NOT NULL").fetchall()
    assert rows and not any("\n" in c[s:e] for c, _, s, e in rows), db
    share.append(sum(whole(*r) for r in rows) / len(rows))
print(f"whole lines: {share[0]:.2f} of the answers decoded as lines, {share[1]:.2f} as spans")
assert share[0] > share[1] + 0.2, share
PY
expect_exit 2 "$BIN" train --out run --model-out lines2 --model-config tiny.json --vocab "$VOCAB" --decoding words

echo "== --centre-marker: one window per image, the marker at its centre, recorded for predict"
"$BIN" train --out run --model-out centre --model-config tiny.json --vocab "$VOCAB" --max-length 64 \
  --stride 16 --batch-size 8 --max-steps 2 --lr 2e-3 --threads 1 -q --centre-marker > centre.log
grep -q '"centre_marker": true' centre/best/config.json || fail "config.json does not record --centre-marker"
grep -q '"centre_marker": false' one/best/config.json || fail "config.json lacks centre_marker: false"
cp -r run run_centre
"$BIN" predict --out run_centre --model centre/best -q > /dev/null
"$BIN" merge -q --out run_centre > /dev/null
[ "$(sqlite3 run_centre/warcpairs.sqlite "SELECT count(*) FROM predictions")" = \
  "$(sqlite3 run_centre/warcpairs.sqlite "SELECT count(*) FROM images WHERE context <> ''")" ] \
  || fail "predict with a --centre-marker checkpoint: not one prediction per image with context"

echo "== --ensemble 2 --near-line-markers: members in OUT/member-K, OUT/best their ensemble, predict runs it"
ens=(--out run --model-out ens --model-config tiny.json --vocab "$VOCAB" --max-length 64 --stride 16
     --batch-size 8 --max-steps 2 --lr 2e-3 --threads 1 -q --centre-marker --near-line-markers --ensemble 2)
"$BIN" train "${ens[@]}" > ens.log
for f in member-0/best/model.safetensors member-1/best/model.safetensors best/model.safetensors \
         best/ensemble/1/model.safetensors best/ensemble/1/config.json best/vocab.txt; do
  [ -f "ens/$f" ] || fail "train --ensemble 2 wrote no ens/$f"
done
cmp -s ens/member-0/best/model.safetensors ens/best/model.safetensors || fail "the ensemble's first member is not member-0's best"
cmp -s ens/member-1/best/model.safetensors ens/best/ensemble/1/model.safetensors || fail "ensemble/1 is not member-1's best"
cmp -s ens/member-0/best/model.safetensors ens/member-1/best/model.safetensors && fail "both members are the same model (seeds?)"
$PY - ens/quality.json ens/best/config.json <<'PY' || fail "quality.json or config.json of the ensemble"
import json, sys
q, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert c["warcpairs_ensemble"] == ["ensemble/1"], c
assert c["warcpairs_windows"]["near_line_markers"] is True, c
assert [m["seed"] for m in q["ensemble"]] == [42, 43], q.get("ensemble")
assert 0 <= q["model"]["token_f1"] <= 1 and len(q["best_step"]) == 2, q
PY
cp -r run run_ens
"$BIN" predict --out run_ens --model ens/best -q > /dev/null
"$BIN" merge -q --out run_ens > /dev/null
[ "$(sqlite3 run_ens/warcpairs.sqlite "SELECT count(*) FROM predictions WHERE model LIKE 'fnv1a64:%+fnv1a64:%'")" = \
  "$(sqlite3 run_ens/warcpairs.sqlite "SELECT count(*) FROM images WHERE context <> ''")" ] \
  || fail "predict with an ensemble: not one prediction per image with context, under the members' joined version"
"$BIN" train "${ens[@]}" > ens2.log  # a rerun: the members are done, the same ensemble again
cmp -s ens/member-1/best/model.safetensors ens/best/ensemble/1/model.safetensors || fail "a rerun changed the ensemble"
expect_exit 2 "$BIN" train --out run --model-out ens3 --model-config tiny.json --vocab "$VOCAB" --no-line-marker --near-line-markers
expect_contains "$OUT" "line marker"

echo "== predict over 2 ranks, SIGKILL in a shard, rerun, merge"
cp -r run run_one   # the same database for a 1-rank comparison
set +e
WARCPAIRS_CRASH_AT=predict_pool:3 mpirun_np 2 "$BIN" predict --out run --model one/best \
  --rows-per-shard 300 --pool 64 -q > /dev/null 2>&1
rc=$?
set -e
[ $rc -ne 0 ] || fail "the crash point should have killed predict"
ls run/shards/predict-*.h5.tmp >/dev/null 2>&1 || true  # a half-written shard stays invisible
mpirun_np 2 "$BIN" predict --out run --model one/best --rows-per-shard 300 --pool 64 -q > p.log
expect_contains "$(cat p.log)" "predict:"
"$BIN" merge -q --out run > /dev/null
"$BIN" predict --out run_one --model one/best --rows-per-shard 300 --pool 64 -q > /dev/null
"$BIN" merge -q --out run_one > /dev/null
n=$(sqlite3 run/warcpairs.sqlite "SELECT count(*) FROM predictions")
want=$(sqlite3 run/warcpairs.sqlite "SELECT count(*) FROM images WHERE context <> ''")
[ "$n" = "$want" ] || fail "expected one prediction per image with context ($want), got $n"
diff <(dump_predictions run) <(dump_predictions run_one) > /dev/null || fail "predictions differ between -np 2 (killed, rerun) and -np 1"
# Spans are real spans of the context.
bad=$(sqlite3 run/warcpairs.sqlite "SELECT count(*) FROM predictions p JOIN images i USING(image_id)
      WHERE span_start IS NOT NULL AND substr(i.context, span_start + 1, span_end - span_start) <> p.text")
[ "$bad" = 0 ] || fail "$bad predictions whose text is not context[span_start:span_end]"
# Merging again adds nothing.
expect_exit 0 "$BIN" merge --out run
expect_contains "$OUT" "0 predictions"

echo "== a checkpoint whose question-answering head was never trained"
# one/best without qa_outputs.*, as a bare pretrained distilbert-base-uncased comes: predict and
# extract --model refuse it (exit 2, asking to run train first) unless --allow-untrained-head.
mkdir bare
cp one/best/config.json one/best/vocab.txt one/best/tokenizer_config.json bare/
$PY - one/best/model.safetensors bare/model.safetensors <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header, data = json.loads(raw[8:8 + n]), raw[8 + n:]
out, parts, at = {}, [], 0
for name, t in header.items():
    if name.startswith("qa_outputs."):
        continue
    if name != "__metadata__":
        b, e = t["data_offsets"]
        parts.append(data[b:e])
        t = dict(t, data_offsets=[at, at + e - b])
        at += e - b
    out[name] = t
assert len(out) == len(header) - 2, "one/best should hold qa_outputs.weight and .bias"
h = json.dumps(out).encode()
h += b" " * (-len(h) % 8)
open(sys.argv[2], "wb").write(struct.pack("<Q", len(h)) + h + b"".join(parts))
PY
cp -r run_one run_bare
expect_exit 2 "$BIN" predict --out run_bare --model bare -q
expect_contains "$OUT" "has no trained question-answering head"
expect_contains "$OUT" "warcpairs train --init bare"
expect_contains "$OUT" "--allow-untrained-head"
expect_exit 2 mpirun_np 2 "$BIN" extract -q --out run_bare_x --model bare warc
expect_contains "$OUT" "has no trained question-answering head"
[ ! -d run_bare_x/shards ] || [ -z "$(ls run_bare_x/shards)" ] || fail "a refused extract --model wrote shards"
expect_exit 0 "$BIN" predict --out run_bare --model bare --allow-untrained-head -q
expect_exit 0 "$BIN" merge --out run_bare
[ "$(sqlite3 run_bare/warcpairs.sqlite "SELECT count(DISTINCT model) FROM predictions")" = 2 ] \
  || fail "predict --allow-untrained-head wrote no predictions of the bare model"
expect_exit 0 "$BIN" extract -q --out run_bare_x --model bare --allow-untrained-head warc
expect_contains "$OUT" "span model run on"
# A checkpoint train wrote loads without the flag (predict above, and here inside extract).

echo "== extract --model: the same model inside extract"
mpirun_np 2 "$BIN" extract -q --out run_x --model one/best warc > x.log
expect_contains "$(cat x.log)" "span model run on"
"$BIN" merge -q --out run_x > /dev/null
# Same WARC files, same merge order: the same image ids. The model sees each context in other
# batch company here than in predict, so logits may differ in the last bits; a span can flip
# only where two candidates tie to ~1e-6.
same=$(sqlite3 run_x/warcpairs.sqlite "ATTACH 'run/warcpairs.sqlite' AS p;
  SELECT count(*) FROM predictions x JOIN p.predictions y USING(image_id, model)
  WHERE x.span_start IS y.span_start AND x.span_end IS y.span_end AND x.text = y.text")
total=$(sqlite3 run_x/warcpairs.sqlite "SELECT count(*) FROM predictions")
[ "$total" = "$want" ] || fail "extract --model: expected $want predictions, got $total"
$PY -c "import sys; s, t = int(sys.argv[1]), int(sys.argv[2]); print(f'extract --model agrees with predict on {s}/{t}'); sys.exit(0 if s >= 0.99 * t else 1)" "$same" "$total" \
  || fail "extract --model and predict disagree on more than 1% of spans"
echo "PASS"
