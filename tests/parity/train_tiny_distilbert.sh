#!/usr/bin/env bash
# Fixture of parity.distilbert: a short real `warcpairs train` (generated pages, extract, merge, a
# tiny DistilBERT over the real uncased vocabulary, float32 as a user trains) whose last checkpoint,
# $E2E_SCRATCH/train_tiny_distilbert/model/last, distilbert_parity_test loads in LibTorch and in
# the numpy reference.
source "$WARCPAIRS_SRC/tests/e2e/lib.sh"
BIN=$WARCPAIRS_BIN
VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
[ -f "$VOCAB" ] || fail "missing $VOCAB (../shared beside the project)"

$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out warc --files 1 --size-mb 1 --seed 11 >/dev/null
"$BIN" extract -q --out run warc
"$BIN" merge -q --out run >/dev/null
cat > tiny.json <<JSON
{"architectures": ["DistilBertForQuestionAnswering"], "model_type": "distilbert",
 "vocab_size": 30522, "max_position_embeddings": 64, "n_layers": 2, "n_heads": 4, "dim": 32,
 "hidden_dim": 64, "dropout": 0.1, "attention_dropout": 0.1, "qa_dropout": 0.1, "activation": "gelu"}
JSON
"$BIN" train --out run --model-out model --model-config tiny.json --vocab "$VOCAB" --max-length 64 \
  --stride 16 --batch-size 8 --max-steps 30 --lr 5e-3 --threads 1 -q > train.log
step=$($PY -c "import json; print(json.load(open('model/last/state.json'))['global_step'])")
[ "$step" = 30 ] || fail "expected the last checkpoint at step 30, got $step"
echo "trained checkpoint: $SCRATCH/model/last"
