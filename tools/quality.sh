#!/usr/bin/env bash
# Span-model quality on real web pages, measured honestly: extract + merge the 990 real pages
# of ../shared/data/warc-real (or your own WARC files: --warc, repeatable), train a span model
# on the training candidates of the training pages, and score it on the held-out pages (split
# by page-URL hash, no page on both sides) against sentence baselines, in token F1 and exact
# match against the labels (the alt text's occurrence in the context).
#   bash tools/quality.sh [--work DIR] [--warc PATH]... [--epochs N] [--dim D] [--layers L]
#        [--max-length T] [--stride S] [--lr LR] [--batch-size B] [--np RANKS] [--max-steps N]
#        [--all-windows] [--no-line-marker] [--init DIR] [--dev-fraction F] [--patience N]
#        [--bucket-by-length] [--seed N] [--extra-warc PATH]... [--context-from main|all]
#        [--decoding spans|lines|both] [--line-labels] [--centre-marker|--no-centre-marker]
#        [--ensemble N] [--near-line-markers] [--token-dropout P]
# --token-dropout P: train's option: each training step replaces that share of the words by
# [MASK] (validation and predict see all of them); default 0.5 for random weights, 0 with --init.
# --near-line-markers: train's option: the two line markers nearest the image on each side are
# tokens of their own ([unused3]..[unused6]), recorded in config.json for predict.
# --ensemble N: train's option: N models (seeds SEED, SEED+1, ...), each with its epoch picked
# on the dev pages, then RUN/model/best as their ensemble (the mean of their start and end
# logits; predict and extract --model run it as one model); the table scores the ensemble and
# lists each member's numbers. Default 3 for random weights, 1 with --init.
# --decoding: train's option: how answers are decoded (spans: HF QA's free spans, train's
# default; lines: whole lines of the context only, the default here since it measured better on
# both the dev and the held-out pages, BENCHMARKS.md); validation reports all three either way.
# --centre-marker: train's option: one window per image, the image marker at its centre; the
# default for random weights (a model trained from scratch learns absolute positions, not
# "next to the image", BENCHMARKS.md), not with --init; --no-centre-marker turns it off.
# --line-labels: the learnability check (issue 15): every labelled image's label is replaced by
# the line of its context that starts at the image (trimmed; images whose line is empty lose
# their label), a rule a working model learns nearly perfectly. It measures training, not the
# task: the quality table then scores against those labels.
# --context-from: extract's option (default main, as extract's: contexts from the page's main
# content; all: from all visible text, as before issue 16).
# --extra-warc PATH: training-only data (e.g. the generated sample, tools/gen_sample_warc.py):
# extracted into the same run, but the labels of its pages that fall on the held-out or dev
# side of the split are removed, so held-out and dev stay the pages of --warc.
# Default: a small DistilBERT (2 layers, dim 64) from random weights, an ensemble of 3 trained
# for 1 epoch each (--epochs default 1; 3 with --init) with --token-dropout 0.5: the settings
# that measured best on the dev pages and the held-out ones (BENCHMARKS.md, issue 15's fourth
# pass). --init DIR fine-tunes a downloaded checkpoint instead (distilbert-base-uncased:
# models/README.md; --lr 5e-5 then).
# The best epoch is picked on development pages (--dev-fraction of the pages, default 0.1,
# taken from the training side), never on the held-out pages whose numbers are printed;
# --dev-fraction 0 picks on the held-out pages (optimistic: the old behaviour).
# Prints a table and leaves WORK/run/model/quality.json and metrics.jsonl (BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=/tmp/warcpairs-quality EPOCHS="" DIM=64 LAYERS=2 NP=1 STEPS=0 MAXLEN=128 STRIDE=32 LR=1e-3
BATCH=32 INIT="" WINDOWS=(--label-windows-only) LINES=() WARC=() EXTRA=() DEV=0.1 PATIENCE=0 BUCKET=() SEED=42 CONTEXT=main
DECODING=lines LINE_LABELS=0 CENTRE="" ENSEMBLE="" TOKEN_DROPOUT="" TRAIN_OPTS=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) WORK=$2; shift 2 ;; --epochs) EPOCHS=$2; shift 2 ;; --dim) DIM=$2; shift 2 ;;
    --layers) LAYERS=$2; shift 2 ;; --np) NP=$2; shift 2 ;; --max-steps) STEPS=$2; shift 2 ;;
    --max-length) MAXLEN=$2; shift 2 ;; --stride) STRIDE=$2; shift 2 ;; --lr) LR=$2; shift 2 ;;
    --batch-size) BATCH=$2; shift 2 ;; --init) INIT=$2; shift 2 ;; --warc) WARC+=("$2"); shift 2 ;;
    --all-windows) WINDOWS=(); shift ;; --no-line-marker) LINES=(--no-line-marker); shift ;;
    --dev-fraction) DEV=$2; shift 2 ;; --patience) PATIENCE=$2; shift 2 ;; --seed) SEED=$2; shift 2 ;;
    --context-from) CONTEXT=$2; shift 2 ;;
    --decoding) DECODING=$2; shift 2 ;; --line-labels) LINE_LABELS=1; shift ;;
    --centre-marker) CENTRE=1; shift ;; --no-centre-marker) CENTRE=0; shift ;;
    --ensemble) ENSEMBLE=$2; shift 2 ;; --near-line-markers) TRAIN_OPTS+=(--near-line-markers); shift ;;
    --token-dropout) TOKEN_DROPOUT=$2; shift 2 ;;
    --bucket-by-length) BUCKET=(--bucket-by-length); shift ;; --extra-warc) EXTRA+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ ${#WARC[@]} -gt 0 ] || WARC=(../shared/data/warc-real)
BIN=$PWD/build/warcpairs
VOCAB=$PWD/../shared/data/vocab/bert-base-uncased-vocab.txt
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$WORK"
# The extracted run is reused while the inputs are the same.
inputs=$(printf '%s\n' "${WARC[@]}" extra: "${EXTRA[@]}" context: "$CONTEXT" line-labels: "$LINE_LABELS")
if [ ! -f "$WORK/run/warcpairs.sqlite" ] || [ "$(cat "$WORK/inputs.txt" 2>/dev/null)" != "$inputs" ]; then
  rm -rf "$WORK/run"
  "$BIN" extract -q --context-from "$CONTEXT" --out "$WORK/run" "${WARC[@]}" "${EXTRA[@]}"
  "$BIN" merge -q --out "$WORK/run"
  if [ "$LINE_LABELS" = 1 ]; then
    python3 - "$WORK/run/warcpairs.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
kept = dropped = 0
rows = db.execute("SELECT image_id, context, image_pos FROM images WHERE label_start IS NOT NULL").fetchall()
for image_id, ctx, pos in rows:  # code-point offsets, as Python indexes str
    nl = ctx.find("\n", pos)
    start, end = pos, nl if nl >= 0 else len(ctx)
    while start < end and ctx[start].isspace(): start += 1
    while end > start and ctx[end - 1].isspace(): end -= 1
    span = (start, end) if end > start else (None, None)
    db.execute("UPDATE images SET label_start = ?, label_end = ? WHERE image_id = ?", (*span, image_id))
    kept, dropped = kept + (end > start), dropped + (end <= start)
db.commit()
print(f"--line-labels: {kept} labels replaced by the line after the image, {dropped} dropped (empty line)")
PY
  fi
  printf '%s\n' "$inputs" > "$WORK/inputs.txt"
fi
if [ ${#EXTRA[@]} -gt 0 ]; then
  # The extra files' pages below VALIDATION + DEV of text::page_split_point (FNV-1a 64 of the
  # URL, MurmurHash3 fmix64, top 53 bits; tools/quality_fit.py has it in Python) lose their labels.
  PYTHONPATH=tools python3 - "$WORK/run/warcpairs.sqlite" "$DEV" "${EXTRA[@]}" <<'PY'
import os, sqlite3, sys
from quality_fit import page_split_point as point
db, dev, extra = sqlite3.connect(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
def is_extra(path):
    path = os.path.realpath(path)
    return any(path == os.path.realpath(e) or path.startswith(os.path.realpath(e) + os.sep) for e in extra)
files = [f for (f, p) in db.execute("SELECT file_id, path FROM files") if is_extra(p)]
pages = [pid for f in files for (pid, url) in db.execute("SELECT page_id, url FROM pages WHERE file_id = ?", (f,))
         if point(url) < 0.1 + dev]
n = 0
for pid in pages:
    n += db.execute("UPDATE images SET label_start = NULL, label_end = NULL WHERE page_id = ? AND label_start IS NOT NULL", (pid,)).rowcount
db.commit()
print(f"extra data: {len(files)} files; labels of {len(pages)} held-out/dev pages removed ({n} images)")
PY
fi
[ -n "$CENTRE" ] || { [ -n "$INIT" ] && CENTRE=0 || CENTRE=1; }
# Random weights: 1 epoch, --token-dropout 0.5, --ensemble 3 (each measured better on the dev
# and the held-out pages, BENCHMARKS.md); --init: 3 epochs, one model, no token dropout.
if [ -n "$INIT" ]; then
  EPOCHS=${EPOCHS:-3} ENSEMBLE=${ENSEMBLE:-1} TOKEN_DROPOUT=${TOKEN_DROPOUT:-0}
else
  EPOCHS=${EPOCHS:-1} ENSEMBLE=${ENSEMBLE:-3} TOKEN_DROPOUT=${TOKEN_DROPOUT:-0.5}
fi
CENTRE_FLAG=()
[ "$CENTRE" = 0 ] || CENTRE_FLAG=(--centre-marker)
if [ -n "$INIT" ]; then
  model=(--init "$INIT")
else
  cat > "$WORK/config.json" <<JSON
{"architectures": ["DistilBertForQuestionAnswering"], "model_type": "distilbert",
 "vocab_size": 30522, "max_position_embeddings": $MAXLEN, "n_layers": $LAYERS, "n_heads": 4,
 "dim": $DIM, "hidden_dim": $((DIM * 4)), "activation": "gelu"}
JSON
  model=(--model-config "$WORK/config.json" --vocab "$VOCAB")
fi
rm -rf "$WORK/run/model"
mpirun -np "$NP" --oversubscribe "$BIN" train --out "$WORK/run" "${model[@]}" \
  --max-length "$MAXLEN" --stride "$STRIDE" --epochs "$EPOCHS" --batch-size "$BATCH" --lr "$LR" \
  --warmup-ratio 0.06 --max-steps "$STEPS" --log-steps 50 --dev-fraction "$DEV" --patience "$PATIENCE" \
  --seed "$SEED" --ensemble "$ENSEMBLE" --token-dropout "$TOKEN_DROPOUT" --decoding "$DECODING" "${CENTRE_FLAG[@]}" "${TRAIN_OPTS[@]}" "${WINDOWS[@]}" "${LINES[@]}" "${BUCKET[@]}"
python3 - "$WORK/run/model/quality.json" <<'PY'
import json, sys
q = json.load(open(sys.argv[1]))
for m in q.get("ensemble", []):
    dev = f"dev F1 {m['dev']['token_f1']:.3f}, " if "dev" in m else ""
    print(f"ensemble member seed {m['seed']} (best epoch ends at step {m['best_step']}): {dev}held-out "
          f"F1 {m['held_out']['token_f1']:.3f} / EM {m['held_out']['exact_match']:.3f}")
if q.get("selected_by") == "dev":
    d = q["dev"]
    print(f"\nheld-out images: {q['images']}; best epoch (ends at step {q['best_step']}) picked on "
          f"{d['images']} dev images (dev token F1 {d['model']['token_f1']:.3f}, sentence after "
          f"{d['sentence_after']['token_f1']:.3f})")
else:
    print(f"\nheld-out images: {q['images']} (best epoch ends at step {q['best_step']}, "
          "picked on the held-out images themselves: optimistic)")
print("| answer | token F1 | exact match |\n|---|---:|---:|")
for key, name in [("model", "**span model**"), ("image_nearest_sentence", "the sentence nearest the image"),
                  ("sentence_after", "the sentence after the image"),
                  ("sentence_before", "the sentence before the image"),
                  ("alt_nearest_sentence", "the sentence nearest the alt text (upper reference)")]:
    print(f"| {name} | {q[key]['token_f1']:.3f} | {q[key]['exact_match']:.3f} |")
a, r = q["model_answered"], q["label_in_window"]
dec = q.get("model_decoded", {})
if dec:
    print("\nthe same checkpoint decoded as " + ", ".join(
        f"{k}: F1 {v['token_f1']:.3f} / EM {v['exact_match']:.3f}" for k, v in dec.items()))
print(f"\nmodel answered \"no span\" on {100 * q['model_no_span']:.1f} % of the held-out images; "
      f"F1 {a['token_f1']:.3f} on the {a['images']} it answered; the label lies in a window of "
      f"{r['images']} of {q['images']} (model F1 {r['model_token_f1']:.3f} on them)")
PY
