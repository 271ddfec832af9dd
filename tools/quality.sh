#!/usr/bin/env bash
# Span-model quality, measured honestly: extract the generated sample pages plus the real WARC
# files of ../shared/data/warc, train a small DistilBERT from random weights on the training
# candidates of the training pages, and score it on the held-out pages (split by page-URL hash)
# against sentence baselines, in token F1 and exact match against the labels.
#   bash tools/quality.sh [--work DIR] [--epochs N] [--dim D] [--layers L] [--np RANKS]
# Prints a table and leaves WORK/run/model/quality.json and metrics.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=/tmp/warcpairs-quality EPOCHS=1 DIM=64 LAYERS=2 NP=1 STEPS=0
while [ $# -gt 0 ]; do
  case $1 in
    --work) WORK=$2; shift 2 ;; --epochs) EPOCHS=$2; shift 2 ;; --dim) DIM=$2; shift 2 ;;
    --layers) LAYERS=$2; shift 2 ;; --np) NP=$2; shift 2 ;; --max-steps) STEPS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
BIN=$PWD/build/warcpairs
VOCAB=$PWD/../shared/data/vocab/bert-base-uncased-vocab.txt
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$WORK"
if [ ! -f "$WORK/run/warcpairs.sqlite" ]; then
  python3 tools/gen_sample_warc.py --out "$WORK/warc" --files 4 --size-mb 8 --seed 1 >/dev/null
  "$BIN" extract -q --out "$WORK/run" "$WORK/warc" ../shared/data/warc
  "$BIN" merge -q --out "$WORK/run"
fi
cat > "$WORK/config.json" <<JSON
{"architectures": ["DistilBertForQuestionAnswering"], "model_type": "distilbert",
 "vocab_size": 30522, "max_position_embeddings": 128, "n_layers": $LAYERS, "n_heads": 4,
 "dim": $DIM, "hidden_dim": $((DIM * 4)), "activation": "gelu"}
JSON
rm -rf "$WORK/run/model"
mpirun -np "$NP" --oversubscribe "$BIN" train --out "$WORK/run" --model-config "$WORK/config.json" \
  --vocab "$VOCAB" --max-length 128 --stride 32 --epochs "$EPOCHS" --batch-size 32 --lr 1e-3 \
  --warmup-ratio 0.06 --max-steps "$STEPS" --log-steps 50
python3 - "$WORK/run/model/quality.json" <<'PY'
import json, sys
q = json.load(open(sys.argv[1]))
print(f"\nheld-out images: {q['images']} (step {q['best_step']})")
print(f"| answer | token F1 | exact match |\n|---|---|---|")
for key, name in [("model", "span model"), ("alt_nearest_sentence", "sentence nearest the alt text"),
                  ("image_nearest_sentence", "sentence nearest the image"),
                  ("sentence_after", "sentence after the image"),
                  ("sentence_before", "sentence before the image")]:
    print(f"| {name} | {q[key]['token_f1']:.3f} | {q[key]['exact_match']:.3f} |")
PY
