#!/usr/bin/env bash
# Tokens/s of warcpairs' tokenizers vs Hugging Face tokenizers.js (npm @huggingface/tokenizers),
# on each parity test's strings (real contexts, alt texts and titles + adversarial lines), one
# thread each: WordPiece (bert-base-uncased) and CLIP byte-level BPE. The parity tests run
# first, so the two sides are timed on output proven identical.
# Usage: bench/tokenize/run.sh [BUILD_DIR] [SECONDS] [wordpiece|clip|all]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-wp}"
seconds="${2:-5}"
which="${3:-all}"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target warcpairs tokenize_bench -j2 >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# compare NAME PARITY_KIND VOCAB [--bpe]: parity, then both sides timed on its input.
compare() {
  local name=$1 parity=$2 vocab=$3 flag=${4:-}
  bash "$root/tests/parity/tokenizer_parity.sh" "$parity" "$build/warcpairs" "$root/../shared" "$tmp/$name" 2>/dev/null \
    | grep 'parity:'
  local ours peer
  ours=$("$build/bench/tokenize/tokenize_bench" $flag "$vocab" "$tmp/$name/input.txt" "$seconds")
  peer=$(node "$root/tests/parity/reference.mjs" "$tmp/$name/tokenizer.json" --bench "$seconds" \
    < "$tmp/$name/input.txt")
  echo "$name: lines: $(wc -l < "$tmp/$name/input.txt"), $(wc -c < "$tmp/$name/input.txt") bytes;" \
    "one thread each, ${seconds} s each"
  /usr/bin/python3 - "$ours" "$peer" <<'PY'
import json, sys
o, p = (json.loads(a) for a in sys.argv[1:3])
ours, peer = o["tokens"] / o["seconds"], p["tokens"] / p["seconds"]
print(f"{'ours tokens/s':>16} | {'HF npm tokens/s':>16} | {'ratio':>6}")
print(f"{ours:16,.0f} | {peer:16,.0f} | {ours / peer:5.1f}x")
PY
}

vocabs="$root/../shared/data/vocab"
if [[ $which == all || $which == wordpiece ]]; then
  compare wordpiece wordpiece "$vocabs/bert-base-uncased-vocab.txt"
fi
if [[ $which == all || $which == clip ]]; then
  compare clip clip_bpe "$vocabs/clip-bpe_simple_vocab_16e6.txt.gz" --bpe
fi
