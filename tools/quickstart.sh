#!/usr/bin/env bash
# The quick start: every stage on a generated sample crawl, on this machine.
#   bash tools/quickstart.sh [--no-setup --bin PATH] [--work DIR]
# Installs the Debian packages and builds (skipped with --no-setup, which takes the binary from
# --bin), generates a sample crawl with the images its pages point to, and runs extract on 2
# MPI ranks -> merge -> train a small span model -> predict -> merge -> score (the sample's
# images served on loopback by tools/serve_sample_images.py, started and stopped here) -> merge
# -> analyze -> export (WebDataset). Prints a table of what each stage made and how long it took,
# a few pairs, and where the report and the dataset are. Run it again: each stage skips what is
# done. Needs nothing from ../shared and downloads nothing but Debian packages.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
SETUP=1 BIN="" WORK=$SRC
while (($#)); do
  case $1 in
    --no-setup) SETUP=0; shift ;;
    --bin) BIN=$(realpath "${2:?}"); shift 2 ;;
    --work) WORK=${2:?}; shift 2 ;;
    *) echo "usage: bash tools/quickstart.sh [--no-setup --bin PATH] [--work DIR]" >&2; exit 2 ;;
  esac
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # harmless when not root
if ((SETUP)); then
  bash "$SRC/env/install-debian.sh" --runtime
  bash "$SRC/tools/build.sh" -DWARCPAIRS_TESTS=OFF -DWARCPAIRS_BENCH=OFF -DWARCPAIRS_MODEL=ON
  BIN=$SRC/build/warcpairs
fi
[ -x "$BIN" ] || { echo "quickstart: no warcpairs binary (--bin PATH with --no-setup)" >&2; exit 2; }
mkdir -p "$WORK" && cd "$WORK"
SAMPLE=sample RUN=run-quickstart
MODELS=$SAMPLE/models
mkdir -p "$RUN/logs" "$MODELS"

STAGES=() SECONDS_OF=() MADE=()
# stage NAME WHAT CMD...: runs CMD (output in RUN/logs/quickstart-NAME.log, its last line shown),
# records its wall time; WHAT is a shell expression (evaluated afterwards) saying what it made.
stage() {
  local name=$1 what=$2; shift 2
  local log=$RUN/logs/quickstart-$name.log t0 t1
  echo "== $name: ${*/#make_sample/tools/gen_sample_warc.py + tools/gen_sample_images.py + checkpoint clip}"
  t0=$(date +%s.%N)
  if ! "$@" > "$log" 2>&1; then
    tail -20 "$log" >&2
    echo "quickstart: $name failed; its output is in $log" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  grep -v '^\s*$' "$log" | tail -2 | sed 's/^/   /' | cut -c1-200
  STAGES+=("$name") SECONDS_OF+=("$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")") MADE+=("$(eval "$what")")
}
q() { sqlite3 "$RUN/warcpairs.sqlite" "$1" 2>/dev/null || echo "?"; }

# 1. The sample: WARC files, the images their pages point to, a WordPiece vocabulary of their
# words, a BPE merges file and a random tiny CLIP (no weights can be downloaded here).
make_sample() {
  python3 "$SRC/tools/gen_sample_warc.py" --out "$SAMPLE/warc" --files 2 --size-mb 2 --seed 1
  python3 "$SRC/tools/gen_sample_images.py" --warc-dir "$SAMPLE/warc" --out "$SAMPLE/images" \
    --vocab "$MODELS/vocab.txt" --bpe "$MODELS/merges.txt"
  "$BIN" checkpoint clip --dest "$MODELS/tiny-clip" --bpe "$MODELS/merges.txt"
}
if [ ! -f "$SAMPLE/.done" ]; then
  rm -rf "$SAMPLE/warc" "$SAMPLE/images"
  stage sample "echo \$(ls $SAMPLE/warc/*.warc.gz | wc -l) WARC files, \$(find $SAMPLE/images -type f | wc -l) images" make_sample
  touch "$SAMPLE/.done"
