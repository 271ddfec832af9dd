#!/usr/bin/env bash
# Span-model speed, one command, ratios from the same run:
#  - predict, one core (--threads 1): contexts/s for a DistilBERT-base-sized model (6 x 768,
#    random weights: speed does not depend on them) and for a tiny one, and the share of the
#    predictor's time spent outside the model's forward pass (tokenizing, windows, length
#    buckets, decoding, shard writing) against the forward pass itself, the limit (goal < 10 %);
#  - train: windows/s on 1 rank vs 2 ranks (one thread each), data-parallel efficiency (goal
#    >= 0.90).
# Usage: bench/model/run.sh [BUILD_DIR] [SCRATCH]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build=$(realpath "${1:-$root/build}")
work=$(realpath -m "${2:-${BENCH_DATA:-$root/build/bench-data}/model}")
bin=$build/warcpairs
vocab=$root/../shared/data/vocab/bert-base-uncased-vocab.txt
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
cd "$work"
if [ ! -f run/warcpairs.sqlite ]; then
  python3 "$root/tools/gen_sample_warc.py" --out warc --files 2 --size-mb 2 --seed 9 >/dev/null
  "$bin" extract -q --out run warc >/dev/null
  "$bin" merge -q --out run >/dev/null
fi
config() {  # layers dim positions
  echo "{\"model_type\": \"distilbert\", \"vocab_size\": 30522, \"n_layers\": $1, \"dim\": $2,
    \"n_heads\": $(($2 / 64 > 1 ? $2 / 64 : 2)), \"hidden_dim\": $(($2 * 4)), \"max_position_embeddings\": $3}"
}
config 6 768 512 > base.json
config 2 64 128 > tiny.json
config 2 128 128 > small.json
# A checkpoint of each size: one training step from random weights.
make_model() {  # name config max_length
  [ -f "$1/best/model.safetensors" ] && return
  "$bin" train -q --out run --model-out "$1" --model-config "$2" --vocab "$vocab" --max-length "$3" \
    --stride $(($3 / 4)) --batch-size 2 --max-steps 1 --validation-fraction 0.01 >/dev/null
}
make_model base base.json 384
make_model tiny tiny.json 128

# predict on the first N images only: a copy of the database cut to them.
cut_db() {  # n
  rm -rf "cut$1" && mkdir -p "cut$1"
  sqlite3 run/warcpairs.sqlite ".backup cut$1/warcpairs.sqlite"
  sqlite3 "cut$1/warcpairs.sqlite" "DELETE FROM images WHERE image_id > $1"
}
predict_row() {  # label model n
  cut_db "$3"
  "$bin" predict -q --out "cut$3" --model "$2/best" --threads 1 --rows-per-shard 100000 >/dev/null
  python3 - "$1" "cut$3/predict-stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
cps = s["images"] / s["model_seconds"]
fwd_only = s["images"] / s["forward_seconds"]
print(f"| {sys.argv[1]} | {s['images']} | {s['tokens'] / s['images']:.0f} | {cps:,.1f} | {fwd_only:,.1f} | "
      f"{100 * s['share_outside_forward']:.1f} % | {'yes' if s['share_outside_forward'] < 0.10 else 'NO'} |")
PY
}
echo "predict, one core (--threads 1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| model | contexts | tokens/context | contexts/s (predictor) | contexts/s (forward pass alone, the limit) | time outside forward | < 10 % |"
echo "|---|---:|---:|---:|---:|---:|---|"
predict_row "DistilBERT-base size (6 x 768), windows of 384" base 120
predict_row "tiny (2 x 64), windows of 128" tiny 4000

# Data-parallel training: the same global batch on 1 and 2 ranks, one thread each; and two
# independent 1-rank runs at once, which is what this (shared, virtual) machine allows two
# processes to do (the limit an MPI run is compared to, as in the extract benchmark).
config 4 256 128 > medium.json
train_rate() {  # np tag  (np 0: without mpirun, a singleton: two mpiruns at once collide)
  rm -rf "dp$2"
  local launch=(mpirun -np "$1" --oversubscribe)
  [ "$1" = 0 ] && launch=()
  "${launch[@]}" "$bin" train -q --out run --model-out "dp$2" --model-config medium.json \
    --vocab "$vocab" --max-length 128 --stride 32 --batch-size 32 --max-steps 12 --threads 1 \
    --validation-fraction 0.01 | sed -n 's/.* \([0-9.]*\) windows\/s over.*/\1/p'
}
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b > a) ? b : a }'; }
w1="" w2="" wi=""
for _ in $(seq "${RUNS:-3}"); do
  w1=$(max "$w1" "$(train_rate 1 one)")
  w2=$(max "$w2" "$(train_rate 2 two)")
  train_rate 0 ia > ia.rate &  # two at once: their mean rate
  train_rate 0 ib > ib.rate
  wait
  wi=$(max "$wi" "$(cat ia.rate ib.rate | awk '{ s += $1 } END { printf "%.1f", s / 2 }')")
done
echo
echo "train, medium model (4 x 256, windows of 128), global batch 32, 12 steps, one thread per rank, best of ${RUNS:-3}"
echo "| run | windows/s | speed-up over 1 rank | efficiency (ideal 2x) | efficiency vs two independent processes | >= 0.90 |"
echo "|---|---:|---:|---:|---:|---|"
echo "| 1 rank | $w1 | 1.00 | 1.00 | - | - |"
awk -v a="$w1" -v b="$w2" -v i="$wi" 'BEGIN { e = b / (2 * a); m = b / (2 * i)
  printf "| 2 ranks | %s | %.2f | %.2f | %.2f | %s |\n", b, b / a, e, m, (e >= 0.9) ? "yes" : "NO"
  printf "| two independent 1-rank runs at once (each) | %s | | | | (limit) |\n", i }'
