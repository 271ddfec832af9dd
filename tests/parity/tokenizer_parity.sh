#!/usr/bin/env bash
# Tokenizer parity: `warcpairs tokenize` against Hugging Face tokenizers.js on >= 10,000 real
# strings (contexts, alt texts, titles of the shared WARC files and of generated sample WARCs,
# extracted with warcpairs itself) plus adversarial strings. Fails on any difference in ids or
# offsets, and when node or the npm package is missing.
#   wordpiece: `tokenize --vocab` (bert-base-uncased) + adversarial.py
#   clip_bpe:  `tokenize --bpe` (CLIP's merges) + clip_adversarial.py and adversarial.py
# Usage: tokenizer_parity.sh wordpiece|clip_bpe WARCPAIRS_BIN SHARED_DIR WORK_DIR
set -euo pipefail
kind=$1 bin=$2 shared=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
case $kind in
  wordpiece) table=$shared/data/vocab/bert-base-uncased-vocab.txt option=--vocab
             make_json=make_tokenizer_json.mjs reference=reference.mjs extra=(adversarial.py) ;;
  clip_bpe) table=$shared/data/vocab/clip-bpe_simple_vocab_16e6.txt.gz option=--bpe
            make_json=make_clip_tokenizer_json.mjs reference=clip_reference.mjs
            extra=(clip_adversarial.py adversarial.py) ;;
  *) fail "kind must be wordpiece or clip_bpe, not '$kind'" ;;
esac

command -v node >/dev/null || fail "node not found (bash env/install-debian.sh installs nodejs and npm)"
if [[ ! -f $here/node_modules/@huggingface/tokenizers/package.json ]]; then
  command -v npm >/dev/null || fail "npm not found (bash env/install-debian.sh)"
  (cd "$here" && npm ci --no-audit --no-fund) || fail "npm ci in tests/parity failed"
fi
[[ -f $here/node_modules/@huggingface/tokenizers/package.json ]] || fail "@huggingface/tokenizers missing"

rm -rf "$work" && mkdir -p "$work"
node "$here/$make_json" "$table" "$work/tokenizer.json"

# Real strings: every context (split into lines), alt, title and figcaption, and page titles.
strings() {
  sqlite3 "$1/warcpairs.sqlite" "SELECT context FROM images UNION ALL SELECT alt FROM images
    UNION ALL SELECT title FROM images UNION ALL SELECT figcaption FROM images
    UNION ALL SELECT title FROM pages"
}
"$bin" extract -q --out "$work/run-shared" "$shared/data/warc" >/dev/null
"$bin" merge -q --out "$work/run-shared" >/dev/null
for seed in 1 2 3; do
  /usr/bin/python3 "$root/tools/gen_sample_warc.py" --out "$work/gen/$seed" --files 1 --size-mb 4 \
    --seed "$seed" --jobs 1 --manifest pages >/dev/null
done
"$bin" extract -q --out "$work/run-gen" "$work/gen" >/dev/null
"$bin" merge -q --out "$work/run-gen" >/dev/null
{ strings "$work/run-shared"; strings "$work/run-gen"; } | awk 'NF && !seen[$0]++' > "$work/real.txt"
real=$(wc -l < "$work/real.txt")
(( real >= 10000 )) || fail "only $real real strings (want >= 10000)"
{ cat "$work/real.txt"; for script in "${extra[@]}"; do /usr/bin/python3 "$here/$script"; done; } > "$work/input.txt"

"$bin" tokenize "$option" "$table" < "$work/input.txt" > "$work/ours.jsonl"
node "$here/$reference" "$work/tokenizer.json" < "$work/input.txt" > "$work/reference.jsonl" \
  || fail "the reference could not derive offsets for some lines (see above)"
# The project's tables are pinned at one Unicode version (kUnicodeVersion, kClipUnicodeVersion);
# unicode_assigned.txt must be of that version (tools/gen_unicode_assigned.mjs).
assigned=$here/unicode_assigned.txt
pinned=$(sed -n 's/^# Unicode \([0-9.]*\) .*/\1/p' "$assigned")
for inc in "$root/src/text/unicode_tables.inc" "$root/src/text/clip_bpe_tables.inc"; do
  grep -q "UnicodeVersion\[\] = \"$pinned\";" "$inc" \
    || fail "$inc is not of Unicode $pinned, the version of $assigned: regenerate both with one Node"
done
node "$here/compare.mjs" "$work/input.txt" "$work/ours.jsonl" "$work/reference.jsonl" "$assigned" \
  | sed "s/^wordpiece parity:/${kind//_/ } parity:/"