else
  echo "== sample: already generated in $SAMPLE"
  STAGES+=(sample) SECONDS_OF+=(0.0) MADE+=("nothing new: $SAMPLE is there")
fi
# A tiny DistilBERT span model: its vocabulary is the sample's words (gen_sample_images.py).
cat > "$MODELS/span-config.json" <<JSON
{"architectures": ["DistilBertForQuestionAnswering"], "model_type": "distilbert",
 "vocab_size": $(wc -l < "$MODELS/vocab.txt"), "max_position_embeddings": 128, "n_layers": 2,
 "n_heads": 4, "dim": 64, "hidden_dim": 256, "dropout": 0.1, "attention_dropout": 0.1,
 "qa_dropout": 0.1, "activation": "gelu"}
JSON

# 2. The pipeline.
stage extract "echo \$(ls $RUN/shards/extract-*.h5 | wc -l) shards" \
  mpirun -np 2 --oversubscribe "$BIN" extract --out "$RUN" "$SAMPLE/warc"
stage merge "echo \$(q 'SELECT count(*) FROM pages') pages, \$(q 'SELECT count(*) FROM images') images, \$(q 'SELECT count(*) FROM images WHERE label_start IS NOT NULL') training candidates" \
  "$BIN" merge --out "$RUN"
stage train "python3 -c \"import json; q=json.load(open('$RUN/model/quality.json'))['model']; print('token F1 %.3f, exact match %.3f (held-out pages)' % (q['token_f1'], q['exact_match']))\"" \
  "$BIN" train --out "$RUN" --model-config "$MODELS/span-config.json" --vocab "$MODELS/vocab.txt" \
  --max-length 128 --stride 32 --batch-size 32 --epochs 1 --lr 1e-3 --seed 1
stage predict "echo \$(ls $RUN/shards/predict-* 2>/dev/null | wc -l) prediction shards" \
  mpirun -np 2 --oversubscribe "$BIN" predict --out "$RUN" --model "$RUN/model/best" --threads 1 \
  --rows-per-shard 1500
stage merge "echo \$(q 'SELECT count(*) FROM predictions') predictions, \$(q \"SELECT count(*) FROM predictions WHERE text <> ''\") with a span" \
  "$BIN" merge --out "$RUN"

# The image server: a certificate naming the sample's hosts (made once), the server on two free
# loopback ports; score reaches it through --connect-to (the URLs, host names and TLS names stay
# the sample's) and trusts the certificate through --ca-file.
if [ ! -f "$SAMPLE/tls/cert.pem" ]; then
  mkdir -p "$SAMPLE/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj /CN=warcpairs-sample-images -addext "subjectAltName=$(ls "$SAMPLE/images" | sed 's/^/DNS:/' | paste -sd,)" \
    -keyout "$SAMPLE/tls/key.pem" -out "$SAMPLE/tls/cert.pem" 2> "$RUN/logs/quickstart-openssl.log"
fi
rm -f "$RUN/server.ports"
python3 "$SRC/tools/serve_sample_images.py" "$SAMPLE/images" --cert "$SAMPLE/tls/cert.pem" \
  --key "$SAMPLE/tls/key.pem" --port-file "$RUN/server.ports" > /dev/null 2> "$RUN/logs/quickstart-server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -f "$RUN/server.ports" ] && break; sleep 0.1; done
[ -f "$RUN/server.ports" ] || { cat "$RUN/logs/quickstart-server.log" >&2; echo "quickstart: the image server did not start" >&2; exit 1; }
HTTP_PORT=$(sed -n 's/^HTTP //p' "$RUN/server.ports") HTTPS_PORT=$(sed -n 's/^HTTPS //p' "$RUN/server.ports")
echo "== image server on 127.0.0.1:$HTTP_PORT (http) and 127.0.0.1:$HTTPS_PORT (https), pid $SERVER"

stage score "echo \$(ls $RUN/images/*.tar 2>/dev/null | wc -l) WebDataset tars in $RUN/images" \
  mpirun -np 2 --oversubscribe "$BIN" score --out "$RUN" --clip "$MODELS/tiny-clip" --threads 1 \
  --allow-loopback --ca-file "$SAMPLE/tls/cert.pem" \
  --connect-to ":443:127.0.0.1:$HTTPS_PORT" --connect-to ":80:127.0.0.1:$HTTP_PORT"
