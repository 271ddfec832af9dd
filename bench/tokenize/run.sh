#!/usr/bin/env bash
# WordPiece tokens/s: warcpairs vs Hugging Face tokenizers.js (npm @huggingface/tokenizers), on
# the parity test's strings (real contexts, alt texts and titles + adversarial lines), in one
# run. The parity test runs first, so the two sides are timed on output proven identical.
# Usage: bench/tokenize/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-wp}"
seconds="${2:-5}"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target warcpairs tokenize_bench -j2 >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash "$root/tests/parity/wordpiece_parity.sh" "$build/warcpairs" "$root/../shared" "$tmp/p" 2>/dev/null \
  | grep 'wordpiece parity'
vocab="$root/../shared/data/vocab/bert-base-uncased-vocab.txt"
ours=$("$build/bench/tokenize/tokenize_bench" "$vocab" "$tmp/p/input.txt" "$seconds")
peer=$(node "$root/tests/parity/reference.mjs" "$tmp/p/tokenizer.json" --bench "$seconds" < "$tmp/p/input.txt")
echo "lines: $(wc -l < "$tmp/p/input.txt"), $(wc -c < "$tmp/p/input.txt") bytes; one thread each, ${seconds} s each"
/usr/bin/python3 - "$ours" "$peer" <<'PY'
import json, sys
o, p = (json.loads(a) for a in sys.argv[1:3])
ours, peer = o["tokens"] / o["seconds"], p["tokens"] / p["seconds"]
print(f"{'ours tokens/s':>16} | {'HF npm tokens/s':>16} | {'ratio':>6}")
print(f"{ours:16,.0f} | {peer:16,.0f} | {ours / peer:5.1f}x")
PY