kill $SERVER && wait $SERVER 2>/dev/null || true
trap - EXIT
sed 's/^/   /' "$RUN/logs/quickstart-server.log"
stage merge "echo \$(q \"SELECT count(*) FROM scores WHERE outcome = 'ok'\") images stored, \$(q \"SELECT count(*) FROM scores WHERE outcome <> 'ok'\") failed" \
  "$BIN" merge --out "$RUN"

# analyze and export write whole folders: done again only when the database has new rows.
KEY=$(q "SELECT (SELECT count(*) FROM images), (SELECT count(*) FROM predictions), (SELECT count(*) FROM scores)")
if [ "$(cat "$RUN/report/.quickstart-key" 2>/dev/null)" != "$KEY" ]; then
  stage analyze "echo $RUN/report/index.html, \$(du -sh $RUN/report | cut -f1)" "$BIN" analyze --out "$RUN"
  echo "$KEY" > "$RUN/report/.quickstart-key"
else
  echo "== analyze: the report is up to date (the database has no new rows)"
  STAGES+=(analyze) SECONDS_OF+=(0.0) MADE+=("nothing new: $RUN/report/index.html is up to date")
fi
if [ "$(cat "$RUN/dataset.quickstart-key" 2>/dev/null)" != "$KEY" ]; then
  stage export "echo \$(ls $RUN/dataset/*.tar | wc -l) tars, \$(cat $RUN/dataset/*.tar | tar -t --ignore-zeros | grep -c '\\.jpg\$') samples in $RUN/dataset" \
    "$BIN" export --out "$RUN" --dest "$RUN/dataset" --format webdataset --overwrite
  echo "$KEY" > "$RUN/dataset.quickstart-key"
else
  echo "== export: the dataset is up to date (the database has no new rows)"
  STAGES+=(export) SECONDS_OF+=(0.0) MADE+=("nothing new: $RUN/dataset is up to date")
fi

echo
echo "== what each stage made"
printf '%-8s %8s  %s\n' stage seconds output
for i in "${!STAGES[@]}"; do printf '%-8s %8s  %s\n' "${STAGES[$i]}" "${SECONDS_OF[$i]}" "${MADE[$i]}"; done
echo
echo "== a few pairs: the image, its alt text, the span model's description, CLIP similarities"
sqlite3 -separator $'\t' "$RUN/warcpairs.sqlite" "
  SELECT s.url, i.alt, coalesce(nullif(p.text, ''), '(no span)'), printf('%.3f', s.clip_caption), printf('%.3f', s.clip_alt)
  FROM scores s JOIN images i USING (image_id) LEFT JOIN predictions p USING (image_id)
  WHERE s.outcome = 'ok' AND length(i.alt) >= 20
  ORDER BY coalesce(p.text, '') = '', s.image_id LIMIT 4;" |  # pairs with a description first
  while IFS=$'\t' read -r url alt pred clip_pred clip_alt; do
    printf 'image:       %s\nalt:         %s\npredicted:   %s\nCLIP score:  %s (predicted description), %s (alt)\n\n' \
      "$url" "$alt" "$pred" "$clip_pred" "$clip_alt"
  done
cat <<EOF
These CLIP scores come from a random tiny CLIP ($MODELS/tiny-clip, made by
\`warcpairs checkpoint clip\`) on generated band images: they mean nothing. For real scores,
download openai/clip-vit-base-patch32 (models/README.md) and score with it:
  $BIN score --out $RUN --clip models/clip-vit-base-patch32 ...
(the span model above is real but tiny, trained for one epoch on the sample's own alt texts.)

Report:  $WORK/$RUN/report/index.html
Dataset: $WORK/$RUN/dataset (WebDataset tars; also --format imagefolder, csv, jsonl)
Next:    $BIN review --out $RUN   # look at the pairs in your browser, accept/reject/edit them
EOF
